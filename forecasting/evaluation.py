"""Rolling-origin backtest of the reference model against a seasonal-naive forecast, scored
with MASE and sMAPE on visits per pupil.

Cutoffs every :data:`PERIOD`, the first after :data:`INITIAL` of history (one school year,
September to June), the last :data:`HORIZON` before the end; each cutoff refits the model on
the weeks before it (Prophet's ``cross_validation``) and forecasts the next :data:`HORIZON`.
A territory needs :data:`MIN_SPAN` of history — two school years, from a rentrée to the end
of June of the year after next — for one cutoff.

The seasonal-naive forecast of a week is the value observed 52 weeks earlier. Both models are
scored on the same weeks: the forecast weeks whose value of a year before is observed. With
two school years of history that is the second school year, forecast from the end of the
first (its summer has no year-ago value), so the backtest then measures a one-year-ahead
forecast of a school year's term weeks and short holidays.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from prophet.diagnostics import cross_validation

from forecasting.errors import SeriesTooShortError
from forecasting.model import EPSILON, ModelSpec, UsageForecaster

INITIAL = pd.Timedelta(weeks=40)
PERIOD = pd.Timedelta(weeks=26)
HORIZON = pd.Timedelta(weeks=52)
SEASON = pd.Timedelta(weeks=52)
MIN_SPAN = INITIAL + HORIZON  # 92 weeks: two school years, September Y to June Y+2
MODELS = ("prophet", "seasonal_naive")


def smape(actual: np.ndarray, forecast: np.ndarray) -> float:
    """Symmetric MAPE in %: mean of 2|F−A| / (|A|+|F|) × 100, weeks where both are 0 left out."""
    actual, forecast = np.asarray(actual, float), np.asarray(forecast, float)
    den = np.abs(actual) + np.abs(forecast)
    keep = den > 0
    return float(np.mean(2 * np.abs(forecast - actual)[keep] / den[keep]) * 100) if keep.any() else float("nan")


def mase(actual: np.ndarray, forecast: np.ndarray, scale: np.ndarray | float) -> float:
    """Mean absolute error over ``scale``, the MAE of the 52-week seasonal-naive forecast."""
    actual, forecast = np.asarray(actual, float), np.asarray(forecast, float)
    return float(np.mean(np.abs(forecast - actual) / scale))


def seasonal_naive(history: pd.DataFrame, dates: pd.Series) -> np.ndarray:
    """The value of 52 weeks before each date (NaN when that week is not in ``history``)."""
    values = history.set_index("ds")["y"]
    return values.reindex(pd.DatetimeIndex(dates) - SEASON).to_numpy()


def naive_scale(history: pd.DataFrame) -> float:
    """MAE of the seasonal-naive forecast over the whole history (weeks with a year-ago value).

    Over the whole series rather than before each cutoff: with two school years there is no
    year-ago value before the first cutoff. The scale only normalises the errors; no forecast
    sees the weeks after its cutoff.
    """
    previous = seasonal_naive(history, history["ds"])
    return float(np.nanmean(np.abs(history["y"].to_numpy() - previous)))


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
    """MASE and sMAPE of the reference model and of the seasonal naive on one territory.

    Parameters
    ----------
    history : :func:`forecasting.projection.history_frame` output (``ds, y, ecole_share``).
    zone : holiday zone of the territory.

    Returns
    -------
    DataFrame ``model`` (:data:`MODELS`), ``mase``, ``smape``, ``cutoffs``, ``points``.
    Raises :class:`SeriesTooShortError` when the history spans less than :data:`MIN_SPAN`.
    """
    span = history["ds"].max() - history["ds"].min()
    if span < MIN_SPAN:
        raise SeriesTooShortError(
            f"Historique trop court pour un backtest : {len(history)} semaines, il en faut au moins "
            f"{MIN_SPAN.days // 7 + 1} (deux années scolaires : une pour apprendre, la suivante à prévoir)."
        )
    prophet = _cv(UsageForecaster(spec or ModelSpec(), zone).fit(history))
    naive = seasonal_naive(history, prophet["ds"])
    scored = prophet.assign(naive=naive)[~np.isnan(naive)]
    actual = history.set_index("ds")["y"].reindex(scored["ds"]).to_numpy()
    scale = naive_scale(history)
    rows = []
    for name, forecast in (("prophet", scored["yhat"]), ("seasonal_naive", scored["naive"])):
        rows.append(
            {
                "model": name,
                "mase": mase(actual, forecast.to_numpy(), scale),
                "smape": smape(actual, forecast.to_numpy()),
                "cutoffs": int(scored["cutoff"].nunique()),
                "points": len(scored),
            }
        )
    return pd.DataFrame(rows)
