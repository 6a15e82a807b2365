"""Classes and colours of a choropleth: quantiles, natural breaks, equal intervals.

The class breaks come from ``mapclassify`` (the PySAL classifiers); the palettes are
ColorBrewer schemes chosen for colour-blind readers (sequential « Blues » and
« YlGnBu », diverging « PuOr »), taken from matplotlib's copies of them. Masked values
(« secret statistique ») and missing values get their own greys and legend lines, never a
class colour.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import mapclassify
import numpy as np
import pandas as pd
from matplotlib import colormaps

from explorer.errors import ClassificationError

METHODS = {
    "quantiles": "Quantiles (effectifs égaux)",
    "seuils_naturels": "Seuils naturels (Jenks)",
    "intervalles_egaux": "Intervalles égaux",
}
MIN_CLASSES, MAX_CLASSES = 3, 7
MASKED_COLOUR = (190, 190, 190)
MISSING_COLOUR = (236, 236, 236)
SEQUENTIAL = "YlGnBu"
DIVERGING = "PuOr"
# Natural breaks: exact Fisher-Jenks (pure Python without numba: 0.2 s for 500 values, 8 s
# for 3,000). Above 500 values it runs on 500 evenly spaced quantiles of the values: a
# deterministic sample, so the same view always gets the same classes.
_JENKS_SAMPLE = 500


@dataclass(frozen=True)
class Classes:
    """Result of :func:`classify`.

    ``index`` gives each value's class (0 = lowest), -1 for masked and -2 for missing;
    ``breaks`` are the upper bounds of the classes; ``colours`` one RGB per class.
    """

    index: np.ndarray
    lower: float
    breaks: tuple[float, ...]
    colours: tuple[tuple[int, int, int], ...]
    counts: tuple[int, ...]
    method: str

    def colour_of(self, i: int) -> tuple[int, int, int]:
        if i == -1:
            return MASKED_COLOUR
        if i < 0:
            return MISSING_COLOUR
        return self.colours[i]


def palette(k: int, diverging: bool = False) -> tuple[tuple[int, int, int], ...]:
    """``k`` colours from light to dark (sequential) or from one hue to the other (diverging)."""
    if not MIN_CLASSES - 1 <= k <= MAX_CLASSES:
        raise ClassificationError(f"Nombre de classes {k} : choisissez entre {MIN_CLASSES} et {MAX_CLASSES}.")
    cmap = colormaps[DIVERGING if diverging else SEQUENTIAL]
    # Skip the near-white end of sequential schemes so the lightest class stays visible on a
    # white background, and the darkest ends of diverging ones so labels stay readable.
    stops = np.linspace(0.08, 0.92, k) if diverging else np.linspace(0.15, 0.95, k)
    return tuple(tuple(round(c * 255) for c in cmap(s)[:3]) for s in stops)


def classify(
    values: pd.Series, masked: pd.Series | None = None, method: str = "quantiles", k: int = 5, diverging: bool = False
) -> Classes:
    """Put ``values`` into ``k`` classes by ``method`` (a key of :data:`METHODS`).

    Parameters
    ----------
    values : float Series; NaN where the value is unknown or masked.
    masked : bool Series aligned with ``values``; True where secrecy hides the value.
    """
    if method not in METHODS:
        raise ClassificationError(f"Méthode de classes « {method} » inconnue : {', '.join(METHODS)}.")
    if not MIN_CLASSES <= k <= MAX_CLASSES:
        raise ClassificationError(f"Nombre de classes {k} : choisissez entre {MIN_CLASSES} et {MAX_CLASSES}.")
    v = pd.to_numeric(values, errors="coerce").astype(float).to_numpy()
    hidden = np.zeros(len(v), dtype=bool) if masked is None else masked.fillna(False).to_numpy(dtype=bool)
    known = ~np.isnan(v) & ~hidden
    index = np.where(hidden, -1, -2).astype(int)
    present = v[known]
    distinct = np.unique(present)
    if len(distinct) == 0:
        return Classes(index, np.nan, (), (), (), method)
    k = min(k, len(distinct))
    if k == 1:
        index[known] = 0
        return Classes(
            index,
            float(present.min()),
            (float(present.max()),),
            palette(2, diverging)[-1:],
            (int(known.sum()),),
            method,
        )
    if method == "quantiles":
        breaks = mapclassify.Quantiles(present, k=k).bins
    elif method == "seuils_naturels":
        sample = present
        if len(present) > _JENKS_SAMPLE:
            sample = np.quantile(present, np.linspace(0.0, 1.0, _JENKS_SAMPLE))
        with warnings.catch_warnings():  # numba is optional: its absence is expected here
            warnings.filterwarnings("ignore", message="Numba not installed")
            breaks = mapclassify.FisherJenks(sample, k=min(k, len(np.unique(sample)))).bins
    else:
        breaks = mapclassify.EqualInterval(present, k=k).bins
    breaks = np.unique(np.asarray(breaks, dtype=float))
    breaks[-1] = max(breaks[-1], present.max())
    cls = np.searchsorted(breaks, present, side="left")
    index[known] = np.minimum(cls, len(breaks) - 1)
    counts = tuple(int((index == i).sum()) for i in range(len(breaks)))
    return Classes(
        index, float(present.min()), tuple(float(b) for b in breaks), palette(len(breaks), diverging), counts, method
    )
