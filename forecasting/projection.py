"""Projection of a territory to school year 2030-2031: Prophet's reference, then scenarios
through the panel's estimated response to investment.

**Reference**: what Prophet projects from the territory's own series (trend, holidays of the
zone, the 2020 lockdown, coverage of the measured schools). Investment per pupil is assumed
to continue at the mean of the last three budget years of the data (:func:`investment_path`);
the reference does not read it, it is the path a scenario departs from.

**Scenario**: its extra € per pupil by budget year (its path minus the reference path, so
that a cut floored at zero counts what is really cut) goes through
:func:`explorer.analysis.effects.investment.scenario_change` with the territory's
:class:`~explorer.analysis.effects.investment.Response` (the panel estimate shown on the
Investissement → usage page): an expected fraction ``c`` of use per school year with its
90 % interval ``[c_lo, c_hi]``. Each week of that school year::

    scenario = reference × (1 + c)
    lower    = reference_lower × (1 + c_lo)
    upper    = reference_upper × (1 + c_hi)

Multiplying the bounds carries both uncertainties (the reference's trend and noise, the
response's estimate); it is conservative — treating them as independent would give a
narrower band — which is the safe side for a planner.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import duckdb
import pandas as pd

from explorer.analysis.effects.investment import Response, scenario_change
from explorer.geo import school_calendar as cal
from explorer.vocabulary import LEVEL_LABELS
from forecasting import series
from forecasting.errors import ForecastTerritoryError, ScenarioError, SeriesTooShortError
from forecasting.evaluation import HORIZON
from forecasting.model import COVERAGE, HORIZON_END, ModelSpec, UsageForecaster, check_long_enough
from forecasting.pupils import funded_shares
from forecasting.scenario import BASELINE, LAST_BUDGET_YEAR, Scenario
from forecasting.serialize import forecaster_from_json, forecaster_to_json
from forecasting.store import ForecastStore

BASELINE_YEARS = 3  # reference path: mean investment per pupil of the last three budget years
CHANGE_COLUMNS = ["scenario", "school_year", "stock_change_eur", "change", "lower", "upper"]
DIFFERENCE_COLUMNS = [
    "scenario",
    "school_year",
    "baseline",
    "value",
    "difference",
    "lower",
    "upper",
    "backtested_share",
]


@dataclass
class TerritoryFit:
    """A territory's history and its fitted model."""

    level: str
    code: str
    name: str
    zone: str
    profile: str | None
    history: pd.DataFrame  # ds, y, ecole_share, measured_schools
    annual: pd.Series  # € per pupil by budget year
    model: UsageForecaster
    # funder → share of the pupils in the schools it equips (forecasting.pupils), for the
    # scenarios counted « per collégien »; None when unknown (such a scenario is then refused)
    funded_shares: dict[str, float] | None = None

    @property
    def label(self) -> str:
        return f"{LEVEL_LABELS[self.level]} {self.name} ({self.code})"

    @property
    def backtested_until(self) -> pd.Timestamp:
        """Last week within the backtest's horizon (:data:`forecasting.evaluation.HORIZON`
        after the last observed week): further on, the projection has not been evaluated."""
        return pd.Timestamp(self.history["ds"].max()) + HORIZON


@dataclass
class Projection:
    """What a projection shows: weekly forecasts, investment paths, changes and differences."""

    fit: TerritoryFit
    forecast: pd.DataFrame  # date, scenario, yhat, yhat_lower, yhat_upper, school_year, backtested
    paths: pd.DataFrame  # year, scenario, invest_per_pupil
    changes: pd.DataFrame  # CHANGE_COLUMNS: the response's change per scenario and school year
    differences: pd.DataFrame  # DIFFERENCE_COLUMNS
    response: Response | None

    def csv_frame(self) -> pd.DataFrame:
        """The CLI's CSV: one row per date and scenario (the baseline under ``baseline``)."""
        return self.forecast[["date", "scenario", "yhat", "yhat_lower", "yhat_upper"]]


