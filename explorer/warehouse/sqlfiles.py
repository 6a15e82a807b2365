"""SQL shipped as package data (one query per file) and the one identifier-quoting helper."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from functools import cache
from importlib import resources

from explorer import vocabulary as voc
from explorer.errors import IdentifierError

_IDENT = re.compile(r"^[a-z_][a-z0-9_]*$")
_PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")


@cache
def _text(package: str, name: str) -> str:
    return (resources.files(package) / "sql" / f"{name}.sql").read_text(encoding="utf-8")


def list_sql(folder: str) -> list[str]:
    """Names of the ``.sql`` files of a folder, in file-name order (``NN_`` prefixes order them)."""
    base = resources.files("explorer.warehouse") / "sql" / folder
    return sorted(f"{folder}/{p.name[:-4]}" for p in base.iterdir() if p.name.endswith(".sql"))


def _table(name: str) -> str:
    """``marts/01_territory`` → ``territory``: the table a model file writes."""
    return re.sub(r"^[0-9]+_", "", name.split("/", 1)[1])


# The allow-lists. Identifiers cannot be bound parameters, so a query file takes one only as a
# placeholder, and only a name the project itself defines:
# - the school's territory columns;
# ``uai`` too: queries/facts.sql at the school level, where each school is its own territory.
TERRITORY_COLUMNS = frozenset(voc.LEVEL_COLUMNS.values()) | {"uai"}
# - the staging tables, one per staging model (``sql/staging/stg_<table>.sql``);
STAGING_TABLES = frozenset(_table(n) for n in list_sql("staging") if n.startswith("staging/stg_"))
# - the mart tables: one per mart or derived model, and ``build_info`` (written by ``marts.py``).
MART_TABLES = frozenset({_table(n) for n in list_sql("marts") + list_sql("derived")} | {"build_info"})
# Placeholder name → the identifiers it may take (a call may narrow or supply one: ``allowed``).
PLACEHOLDERS: Mapping[str, frozenset[str]] = {
    "code": TERRITORY_COLUMNS,
    "territory_column": TERRITORY_COLUMNS,
    "table": STAGING_TABLES | MART_TABLES,
}


def read_sql(
    name: str,
    allowed: Mapping[str, Iterable[str]] | None = None,
    /,
    *,
    package: str = "explorer.warehouse",
    **identifiers: str,
) -> str:
    """Text of ``<package>/sql/<name>.sql`` (``name`` like ``marts/territory``).

    A file may hold placeholders such as ``{code}`` or ``{table}`` for an identifier: each is
    given as a keyword argument, checked against its allow-list and quoted by
    :func:`quote_ident`. The allow-list of a placeholder is ``allowed[placeholder]`` when the
    caller gives one (the columns of one staging table, say: ``read_sql(name, {"column":
    columns}, column=...)``; positional so that no placeholder can be called ``allowed``),
    else :data:`PLACEHOLDERS`. A placeholder with neither, or left without a value, is an
    error, never sent to DuckDB.
    """
    text = _text(package, name)
    for key, identifier in identifiers.items():
        names = (allowed or {}).get(key, PLACEHOLDERS.get(key))
        if names is None:
            raise IdentifierError(f"Requête « {name} » : identifiant « {key} » sans liste blanche.")
        text = text.replace("{" + key + "}", quote_ident(identifier, names))
    left = sorted(set(_PLACEHOLDER.findall(text)))
    if left:
        raise IdentifierError(f"Requête « {name} » : identifiant(s) sans valeur : {', '.join(left)}.")
    return text


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
