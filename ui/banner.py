"""Notices shown on every page: the simulated-data banner and the source line of figures."""

from __future__ import annotations

import duckdb
import streamlit as st

from explorer.warehouse.provenance import Part, missing_message
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
    """A visible warning when the warehouse holds demo data; on real data, what is missing."""
    key = data.warehouse_key()
    if data.is_simulated(con, key):
        st.warning(SIMULATED_TEXT, icon=":material/science:")
        return
    parts = data.data_parts(con, key)
    if not parts or (not any(p.status == "missing" for p in parts) and all(p.status == "real" for p in parts)):
        if parts:
            st.caption(real_parts_text(parts))
        return
    st.info(real_parts_text(parts), icon=":material/fact_check:")


def data_nature(con: duckdb.DuckDBPyConnection) -> str:
    """What the pages show, in a few plain words: « Données simulées (démonstration) », « Données réelles »…"""
    key = data.warehouse_key()
    if data.is_simulated(con, key):
        return "Données simulées (démonstration)"
    statuses = {p.status for p in data.data_parts(con, key)}
    if "simulated" in statuses:
        return "Données réelles et simulées (voir la page Données)"
    if "missing" in statuses:
        return "Données réelles, incomplètes (voir la page Données)"
    return "Données réelles"


def real_parts_text(parts: list[Part]) -> str:
    """« Données réelles : … · Absentes de cet entrepôt : … »."""
    real = [p for p in parts if p.status == "real"]
    missing = [p for p in parts if p.status == "missing"]
    simulated = [p for p in parts if p.status == "simulated"]
    text = "Données réelles : géographie (COG 2026)"
    if real:
        text += ", " + ", ".join(f"{p.label} ({', '.join(p.datasets)})" for p in real)
    if simulated:
        text += ". Données simulées : " + ", ".join(p.label for p in simulated)
    if missing:
        text += (
            ". Absentes de cet entrepôt (non chargées) : "
            + ", ".join(p.label for p in missing)
            + " : les indicateurs qui en dépendent sont vides, jamais remplacés par des valeurs simulées"
        )
    return text + "."


def source_footer(text: str = "", *, unit: str = "", period: str = "", source: str = "") -> None:
    """Caption under a figure: « Unité : … · Période : … · Source : … », then ``text``."""
    parts = [f"{name} : {value}" for name, value in (("Unité", unit), ("Période", period), ("Source", source)) if value]
    if text:
        parts.append(text)
    st.caption(" · ".join(parts))


def require_parts(con: duckdb.DuckDBPyConnection, needed: tuple[str, ...], what: str, stop: bool) -> None:
    """On a real-data warehouse, say which parts ``what`` needs and lacks; ``stop`` ends the page there."""
    missing = [p for p in data.data_parts(con, data.warehouse_key()) if p.key in needed and p.status == "missing"]
    if not missing:
        return
    st.warning(missing_message(missing, what), icon=":material/database_off:")
    if stop:
        st.stop()
