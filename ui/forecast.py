"""Cached forecasting results for the Prospective page.

A fitted territory is a model object (not a DataFrame): it is kept with ``cache_resource``,
one per warehouse version, territory and profile, and the forecasting store beside the
warehouse keeps it across restarts. Backtests are tables: ``cache_data``.
"""

from __future__ import annotations

import duckdb
import pandas as pd
import streamlit as st

from forecasting import projection, series
from forecasting.evaluation import backtest
from forecasting.projection import TerritoryFit, fit_territory
from forecasting.store import ForecastStore, default_store_path, warehouse_id
from ui import data


@st.cache_data(show_spinner=False)
def territories(_con: duckdb.DuckDBPyConnection, key: str, level: str) -> pd.DataFrame:
    return series.territories(_con, level)


@st.cache_data(show_spinner=False)
def refusal(_con: duckdb.DuckDBPyConnection, key: str, level: str, code: str, name: str) -> str | None:
    """Why Prospective cannot project ``level:code`` (French), or None: a sheet links only to a projection."""
    return projection.refusal(_con, level, code, name)


@st.cache_resource(max_entries=64, show_spinner="Ajustement du modèle Prophet…")
def territory_fit(key: str, level: str, code: str, profile: str | None) -> TerritoryFit:
    """The fitted model of a territory (``key`` = warehouse version, see ``data.warehouse_key``)."""
    con = data.get_connection()
    store = ForecastStore(default_store_path(data.warehouse_path()), warehouse_id(con))
    return fit_territory(con, level, code, profile, store=store)


@st.cache_data(show_spinner="Backtest glissant en cours…")
def territory_backtest(key: str, level: str, code: str, profile: str | None) -> pd.DataFrame:
    fit = territory_fit(key, level, code, profile)
    return backtest(fit.history, fit.zone)
