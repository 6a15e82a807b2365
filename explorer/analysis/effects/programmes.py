"""Programme evaluations: an event study of each State programme on the school panel.

For each programme, treated schools are those it reached (TNE: every school of the
département, the programme covers the territory; SNEE: the public écoles funded; hybridation:
the public lycées funded), controls those of the same kind it did not reach. One
``pyfixest.feols``::

    log(use_it) = school_i + year_t + Σ_k θ_k 1[treated_i, t − g_i = k] + b_d × dose_it + e_it

with the reference year k = −1 (the school year before the start ``g``). The investment dose
(the investment response's ``log1p(stock / 150 €)``) with **one slope per département** is a
control: the programme effect is the effect *beyond the dose of investment the programme brought*
(its money already acts through the
investment response), and the département slopes keep a territory's own investment response
from being read as a differential trend. Every programme starts in one year (2021), so the
adoption is not staggered and this regression is the interaction-weighted (Sun–Abraham)
estimator: each θ_k compares treated schools with not-treated schools only, never with
already-treated ones. The ATT is the same regression with one post-start indicator. Standard
errors are clustered at the level the programme was assigned (TNE: département; SNEE:
commune; hybridation: département). Intervals at 90 %, effects in % of use: ``exp(θ) − 1``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import duckdb
import numpy as np
import pandas as pd
import pyfixest as pf
from scipy import stats

from explorer.analysis.effects.investment import LEVEL_CI, Z
from explorer.analysis.effects.panel import load_panel
from explorer.errors import EffectsDataError, EffectsInputError


@dataclass(frozen=True)
class Design:
    """Who a programme treats, who the controls are, and the clustering level."""

    year_column: str
    cluster: str
    kind: str | None  # schools of one kind only (None: all)
    public_only: bool
    label: str


PROGRAMMES = {
    "tne": Design("tne_year", "departement_code", None, False, "Territoires numériques éducatifs"),
    "snee": Design("snee_year", "commune_code", "ecole", True, "Socle numérique dans les écoles élémentaires"),
    "hybridation": Design("hybridation_year", "departement_code", "lycee", True, "Hybridation des lycées"),
}
DOSE = "i(departement_code, dose)"  # the investment response's concave dose, one slope per département


@dataclass(frozen=True)
class ProgrammeEffect:
    """ATT and event study of one programme (fractions of use; 90 % intervals).

    ``pre_trend_p`` is the p-value of the joint Wald test that every pre-start coefficient
    is 0 (parallel trends before the start); ``None`` when no pre-start year is observed.
    """

    programme: str
    att: float
    lower: float
    upper: float
    pre_trend_p: float | None
    treated: int
    controls: int
    event_study: list[dict[str, float]] = field(default_factory=list)

    def as_dict(self) -> dict[str, object]:
        return {
            "programme": self.programme,
            "att": self.att,
            "lower": self.lower,
            "upper": self.upper,
            "pre_trend_p": self.pre_trend_p,
            "treated": self.treated,
            "controls": self.controls,
            "event_study": self.event_study,
        }


def programme_panel(panel: pd.DataFrame, programme: str) -> pd.DataFrame:
    """The schools of ``programme``'s design with ``treated, start, rel, post`` columns."""
    design = PROGRAMMES[programme]
    data = panel
    if design.kind is not None:
        data = data[data["kind"] == design.kind]
    if design.public_only:
        data = data[data["sector"] == "public"]
    data = data.copy()
    start = data[design.year_column]
    data["treated"] = start.notna()
    if not data["treated"].any() or data["treated"].all():
        raise EffectsDataError(
            f"Programme « {programme} » : il faut des établissements mesurés bénéficiaires et non bénéficiaires "
            f"({int(data['treated'].sum())} bénéficiaire(s), {int((~data['treated']).sum())} autre(s) lignes). "
            "Chargez les conventions du programme et la mesure d'audience des ENT."
        )
    # Never-treated schools sit in the reference year: they only identify the year effects.
    data["rel"] = np.where(data["treated"], data["rentree_year"] - start.fillna(0), -1).astype(int)
    data["post"] = (data["treated"] & (data["rel"] >= 0)).astype(float)
    # Within a school only a change counts: a treated school must be measured before and after.
    seen = data[data["treated"]].groupby("uai")["post"].agg(["min", "max"])
    both = seen.index[(seen["min"] == 0) & (seen["max"] == 1)]
    if len(both) == 0:
        raise EffectsDataError(
            f"Programme « {programme} » : aucun de ses {len(seen)} établissement(s) bénéficiaire(s) mesuré(s) "
            "ne l'est avant et après le début du programme, son effet ne peut pas être séparé de celui de "
            "l'établissement. Il faut la mesure d'audience des ENT des années antérieures au programme."
        )
    return data


def _pct(coef: float, se: float) -> tuple[float, float, float]:
    return float(np.expm1(coef)), float(np.expm1(coef - Z * se)), float(np.expm1(coef + Z * se))


def estimate(panel: pd.DataFrame, programme: str) -> ProgrammeEffect:
    """ATT and event study of ``programme`` on the panel rows of :func:`programme_panel`'s input."""
    if programme not in PROGRAMMES:
        raise EffectsInputError(f"Programme « {programme} » inconnu : choisissez parmi {', '.join(PROGRAMMES)}.")
    design = PROGRAMMES[programme]
    data = programme_panel(panel, programme)
    vcov = {"CRV1": design.cluster}
    att_fit = pf.feols(f"log_use ~ post + {DOSE} | uai + school_year", data=data, vcov=vcov)
    att, lower, upper = _pct(float(att_fit.coef()["post"]), float(att_fit.se()["post"]))

    es_fit = pf.feols(f"log_use ~ i(rel, treated, ref=-1) + {DOSE} | uai + school_year", data=data, vcov=vcov)
    coef, se = es_fit.coef(), es_fit.se()
    rows, pre = [], []
    for name in coef.index:
        if not name.startswith("rel::"):
            continue
        period = int(name.split("::")[1].split(":")[0])
        c, lo, hi = _pct(float(coef[name]), float(se[name]))
        rows.append({"period": period, "coef": c, "lower": lo, "upper": hi})
        if period < -1:
            pre.append(name)
    rows.append({"period": -1, "coef": 0.0, "lower": 0.0, "upper": 0.0})
    rows.sort(key=lambda r: r["period"])
    pre_p = _joint_p(es_fit, pre) if pre else None
    treated = int(data.loc[data["treated"], "uai"].nunique())
    controls = int(data.loc[~data["treated"], "uai"].nunique())
    return ProgrammeEffect(programme, att, lower, upper, pre_p, treated, controls, rows)


def _joint_p(fit: pf.Feols, names: list[str]) -> float:
    """p-value of the Wald test that the coefficients ``names`` are all 0 (clustered vcov)."""
    order = list(fit.coef().index)
    idx = [order.index(n) for n in names]
    b = fit.coef().to_numpy()[idx]
    v = np.asarray(fit._vcov)[np.ix_(idx, idx)]
    statistic = float(b @ np.linalg.solve(v, b))
    return float(stats.chi2.sf(statistic, len(idx)))


def programme_effect(con: duckdb.DuckDBPyConnection, programme: str) -> ProgrammeEffect:
    """:func:`estimate` on the warehouse's panel (all profiles)."""
    if programme not in PROGRAMMES:
        raise EffectsInputError(f"Programme « {programme} » inconnu : choisissez parmi {', '.join(PROGRAMMES)}.")
    return estimate(load_panel(con), programme)


__all__ = ["LEVEL_CI", "PROGRAMMES", "ProgrammeEffect", "estimate", "programme_effect"]
