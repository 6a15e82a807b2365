"""Tables and sentences of the Prospective page, with French headers and French numbers."""

from __future__ import annotations

import pandas as pd

from explorer.analysis.effects.investment import LEVEL_CI, Response
from explorer.formatting import fr_date, fr_eur, fr_number, fr_percent
from forecasting.plots import scenario_label
from forecasting.projection import Projection
from forecasting.scenario import Scenario, describe

MODEL_LABELS = {
    "prophet": "Prophet (référence)",
    "seasonal_naive": "Naïf saisonnier (même semaine, un an plus tôt)",
}


def differences_table(projection: Projection) -> pd.DataFrame:
    """Per scenario and school year: mean weekly visits per pupil, reference and scenario, the
    difference and the response's interval, and whether the backtest covers the year."""
    d = projection.differences
    return pd.DataFrame(
        {
            "Scénario": [scenario_label(s) for s in d["scenario"]],
            "Année scolaire": d["school_year"],
            "Référence": [fr_number(v, 2) for v in d["baseline"]],
            "Scénario (valeur)": [fr_number(v, 2) for v in d["value"]],
            "Écart": [fr_number(v, 3) for v in d["difference"]],
            f"Intervalle de l'écart ({fr_percent(LEVEL_CI, 0)})": [
                f"{fr_number(lo, 3)} à {fr_number(hi, 3)}" for lo, hi in zip(d["lower"], d["upper"], strict=True)
            ],
            "Horizon": [_horizon(share, projection) for share in d["backtested_share"]],
        }
    )


def _horizon(share: float, projection: Projection) -> str:
    if share >= 1:
        return "évalué (backtest)"
    if share > 0:
        return f"évalué jusqu'au {fr_date(projection.fit.backtested_until.date())}"
    return "au-delà du backtest"


def signed_percent(share: float) -> str:
    """``+1,2 %`` / ``-0,4 %``: the sign always shown, as a change."""
    return f"{'+' if share >= 0 else ''}{fr_percent(share)}"


def effect_sentence(response: Response) -> str:
    """« 10 € de plus par élève et par an pendant trois ans vont avec +x % de visites … »,
    the territory's panel estimate, the same figure as on Investissement → usage."""
    sentence = (
        "10\u00a0€ de plus par élève et par an pendant trois ans vont avec "
        f"{signed_percent(response.effect)} de visites ENT par élève (intervalle à {fr_percent(LEVEL_CI, 0)} : "
        f"{signed_percent(response.lower)} à {signed_percent(response.upper)}), estimé sur le panel des établissements."
    )
    if response.pooled_from_national:
        sentence += (
            " Ce territoire a trop peu d'établissements mesurés pour une estimation propre : "
            "il reprend l'estimation nationale."
        )
    return sentence


def response_supported(response: Response) -> bool:
    """True when the response's interval excludes zero."""
    return response.lower > 0 or response.upper < 0


NO_EFFECT_WARNING = (
    "Le panel des établissements ne permet pas d'établir un effet de l'investissement sur les "
    "usages de ce territoire : l'intervalle de l'effet contient zéro. Les écarts entre scénarios "
    "ci-dessous sont donc très incertains ; ne les présentez pas comme un résultat attendu."
)


def horizon_sentence(projection: Projection) -> str:
    """Which part of the projection the backtest evaluates, and which lies beyond it."""
    until = projection.fit.backtested_until
    return (
        f"Le backtest évalue des prévisions à un an au plus : jusqu'à la semaine du {fr_date(until.date())}. "
        "Au-delà, la projection prolonge la tendance sans avoir été évaluée : lisez-la comme un ordre de "
        "grandeur, non comme une prévision vérifiée."
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


def saved_table(scenarios: list[Scenario]) -> pd.DataFrame:
    """The saved scenarios in words: « Nom », « Définition » (one sentence per change)."""
    return pd.DataFrame(
        {
            "Nom": [s.name for s in scenarios],
            "Définition": [" ; ".join(describe(c) for c in s.changes) or "aucun changement" for s in scenarios],
        }
    )
