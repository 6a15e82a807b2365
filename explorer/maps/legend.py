"""The Carte page's legend as HTML: colour chips with their class and count, the key of the school dots.

Pure functions returning strings (the page passes them to ``st.markdown(…, unsafe_allow_html=True)``);
the legend lines themselves come from :func:`explorer.maps.deck.legend`.
"""

from __future__ import annotations

import pandas as pd

from explorer.formatting import fr_number
from explorer.maps.deck import KIND_COLOURS, hex_colour
from explorer.vocabulary import KIND_LABELS


def legend_html(legend: pd.DataFrame) -> str:
    """One chip per legend line: the colour, the label, the number of territories in grey.

    Parameters
    ----------
    legend : DataFrame ``colour`` (``#rrggbb``), ``label`` (str), ``count`` (int), as
        :func:`explorer.maps.deck.legend` returns it.
    """
    return "".join(
        f"<div style='display:flex;align-items:center;gap:.5rem;margin:.15rem 0'>"
        f"<span style='display:inline-block;width:1.6rem;height:1rem;background:{row.colour};"
        f"border:1px solid #666'></span><span>{row.label} "
        f"<span style='color:#666'>({fr_number(row.count)})</span></span></div>"
        for row in legend.itertuples()
    )


def schools_key_html() -> str:
    """What the school dots mean: surface proportional to pupils, one colour per kind of school."""
    kinds = " · ".join(
        f"<span style='color:{hex_colour(colour)}'>●</span> {KIND_LABELS[kind].lower()}"
        for kind, colour in KIND_COLOURS.items()
    )
    return f"Points : établissements, surface proportionnelle aux élèves — {kinds}"
