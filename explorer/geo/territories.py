"""The territory hierarchy, from région to school: levels, parents, and how a territory is named.

Every page that moves between levels (the Carte's drill-down and breadcrumb, the Diagnostic's
parents, the search) reads the same tables here.
"""

from __future__ import annotations

import duckdb
import pandas as pd

from explorer import vocabulary as voc
from explorer.warehouse.sqlfiles import read_sql

# Every level a map can draw, from the top; schools (UAI) last.
NIVEAUX = (*voc.LEVELS, "etablissement")
# One level down when a territory is clicked.
CHILD = {
    "region": "academie",
    "academie": "departement",
    "departement": "commune",
    "epci": "commune",
    "commune": "etablissement",
}
# Ancestors listed in the Carte's breadcrumb, from the top.
ANCESTORS = {
    "region": (),
    "academie": ("region",),
    "departement": ("region", "academie"),
    "epci": ("region", "academie", "departement"),
    "commune": ("region", "academie", "departement", "epci"),
}
# Parents a territory's sheet is compared with, nearest first (a commune's EPCI, then its département…).
PARENTS = {
    "region": (),
    "academie": ("region",),
    "departement": ("academie", "region"),
    "epci": ("departement", "academie", "region"),
    "commune": ("epci", "departement", "academie", "region"),
}


def territory_index(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Every territory with its parents' codes (``territory`` mart): ``level, code, name, <level>_code…``."""
    return con.execute(read_sql("queries/map_territories")).df()


def display_name(level: str, name: str) -> str:
    """How a territory is named on screen: académies as « Académie de Rennes », others by name."""
    if level != "academie":
        return name
    return f"Académie d'{name}" if name[:1].upper() in "AEIOUYÉÈÊÎ" else f"Académie de {name}"


def coded_name(level: str, code: str, name: str) -> str:
    """« Ille-et-Vilaine (département 35) », as listed in the search results."""
    return f"{name} ({voc.LEVEL_NOUNS.get(level, level)} {code})"
