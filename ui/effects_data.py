"""Cached effects of investment and of the State programmes (Investissement → usage, Prospective).

Both pages read the same cached tables, so a territory shows the same effect on both. The
estimation runs on the whole panel of schools (tens of seconds on the national warehouse):
results are kept on disk across sessions, keyed by :func:`ui.data.warehouse_key` so that a
rebuilt warehouse is estimated again.
"""

from __future__ import annotations

import duckdb
import pandas as pd
import streamlit as st

from explorer.analysis.effects.investment import Response, investment_effects, response_from_table
from explorer.analysis.effects.programmes import ProgrammeEffect, programme_effect


@st.cache_data(
    show_spinner="Estimation de l'effet de l'investissement sur le panel des établissements…",
    max_entries=16,
    persist="disk",
)
def effects_table(_con: duckdb.DuckDBPyConnection, key: str, level: str) -> pd.DataFrame:
    """:func:`explorer.analysis.effects.investment.investment_effects` of ``level`` (``national`` too)."""
    return investment_effects(_con, level)


def territory_response(con: duckdb.DuckDBPyConnection, key: str, level: str, code: str) -> Response:
    """The response of one territory, read from the cached table of its level."""
    return response_from_table(effects_table(con, key, level), level, code)


@st.cache_data(show_spinner="Évaluation du programme (étude d'événement)…", max_entries=8, persist="disk")
def programme(_con: duckdb.DuckDBPyConnection, key: str, name: str) -> ProgrammeEffect:
    """:func:`explorer.analysis.effects.programmes.programme_effect` of ``name``."""
    return programme_effect(_con, name)
