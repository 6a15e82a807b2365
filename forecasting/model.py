"""Prophet model of one territory's weekly ENT visits per pupil: the reference projection.

Prophet is fitted on the logarithm of use (additive mode), so every effect multiplies use
and a projection can never be negative::

    log(y(t) + ε) = trend(t) + holidays(t) + β_cov · x_cov(t) + noise

- ``ε`` = :data:`EPSILON` visit per pupil keeps empty weeks finite.
- ``holidays``: the school holidays of the territory's zone, week by week, and the
  spring-2020 lockdown as a special event (:mod:`forecasting.holidays`): a holiday week
  loses a share of the use, not a fixed number of visits.
- ``x_cov``: the share of écoles among the measured pupils (coverage composition), kept at
  its last value in the future; left out when it does not vary over the history.

Investment is deliberately not a regressor. A territory's yearly investment takes two to
seven distinct values that move with its trend, so a per-territory Prophet coefficient
confounds the two (it found "negative effects" in a third of the départements, and its yearly
steps made the reference jump at every rentrée). Scenarios instead apply the panel estimate of
:mod:`explorer.analysis.effects.investment` to this reference (:mod:`forecasting.projection`).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass

import numpy as np
import pandas as pd
from prophet import Prophet

from forecasting.errors import ModelStateError, SeriesTooShortError
from forecasting.holidays import prophet_holidays

COVERAGE = "ecole_share"
MIN_WEEKS = 52
HORIZON_END = pd.Timestamp("2031-08-31")  # end of school year 2030-2031
EPSILON = 0.01  # visits per pupil added before the logarithm
# Bump when the model's code changes what a fit gives: stored fits are then refitted.
# 3: the investment regressor is gone (the panel response carries scenarios).
MODEL_VERSION = 3


@dataclass(frozen=True)
class ModelSpec:
    """Settings of the model; their hash is part of every cache key."""

    use_coverage: bool = True
    changepoint_prior_scale: float = 0.05
    holidays_prior_scale: float = 10.0
    coverage_prior_scale: float = 10.0
    n_changepoints: int = 15
    interval_width: float = 0.9
    uncertainty_samples: int = 200

    def key(self) -> str:
        """Short stable hash of the settings."""
        text = json.dumps({**asdict(self), "version": MODEL_VERSION}, sort_keys=True)
        return hashlib.sha1(text.encode()).hexdigest()[:12]


def check_long_enough(history: pd.DataFrame) -> None:
    """Refuse (:class:`SeriesTooShortError`) a history of fewer than :data:`MIN_WEEKS` measured weeks."""
    weeks = int(history["y"].notna().sum())
    if weeks < MIN_WEEKS:
        raise SeriesTooShortError(
            f"Série trop courte : {weeks} semaines mesurées (au moins {MIN_WEEKS} nécessaires) ; "
            "choisissez un territoire mesuré depuis plus longtemps."
        )


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
    regressors_ : the regressors kept (``ecole_share`` when it varies over the history).
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
        for name in regressors:
            model.add_regressor(name, prior_scale=spec.coverage_prior_scale, mode="additive")
        return model

    def fit(self, history: pd.DataFrame) -> UsageForecaster:
        """Fit on ``history``.

        Parameters
        ----------
        history : DataFrame ``ds`` (datetime64, weekly), ``y`` (float, visits per pupil),
            ``ecole_share`` (float 0–1); other columns are ignored.

        Raises :class:`SeriesTooShortError` below :data:`MIN_WEEKS` weeks.
        """
        missing = {"ds", "y", COVERAGE} - set(history.columns)
        if missing:
            raise ModelStateError(
                f"Historique incomplet : colonne(s) manquante(s) {', '.join(sorted(missing))} "
                f"(attendu ds, y, {COVERAGE})."
            )
        history = history.dropna(subset=["y"]).reset_index(drop=True)
        check_long_enough(history)
        wanted = [COVERAGE] * self.spec.use_coverage
        self.regressors_ = [name for name in wanted if history[name].nunique() > 1]
        holidays = prophet_holidays(history["ds"].min(), HORIZON_END, self.zone)
        self.prophet_ = self._prophet(self.regressors_, holidays)
        frame = history[["ds", *self.regressors_]].assign(y=np.log(history["y"].clip(lower=0) + EPSILON))
        self.prophet_.fit(frame)
        self.last_coverage_ = float(history[COVERAGE].iloc[-1])
        return self

    def predict(self, future: pd.DataFrame) -> pd.DataFrame:
        """Projection of ``future``.

        Parameters
        ----------
        future : DataFrame ``ds`` (weekly); ``ecole_share`` is optional (the last observed
            share is kept when absent).

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
        # a rerun (or a restored model) gives the same bands.
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
