"""Cached inputs of the Carte page (warehouse reads and geometry), keyed on the warehouse version."""

from __future__ import annotations

import duckdb
import pandas as pd
import streamlit as st

from explorer.facts import indicators
from explorer.geo import territories as hierarchy
from explorer.maps import deck as map_deck
from explorer.maps import schools as map_schools
from explorer.maps import shapes as map_shapes
from explorer.maps import state as map_state


@st.cache_data(show_spinner=False, max_entries=4)
def territories(_con: duckdb.DuckDBPyConnection, key: str) -> pd.DataFrame:
    return hierarchy.territory_index(_con)


@st.cache_data(show_spinner=False, max_entries=64)
def indicator_values(
    _con: duckdb.DuckDBPyConnection, key: str, level: str, indicator_id: str, period: tuple[int, int]
) -> pd.DataFrame:
    return indicators.indicator_table(_con, level, indicator_id, period)


@st.cache_data(show_spinner=False, max_entries=64)
def france_value(_con: duckdb.DuckDBPyConnection, key: str, indicator_id: str, period: tuple[int, int]) -> pd.DataFrame:
    indicator = indicators.get_indicator(indicator_id)
    facts = indicators.territory_facts(_con, "region", period, indicator)
    return indicators.compute(indicators.overall(facts), indicator)


@st.cache_data(show_spinner=False, max_entries=32)
def geometry(
    _con: duckdb.DuckDBPyConnection, key: str, level: str, territoire: tuple[str, str] | None
) -> tuple[pd.DataFrame, tuple[float, float, float, float]]:
    """Polygons drawn for (level, territoire): light ones with insets for France, detailed inside."""
    index = territories(_con, key)
    drawn = map_state.inside(index, map_state.MapState(niveau=level, territoire=territoire))
    loaded = map_shapes.load_shapes(_con, level, drawn["code"].tolist(), overview=territoire is None)
    regions = loaded["code"].map(drawn.set_index("code")["region_code"])
    return map_shapes.prepare(loaded, regions, insets=territoire is None)


@st.cache_data(show_spinner=False, max_entries=32)
def schools(_con: duckdb.DuckDBPyConnection, key: str, territoire: tuple[str, str]) -> pd.DataFrame:
    return map_state.schools_inside(_con, territoire)


@st.cache_data(show_spinner=False, max_entries=16)
def school_values(
    _con: duckdb.DuckDBPyConnection, key: str, indicator_id: str, period: tuple[int, int]
) -> pd.DataFrame:
    return map_schools.school_values(_con, indicators.get_indicator(indicator_id), period)


@st.cache_data(show_spinner=False, ttl=600)
def basemap_reachable() -> bool:
    return map_deck.basemap_reachable()
