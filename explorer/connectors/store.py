"""The staging store: what ``load`` and ``fetch`` have staged, waiting for ``build --source real``.

It is a DuckDB file next to the warehouse (``warehouse.duckdb`` → ``warehouse.staging.duckdb``)
holding the ``stg_*`` tables of the staging contract, plus ``load_log`` (one row per dataset:
file name, SHA-256, rows, when). A load is atomic: it writes a copy of the store and swaps it
in only when every row passed the contract, so a refused file leaves the store byte-for-byte
as it was. Reloading a dataset replaces its previous rows.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd

from explorer.connectors.base import Connector
from explorer.errors import WarehouseNotFoundError
from explorer.warehouse.contract import ensure_staging, stage
from explorer.warehouse.db import connect
from explorer.warehouse.locking import write_lock
from explorer.warehouse.sqlfiles import read_sql

STAGING_TABLES_WITH_DATA = (
    "stg_region",
    "stg_academie",
    "stg_departement",
    "stg_epci",
    "stg_commune",
    "stg_territory_shape",
    "stg_school",
    "stg_school_competence",
    "stg_enrolment",
    "stg_ips",
    "stg_investment",
    "stg_usage",
    "stg_resource_use",
    "stg_territory_fact",
)
# The measure columns a load may total (LoadResult.totals).
_SUM_COLUMNS = ("amount_eur", "visits", "users", "pupils", "ips", "value", "population")


def staging_path(db: str | os.PathLike[str]) -> Path:
    """``data/warehouse.duckdb`` → ``data/warehouse.staging.duckdb``."""
    db = Path(db)
    return db.with_name(f"{db.stem}.staging.duckdb")


@dataclass(frozen=True)
class LoadResult:
    """What a load appended: rows per table and the totals to check against the publisher."""

    dataset_id: str
    rows: dict[str, int]
    totals: list[tuple[str, float]]
    store: Path


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def init_store(con: duckdb.DuckDBPyConnection) -> None:
    ensure_staging(con)
    con.execute(read_sql("store/load_log_schema"))


def load_rows(
    db: str | os.PathLike[str],
    connector: Connector,
    rows: dict[str, pd.DataFrame],
    file_name: str,
    sha256: str,
    vintage: str | None = None,
) -> LoadResult:
    """Stage ``rows`` (per ``stg_*`` table) for ``connector`` into the store of ``db``, atomically."""
    store = staging_path(db)
    tmp = store.with_name(store.name + ".loading")
    with write_lock(Path(db)):
        # leftovers of a load killed mid-way; a stale WAL would be replayed into the new copy
        tmp.unlink(missing_ok=True)
        tmp.with_name(tmp.name + ".wal").unlink(missing_ok=True)
        try:
            if store.exists():
                shutil.copyfile(store, tmp)
            con = connect(tmp, read_only=False)
            try:
                init_store(con)
                con.begin()
                for table in connector.tables:
                    delete = read_sql("staging/delete_source", {"table": STAGING_TABLES_WITH_DATA}, table=table)
                    con.execute(delete, [connector.source])
                counts = {table: stage(con, table, frame) for table, frame in rows.items()}
                con.execute(read_sql("staging/delete_source", table="stg_source"), [connector.source])
                now = dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)
                source_row = pd.DataFrame([{**connector.source_row(vintage), "loaded_at": now}])
                stage(con, "stg_source", source_row)
                con.execute(read_sql("store/delete_load_log"), [connector.dataset_id])
                con.execute(
                    read_sql("store/insert_load_log"),
                    [connector.dataset_id, file_name, sha256, sum(counts.values()), now],
                )
                con.commit()
                totals = _totals(con, connector)
                con.checkpoint()
            finally:
                con.close()
            os.replace(tmp, store)
        finally:
            tmp.unlink(missing_ok=True)
            tmp.with_name(tmp.name + ".wal").unlink(missing_ok=True)
    return LoadResult(connector.dataset_id, counts, totals, store)


def load_file(db: str | os.PathLike[str], connector: Connector, path: str | os.PathLike[str]) -> LoadResult:
    """Read ``path`` as ``connector``'s dataset and stage it (see :func:`load_rows`)."""
    path = Path(path)
    rows = connector.stage_rows(path)
    return load_rows(db, connector, rows, path.name, file_sha256(path))


def _totals(con: duckdb.DuckDBPyConnection, connector: Connector) -> list[tuple[str, float]]:
    out: list[tuple[str, float]] = []
    for table, column, *unit in connector.sums:
        allowed = {"table": STAGING_TABLES_WITH_DATA, "column": _SUM_COLUMNS}
        query = "store/source_total_by_unit" if unit else "store/source_total"
        sql = read_sql(query, allowed, table=table, column=column)
        params: list[object] = [connector.source, *unit[:1]]
        label = f"{table}.{column}" + (f" ({unit[0]})" if unit else "")
        rows = con.execute(sql, params).fetchall()
        out.append((label, float(rows[0][0]) if rows and rows[0][0] is not None else 0.0))
    return out


def loaded(db: str | os.PathLike[str]) -> pd.DataFrame:
    """``load_log`` of the store of ``db`` (empty when nothing was loaded)."""
    store = staging_path(db)
    columns = ["dataset_id", "file_name", "sha256", "rows", "loaded_at"]
    if not store.exists():
        return pd.DataFrame(columns=columns)
    con = connect(store, read_only=True)
    try:
        return con.execute(read_sql("store/load_log")).df()
    finally:
        con.close()


def require_store(db: str | os.PathLike[str]) -> Path:
    store = staging_path(db)
    if not store.exists():
        raise WarehouseNotFoundError(
            f"Aucune donnée réelle chargée pour {db} : chargez d'abord des jeux avec "
            f"« python -m explorer load JEU FICHIER --db {db} » ou « python -m explorer fetch JEU --db {db} »."
        )
    return store
