"""The one connection factory: every DuckDB connection of the project is opened here."""

from __future__ import annotations

import os
from pathlib import Path

import duckdb

from explorer.errors import NotAWarehouseError, WarehouseNotFoundError, WarehouseOutdatedError
from explorer.warehouse.sqlfiles import read_sql

DEFAULT_DB = Path("data") / "warehouse.duckdb"


def default_db_path() -> Path:
    """Warehouse path: ``$EXPLORER_DB`` when set, else ``data/warehouse.duckdb``."""
    return Path(os.environ.get("EXPLORER_DB") or DEFAULT_DB)


def connect(path: str | os.PathLike[str] | None = None, read_only: bool = True) -> duckdb.DuckDBPyConnection:
    """Open the warehouse with the project's settings.

    Readers open it read-only (several processes may then share the file); only a build or
    a load opens it for writing, and those write into a new file that is swapped in at the end.
    """
    db = Path(path) if path is not None else default_db_path()
    if read_only and not db.exists():
        raise WarehouseNotFoundError(
            f"Entrepôt introuvable : {db}. Construisez-le avec « python -m explorer build --source demo --db {db} »."
        )
    try:
        con = duckdb.connect(str(db), read_only=read_only)
    except duckdb.IOException as exc:
        if not db.is_file():  # a folder that does not exist: the caller's error to handle (the forecasts store)
            raise
        raise NotAWarehouseError(_not_duckdb(db)) from exc
    con.execute(read_sql("connection/settings"))
    if read_only:
        _check_is_warehouse(con, db)
    return con


def _not_duckdb(db: Path) -> str:
    return (
        f"Le fichier « {db.name} » n'est pas un entrepôt de l'explorateur : ce n'est pas une base DuckDB. "
        "Indiquez le fichier de l'entrepôt (par défaut data/warehouse.duckdb) ou construisez-en un avec "
        "« python -m explorer build »."
    )


def _check_is_warehouse(con: duckdb.DuckDBPyConnection, db: Path) -> None:
    row = con.execute(read_sql("queries/is_warehouse")).fetchone()
    if not row or not row[0]:
        con.close()
        hint = (
            " (c'est le magasin des prévisions, à côté de l'entrepôt)" if db.name.endswith(".forecasts.duckdb") else ""
        )
        raise NotAWarehouseError(
            f"Le fichier « {db.name} » est une base DuckDB mais pas un entrepôt de l'explorateur{hint} : "
            "il n'a pas la table build_info. Indiquez le fichier de l'entrepôt (par défaut "
            "data/warehouse.duckdb) ou construisez-en un avec « python -m explorer build »."
        )


SNAPSHOT_CATALOG = "warehouse"


def connect_snapshot(path: str | os.PathLike[str]) -> duckdb.DuckDBPyConnection:
    """Read-only connection on the file at ``path`` as it is now; call :func:`use_snapshot` on its cursors.

    ``duckdb.connect`` keeps one database instance per path: once a build or a budget import
    has swapped a new file in (``os.replace``), ``connect(path)`` hands back the instance of
    the *old* file for as long as any connection to it lives, so a long-running app would
    never see the new version. Attaching the file to a fresh in-memory database always opens
    the file that is there now.
    """
    db = Path(path)
    if not db.exists():
        raise WarehouseNotFoundError(
            f"Entrepôt introuvable : {db}. Construisez-le avec « python -m explorer build --source demo --db {db} »."
        )
    con = duckdb.connect(":memory:")
    con.execute(read_sql("connection/settings"))
    # ATTACH takes no bound parameter: the path is ours (settings or workspace), quoted here.
    literal = str(db.resolve()).replace("'", "''")
    try:
        con.execute(f"attach '{literal}' as {SNAPSHOT_CATALOG} (read_only)")
    except duckdb.IOException as exc:
        con.close()
        raise NotAWarehouseError(_not_duckdb(db)) from exc
    use_snapshot(con)
    _check_is_warehouse(con, db)
    return con


def use_snapshot(con: duckdb.DuckDBPyConnection) -> duckdb.DuckDBPyConnection:
    """Make the attached warehouse the default catalog of ``con`` (each cursor starts on ``memory``)."""
    con.execute(f"use {SNAPSHOT_CATALOG}")
    return con


def check_schema(con: duckdb.DuckDBPyConnection, path: str | os.PathLike[str], expected: int) -> None:
    """Raise :class:`WarehouseOutdatedError` when the warehouse predates schema ``expected``."""
    try:
        row = con.execute(read_sql("queries/schema_version")).fetchone()
    except duckdb.CatalogException:
        row = None
    found = int(row[0]) if row and str(row[0]).isdigit() else 0
    if found < expected:
        raise WarehouseOutdatedError(
            f"L'entrepôt {path} a été construit par une version antérieure de l'outil (schéma {found}, "
            f"attendu {expected}) : il lui manque des tables. Reconstruisez-le avec « make build » ou "
            f"« python -m explorer build --source demo --db {path} »."
        )
