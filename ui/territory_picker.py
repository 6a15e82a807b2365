"""The search box shared by the Diagnostic and Comparer pages: territories and schools."""

from __future__ import annotations

from collections.abc import Callable

import duckdb
import pandas as pd
import streamlit as st

from explorer.geo.search import SCHOOL_LEVEL, school_directory, search, search_index
from ui import data
from ui.navigation import open_pending_sheet, request_sheet


@st.cache_data(show_spinner=False, max_entries=4)
def _index(_con: duckdb.DuckDBPyConnection, key: str, _territories: pd.DataFrame) -> pd.DataFrame:
    """The search index of the warehouse version ``key`` (its territories are those of ``key`` too)."""
    return search_index(_territories, school_directory(_con))


def territory_search(territories: pd.DataFrame, prefix: str, on_pick: Callable[[str, str], None]) -> None:
    """A text box, then the matching territories and schools.

    Picking a territory calls ``on_pick(level, code)``; picking a school opens its sheet (the
    Diagnostic page at ``?territoire=etablissement:UAI``), from whichever page the box is on.
    """
    open_pending_sheet()  # a school picked at the previous run
    query = st.text_input(
        "Rechercher un territoire ou un établissement (nom ou code)",
        key=f"{prefix}_recherche",
        placeholder="ex. ille et vilaine, 35, Saint-Étienne, commune:35238, 0350001A, école Jules Ferry Rennes",
        help=(
            "Accents, majuscules et tirets indifférents ; un code seul (UAI d'un établissement) ou NIVEAU:CODE. "
            "Un établissement se cherche aussi par son nom et sa commune."
        ),
    )
    if not query.strip():
        return
    found = search(_index(data.get_connection(), data.warehouse_key(), territories), query)
    if found.empty:
        st.caption("Aucun territoire ni établissement ne correspond.")
        return
    # Options are the labels themselves (unique: they hold the level, or the UAI).
    refs = dict(zip(found["label"], zip(found["level"], found["code"], strict=True), strict=True))

    def picked() -> None:
        choice = st.session_state.get(f"{prefix}_resultat")
        if choice in refs:
            level, code = refs[choice]
            if level == SCHOOL_LEVEL:
                request_sheet(level, code)
            else:
                on_pick(level, code)

    st.selectbox(
        f"{len(found)} résultat{'s' if len(found) > 1 else ''}",
        list(refs),
        index=None,
        placeholder="Choisissez un territoire ou un établissement",
        key=f"{prefix}_resultat",
        on_change=picked,
    )
