"""Investment response: how ENT use per pupil moves within a school when its investment does.

Model (one ``pyfixest.feols``)::

    log(use_it) = school_i + (kind × year)_t + (académie × year)_t + b × dose_it + programme controls + e_it

``use`` is ENT visits per pupil and per school week of school year ``t``; ``dose`` is
``log1p(C_it / 150 €)`` with ``C`` the school's investment per pupil summed over every budget
year before the rentrée (no depreciation; one-year lag: the school year starting in September
Y uses budgets up to Y-1): diminishing returns, the first euros per pupil count more than the
next ones (a linear stock attenuated the response and mis-ranked the territories, see
docs/effects.md). School fixed effects: a school is only compared with itself; school-year
effects by kind of school (écoles, collèges, lycées have different payers and roll-outs) and by
académie (its holiday zone, its own roll-out of the measurement): every year's common growth
(coverage, habits, services) is taken out, territory by territory. The programmes'
post-start indicators are controls, so that their own effect is not read as investment.

Reported unit: **+10 € per pupil and per year sustained three budget years** raise the stock
by 30 €; with diminishing returns the effect depends on the stock it is added to, taken as the
territory's mean stock ``C̄`` in its last measured school year (``mean_stock_eur``), hence
``effect = exp(b × [log1p((C̄ + 30)/150) − log1p(C̄/150)]) − 1`` (a fraction of use;
0.02 = +2 %). Intervals at 90 %.

Per territory: one slope per territory in the same regression (``i(territory, stock)``),
standard errors clustered by commune (finer than the slopes, so that each slope still has
many clusters); then partial pooling toward the random-effects mean of the territories
(statsmodels ``combine_effects`` for the between-territory variance τ², then empirical-Bayes
shrinkage). A territory with too few schools or too little variation of its investment is
reported at the pooled national value with ``pooled_from_national = True``.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb
import numpy as np
import pandas as pd
import pyfixest as pf
from scipy import stats
from statsmodels.stats.meta_analysis import combine_effects

from explorer.analysis.effects.panel import INVEST_UNIT_EUR, LEVEL_COLUMNS, dose, load_panel
from explorer.errors import EffectsDataError, EffectsInputError
from explorer.warehouse.sqlfiles import read_sql

LEVELS = ("national", *LEVEL_COLUMNS)
SUSTAINED_YEARS = 3  # the reported effect: +10 €/pupil/yr for three budget years
LEVEL_CI = 0.90
Z = float(stats.norm.ppf(0.5 + LEVEL_CI / 2))
# A territory gets its own slope with at least this many schools measured two years or more.
MIN_SCHOOLS = 8
# The national slope is clustered by département: the level at which payers, plans and
# measurement roll-out move together.
NATIONAL_CLUSTER = "departement_code"
TERRITORY_CLUSTER = "commune_code"
CONTROLS = ("tne_post", "snee_post", "hybridation_post")
# Levels with more territories than this are estimated by territory on the within-school,
# within-year residuals (too many slopes for one dummy-interaction regression).
MAX_INTERACTED = 150
OUTPUT_COLUMNS = ["code", "name", "effect", "lower", "upper", "supported"]
REGRESSOR = "dose"
SUSTAINED_EUR = SUSTAINED_YEARS * INVEST_UNIT_EUR


def add_programme_exposure(panel: pd.DataFrame) -> pd.DataFrame:
    """``tne_post, snee_post, hybridation_post``: 1 from the school year starting in the programme's first year."""
    out = panel.copy()
    for name in ("tne", "snee", "hybridation"):
        start = out[f"{name}_year"]
        out[f"{name}_post"] = (start.notna() & (out["rentree_year"] >= start.fillna(9999))).astype(float)
    return out


def _fml(regressor: str, panel: pd.DataFrame) -> str:
    controls = [c for c in CONTROLS if panel[c].nunique() > 1]
    return f"log_use ~ {' + '.join([regressor, *controls])} | uai + kind^school_year + academie_code^school_year"


def dose_gain(mean_stock_eur: float | np.ndarray, extra_eur: float | np.ndarray = SUSTAINED_EUR) -> np.ndarray:
    """Change of the dose when ``extra_eur`` per pupil are added to a stock of ``mean_stock_eur``."""
    base = np.asarray(mean_stock_eur, dtype=float)
    return dose(base + np.asarray(extra_eur, dtype=float)) - dose(base)


def to_effect(slope: float | np.ndarray, mean_stock_eur: float | np.ndarray = 0.0) -> float | np.ndarray:
    """Log-slope per unit of dose → fraction of use for +10 €/pupil/yr over three years at ``mean_stock_eur``."""
    return np.expm1(np.asarray(slope, dtype=float) * dose_gain(mean_stock_eur))


