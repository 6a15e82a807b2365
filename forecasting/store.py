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

from explorer.warehouse.db import connect
from forecasting.sql import read_sql

SUFFIX = ".forecasts.duckdb"


def default_store_path(warehouse: str | os.PathLike[str]) -> Path:
    """``<warehouse>.forecasts.duckdb``, beside the warehouse file."""
    return Path(f"{warehouse}{SUFFIX}")


def warehouse_id(con: duckdb.DuckDBPyConnection) -> str:
    """Identity of the warehouse build (source, scope, seed, build time), hashed."""
    rows = con.execute(read_sql("build_identity")).fetchall()
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
            con.execute(read_sql("store_schema"))
            yield con
        finally:
            con.close()

    def get_model(self, level: str, code: str, profile: str | None, spec_key: str) -> str | None:
        """Model JSON of a territory, or None when not stored (or the store is unavailable)."""
        with self._open() as con:
            if con is None:
                return None
            params = {
                "warehouse_id": self.warehouse,
                "level": level,
                "code": code,
                "profile": profile_key(profile),
                "spec_key": spec_key,
            }
            row = con.execute(read_sql("store_get_model"), params).fetchone()
        return row[0] if row else None

    def put_models(self, rows: list[tuple[str, str, str | None, str, str]]) -> bool:
        """Store ``(level, code, profile, spec_key, model_json)`` rows; False when skipped."""
        with self._open() as con:
            if con is None:
                return False
            con.executemany(
                read_sql("store_put_model"),
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
            params = {
                "warehouse_id": self.warehouse,
                "level": level,
                "profile": profile_key(profile),
                "spec_key": spec_key,
            }
            con.execute(read_sql("store_delete_projections"), params)
            con.execute(read_sql("store_insert_projections"))
        return True

    def projections(self, level: str, profile: str | None = None) -> pd.DataFrame:
        """Stored projections of ``level`` for this warehouse build (empty when none)."""
        with self._open() as con:
            if con is None:
                return pd.DataFrame()
            params = {"warehouse_id": self.warehouse, "level": level, "profile": profile_key(profile)}
            return con.execute(read_sql("store_projections"), params).df()
