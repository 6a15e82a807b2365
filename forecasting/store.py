"""The forecasting store: a DuckDB file beside the warehouse (``<warehouse>.forecasts.duckdb``).

The warehouse stays read-only for the app and keeps its atomic rebuild (a new file swapped
in); fitted models and batch projections go to this sidecar instead, keyed by the
warehouse's build identity, so a rebuilt warehouse never serves stale forecasts. The store
is a cache: when it cannot be opened (another process writing, a read-only folder), reads
miss and writes are skipped, and forecasts are computed afresh.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pandas as pd

from explorer.db import connect

SUFFIX = ".forecasts.duckdb"
_SCHEMA = """
create table if not exists models (
    warehouse_id varchar, level varchar, code varchar, profile varchar, spec_key varchar,
    model_json varchar, fitted_at timestamptz default current_timestamp,
    primary key (warehouse_id, level, code, profile, spec_key)
);
create table if not exists projections (
    warehouse_id varchar, level varchar, code varchar, profile varchar, spec_key varchar,
    scenario varchar, ds date, yhat double, yhat_lower double, yhat_upper double,
    computed_at timestamptz default current_timestamp
);
"""


def default_store_path(warehouse: str | os.PathLike[str]) -> Path:
    """``<warehouse>.forecasts.duckdb``, beside the warehouse file."""
    return Path(f"{warehouse}{SUFFIX}")


def warehouse_id(con: duckdb.DuckDBPyConnection) -> str:
    """Identity of the warehouse build (source, scope, seed, build time), hashed."""
    rows = con.execute("select key, value from build_info order by key").fetchall()
    return hashlib.sha1(repr(rows).encode()).hexdigest()[:16]


def profile_key(profile: str | None) -> str:
    return profile or "all"


class ForecastStore:
    """Models (Prophet JSON) and projections of one warehouse build, in the sidecar file."""

    def __init__(self, path: str | os.PathLike[str], warehouse: str):
        self.path = Path(path)
        self.warehouse = warehouse

    @contextlib.contextmanager
    def _open(self) -> Iterator[duckdb.DuckDBPyConnection | None]:
        try:
            con = connect(self.path, read_only=False)
        except (duckdb.IOException, OSError):  # locked by another process, or unwritable
            yield None
            return
        try:
            con.execute(_SCHEMA)
            yield con
        finally:
            con.close()

    def get_model(self, level: str, code: str, profile: str | None, spec_key: str) -> str | None:
        """Model JSON of a territory, or None when not stored (or the store is unavailable)."""
        with self._open() as con:
            if con is None:
                return None
            row = con.execute(
                "select model_json from models where warehouse_id = ? and level = ? and code = ? "
                "and profile = ? and spec_key = ?",
                [self.warehouse, level, code, profile_key(profile), spec_key],
            ).fetchone()
        return row[0] if row else None

    def put_models(self, rows: list[tuple[str, str, str | None, str, str]]) -> bool:
        """Store ``(level, code, profile, spec_key, model_json)`` rows; False when skipped."""
        with self._open() as con:
            if con is None:
                return False
            con.executemany(
                "insert or replace into models (warehouse_id, level, code, profile, spec_key, model_json) "
                "values (?, ?, ?, ?, ?, ?)",
                [(self.warehouse, lv, c, profile_key(p), k, j) for lv, c, p, k, j in rows],
            )
        return True

    def put_projections(self, level: str, profile: str | None, spec_key: str, frame: pd.DataFrame) -> bool:
        """Replace the stored projections of the territories of ``frame``.

        ``frame``: ``code, scenario, ds, yhat, yhat_lower, yhat_upper``.
        """
        with self._open() as con:
            if con is None:
                return False
            rows = frame.assign(
                warehouse_id=self.warehouse, level=level, profile=profile_key(profile), spec_key=spec_key
            )[
                [
                    "warehouse_id",
                    "level",
                    "code",
                    "profile",
                    "spec_key",
                    "scenario",
                    "ds",
                    "yhat",
                    "yhat_lower",
                    "yhat_upper",
                ]
            ]
            con.register("incoming", rows)
            con.execute(
                "delete from projections where warehouse_id = ? and level = ? and profile = ? and spec_key = ? "
                "and code in (select distinct code from incoming)",
                [self.warehouse, level, profile_key(profile), spec_key],
            )
            con.execute(
                "insert into projections (warehouse_id, level, code, profile, spec_key, scenario, ds, yhat, "
                "yhat_lower, yhat_upper) select * from incoming"
            )
        return True

    def projections(self, level: str, profile: str | None = None) -> pd.DataFrame:
        """Stored projections of ``level`` for this warehouse build (empty when none)."""
        with self._open() as con:
            if con is None:
                return pd.DataFrame()
            return con.execute(
                "select code, scenario, ds, yhat, yhat_lower, yhat_upper from projections "
                "where warehouse_id = ? and level = ? and profile = ? order by code, scenario, ds",
                [self.warehouse, level, profile_key(profile)],
            ).df()
