"""Projection of a territory under a baseline and investment scenarios, to school year 2030-2031.

Baseline: investment per pupil continues at the mean of the last three budget years of the
data. A scenario adds its changes to that path (a cut never takes a year below zero). The
weekly regressor follows from the path (:func:`forecasting.series.investment_regressor`), and
the fitted model projects each path; the difference between a scenario and the baseline is
``exp(ŷ_log,baseline) × (exp(β × Δregressor) − 1)``, with the interval of ``β``
(:class:`forecasting.model.Effect`).
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb
import numpy as np
import pandas as pd

from explorer.geo import school_calendar as cal
from explorer.vocabulary import LEVEL_LABELS
from forecasting import series
from forecasting.errors import ScenarioError
from forecasting.model import COVERAGE, HORIZON_END, INVESTMENT, Effect, ModelSpec, UsageForecaster
from forecasting.scenario import BASELINE, Scenario
from forecasting.serialize import forecaster_from_json, forecaster_to_json
from forecasting.store import ForecastStore

BASELINE_YEARS = 3  # baseline: mean investment per pupil of the last three budget years
LAST_BUDGET_YEAR = HORIZON_END.year


@dataclass
class TerritoryFit:
    """A territory's history and its fitted model."""

    level: str
    code: str
    name: str
    zone: str
    profile: str | None
    history: pd.DataFrame  # ds, y, investment, ecole_share, measured_schools
    annual: pd.Series  # € per pupil by budget year
    model: UsageForecaster

    @property
    def label(self) -> str:
        return f"{LEVEL_LABELS[self.level]} {self.name} ({self.code})"


@dataclass
class Projection:
    """What a projection shows: weekly forecasts, investment paths, yearly differences, effect."""

    fit: TerritoryFit
    forecast: pd.DataFrame  # date, scenario, yhat, yhat_lower, yhat_upper, yhat_log, investment
    paths: pd.DataFrame  # year, scenario, invest_per_pupil
    differences: pd.DataFrame  # scenario, school_year, baseline, value, difference, lower, upper
    effect: Effect | None

    def csv_frame(self) -> pd.DataFrame:
        """The CLI's CSV: one row per date and scenario (the baseline under ``baseline``)."""
        return self.forecast[["date", "scenario", "yhat", "yhat_lower", "yhat_upper"]]


def history_frame(weeks: pd.DataFrame, annual: pd.Series) -> pd.DataFrame:
    """Model input of one territory from its weekly series and its € per pupil by year."""
    frame = weeks[["ds", "y", "measured_schools", COVERAGE]].reset_index(drop=True)
    frame[INVESTMENT] = series.investment_regressor(annual, frame["ds"])
    return frame


def fit_history(
    level: str,
    code: str,
    name: str,
    zone: str,
    profile: str | None,
    weeks: pd.DataFrame,
    annual: pd.Series,
    spec: ModelSpec,
    model_json: str | None = None,
) -> TerritoryFit:
    """Fit (or restore from ``model_json``) the model of one territory; no database access.

    ``weeks``: :func:`forecasting.series.weekly_series` rows of the territory;
    ``annual``: € per pupil by budget year.
    """
    label = f"{LEVEL_LABELS[level]} {name} ({code})"
    series.check_enough_schools(weeks, label)
    history = history_frame(weeks, annual)
    if model_json is not None:
        model = forecaster_from_json(model_json)
    else:
        model = UsageForecaster(spec, zone=zone).fit(history)
    return TerritoryFit(level, code, name, zone, profile, history, annual, model)


def fit_territory(
    con: duckdb.DuckDBPyConnection,
    level: str,
    code: str,
    profile: str | None = None,
    spec: ModelSpec | None = None,
    store: ForecastStore | None = None,
) -> TerritoryFit:
    """Read a territory's series from the warehouse and fit its model (or reuse the stored one)."""
    spec = spec or ModelSpec()
    info = series.territories(con, level, code).iloc[0]
    weeks = series.weekly_series(con, level, code, profile)
    annual = series.annual_investment(con, level, code).set_index("year")["invest_per_pupil"]
    stored = store.get_model(level, code, profile, spec.key()) if store else None
    fit = fit_history(level, code, info["name"], info["holiday_zone"], profile, weeks, annual, spec, stored)
    if store and stored is None:
        store.put_models([(level, code, profile, spec.key(), forecaster_to_json(fit.model))])
    return fit


