"""SQL shipped as package data (one query per file) and the one identifier-quoting helper."""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache
from importlib import resources

from explorer.errors import IdentifierError

_IDENT = re.compile(r"^[a-z_][a-z0-9_]*$")


@cache
def read_sql(name: str) -> str:
    """Text of ``explorer/sql/<name>.sql`` (``name`` like ``marts/territory``)."""
    return (resources.files("explorer.warehouse") / "sql" / f"{name}.sql").read_text(encoding="utf-8")


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
