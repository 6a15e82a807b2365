"""Tables and sentences of the Prospective page, with French headers and French numbers."""

from __future__ import annotations

import pandas as pd

from explorer.formatting import fr_eur, fr_number, fr_percent
from forecasting.model import Effect
from forecasting.plots import scenario_label
from forecasting.projection import Projection

MODEL_LABELS = {
    "prophet_investment": "Prophet avec investissement",
    "prophet": "Prophet sans investissement",
    "seasonal_naive": "Naïf saisonnier (même semaine, un an plus tôt)",
}


def differences_table(projection: Projection) -> pd.DataFrame:
    """Per scenario and school year: mean weekly visits per pupil, baseline and scenario, the
    difference and its interval, as display strings."""
    d = projection.differences
    level = fr_percent(projection.effect.level, 0) if projection.effect else ""
    return pd.DataFrame(
        {
            "Scénario": [scenario_label(s) for s in d["scenario"]],
            "Année scolaire": d["school_year"],
            "Référence": [fr_number(v, 2) for v in d["baseline"]],
            "Scénario (valeur)": [fr_number(v, 2) for v in d["value"]],
            "Écart": [fr_number(v, 3) for v in d["difference"]],
            f"Intervalle de l'écart ({level})": [
                f"{fr_number(lo, 3)} à {fr_number(hi, 3)}" for lo, hi in zip(d["lower"], d["upper"], strict=True)
            ],
        }
    )


def effect_sentence(effect: Effect | None, euros: float = 10.0) -> str:
    """« +10 € par élève et par an pendant trois ans : +1,2 % de visites (intervalle à 90 % : …) »."""
    if effect is None or not effect.varied:
        return "L'investissement par élève n'a pas varié sur la période observée : son effet ne peut pas être estimé."
    mid, lo, hi = effect.relative(euros)
    level = fr_percent(effect.level, 0)
    return (
        f"Effet estimé de {fr_number(euros)}\u00a0€ de plus par élève et par an, maintenus trois ans : "
        f"{'+' if mid >= 0 else ''}{fr_percent(mid)} de visites ENT par élève "
        f"(intervalle à {level} : {fr_percent(lo)} à {fr_percent(hi)})."
    )


NO_EFFECT_WARNING = (
    "Les données de ce territoire ne permettent pas d'établir un effet de l'investissement sur les "
    "usages : l'intervalle de l'effet contient zéro. Les écarts entre scénarios ci-dessous sont donc "
    "très incertains ; ne les présentez pas comme un résultat attendu."
)


def backtest_table(scores: pd.DataFrame) -> pd.DataFrame:
    """The backtest of one territory with French labels (MASE and sMAPE as strings)."""
    return pd.DataFrame(
        {
            "Modèle": [MODEL_LABELS[m] for m in scores["model"]],
            "MASE": [fr_number(v, 2) for v in scores["mase"]],
            "sMAPE": [f"{fr_number(v, 1)}\u202f%" for v in scores["smape"]],
            "Origines": [fr_number(v) for v in scores["cutoffs"]],
        }
    )


def paths_table(projection: Projection, first_year: int = 2023) -> pd.DataFrame:
    """Investment per pupil of each budget year from ``first_year``, one row per scenario
    (observed years, then the baseline continuation or the scenario)."""
    paths = projection.paths[projection.paths["year"] >= first_year]
    wide = paths.pivot(index="scenario", columns="year", values="invest_per_pupil")
    wide = wide.loc[list(dict.fromkeys(paths["scenario"]))]  # baseline first, then scenarios in order
    shown = pd.DataFrame({"Chemin": [scenario_label(s) for s in wide.index]})
    last_known = int(projection.fit.annual.index.max())
    for year in wide.columns:
        header = str(year) if year <= last_known else f"{year} (projeté)"
        shown[header] = [fr_eur(v) for v in wide[year]]
    return shown