@dataclass(frozen=True)
class Slope:
    """A log-slope per unit of dose (``log1p(stock € / 150)``), and its standard error."""

    coef: float
    se: float

    def effect_at(self, mean_stock_eur: float) -> tuple[float, float, float]:
        """``(effect, lower, upper)`` in the reported unit (fractions) at a stock of ``mean_stock_eur``."""
        return (
            float(to_effect(self.coef, mean_stock_eur)),
            float(to_effect(self.coef - Z * self.se, mean_stock_eur)),
            float(to_effect(self.coef + Z * self.se, mean_stock_eur)),
        )

    @property
    def effect(self) -> tuple[float, float, float]:
        """``(effect, lower, upper)`` added to an empty stock (see :meth:`effect_at`)."""
        return self.effect_at(0.0)


def national_slope(panel: pd.DataFrame) -> Slope:
    """The national response: one slope, clustered by département.

    Parameters
    ----------
    panel : :func:`explorer.analysis.effects.panel.load_panel` rows.
    """
    data = add_programme_exposure(panel)
    fit = pf.feols(_fml(REGRESSOR, data), data=data, vcov={"CRV1": NATIONAL_CLUSTER})
    return Slope(float(fit.coef()[REGRESSOR]), float(fit.se()[REGRESSOR]))


def mean_stock(panel: pd.DataFrame, column: str | None = None) -> pd.Series | float:
    """Mean stock (€ per pupil) of the last measured school year, per territory of ``column`` (or national)."""
    last = panel[panel["school_year"] == panel["school_year"].max()]
    if column is None:
        return float(last["invest_stock_per_pupil"].astype(float).mean())
    per = panel.groupby(column)["invest_stock_per_pupil"].mean().astype(float)
    return last.groupby(column)["invest_stock_per_pupil"].mean().astype(float).reindex(per.index).fillna(per)


def _eligible(panel: pd.DataFrame, column: str) -> pd.Series:
    """Territories with at least :data:`MIN_SCHOOLS` schools measured two school years or more."""
    years = panel.groupby("uai")["school_year"].nunique()
    multi = panel[panel["uai"].map(years) >= 2]
    spread = multi.groupby("uai")["stock"].agg(lambda s: s.max() - s.min())
    moving = multi[multi["uai"].map(spread) > 0]
    schools = moving.groupby(column)["uai"].nunique()
    return schools[schools >= MIN_SCHOOLS]


def territory_slopes(panel: pd.DataFrame, level: str) -> pd.DataFrame:
    """Unpooled slopes of the territories of ``level`` that have enough data: ``code, coef, se, schools``."""
    column = LEVEL_COLUMNS[level]
    data = add_programme_exposure(panel)
    eligible = _eligible(data, column)
    if eligible.empty:
        return pd.DataFrame(columns=["code", "coef", "se", "schools"])
    # Schools of the other territories keep one common slope (not reported) so that they
    # still inform the year effects without lending their slope to anyone.
    data["territory"] = data[column].where(data[column].isin(eligible.index), "_autres").astype(str)
    if len(eligible) <= MAX_INTERACTED:
        fit = pf.feols(_fml(f"i(territory, {REGRESSOR})", data), data=data, vcov={"CRV1": TERRITORY_CLUSTER})
        coef, se = fit.coef(), fit.se()
        rows = []
        for name in coef.index:
            if not name.startswith("territory::"):
                continue
            code = name.split("::", 1)[1].split(":", 1)[0]
            if code != "_autres":
                rows.append({"code": code, "coef": float(coef[name]), "se": float(se[name])})
        out = pd.DataFrame(rows)
    else:
        out = _residual_slopes(data)
    out = out[np.isfinite(out["se"]) & (out["se"] > 0)]
    return out.assign(schools=out["code"].map(eligible).astype(int)).reset_index(drop=True)