def history_frame(weeks: pd.DataFrame) -> pd.DataFrame:
    """Model input of one territory from its :func:`forecasting.series.weekly_series` rows."""
    return weeks[["ds", "y", "measured_schools", COVERAGE]].reset_index(drop=True)


def check_projectable(level: str, code: str, name: str, weeks: pd.DataFrame) -> pd.DataFrame:
    """The model input of ``weeks`` (:func:`history_frame`), or the French refusal of a territory
    that cannot be projected: no measured school at the end, too few measured weeks."""
    series.check_enough_schools(weeks, f"{LEVEL_LABELS[level]} {name} ({code})")
    history = history_frame(weeks)
    check_long_enough(history)
    return history


def refusal(con: duckdb.DuckDBPyConnection, level: str, code: str, name: str) -> str | None:
    """Why territory ``level:code`` cannot be projected, in French (None when it can): the checks
    of :func:`fit_history`, on its series of all profiles, without fitting."""
    try:
        check_projectable(level, code, name, series.weekly_series(con, level, code))
    except (ForecastTerritoryError, SeriesTooShortError) as err:
        return str(err)
    return None


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
    history = check_projectable(level, code, name, weeks)
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
    fit.funded_shares = funded_shares(con, level, code)
    if store and stored is None:
        store.put_models([(level, code, profile, spec.key(), forecaster_to_json(fit.model))])
    return fit


