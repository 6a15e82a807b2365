"""Altair figures of the pages, with French labels and French-formatted tooltips."""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from explorer.charts.theme import described
from explorer.formatting import fr_number, fr_percent
from explorer.vocabulary import KIND_LABELS
from explorer.warehouse.catalog import ALL_KINDS

KIND_ORDER = [*KIND_LABELS.values(), ALL_KINDS]
KIND_COLOURS = ["#4C78A8", "#F58518", "#54A24B", "#9D9D9D"]  # École, Collège, Lycée, Ensemble


def coverage_chart(coverage: pd.DataFrame, height: int = 320) -> alt.Chart:
    """Grouped bars: share of measured schools per school year and kind.

    Parameters
    ----------
    coverage : the output of :func:`explorer.warehouse.catalog.coverage_by_year` (French headers;
        Part mesurée is a share 0–1).
    """
    # Vega-Lite field names must be plain identifiers (an apostrophe in « Type
    # d'établissement » silently blanks the chart): French goes into titles only.
    frame = pd.DataFrame(
        {
            "year": coverage["Année scolaire"],
            "kind": coverage["Type d'établissement"],
            "percent": coverage["Part mesurée"] * 100,
            "share_text": [fr_percent(v) for v in coverage["Part mesurée"]],
            "measured_text": [
                f"{fr_number(m)} sur {fr_number(s)}"
                for m, s in zip(coverage["Établissements mesurés"], coverage["Établissements"], strict=True)
            ],
        }
    )
    text = (
        "Barres groupées : part des établissements mesurés par la mesure d'audience des ENT, par année scolaire "
        "et par type d'établissement, en %. Les chiffres sont dans le tableau qui suit le graphique."
    )
    chart = (
        alt.Chart(frame, height=height)
        .mark_bar()
        .encode(
            x=alt.X("year:N", title="Année scolaire", axis=alt.Axis(labelAngle=0)),
            xOffset=alt.XOffset("kind:N", sort=KIND_ORDER),
            y=alt.Y(
                "percent:Q",
                title="Établissements mesurés (%)",
                scale=alt.Scale(domain=[0, 100]),
            ),
            color=alt.Color(
                "kind:N",
                sort=KIND_ORDER,
                scale=alt.Scale(domain=KIND_ORDER, range=KIND_COLOURS),
                legend=alt.Legend(title=None, orient="top"),
            ),
            tooltip=[
                alt.Tooltip("year:N", title="Année scolaire"),
                alt.Tooltip("kind:N", title="Type d'établissement"),
                alt.Tooltip("share_text:N", title="Part mesurée"),
                alt.Tooltip("measured_text:N", title="Établissements mesurés"),
            ],
        )
    )
    return described(chart, text)


# French headers of the columns the chart data usually carry.
CHART_DATA_HEADERS = {
    "code": "Code",
    "name": "Nom",
    "year": "Année",
    "value": "Valeur",
    "funder_level": "Financeur",
    "category": "Catégorie",
    "per_pupil": "Par élève",
    "amount_eur": "Montant (€)",
    "week_start": "Semaine du",
    "profile": "Profil",
    "school_year": "Année scolaire",
    "resource": "Famille de ressources",
    "flag": "Position par rapport à la droite",
    "series": "Série",
}


def chart_data(frame: pd.DataFrame, title: str = "Données du graphique") -> None:
    """The data of the chart above, one click away (RGAA: a text alternative of every chart)."""
    with st.expander(title):
        st.dataframe(frame.rename(columns=CHART_DATA_HEADERS), hide_index=True, width="stretch")
