"""The estimated effects in plain French: the sentences the pages and exports show.

Units: an investment effect is « % of ENT visits per pupil for +10 € per pupil and per year,
sustained three budget years »; a programme effect is « % of ENT visits per pupil in the
treated schools after the start », beyond the investment dose the programme brought.
"""

from __future__ import annotations

import pandas as pd

from explorer.formatting import fr_number, fr_percent, fr_signed_percent

INVESTMENT_UNIT = "% des visites ENT par élève, pour 10 € de plus par élève et par an pendant trois exercices"
PROGRAMME_UNIT = "% des visites ENT par élève dans les établissements du programme, après son début"
IDENTIFICATION = (
    "Chaque établissement est comparé à lui-même d'une année à l'autre : quand son investissement par "
    "élève augmente plus que celui des établissements du même type, ses visites ENT augmentent-elles "
    "davantage ? Cela écarte ce qui ne change pas (taille, milieu social, habitudes locales) et ce qui "
    "change partout en même temps (croissance générale des usages, extension de la mesure), mais ne "
    "prouve rien contre une autre cause arrivée dans le même établissement au même moment que la "
    "dépense (un nouveau projet d'équipe, par exemple)."
)


def interval(lower: float, upper: float) -> str:
    return f"{fr_signed_percent(lower)} à {fr_signed_percent(upper)}"


def investment_sentence(effect: float, lower: float, upper: float, where: str = "") -> str:
    """« 10 € de plus par élève et par an pendant trois ans vont avec +1,2 % de visites… »."""
    place = f" {where}" if where else ""
    text = (
        f"10 € de plus par élève et par an pendant trois ans vont avec {fr_signed_percent(effect)} de visites ENT "
        f"par élève{place} (intervalle à 90 % : {interval(lower, upper)})."
    )
    if lower <= 0 <= upper:
        text += " L'intervalle contient 0 : les données ne permettent pas d'affirmer un effet."
    return text


def pretrend_verdict(p: float | None) -> str:
    """Plain reading of the joint test that the pre-start coefficients are all 0."""
    if p is None:
        return "Aucune année avant le début n'est observée : les évolutions d'avant ne peuvent pas être comparées."
    shown = fr_number(p, 3)
    if p >= 0.10:
        return (
            f"Avant le début, les établissements du programme évoluaient comme les autres (test conjoint, "
            f"p = {shown}) : la comparaison est crédible."
        )
    if p >= 0.01:
        return (
            f"Avant le début, un léger écart d'évolution apparaît déjà (test conjoint, p = {shown}) : "
            "lire l'effet avec prudence."
        )
    return (
        f"Avant le début, les établissements du programme évoluaient déjà autrement (test conjoint, p = {shown}) : "
        "la comparaison n'est pas fiable."
    )


def programme_sentence(att: float, lower: float, upper: float, treated: int, controls: int) -> str:
    """The average effect on the treated schools, with its counts."""
    text = (
        f"Après le début, les visites ENT par élève des établissements du programme sont en moyenne "
        f"{fr_signed_percent(att)} par rapport à ce que laisse attendre l'évolution des autres (intervalle à 90 % : "
        f"{interval(lower, upper)}), au-delà de l'effet de l'argent qu'il a apporté ; {fr_number(treated)} "
        f"établissements du programme comparés à {fr_number(controls)} autres du même type."
    )
    if lower <= 0 <= upper:
        text += " L'intervalle contient 0 : pas d'effet établi."
    return text


def effects_display(effects: pd.DataFrame) -> pd.DataFrame:
    """The territories' effects as the page shows them: French headers, signed percentages.

    Parameters
    ----------
    effects : :func:`explorer.analysis.effects.investment.investment_effects`'s frame.
    """
    return pd.DataFrame(
        {
            "Code": effects["code"],
            "Territoire": effects["name"],
            "Effet estimé": effects["effect"].map(fr_signed_percent),
            "Intervalle à 90 %": [interval(lo, hi) for lo, hi in zip(effects["lower"], effects["upper"], strict=True)],
            "Établi": effects["supported"].map({True: "oui", False: "non"}),
            "Part de ses propres données": [
                "estimation nationale" if borrowed else fr_percent(weight, 0)
                for weight, borrowed in zip(effects["own_weight"], effects["pooled_from_national"], strict=True)
            ],
            "Établissements mesurés": effects["schools"].map(fr_number),
        }
    )
