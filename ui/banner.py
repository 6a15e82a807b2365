"""Notices shown on every page: the simulated-data banner and the source line of figures."""

from __future__ import annotations

import duckdb
import streamlit as st

from ui import data

SIMULATED_TITLE = "Données simulées"
SIMULATED_TEXT = (
    "Données simulées : les établissements, effectifs, IPS, investissements et usages "
    "affichés sont produits par le générateur de démonstration. Ils ont les ordres de "
    "grandeur des données publiques mais ne décrivent aucun établissement ni aucune "
    "collectivité réels : ne les citez pas. Seule la géographie (communes, EPCI, contours, "
    "populations) est réelle."
)


def simulated_banner(con: duckdb.DuckDBPyConnection) -> None:
    """A visible warning when the warehouse holds demo data."""
    if data.is_simulated(con, data.warehouse_key()):
        st.warning(SIMULATED_TEXT, icon=":material/science:")


def source_footer(text: str = "", *, unit: str = "", period: str = "", source: str = "") -> None:
    """Caption under a figure: « Unité : … · Période : … · Source : … », then ``text``."""
    parts = [f"{name} : {value}" for name, value in (("Unité", unit), ("Période", period), ("Source", source)) if value]
    if text:
        parts.append(text)
    st.caption(" · ".join(parts))