def investment_path(
    annual: pd.Series, scenario: Scenario | None = None, funded_shares: Mapping[str, float] | None = None
) -> pd.Series:
    """€ per pupil of every budget year up to :data:`LAST_BUDGET_YEAR`: the data, then the
    reference continuation, plus the scenario's changes (floored at zero), those counted per
    pupil of the funder's schools spread over the territory's pupils with ``funded_shares``.

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
    deltas = scenario.deltas(future, funded_shares)
    path.loc[list(future)] = (path.loc[list(future)] + deltas).clip(lower=0.0)
    return path


def future_weeks(fit: TerritoryFit) -> pd.DatetimeIndex:
    """Weeks after the last observed one, up to :data:`HORIZON_END`."""
    last = fit.history["ds"].max()
    return cal.mondays((last + pd.Timedelta(days=7)).date(), HORIZON_END.date())


def scenario_changes(
    annual: pd.Series, scenario: Scenario, response: Response, funded_shares: Mapping[str, float] | None = None
) -> pd.DataFrame:
    """The response's expected change of use per school year for ``scenario``.

    Returns
    -------
    DataFrame :data:`CHANGE_COLUMNS` (fractions: 0.01 = +1 %, 90 % interval), one row per
    school year from the one after the last budget year of the data.
    """
    base, path = investment_path(annual), investment_path(annual, scenario, funded_shares)
    future = path.index[path.index > int(annual.index.max())]
    extra = (path - base).loc[future]
    return scenario_change(response, extra).assign(scenario=scenario.name)[CHANGE_COLUMNS]


def project(
    fit: TerritoryFit,
    scenarios: list[Scenario] | tuple[Scenario, ...] = (),
    response: Response | None = None,
) -> Projection:
    """Reference and scenario projections of a fitted territory.

    Parameters
    ----------
    fit : the territory's fitted model.
    scenarios : investment scenarios; they need ``response``.
    response : the territory's estimated response to investment
        (:func:`explorer.analysis.effects.investment.response`, or on the pages
        ``ui.effects_data.territory_response``).

    Returns
    -------
    :class:`Projection`; ``forecast`` has one row per week and scenario (``scenario =
    "baseline"`` for the reference), in visits per pupil per week, ``backtested`` false for
    the weeks beyond :attr:`TerritoryFit.backtested_until`.
    """
    names = [s.name for s in scenarios]
    if len(set(names)) != len(names) or BASELINE in names:
        raise ScenarioError("name", f"noms de scénarios en double ou réservés : {', '.join(names)}.")
    if scenarios and response is None:
        raise ScenarioError(
            "changes",
            "aucune estimation de l'effet de l'investissement pour ce territoire : un scénario ne peut pas "
            "être chiffré. Projetez la référence seule, ou choisissez un niveau où l'effet est estimé.",
        )
    weeks = future_weeks(fit)
    reference = fit.model.predict(pd.DataFrame({"ds": weeks}))
    reference = pd.DataFrame(
        {
            "date": reference["ds"],
            "scenario": BASELINE,
            "yhat": reference["yhat"],
            "yhat_lower": reference["yhat_lower"],
            "yhat_upper": reference["yhat_upper"],
            "school_year": cal.school_year_of(reference["ds"]),
            "backtested": reference["ds"] <= fit.backtested_until,
        }
    )
    path = investment_path(fit.annual)
    paths = [pd.DataFrame({"year": path.index.astype(int), "scenario": BASELINE, "invest_per_pupil": path.values})]
    forecasts, changes = [reference], []
    for scenario in scenarios:
        assert response is not None  # checked above
        path = investment_path(fit.annual, scenario, fit.funded_shares)
        paths.append(
            pd.DataFrame({"year": path.index.astype(int), "scenario": scenario.name, "invest_per_pupil": path.values})
        )
        change = scenario_changes(fit.annual, scenario, response, fit.funded_shares)
        changes.append(change)
        by_year = change.set_index("school_year")
        factor = {
            col: 1 + reference["school_year"].map(by_year[col]).fillna(0.0) for col in ("change", "lower", "upper")
        }
        forecasts.append(
            reference.assign(
                scenario=scenario.name,
                yhat=reference["yhat"] * factor["change"],
                yhat_lower=reference["yhat_lower"] * factor["lower"],
                yhat_upper=reference["yhat_upper"] * factor["upper"],
            )
        )
    forecast = pd.concat(forecasts, ignore_index=True)
    change_table = pd.concat(changes, ignore_index=True) if changes else pd.DataFrame(columns=CHANGE_COLUMNS)
    return Projection(
        fit,
        forecast,
        pd.concat(paths, ignore_index=True),
        change_table,
        _differences(reference, change_table),
        response,
    )


def _differences(reference: pd.DataFrame, changes: pd.DataFrame) -> pd.DataFrame:
    """Mean weekly use per school year, scenario vs reference, with the response's interval.

    The difference of a school year is ``mean(reference) × c`` and its interval
    ``mean(reference) × [c_lo, c_hi]``: the uncertainty of the reference itself is common to
    both paths and left out of the difference. Only school years whose weeks are all
    projected are kept; ``backtested_share`` is the share of the year's weeks within the
    backtest's horizon.
    """
    yearly = reference.groupby("school_year").agg(
        baseline=("yhat", "mean"), weeks=("yhat", "size"), backtested_share=("backtested", "mean")
    )
    yearly = yearly[yearly["weeks"] >= 52]
    if changes.empty or yearly.empty:
        return pd.DataFrame(columns=DIFFERENCE_COLUMNS)
    rows = []
    for name, change in changes.groupby("scenario", sort=False):
        c = change.set_index("school_year")[["change", "lower", "upper"]].reindex(yearly.index).fillna(0.0)
        rows.append(
            pd.DataFrame(
                {
                    "scenario": name,
                    "school_year": yearly.index,
                    "baseline": yearly["baseline"].to_numpy(),
                    "value": (yearly["baseline"] * (1 + c["change"])).to_numpy(),
                    "difference": (yearly["baseline"] * c["change"]).to_numpy(),
                    "lower": (yearly["baseline"] * c["lower"]).to_numpy(),
                    "upper": (yearly["baseline"] * c["upper"]).to_numpy(),
                    "backtested_share": yearly["backtested_share"].to_numpy(),
                }
            )
        )
    return pd.concat(rows, ignore_index=True)[DIFFERENCE_COLUMNS]
