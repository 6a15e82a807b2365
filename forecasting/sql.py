"""SQL of the forecasting package, shipped as package data (one query per file)."""

from __future__ import annotations

from explorer.warehouse import sqlfiles


def read_sql(name: str, **identifiers: str) -> str:
    """Text of ``forecasting/sql/<name>.sql``, identifiers quoted as in :func:`explorer.warehouse.sqlfiles.read_sql`."""
    return sqlfiles.read_sql(name, package="forecasting", **identifiers)
