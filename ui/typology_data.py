"""Cached results of the Typologie and Investissement → usage pages.

``_con`` is not hashed; ``key`` (:func:`ui.data.warehouse_key`) is, so that a result is never
served for another warehouse or an older build.
"""

from __future__ import annotations

import duckdb
import pandas as pd
import pydeck as pdk
import streamlit as st

from explorer.analysis import spend_use as su
from explorer.analysis.typology_report import TypologyReport, class_table, run_typology
from explorer.maps.typology_map import class_map


@st.cache_data(show_spinner="Calcul de la typologie…", max_entries=16)
def typology(
    _con: duckdb.DuckDBPyConnection,
    key: str,
    level: str,
    variables: tuple[str, ...],
    period: tuple[int, int],
    method: str,
    k: int | None,
) -> TypologyReport:
    return run_typology(_con, level, variables, period, method, k)


@st.cache_data(show_spinner="Préparation de la carte…", max_entries=8)
def typology_map(
    _con: duckdb.DuckDBPyConnection,
    key: str,
    level: str,
    variables: tuple[str, ...],
    period: tuple[int, int],
    method: str,
    k: int | None,
) -> pdk.Deck:
    report = typology(_con, key, level, variables, period, method, k)
    return class_map(_con, level, class_table(report))


@st.cache_data(show_spinner="Calcul du modèle…", max_entries=32)
def spend_use(_con: duckdb.DuckDBPyConnection, key: str, level: str, usage_year: int, lag: int) -> su.SpendUse:
    return su.spend_use(_con, level, usage_year, lag)


@st.cache_data(show_spinner="Comparaison des décalages…", max_entries=16)
def lag_table(_con: duckdb.DuckDBPyConnection, key: str, level: str, usage_year: int) -> pd.DataFrame:
    return su.lag_table(_con, level, usage_year)