def _residual_slopes(data: pd.DataFrame) -> pd.DataFrame:
    """Per-territory slopes on the residuals of the school and year effects (Frisch–Waugh).

    Used for the many territories of the EPCI and commune levels: use and stock are both
    demeaned by ``pyfixest`` (school and school-year effects, national), then each territory's
    slope is the least-squares slope of one on the other, its variance clustered by school.

    Every row is kept (``fixef_rm="none"``), so that the residuals line up with ``data``: by
    default ``pyfixest`` drops the schools measured a single year (7 922 rows of the national
    demo), and the residuals no longer matched their territories (a crash of the commune and
    EPCI levels). A singleton's residuals are 0 on both sides: it adds nothing to any slope.
    """
    fixed_effects = "uai + kind^school_year + academie_code^school_year"
    y = pf.feols(f"log_use ~ 1 | {fixed_effects}", data=data, fixef_rm="none").resid()
    x = pf.feols(f"{REGRESSOR} ~ 1 | {fixed_effects}", data=data, fixef_rm="none").resid()
    if len(y) != len(data) or len(x) != len(data):
        raise EffectsDataError(
            f"Panel incomplet : {len(data)} lignes, {min(len(x), len(y))} résidus ; "
            "estimation par territoire impossible."
        )
    frame = pd.DataFrame({"territory": data["territory"].to_numpy(), "uai": data["uai"].to_numpy(), "y": y, "x": x})
    sxx = frame.assign(xx=frame["x"] ** 2).groupby("territory")["xx"].sum()
    sxy = frame.assign(xy=frame["x"] * frame["y"]).groupby("territory")["xy"].sum()
    coef = sxy / sxx
    frame["score"] = frame["x"] * (frame["y"] - frame["territory"].map(coef) * frame["x"])
    per_school = frame.groupby(["territory", "uai"])["score"].sum() ** 2
    var = per_school.groupby("territory").sum() / sxx**2
    out = pd.DataFrame({"code": coef.index, "coef": coef.to_numpy(), "se": np.sqrt(var.reindex(coef.index).to_numpy())})
    return out[out["code"] != "_autres"]


def pool(slopes: pd.DataFrame) -> tuple[pd.DataFrame, Slope, float]:
    """Partial pooling of territory slopes toward their random-effects mean.

    Parameters
    ----------
    slopes : ``code, coef, se`` (float ``coef, se``).

    Returns
    -------
    (``slopes`` with ``pooled_coef, pooled_se, weight`` — the weight of the territory's own
    estimate, ``τ² / (τ² + se²)`` —, the random-effects mean, τ²).
    """
    if len(slopes) < 2:
        raise EffectsDataError(
            f"{len(slopes)} territoire(s) avec assez d'établissements mesurés : il en faut au moins 2 pour "
            "estimer l'écart entre territoires. Choisissez un niveau plus large."
        )
    variance = slopes["se"].to_numpy(float) ** 2
    result = combine_effects(slopes["coef"].to_numpy(float), variance, method_re="iterated")
    tau2 = float(result.tau2)
    mu, var_mu = float(result.mean_effect_re), float(result.var_eff_w_re)
    weight = tau2 / (tau2 + variance)
    pooled = mu + weight * (slopes["coef"].to_numpy(float) - mu)
    pooled_var = weight * variance + (1 - weight) ** 2 * var_mu
    out = slopes.assign(pooled_coef=pooled, pooled_se=np.sqrt(pooled_var), weight=weight)
    return out, Slope(mu, float(np.sqrt(var_mu))), tau2


def _names(con: duckdb.DuckDBPyConnection, level: str) -> pd.DataFrame:
    return con.execute(read_sql("queries/territory_names"), [level]).df()


def investment_effects(con: duckdb.DuckDBPyConnection, level: str, profile: str = "tous") -> pd.DataFrame:
    """Investment effect of every territory of ``level`` (or the nation), in the reported unit.

    Returns
    -------
    DataFrame ``code, name, effect, lower, upper, supported, own_weight, schools,
    pooled_from_national``: ``effect`` a fraction of ENT visits per pupil for +10 € per pupil
    and per year sustained three budget years (0.05 = +5 %), its 90 % interval, ``supported``
    when the interval excludes 0; ``own_weight`` the weight of the territory's own data in its
    pooled estimate (0 = entirely borrowed); ``pooled_from_national`` for a territory with too
    few measured schools, reported at the pooled national value; ``mean_stock_eur`` the stock
    (€ per pupil, last measured school year) the effect is evaluated at. Territories without any
    measured school are left out.
    """
    if level not in LEVELS:
        raise EffectsInputError(f"Niveau « {level} » inconnu : choisissez parmi {', '.join(LEVELS)}.")
    panel = load_panel(con, profile)
    if level == "national":
        stock_eur = float(mean_stock(panel))
        effect, lower, upper = national_slope(panel).effect_at(stock_eur)
        row = {"code": "FR", "name": "France", "effect": effect, "lower": lower, "upper": upper}
        out = pd.DataFrame([row]).assign(
            own_weight=1.0, schools=panel["uai"].nunique(), pooled_from_national=False, mean_stock_eur=stock_eur
        )
    else:
        pooled, mean, _ = pool(territory_slopes(panel, level))
        column = LEVEL_COLUMNS[level]
        measured = panel.groupby(column)["uai"].nunique()
        names = _names(con, level)
        out = names[names["code"].isin(measured.index)].merge(pooled, on="code", how="left")
        borrowed = out["pooled_coef"].isna()
        out["pooled_coef"] = out["pooled_coef"].fillna(mean.coef)
        out["pooled_se"] = out["pooled_se"].fillna(mean.se)
        out["own_weight"] = out["weight"].fillna(0.0)
        out["schools"] = out["code"].map(measured).astype(int)
        out["pooled_from_national"] = borrowed
        out["mean_stock_eur"] = out["code"].map(mean_stock(panel, column)).astype(float)
        out["effect"] = to_effect(out["pooled_coef"], out["mean_stock_eur"])
        out["lower"] = to_effect(out["pooled_coef"] - Z * out["pooled_se"], out["mean_stock_eur"])
        out["upper"] = to_effect(out["pooled_coef"] + Z * out["pooled_se"], out["mean_stock_eur"])
    out["supported"] = (out["lower"] > 0) | (out["upper"] < 0)
    columns = [*OUTPUT_COLUMNS, "own_weight", "schools", "pooled_from_national", "mean_stock_eur"]
    return out[columns].reset_index(drop=True)