def investment_path(annual: pd.Series, scenario: Scenario | None = None) -> pd.Series:
    """€ per pupil of every budget year up to :data:`LAST_BUDGET_YEAR`: the data, then the
    baseline continuation, plus the scenario's changes (floored at zero).

    Raises :class:`ScenarioError` for a change that starts in a year the data already cover.
    """
    last = int(annual.index.max())
    future = range(last + 1, LAST_BUDGET_YEAR + 1)
    level = float(annual.sort_index().iloc[-BASELINE_YEARS:].mean())
    path = pd.concat([annual.sort_index().astype(float), pd.Series(level, index=list(future))])
    if scenario is None:
        return path
    for i, change in enumerate(scenario.changes):
        if change.from_year <= last:
            raise ScenarioError(
                f"changes[{i}].from_year",
                f"{change.from_year} est une année déjà connue (données jusqu'à {last}) : "
                f"un scénario commence en {last + 1} au plus tôt.",
            )
    deltas = scenario.deltas(future)
    path.loc[list(future)] = (path.loc[list(future)] + deltas).clip(lower=0.0)
    return path


def future_weeks(fit: TerritoryFit) -> pd.DatetimeIndex:
    """Weeks after the last observed one, up to :data:`HORIZON_END`."""
    last = fit.history["ds"].max()
    return cal.mondays((last + pd.Timedelta(days=7)).date(), HORIZON_END.date())


def project(fit: TerritoryFit, scenarios: list[Scenario] | tuple[Scenario, ...] = ()) -> Projection:
    """Baseline and scenario projections of a fitted territory.

    Returns a :class:`Projection`; ``forecast`` has one row per week and scenario
    (``scenario = "baseline"`` for the baseline), in visits per pupil per week.
    """
    names = [s.name for s in scenarios]
    if len(set(names)) != len(names) or BASELINE in names:
        raise ScenarioError("name", f"noms de scénarios en double ou réservés : {', '.join(names)}.")
    weeks = future_weeks(fit)
    paths, forecasts = [], []
    baseline = None
    for scenario in (None, *scenarios):
        name = BASELINE if scenario is None else scenario.name
        path = investment_path(fit.annual, scenario)
        paths.append(pd.DataFrame({"year": path.index.astype(int), "scenario": name, "invest_per_pupil": path.values}))
        x = series.investment_regressor(path, weeks)
        if baseline is None:
            out = baseline = fit.model.predict(pd.DataFrame({"ds": weeks, INVESTMENT: x}))
            baseline_x = x
        else:  # same weeks, regressor moved: Prophet's numbers without a second predict
            out = fit.model.shift(baseline, x - baseline_x)
        out = out.assign(scenario=name, **{INVESTMENT: x})
        forecasts.append(out)
    forecast = pd.concat(forecasts, ignore_index=True).rename(columns={"ds": "date"})
    return Projection(
        fit, forecast, pd.concat(paths, ignore_index=True), _differences(forecast, fit.model.effect_), fit.model.effect_
    )


def _differences(forecast: pd.DataFrame, effect: Effect | None) -> pd.DataFrame:
    """Mean weekly use per school year, scenario vs baseline, with the effect's interval.

    Only school years whose weeks are all projected are kept.
    """
    columns = ["scenario", "school_year", "baseline", "value", "difference", "lower", "upper"]
    base = forecast[forecast["scenario"] == BASELINE].set_index("date")
    lo, hi = (effect.lower, effect.upper) if effect and effect.varied else (0.0, 0.0)
    rows = []
    for name, frame in forecast[forecast["scenario"] != BASELINE].groupby("scenario", sort=False):
        frame = frame.set_index("date")
        delta_x = (frame[INVESTMENT] - base[INVESTMENT]).to_numpy()
        level = np.exp(base["yhat_log"].to_numpy())  # difference = level × (exp(β Δx) − 1)
        table = pd.DataFrame(
            {
                "school_year": cal.school_year_of(frame.index),
                "baseline": base["yhat"],
                "value": frame["yhat"],
                "low": level * np.expm1(lo * delta_x),
                "high": level * np.expm1(hi * delta_x),
            },
            index=frame.index,
        )
        yearly = table.groupby("school_year").agg(
            baseline=("baseline", "mean"),
            value=("value", "mean"),
            low=("low", "mean"),
            high=("high", "mean"),
            weeks=("value", "size"),
        )
        yearly = yearly[yearly["weeks"] >= 52]
        yearly["difference"] = yearly["value"] - yearly["baseline"]
        yearly["lower"] = np.minimum(yearly["low"], yearly["high"])
        yearly["upper"] = np.maximum(yearly["low"], yearly["high"])
        rows.append(yearly.reset_index().assign(scenario=name))
    if not rows:
        return pd.DataFrame(columns=columns)
    return pd.concat(rows, ignore_index=True)[columns]
