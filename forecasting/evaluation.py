"""Rolling-origin backtest: Prophet with and without the investment regressor against a
seasonal-naive forecast, scored with MASE and sMAPE on visits per pupil.

Cutoffs every :data:`PERIOD` from :data:`INITIAL` of history on; each cutoff refits the
model on the weeks before it (Prophet's ``cross_validation``) and forecasts the next
:data:`HORIZON`. The seasonal-naive forecast of a week is the value observed 52 weeks earlier
(always before the cutoff, since the horizon is 52 weeks).
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd
from prophet.diagnostics import cross_validation

from forecasting.errors import SeriesTooShortError
from forecasting.model import EPSILON, ModelSpec, UsageForecaster

INITIAL = pd.Timedelta(weeks=52)
PERIOD = pd.Timedelta(weeks=26)
HORIZON = pd.Timedelta(weeks=52)
SEASON = pd.Timedelta(weeks=52)
MODELS = ("prophet_investment", "prophet", "seasonal_naive")


def smape(actual: np.ndarray, forecast: np.ndarray) -> float:
    """Symmetric MAPE in %: mean of 2|F−A| / (|A|+|F|) × 100, weeks where both are 0 left out."""
    actual, forecast = np.asarray(actual, float), np.asarray(forecast, float)
    den = np.abs(actual) + np.abs(forecast)
    keep = den > 0
    return float(np.mean(2 * np.abs(forecast - actual)[keep] / den[keep]) * 100) if keep.any() else float("nan")


def mase(actual: np.ndarray, forecast: np.ndarray, scale: np.ndarray | float) -> float:
    """Mean absolute error over the in-sample MAE of the 52-week seasonal-naive forecast.

    ``scale`` is that in-sample MAE, per forecast point (it depends on the cutoff).
    """
    actual, forecast = np.asarray(actual, float), np.asarray(forecast, float)
    return float(np.mean(np.abs(forecast - actual) / scale))


def seasonal_naive(history: pd.DataFrame, dates: pd.Series) -> np.ndarray:
    """The value of 52 weeks before each date (NaN when that week is not in ``history``)."""
    values = history.set_index("ds")["y"]
    return values.reindex(pd.DatetimeIndex(dates) - SEASON).to_numpy()


def naive_scale(history: pd.DataFrame, cutoff: pd.Timestamp) -> float:
    """In-sample MAE of the seasonal-naive forecast on the weeks up to ``cutoff``."""
    known = history[history["ds"] <= cutoff]
    previous = seasonal_naive(known, known["ds"])
    errors = np.abs(known["y"].to_numpy() - previous)
    return float(np.nanmean(errors))


def _cv(forecaster: UsageForecaster) -> pd.DataFrame:
    cv = cross_validation(
        forecaster.prophet_,
        initial=f"{INITIAL.days} days",
        period=f"{PERIOD.days} days",
        horizon=f"{HORIZON.days} days",
        disable_tqdm=True,
    )
    # back from the logarithm the model is fitted on
    cv["yhat"] = np.clip(np.exp(cv["yhat"]) - EPSILON, 0.0, None)
    return cv[["ds", "cutoff", "yhat"]]


def backtest(history: pd.DataFrame, zone: str, spec: ModelSpec | None = None) -> pd.DataFrame:
    """MASE and sMAPE of the three models on one territory's history.

    Parameters
    ----------
    history : :func:`forecasting.projection.history_frame` output (``ds, y, investment,
        ecole_share``).
    zone : holiday zone of the territory.

    Returns
    -------
    DataFrame ``model`` (:data:`MODELS`), ``mase``, ``smape``, ``cutoffs``, ``points``.
    Raises :class:`SeriesTooShortError` when the history is shorter than ``INITIAL + HORIZON``.
    """
    spec = spec or ModelSpec()
    span = history["ds"].max() - history["ds"].min()
    if span < INITIAL + HORIZON:
        raise SeriesTooShortError(
            f"Historique trop court pour un backtest : {len(history)} semaines, il en faut au moins "
            f"{(INITIAL + HORIZON).days // 7 + 1} (un an d'apprentissage, un an de prévision)."
        )
    fits = {
        "prophet_investment": UsageForecaster(spec, zone).fit(history),
        "prophet": UsageForecaster(replace(spec, use_investment=False), zone).fit(history),
    }
    results = {name: _cv(f) for name, f in fits.items()}
    base = results["prophet_investment"]
    actual = history.set_index("ds")["y"].reindex(base["ds"]).to_numpy()
    scales = {c: naive_scale(history, c) for c in base["cutoff"].unique()}
    scale = base["cutoff"].map(scales).to_numpy()
    results["seasonal_naive"] = base.assign(yhat=seasonal_naive(history, base["ds"]))
    rows = []
    for name in MODELS:
        forecast = (
            results[name].set_index(["cutoff", "ds"])["yhat"].reindex(pd.MultiIndex.from_frame(base[["cutoff", "ds"]]))
        )
        rows.append(
            {
                "model": name,
                "mase": mase(actual, forecast.to_numpy(), scale),
                "smape": smape(actual, forecast.to_numpy()),
                "cutoffs": int(base["cutoff"].nunique()),
                "points": len(base),
            }
        )
    return pd.DataFrame(rows)
