"""Which parts of a warehouse are real, simulated or missing: what every page states.

A demo warehouse is simulated except its geography; a real one (``build --source real``)
holds only what was loaded, part by part (``build_info`` keys ``part:<name>``).
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb

from explorer.warehouse.catalog import build_info, existing_tables
from explorer.warehouse.sqlfiles import read_sql

# Parts of the data a page may rely on, with the tables that hold them (French, as written mid-sentence).
PARTS = {
    "etablissements": ("établissements", "school"),
    "effectifs": ("effectifs d'élèves", "enrolment"),
    "ips": ("IPS", "ips"),
    "investissements": ("investissements", "investment"),
    "usages": ("usages de l'ENT", "usage"),
    "ressources": ("usages des ressources numériques", "resource_use"),
    "finances": ("finances locales et agrégats publiés", "territory_fact"),
}
PART_TABLES = tuple(table for _, table in PARTS.values())
STATUS_LABELS = {"real": "réel", "simulated": "simulé", "missing": "absent"}
# What to load when a part is missing (dataset ids of python -m explorer load/fetch).
HOW_TO_LOAD = {
    "etablissements": "fr-en-annuaire-education",
    "effectifs": "fr-en-ecoles-effectifs-nb_classes, fr-en-college-effectifs-niveau-sexe-lv…",
    "ips": "fr-en-ips-ecoles-ap2022, fr-en-ips-colleges-ap2023…",
    "investissements": "fr-en-aap-snee-collectivites, balances-comptables-des-communes-en-AAAA, import-budget",
    "usages": "fr-en-dnma-par-uai-profils",
    "ressources": "fr-en-dnma-par-uai-services",
    "finances": "ofgl-base-communes…",
}


@dataclass(frozen=True)
class Part:
    key: str
    label: str
    status: str  # 'real' | 'simulated' | 'missing'
    datasets: tuple[str, ...]

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]


def _datasets(con: duckdb.DuckDBPyConnection, table: str) -> tuple[str, ...]:
    if "sources" not in existing_tables(con):
        return ()
    rows = con.execute(
        read_sql("queries/table_datasets"),
        [table],
    ).fetchall()
    return tuple(str(r[0]) for r in rows)


def data_parts(con: duckdb.DuckDBPyConnection) -> list[Part]:
    """Every data part with its status and the datasets behind it."""
    info = build_info(con)
    tables = existing_tables(con)
    out = []
    for key, (label, table) in PARTS.items():
        if table not in tables:
            out.append(Part(key, label, "missing", ()))
            continue
        datasets = _datasets(con, table)
        if info.get("source") == "real":
            status = info.get(f"part:{key}", "missing")
        else:
            n = con.execute(read_sql("queries/table_rows", {"table": PART_TABLES}, table=table)).fetchall()
            status = "simulated" if n[0][0] else "missing"
        out.append(Part(key, label, status, datasets))
    return out


def is_real(con: duckdb.DuckDBPyConnection) -> bool:
    return build_info(con).get("source") == "real"


def missing_parts(con: duckdb.DuckDBPyConnection, needed: tuple[str, ...]) -> list[Part]:
    """The parts among ``needed`` that this warehouse lacks."""
    return [p for p in data_parts(con) if p.key in needed and p.status == "missing"]


def missing_message(parts: list[Part], what: str) -> str:
    """French sentence: what cannot be shown and which datasets to load."""
    names = ", ".join(p.label for p in parts)
    loads = " ; ".join(f"{p.label} : {HOW_TO_LOAD[p.key]}" for p in parts)
    return (
        f"{what} a besoin de données absentes de cet entrepôt de données réelles ({names}). "
        f"Chargez-les avec « python -m explorer load JEU FICHIER » ou « fetch JEU » ({loads}) "
        "puis reconstruisez avec « python -m explorer build --source real »."
    )
