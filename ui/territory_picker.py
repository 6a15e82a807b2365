"""The territory search box shared by the Diagnostic and Comparer pages."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import streamlit as st

from explorer.geo.search import search


def territory_search(territories: pd.DataFrame, prefix: str, on_pick: Callable[[str, str], None]) -> None:
    """A text box, then the matching territories; picking one calls ``on_pick(level, code)``."""
    query = st.text_input(
        "Rechercher un territoire (nom ou code)",
        key=f"{prefix}_recherche",
        placeholder="ex. ille et vilaine, 35, Saint-Étienne, commune:35238",
        help="Accents, majuscules et tirets indifférents ; un code seul ou NIVEAU:CODE.",
    )
    if not query.strip():
        return
    found = search(territories, query)
    if found.empty:
        st.caption("Aucun territoire ne correspond.")
        return
    # Options are the labels themselves (unique: they hold level and code).
    refs = dict(zip(found["label"], zip(found["level"], found["code"], strict=True), strict=True))

    def picked() -> None:
        choice = st.session_state.get(f"{prefix}_resultat")
        if choice in refs:
            on_pick(*refs[choice])

    st.selectbox(
        f"{len(found)} résultat(s)",
        list(refs),
        index=None,
        placeholder="Choisissez un territoire",
        key=f"{prefix}_resultat",
        on_change=picked,
    )