@dataclass(frozen=True)
class Response:
    """A territory's estimated response, in the reported unit (fractions, 90 % interval).

    ``mean_stock_eur`` is the stock (€ per pupil) the effect was evaluated at: with diminishing
    returns, +30 € count less on a larger stock.
    """

    effect: float
    lower: float
    upper: float
    pooled_from_national: bool
    mean_stock_eur: float = 0.0

    @property
    def slope(self) -> Slope:
        """Back to the log-slope per unit of dose (its interval read as normal)."""
        gain = float(dose_gain(self.mean_stock_eur))
        coef = np.log1p(self.effect) / gain
        se = (np.log1p(self.upper) - np.log1p(self.lower)) / (2 * Z * gain)
        return Slope(float(coef), float(se))


def response(con: duckdb.DuckDBPyConnection, level: str, code: str, profile: str = "tous") -> Response:
    """The estimated response of one territory (the national one for ``level="national"``)."""
    return response_from_table(investment_effects(con, level, profile), level, code)


def response_from_table(table: pd.DataFrame, level: str, code: str) -> Response:
    """The :class:`Response` of territory ``code`` in a table of :func:`investment_effects` of ``level``."""
    row = table[table["code"] == str(code)]
    if row.empty:
        raise EffectsInputError(
            f"Territoire « {level}:{code} » sans établissement mesuré dans l'entrepôt : aucun effet estimé. "
            "Choisissez un territoire dont les usages ENT sont mesurés."
        )
    r = row.iloc[0]
    return Response(
        float(r["effect"]),
        float(r["lower"]),
        float(r["upper"]),
        bool(r["pooled_from_national"]),
        float(r["mean_stock_eur"]),
    )


def scenario_change(resp: Response, extra_per_pupil: pd.Series) -> pd.DataFrame:
    """Expected change of use per school year for a change of investment.

    Parameters
    ----------
    resp : the territory's :class:`Response`.
    extra_per_pupil : extra investment in € per pupil, indexed by budget year (int).

    Returns
    -------
    DataFrame ``school_year, stock_change_eur, change, lower, upper``: the school year starting
    in September Y counts the extra spending of the budget years before Y (the lag the model
    estimates; the stock does not depreciate), and ``change`` is the expected fraction of
    ENT visits per pupil (0.01 = +1 %) with its 90 % interval: the extra stock is added to the
    territory's ``resp.mean_stock_eur`` through the dose (diminishing returns).
    """
    extra = extra_per_pupil.sort_index().astype(float)
    if extra.empty:
        return pd.DataFrame(columns=["school_year", "stock_change_eur", "change", "lower", "upper"])
    years = range(int(extra.index.min()) + 1, int(extra.index.max()) + 2)
    stock_eur = np.array([extra[extra.index < y].sum() for y in years])
    gain = dose_gain(resp.mean_stock_eur, stock_eur)
    slope = resp.slope
    low, high = slope.coef - Z * slope.se, slope.coef + Z * slope.se
    bounds = np.sort(np.vstack([np.expm1(gain * low), np.expm1(gain * high)]), axis=0)
    return pd.DataFrame(
        {
            "school_year": [f"{y}-{y + 1}" for y in years],
            "stock_change_eur": stock_eur,
            "change": np.expm1(gain * slope.coef),
            "lower": bounds[0],
            "upper": bounds[1],
        }
    )
