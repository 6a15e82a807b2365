"""SQL shipped as package data (one query per file) and the one identifier-quoting helper."""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache
from importlib import resources

from explorer import vocabulary as voc
from explorer.errors import IdentifierError

_IDENT = re.compile(r"^[a-z_][a-z0-9_]*$")
_PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")
# The identifiers a query file may take as a placeholder: the school's territory columns, and
# ``uai`` (queries/facts.sql at the school level: each school is its own territory).
TERRITORY_COLUMNS = frozenset(voc.LEVEL_COLUMNS.values()) | {"uai"}


@cache
def _text(package: str, name: str) -> str:
    return (resources.files(package) / "sql" / f"{name}.sql").read_text(encoding="utf-8")


def read_sql(name: str, *, package: str = "explorer.warehouse", **identifiers: str) -> str:
    """Text of ``<package>/sql/<name>.sql`` (``name`` like ``marts/territory``).

    A file may hold placeholders such as ``{code}`` for an identifier (a column name): each
    is given as a keyword argument, checked against :data:`TERRITORY_COLUMNS` and quoted by
    :func:`quote_ident`. A placeholder left without a value is an error, never sent to DuckDB.
    """
    text = _text(package, name)
    for key, column in identifiers.items():
        text = text.replace("{" + key + "}", quote_ident(column, TERRITORY_COLUMNS))
    left = sorted(set(_PLACEHOLDER.findall(text)))
    if left:
        raise IdentifierError(f"Requête « {name} » : identifiant(s) sans valeur : {', '.join(left)}.")
    return text


def list_sql(folder: str) -> list[str]:
    """Names of the ``.sql`` files of a folder, in file-name order (``NN_`` prefixes order them)."""
    base = resources.files("explorer.warehouse") / "sql" / folder
    return sorted(f"{folder}/{p.name[:-4]}" for p in base.iterdir() if p.name.endswith(".sql"))


def quote_ident(name: str, allowed: Iterable[str]) -> str:
    """Quote an SQL identifier that must belong to ``allowed``.

    Values are always bound parameters; identifiers cannot be, so they only ever come
    from an allow-list and go through this function.
    """
    allowed_set = set(allowed)
    if name not in allowed_set or not _IDENT.match(name):
        raise IdentifierError(
            f"Identifiant SQL refusé : {name!r} (attendu l'un de : {', '.join(sorted(allowed_set))})."
        )
    return f'"{name}"'
