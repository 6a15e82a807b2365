"""Cached results of the Diagnostic and Comparer pages, keyed on the warehouse version.

``_con`` is not hashed; ``key`` (:func:`ui.data.warehouse_key`) is, so that a result is never
served for another warehouse or an older build.
"""

from __future__ import annotations

import duckdb
import pandas as pd
import streamlit as st

from explorer.analysis.peers import peer_frame
from explorer.reports import sheet as report
from explorer.sheets import compare
from explorer.sheets import diagnostic as dg


# A level's facts over a period (every territory's sums, ~0.5 s of queries each) serve every
# sheet of that period: a second commune's sheet reads none again (bench/sheets.py).
# Shared, not copied: LevelFacts is only read (its breakdown memo fills the same values).
@st.cache_resource(show_spinner=False, max_entries=12)
def level_facts(_con: duckdb.DuckDBPyConnection, key: str, level: str, period: tuple[int, int]) -> dg.LevelFacts:
    return dg.LevelFacts(_con, level, period)


@st.cache_data(show_spinner="Calcul de la fiche…", max_entries=16)
def diagnostic(
    _con: duckdb.DuckDBPyConnection,
    key: str,
    level: str,
    code: str,
    period: tuple[int, int],
    peers: tuple[str, ...] | None,
) -> dg.Diagnostic:
    return dg.diagnose(_con, level, code, period, peers, facts_of=lambda lvl: level_facts(_con, key, lvl, period))


@st.cache_data(show_spinner=False, max_entries=256)
def school_exists(_con: duckdb.DuckDBPyConnection, key: str, uai: str) -> bool:
    return dg.school_row(_con, uai) is not None


@st.cache_data(show_spinner="Liste des établissements…", max_entries=16)
def schools(_con: duckdb.DuckDBPyConnection, key: str, level: str, code: str, period: tuple[int, int]) -> pd.DataFrame:
    return dg.territory_schools(_con, level, code, period)


@st.cache_data(show_spinner="Préparation du fichier…", max_entries=16)
def export(
    _con: duckdb.DuckDBPyConnection,
    key: str,
    level: str,
    code: str,
    period: tuple[int, int],
    peers: tuple[str, ...] | None,
    fmt: str,
) -> bytes:
    return report.render(_con, diagnostic(_con, key, level, code, period, peers), fmt)


@st.cache_data(show_spinner="Lecture des territoires…", max_entries=16)
def territories_for_peers(
    _con: duckdb.DuckDBPyConnection, key: str, level: str, period: tuple[int, int], variables: tuple[str, ...]
) -> pd.DataFrame:
    return peer_frame(_con, level, period, variables)


@st.cache_data(show_spinner="Comparaison…", max_entries=32)
def comparison(
    _con: duckdb.DuckDBPyConnection, key: str, level: str, codes: tuple[str, ...], period: tuple[int, int]
) -> pd.DataFrame:
    return compare.comparison_table(_con, level, codes, period)


@st.cache_data(show_spinner="Séries annuelles…", max_entries=32)
def yearly(
    _con: duckdb.DuckDBPyConnection, key: str, level: str, codes: tuple[str, ...], indicator_id: str
) -> pd.DataFrame:
    return compare.yearly_series(_con, level, codes, indicator_id)
