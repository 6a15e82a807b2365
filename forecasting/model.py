"""Prophet model of one territory's weekly ENT visits per pupil, with investment as a regressor.

Prophet is fitted on the logarithm of use (additive mode), so every effect multiplies use
and a projection can never be negative::

    log(y(t) + ε) = trend(t) + holidays(t) + β_inv · x_inv(t) + β_cov · x_cov(t) + noise

- ``ε`` = :data:`EPSILON` visit per pupil keeps empty weeks finite.
- ``holidays``: the school holidays of the territory's zone, week by week, and the
  spring-2020 lockdown as a special event (:mod:`forecasting.holidays`): a holiday week
  loses a share of the use, not a fixed number of visits.
- ``x_inv``: mean investment per pupil and per year over the three budget years before the
  school year (:func:`forecasting.series.investment_regressor`), so ``exp(β_inv) − 1`` is the
  relative change of use for one more euro per pupil and per year, sustained three years.
- ``x_cov``: the share of écoles among the measured pupils (coverage composition).

A regressor that does not vary over the history is left out (its effect cannot be estimated).
The effect of investment comes with an interval from a Laplace approximation at Prophet's
MAP fit (see :func:`coefficient_interval`).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass

import numpy as np
import pandas as pd
from prophet import Prophet
from scipy import stats

from forecasting.errors import ModelStateError, SeriesTooShortError
from forecasting.holidays import prophet_holidays

INVESTMENT = "investment"
COVERAGE = "ecole_share"
MIN_WEEKS = 52
HORIZON_END = pd.Timestamp("2031-08-31")  # end of school year 2030-2031
EPSILON = 0.01  # visits per pupil added before the logarithm
MODEL_VERSION = 2  # bump when the model's code changes what a fit gives: stored fits are then refitted


@dataclass(frozen=True)
class ModelSpec:
    """Settings of the model; their hash is part of every cache key."""

    use_investment: bool = True
    use_coverage: bool = True
    changepoint_prior_scale: float = 0.05
    holidays_prior_scale: float = 10.0
    # Shrinks the investment effect towards zero: in the backtest a loose prior (10) let a
    # regressor with two or three distinct yearly values swing the forecasts (MASE 1.3 against
    # 0.5 with 0.02 on the demo's départements 01 and 75); the data must speak for an effect.
    investment_prior_scale: float = 0.02
    coverage_prior_scale: float = 10.0
    n_changepoints: int = 15
    interval_width: float = 0.9
    uncertainty_samples: int = 200

    def key(self) -> str:
        """Short stable hash of the settings."""
        text = json.dumps({**asdict(self), "version": MODEL_VERSION}, sort_keys=True)
        return hashlib.sha1(text.encode()).hexdigest()[:12]


@dataclass(frozen=True)
class Effect:
    """Estimated effect of investment on the log of use, per € per pupil and per year.

    ``coef`` is the MAP estimate; ``lower``/``upper`` bound the interval of level ``level``.
    ``supported`` is false when the interval contains 0 or the regressor did not vary.
    """

    coef: float
    lower: float
    upper: float
    level: float
    varied: bool

    @property
    def supported(self) -> bool:
        return self.varied and (self.lower > 0 or self.upper < 0)

    def relative(self, euros: float) -> tuple[float, float, float]:
        """Relative change of use (0.05 = +5 %) for ``euros`` more per pupil and per year
        sustained three years: estimate, lower and upper bounds."""
        values = sorted(float(np.expm1(b * euros)) for b in (self.lower, self.upper))
        return float(np.expm1(self.coef * euros)), values[0], values[1]


def coefficient_interval(model: Prophet, name: str, level: float) -> tuple[float, float, float]:
    """MAP coefficient of regressor ``name`` and its interval, in the regressor's own unit.

    Prophet's MAP fit gives no uncertainty on regressor coefficients (only MCMC does, at
    tens of seconds a fit). This uses the Laplace approximation of the posterior at the MAP:
    the model is linearised in all its parameters (slope, offset, changepoint deltas and
    every seasonal, holiday and regressor coefficient), the Gaussian priors add their
    precision (the Laplace prior of the deltas its variance-matched Gaussian ``2τ²``), and
    the standard deviation is inflated by ``√((1+ρ)/(1−ρ))`` for residual autocorrelation
    ρ (lag one week), which weekly series always have.

    Returns
    -------
    (coef, lower, upper) in the unit of the fitted ``y`` per unit of the regressor.
    """
    hist = model.history
    if hist is None or model.y_scale is None:
        raise ModelStateError("Le modèle n'est pas encore ajusté : appelez fit() avant effect_interval().")
    t = hist["t"].to_numpy()
    y = hist["y_scaled"].to_numpy()
    features, prior_scales, component_cols, _ = model.make_all_seasonality_features(hist)
    x = features.to_numpy()
    s_m = component_cols["multiplicative_terms"].to_numpy()
    s_a = component_cols["additive_terms"].to_numpy()
    k = float(model.params["k"][0, 0])
    m = float(model.params["m"][0, 0])
    delta = np.asarray(model.params["delta"][0], dtype=float)
    beta = np.asarray(model.params["beta"][0], dtype=float)
    sigma = float(model.params["sigma_obs"][0, 0])
    cps = np.asarray(model.changepoints_t, dtype=float)
    a = (t[:, None] >= cps[None, :]).astype(float)
    trend = (k + a @ delta) * t + (m + a @ (-cps * delta))
    mult = 1 + (x * s_m) @ beta
    fitted = trend * mult + (x * s_a) @ beta
    jac = np.column_stack(
        [
            t * mult,
            mult,
            a * (t[:, None] - cps[None, :]) * mult[:, None],
            x * (s_m[None, :] * trend[:, None] + s_a[None, :]),
        ]
    )
    tau = model.changepoint_prior_scale
    prior = np.concatenate([[1 / 25, 1 / 25], np.full(len(cps), 1 / (2 * tau**2)), 1 / np.square(prior_scales)])
    hessian = jac.T @ jac / sigma**2 + np.diag(prior)
    cov = np.linalg.pinv(hessian)
    col = 2 + len(cps) + list(features.columns).index(name)
    resid = y - fitted
    rho = float(np.corrcoef(resid[:-1], resid[1:])[0, 1]) if len(resid) > 2 and resid.std() > 0 else 0.0
    rho = min(max(rho, 0.0), 0.95)
    sd = float(np.sqrt(max(cov[col, col], 0.0))) * np.sqrt((1 + rho) / (1 - rho))
    props = model.extra_regressors[name]
    # back to the unit of y per unit of the regressor, as prophet.utilities.regressor_coefficients
    unit = (model.y_scale if props["mode"] == "additive" else 1.0) / float(props["std"])
    z = float(stats.norm.ppf(0.5 + level / 2))
    b = float(beta[list(features.columns).index(name)])
    return b * unit, (b - z * sd) * unit, (b + z * sd) * unit


class UsageForecaster:
    """Prophet wrapper for one territory (scikit-learn conventions).

    Parameters
    ----------
    spec : the model settings.
    zone : holiday zone of the territory (``A``, ``B``, ``C``, ``Corse``, ``Outre-mer``).
    random_state : seed of the uncertainty sampling of :meth:`predict`.

    Attributes (after :meth:`fit`)
    ------------------------------
    prophet_ : the fitted ``Prophet`` model.
    regressors_ : the regressors kept (those that vary over the history).
    effect_ : :class:`Effect` of investment, or None when ``use_investment`` is false.
    last_coverage_ : the last observed share of écoles among measured pupils.
    """

    def __init__(self, spec: ModelSpec | None = None, zone: str = "B", random_state: int = 0):
        self.spec = spec or ModelSpec()
        self.zone = zone
        self.random_state = random_state

    def _prophet(self, regressors: list[str], holidays: pd.DataFrame) -> Prophet:
        spec = self.spec
        model = Prophet(
            growth="linear",
            n_changepoints=spec.n_changepoints,
            changepoint_prior_scale=spec.changepoint_prior_scale,
            yearly_seasonality=False,  # the holidays of the zone carry the school-year pattern
            weekly_seasonality=False,
            daily_seasonality=False,
            holidays=holidays,
            holidays_prior_scale=spec.holidays_prior_scale,
            seasonality_mode="additive",  # on log(y + ε): effects multiply use
            interval_width=spec.interval_width,
            uncertainty_samples=spec.uncertainty_samples,
        )
        scales = {INVESTMENT: spec.investment_prior_scale, COVERAGE: spec.coverage_prior_scale}
        for name in regressors:
            model.add_regressor(name, prior_scale=scales[name], mode="additive")
        return model

    def fit(self, history: pd.DataFrame) -> UsageForecaster:
        """Fit on ``history``.

        Parameters
        ----------
        history : DataFrame ``ds`` (datetime64, weekly), ``y`` (float, visits per pupil),
            ``investment`` (float, € per pupil per year), ``ecole_share`` (float 0–1).

        Raises :class:`SeriesTooShortError` below :data:`MIN_WEEKS` weeks.
        """
        missing = {"ds", "y", INVESTMENT, COVERAGE} - set(history.columns)
        if missing:
            raise ModelStateError(
                f"Historique incomplet : colonne(s) manquante(s) {', '.join(sorted(missing))} "
                f"(attendu ds, y, {INVESTMENT}, {COVERAGE})."
            )
        history = history.dropna(subset=["y", INVESTMENT]).reset_index(drop=True)
        if len(history) < MIN_WEEKS:
            raise SeriesTooShortError(
                f"Série trop courte : {len(history)} semaines mesurées (au moins {MIN_WEEKS} nécessaires) ; "
                "choisissez un territoire mesuré depuis plus longtemps."
            )
        wanted = [INVESTMENT] * self.spec.use_investment + [COVERAGE] * self.spec.use_coverage
        self.regressors_ = [name for name in wanted if history[name].nunique() > 1]
        holidays = prophet_holidays(history["ds"].min(), HORIZON_END, self.zone)
        self.prophet_ = self._prophet(self.regressors_, holidays)
        frame = history[["ds", *self.regressors_]].assign(y=np.log(history["y"].clip(lower=0) + EPSILON))
        self.prophet_.fit(frame)
        self.last_coverage_ = float(history[COVERAGE].iloc[-1])
        self.effect_ = self._effect() if self.spec.use_investment else None
        return self

    def _effect(self) -> Effect:
        if INVESTMENT not in self.regressors_:
            return Effect(0.0, 0.0, 0.0, self.spec.interval_width, varied=False)
        coef, lower, upper = coefficient_interval(self.prophet_, INVESTMENT, self.spec.interval_width)
        return Effect(coef, lower, upper, self.spec.interval_width, varied=True)

    def predict(self, future: pd.DataFrame) -> pd.DataFrame:
        """Projection of ``future``.

        Parameters
        ----------
        future : DataFrame ``ds`` (weekly) and ``investment`` (€ per pupil per year);
            ``ecole_share`` is optional (the last observed share is kept when absent).

        Returns
        -------
        DataFrame ``ds, yhat, yhat_lower, yhat_upper`` (visits per pupil, back from the
        logarithm, never negative) and ``yhat_log, lower_log, upper_log`` (the model's own
        scale); the intervals
        have level ``spec.interval_width`` (trend and noise uncertainty, Prophet's sampling).
        """
        frame = future[["ds"]].copy()
        for name in self.regressors_:
            frame[name] = future[name].to_numpy() if name in future else self.last_coverage_
        # Prophet samples the trend uncertainty with numpy's global generator: seed it so that
        # the baseline and a scenario see the same trend paths, and a rerun the same bands.
        np.random.seed(self.random_state)
        out = self.prophet_.predict(frame)
        return self._back_transform(out["ds"], out["yhat"], out["yhat_lower"], out["yhat_upper"])

    @staticmethod
    def _back_transform(ds: pd.Series, mid: pd.Series, lower: pd.Series, upper: pd.Series) -> pd.DataFrame:
        result = pd.DataFrame({"ds": ds.to_numpy(), "yhat_log": mid.to_numpy()})
        for col, values in (("yhat", mid), ("yhat_lower", lower), ("yhat_upper", upper)):
            result[col] = np.clip(np.exp(values.to_numpy()) - EPSILON, 0.0, None)
        result["lower_log"] = lower.to_numpy()
        result["upper_log"] = upper.to_numpy()
        return result[["ds", "yhat", "yhat_lower", "yhat_upper", "yhat_log", "lower_log", "upper_log"]]

    def shift(self, baseline: pd.DataFrame, delta_investment: np.ndarray) -> pd.DataFrame:
        """The projection of :meth:`predict` for the same weeks with the investment regressor
        moved by ``delta_investment``, without predicting again.

        The regressor enters the log of use linearly and identically in every uncertainty
        sample, so the scenario's estimate and bounds are the baseline's shifted by
        ``coef × Δx`` on the log scale: the same numbers as a second ``predict`` with the same
        seed, at half the cost (a batch projects every territory under every scenario).
        """
        coef = self.effect_.coef if self.effect_ is not None and INVESTMENT in self.regressors_ else 0.0
        move = coef * np.asarray(delta_investment, dtype=float)
        return self._back_transform(
            baseline["ds"], baseline["yhat_log"] + move, baseline["lower_log"] + move, baseline["upper_log"] + move
        )
