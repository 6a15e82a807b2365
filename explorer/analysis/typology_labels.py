"""Plain-French labels of typology classes, generated from their profiles.

Rule (deterministic, documented in ``docs/typology.md``): a class mean more than
:data:`THRESHOLD` standard deviations above (below) the mean of all territories gives the
variable's « high » (« low ») phrase; the population density becomes an adjective of the
territory noun (« communes rurales », « EPCI urbains »); the other phrases follow by decreasing
distance from the mean, at most :data:`MAX_TERMS` of them. A class close to the mean on every
variable reads « … proches de la moyenne ».
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from explorer.analysis.features import VARIABLES, check_level

THRESHOLD = 0.5
MAX_TERMS = 3

# Plural noun of each level and the gender of its adjectives.
NOUNS = {
    "departement": ("départements", "m"),
    "epci": ("EPCI", "m"),
    "commune": ("communes", "f"),
    "school": ("établissements", "m"),
}
_DENSITY_WORDS = {
    ("urbain", "m"): "urbains",
    ("urbain", "f"): "urbaines",
    ("rural", "m"): "ruraux",
    ("rural", "f"): "rurales",
}


def class_label(z: Mapping[str, float], level: str, threshold: float = THRESHOLD, max_terms: int = MAX_TERMS) -> str:
    """Label of one class from its z-profile.

    Parameters
    ----------
    z : variable id → class mean in standard deviations from the mean of all territories.
    level : ``departement``, ``epci``, ``commune`` or ``school`` (the noun of the label).

    Examples
    --------
    >>> class_label({"log_density": -1.2, "invest_per_pupil": 0.9, "ent_visits_per_pupil_week": -0.7}, "commune")
    'communes rurales, fort investissement, usage faible'
    """
    check_level(level)
    noun, gender = NOUNS[level]
    head = noun
    density = z.get("log_density")
    if density is not None and abs(density) > threshold:
        word = "urbain" if density > 0 else "rural"
        head = f"{noun} {_DENSITY_WORDS[(word, gender)]}"
    strong = [(v, value) for v, value in z.items() if v != "log_density" and abs(value) > threshold]
    strong.sort(key=lambda item: (-abs(item[1]), item[0]))
    terms = [VARIABLES[v].high if value > 0 else VARIABLES[v].low for v, value in strong[:max_terms]]
    if not terms and head == noun:
        return f"{noun} proches de la moyenne"
    return ", ".join([head, *terms])


def class_labels(z_profiles: pd.DataFrame, level: str) -> dict[int, str]:
    """Label of every class (rows of ``z_profiles``: classes; columns: variable ids)."""
    return {int(c): class_label(row.to_dict(), level) for c, row in z_profiles.iterrows()}
