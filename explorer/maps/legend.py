"""The Carte page's legend as HTML: colour chips with their class and count, the key of the school marks.

Pure functions returning strings (the page passes them to ``st.markdown(…, unsafe_allow_html=True)``);
the legend lines themselves come from :func:`explorer.maps.deck.legend`.
"""

from __future__ import annotations

import pandas as pd

from explorer.formatting import fr_number
from explorer.maps.deck import KIND_COLOURS, MARKS, SCHOOL_LAYERS, hex_colour, mark_caption


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


def mark_svg(kind: str, fill: str) -> str:
    """The mark of one kind of school as drawn on the map (same radius and outline), in SVG."""
    mark = MARKS[kind]
    size = 2 * (mark.radius + mark.outline)
    centre = size / 2
    return (
        f"<svg width='{size:g}' height='{size:g}' style='vertical-align:middle' aria-hidden='true'>"
        f"<circle cx='{centre:g}' cy='{centre:g}' r='{mark.radius:g}' fill='{fill}' "
        f"stroke='{hex_colour(mark.line)}' stroke-width='{mark.outline:g}'/></svg>"
    )


def schools_key_html(coloured: bool = False) -> str:
    """What the school marks mean: the kind by size and outline, the fill by value or by kind.

    ``coloured``: the marks are filled with their own value's class (the Établissements
    level), so the key draws them in a neutral fill and says where the colour comes from.
    """
    kinds = []
    for kind in reversed(SCHOOL_LAYERS):  # école, collège, lycée
        fill = "#ffffff" if coloured else hex_colour(KIND_COLOURS[kind])
        kinds.append(f"{mark_svg(kind, fill)} {mark_caption(kind)}")
    meaning = (
        "Établissements : chacun coloré selon sa propre valeur (classes de la légende)"
        if coloured
        else "Points : établissements, couleur selon le type"
    )
    return f"<div>{meaning} — " + " · ".join(kinds) + "</div>"
