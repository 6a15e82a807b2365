"""Map of the territories' estimated investment effects, their uncertainty as classes.

A territory is coloured by what its 90 % interval says: a supported positive effect (two
shades: below or above the national effect), no supported effect (the interval contains 0), a
supported negative effect, or an estimate borrowed from the national one (too few measured
schools of its own). The tooltip gives the effect and its interval.
"""

from __future__ import annotations

import duckdb
import pandas as pd
import pydeck as pdk

from explorer.formatting import fr_signed_percent
from explorer.maps.typology_map import class_map

CLASSES = {
    1: ("effet établi, au-dessus de l'effet national", "#0072B2"),
    2: ("effet établi, jusqu'à l'effet national", "#56B4E9"),
    3: ("effet non établi (l'intervalle contient 0)", "#C8C8C8"),
    4: ("effet négatif établi", "#D55E00"),
    5: ("estimation nationale empruntée (trop peu d'établissements mesurés)", "#F0E442"),
}
TOOLTIP = {"text": "{name} ({code})\n{label}\nEffet estimé : {effect_text} (intervalle à 90 % : {interval_text})"}


def effect_classes(effects: pd.DataFrame, national: float) -> pd.Series:
    """Class (1..5 of :data:`CLASSES`) of each row of ``effects`` (``effect, lower, upper,
    supported, pooled_from_national``) against the ``national`` effect."""
    out = pd.Series(3, index=effects.index)
    positive = effects["supported"] & (effects["lower"] > 0)
    out[positive & (effects["effect"] > national)] = 1
    out[positive & (effects["effect"] <= national)] = 2
    out[effects["supported"] & (effects["upper"] < 0)] = 4
    out[effects["pooled_from_national"].astype(bool)] = 5
    return out


def effect_map(con: duckdb.DuckDBPyConnection, level: str, effects: pd.DataFrame, national: float) -> pdk.Deck:
    """The territories of ``level`` coloured by :func:`effect_classes`."""
    cluster = effect_classes(effects, national)
    frame = effects.assign(
        cluster=cluster,
        label=cluster.map(lambda c: CLASSES[int(c)][0]),
        effect_text=effects["effect"].map(fr_signed_percent),
        interval_text=[
            f"{fr_signed_percent(lo)} à {fr_signed_percent(hi)}"
            for lo, hi in zip(effects["lower"], effects["upper"], strict=True)
        ],
    )[["code", "name", "cluster", "label", "effect_text", "interval_text"]]
    colours = {c: colour for c, (_, colour) in CLASSES.items()}
    return class_map(con, level, frame, colours=colours, tooltip=TOOLTIP)


def legend_lines(effects: pd.DataFrame, national: float) -> pd.DataFrame:
    """The map's legend: ``colour, label, count`` per class present (for :func:`explorer.maps.legend.legend_html`)."""
    counts = effect_classes(effects, national).value_counts()
    rows = [(colour, label, int(counts.get(c, 0))) for c, (label, colour) in CLASSES.items() if counts.get(c, 0)]
    return pd.DataFrame(rows, columns=["colour", "label", "count"])
