"""The marts: rebuilt from the staging tables by every writer, and the one ``build_info`` writer."""

from __future__ import annotations

import datetime as dt
import sys
import time
from collections.abc import Callable, Mapping
from pathlib import Path

import duckdb
import pandas as pd

from explorer.maps import shapes as map_shapes
from explorer.warehouse.db import connect
from explorer.warehouse.sqlfiles import list_sql, read_sql

Progress = Callable[[str], None]
# Version of the warehouse layout the app reads. 2: territory_shape_overview (Carte).
SCHEMA_VERSION = 2


def stderr_progress() -> Progress:
    """Progress printer for the terminal: elapsed seconds and the current step."""
    start = time.perf_counter()

    def report(step: str) -> None:
        print(f"[{time.perf_counter() - start:6.1f} s] {step}", file=sys.stderr, flush=True)

    return report


MART_TABLES = ("territory", "school", "enrolment", "ips", "investment", "usage", "resource_use", "territory_fact")


def mart_counts(path: Path) -> dict[str, int]:
    """Rows of the main marts of the warehouse file ``path`` (the CLI prints them)."""
    con = connect(path, read_only=True)
    try:
        return {t: int(con.execute(read_sql("queries/table_rows", table=t)).fetchone()[0]) for t in MART_TABLES}  # type: ignore[index]
    finally:
        con.close()


def run_marts(con: duckdb.DuckDBPyConnection, progress: Progress = lambda _: None) -> None:
    """(Re)build every mart and derived table from the staging tables of ``con``.

    Used by the builds and by anything that changes staging rows afterwards (a budget
    import): the marts are always a pure function of the staging tables.
    """
    for name in list_sql("marts"):
        progress(f"Table {name.split('/', 1)[1][3:]}")
        con.execute(read_sql(name))
    progress("Contours allégés pour les cartes nationales")
    map_shapes.build_overview(con)


def write_build_info(con: duckdb.DuckDBPyConnection, info: Mapping[str, str]) -> None:
    """Write ``build_info``: what the build says (``source``, ``scope``, ``seed``, ``is_simulated``,
    ``part:*``…) plus the build time and the layout version :data:`SCHEMA_VERSION`."""
    rows = {
        **info,
        "built_at": dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat(),
        "schema_version": str(SCHEMA_VERSION),
    }
    frame = pd.DataFrame({"key": list(rows), "value": list(rows.values())})
    con.register("info_rows", frame)
    con.execute(read_sql("build/build_info"))
    con.unregister("info_rows")
