"""The model on synthetic series whose effects are known: recovered, projected, serialised."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from explorer.geo import school_calendar as cal
from forecasting import series
from forecasting.evaluation import mase, seasonal_naive, smape
from forecasting.holidays import LOCKDOWN, prophet_holidays, week_calendar
from forecasting.model import ModelSpec, UsageForecaster
from forecasting.projection import TerritoryFit, project
from forecasting.scenario import parse_scenario
from forecasting.serialize import forecaster_from_json, forecaster_to_json

ZONE = "B"
# € per pupil by budget year: uneven, so the three-year regressor moves up and down.
ANNUAL = pd.Series([20.0, 70.0, 25.0, 80.0, 30.0, 90.0, 35.0, 60.0, 40.0, 50.0], index=range(2017, 2027))
TRUE_BETA = 0.01  # +1 € per pupil and per year (three years) → +1 % of use
TOLERANCE = 0.25  # the estimate must fall within ±25 % of the true effect
PLUS40 = {
    "name": "plus40",
    "changes": [
        {
            "from_year": 2027,
            "to_year": 2030,
            "funder_level": "departement",
            "category": "equipement",
            "delta_eur_per_pupil": 40,
        }
    ],
}


def synthetic(beta: float, seed: int = 0) -> pd.DataFrame:
    """log y = 0.5 + trend + log(school-day share, floored at 10 %) + beta·x + noise (sd 0.03)."""
    rng = np.random.default_rng(seed)
    weeks = cal.mondays(pd.Timestamp("2019-09-02").date(), pd.Timestamp("2026-06-29").date())
    x = series.investment_regressor(ANNUAL, weeks)
    share = week_calendar(weeks, ZONE)["school_day_share"].to_numpy()
    t = np.arange(len(weeks)) / 52
    log_y = 0.5 + 0.03 * t + np.log(0.1 + 0.9 * share) + beta * (x - x.mean()) + rng.normal(0, 0.03, len(weeks))
    return pd.DataFrame({"ds": weeks, "y": np.exp(log_y), "investment": x, "ecole_share": 0.0, "measured_schools": 50})


def fitted(beta: float) -> TerritoryFit:
    history = synthetic(beta)
    model = UsageForecaster(ModelSpec(), zone=ZONE).fit(history)
    return TerritoryFit("departement", "99", "Synthétique", ZONE, None, history, ANNUAL, model)


@pytest.fixture(scope="module")
def positive() -> TerritoryFit:
    return fitted(TRUE_BETA)


@pytest.fixture(scope="module")
def zero() -> TerritoryFit:
    return fitted(0.0)


def test_known_effect_is_recovered_within_tolerance(positive):
    effect = positive.model.effect_
    assert effect.varied
    assert abs(effect.coef - TRUE_BETA) <= TOLERANCE * TRUE_BETA, effect
    assert effect.lower <= TRUE_BETA <= effect.upper
    assert effect.supported  # the interval excludes zero
    mid, lo, hi = effect.relative(10)
    assert lo < mid < hi
    assert abs(mid - (np.exp(10 * TRUE_BETA) - 1)) <= 0.03  # ≈ +10,5 % for 10 €


def test_zero_effect_is_not_claimed(zero):
    effect = zero.model.effect_
    assert effect.lower <= 0 <= effect.upper
    assert not effect.supported
    assert abs(effect.coef) < TOLERANCE * TRUE_BETA


def test_higher_investment_projects_higher_use_when_the_effect_is_positive(positive):
    projection = project(positive, [parse_scenario(PLUS40)])
    d = projection.differences.set_index("school_year")
    # budget years 2027-2030 reach school years from 2028-2029 (the regressor looks back)
    assert d.loc["2026-2027", "difference"] == pytest.approx(0.0, abs=1e-9)
    assert d.loc["2027-2028", "difference"] == pytest.approx(0.0, abs=1e-9)
    for year in ("2028-2029", "2029-2030", "2030-2031"):
        assert d.loc[year, "difference"] > 0
        assert 0 < d.loc[year, "lower"] <= d.loc[year, "difference"] <= d.loc[year, "upper"]
    # 2030-2031 sees +40 € on all three years before it: about +exp(0.4) − 1 ≈ +49 %
    ratio = d.loc["2030-2031", "value"] / d.loc["2030-2031", "baseline"]
    assert ratio == pytest.approx(np.exp(40 * TRUE_BETA), rel=0.12)


def test_higher_investment_projects_the_same_use_when_the_effect_is_zero(zero):
    projection = project(zero, [parse_scenario(PLUS40)])
    d = projection.differences
    assert (d["difference"].abs() <= 0.1 * 40 * TRUE_BETA * d["baseline"]).all()  # < a tenth of a 1 %/€ effect
    assert ((d["lower"] <= 0) & (d["upper"] >= 0)).all()


def test_holiday_weeks_dip_in_the_projection(positive):
    projection = project(positive)
    fc = projection.forecast
    share = week_calendar(pd.DatetimeIndex(fc["date"]), ZONE)["school_day_share"].to_numpy()
    holiday = fc["yhat"][share == 0].mean()
    school = fc["yhat"][share == 1].mean()
    assert holiday < 0.2 * school  # true ratio 0.1
    # and the projection reaches the end of school year 2030-2031
    assert fc["date"].max() >= pd.Timestamp("2031-07-28")
    assert (fc["yhat_lower"] <= fc["yhat"]).all() and (fc["yhat"] <= fc["yhat_upper"]).all()


def test_model_json_round_trip_predicts_the_same(positive):
    text = forecaster_to_json(positive.model)
    assert "pickle" not in text
    restored = forecaster_from_json(text)
    future = positive.history[["ds", "investment"]].tail(10)
    pd.testing.assert_frame_equal(restored.predict(future), positive.model.predict(future))
    assert restored.effect_ == positive.model.effect_


def test_holidays_by_zone_lockdown_and_years_beyond_the_package():
    h = prophet_holidays(pd.Timestamp("2019-09-02"), pd.Timestamp("2031-08-31"), "A")
    lockdown = h.loc[h["holiday"] == LOCKDOWN, "ds"]
    assert lockdown.min() == pd.Timestamp("2020-03-16") and len(lockdown) == 8
    # winter 2024: zone A from 17 February, two weeks
    winter = h.loc[(h["ds"] >= "2024-02-01") & (h["ds"] < "2024-03-15"), ["holiday", "ds"]]
    assert winter["ds"].dt.strftime("%m-%d").tolist() == ["02-19", "02-26"]
    assert set(winter["holiday"]) == {"Vacances d'hiver"}
    # after the package's last summer (2028), the calendar repeats: two weeks of Toussaint 2030
    toussaint = h.loc[(h["holiday"] == "Vacances de la Toussaint") & (h["ds"].dt.year == 2030)]
    assert len(toussaint) == 2


def test_metrics_on_hand_computed_values():
    assert smape(np.array([1.0, 2.0]), np.array([1.0, 4.0])) == pytest.approx(100 * (0 + 4 / 6) / 2)
    assert smape(np.array([0.0, 1.0]), np.array([0.0, 3.0])) == pytest.approx(100.0)  # 0/0 week left out
    assert mase(np.array([1.0, 2.0]), np.array([2.0, 2.0]), 0.5) == pytest.approx(1.0)
    hist = pd.DataFrame({"ds": pd.date_range("2020-01-06", periods=60, freq="7D"), "y": np.arange(60.0)})
    assert seasonal_naive(hist, hist["ds"].iloc[[52, 59]]).tolist() == [0.0, 7.0]


def test_scenario_shift_equals_a_second_prophet_predict(positive):
    future = positive.history[["ds", "investment"]].tail(30).reset_index(drop=True)
    moved = future.assign(investment=future["investment"] + 25.0)
    base = positive.model.predict(future)
    again = positive.model.predict(moved)
    shifted = positive.model.shift(base, np.full(len(future), 25.0))
    pd.testing.assert_frame_equal(shifted, again, rtol=1e-9)
    assert (again["yhat"] > base["yhat"]).all()


def test_effect_interval_is_calibrated_on_repeated_synthetic_series():
    """Ten series with autocorrelated noise (AR 0.7) and random yearly spending: the 90 %
    interval holds the true effect at least 8 times in 10 and claims an effect that is not
    there at most twice in 10 (measured: 19/20 and 0/20 over twenty seeds)."""
    covered = false_claims = 0
    for seed in range(10):
        rng = np.random.default_rng(seed)
        weeks = cal.mondays(pd.Timestamp("2019-09-02").date(), pd.Timestamp("2026-06-29").date())
        annual = pd.Series(rng.uniform(20, 90, 10), index=range(2017, 2027))
        x = series.investment_regressor(annual, weeks)
        share = week_calendar(weeks, ZONE)["school_day_share"].to_numpy()
        noise = np.zeros(len(weeks))
        shocks = rng.normal(0, 0.05, len(weeks))
        for i in range(1, len(weeks)):
            noise[i] = 0.7 * noise[i - 1] + shocks[i]
        base = 0.5 + 0.03 * np.arange(len(weeks)) / 52 + np.log(0.1 + 0.9 * share) + noise
        for beta in (0.0, TRUE_BETA):
            y = np.exp(base + beta * (x - x.mean()))
            history = pd.DataFrame({"ds": weeks, "y": y, "investment": x, "ecole_share": 0.0})
            effect = UsageForecaster(ModelSpec(), zone=ZONE).fit(history).effect_
            if beta:
                covered += effect.lower <= beta <= effect.upper
            else:
                false_claims += effect.supported
    assert covered >= 8
    assert false_claims <= 2


def test_prophet_and_cmdstanpy_stay_silent():
    import logging

    from prophet.diagnostics import cross_validation

    records: list[logging.LogRecord] = []
    handler = logging.Handler(level=logging.DEBUG)
    handler.emit = records.append
    root = logging.getLogger()
    old_level = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)  # everything reaches the root: only the package's settings keep them quiet
    try:
        model = UsageForecaster(ModelSpec(), zone=ZONE).fit(synthetic(0.0))  # cmdstanpy logs each Stan run
        cross_validation(model.prophet_, horizon="364 days", period="728 days", disable_tqdm=True)  # prophet logs
    finally:
        root.removeHandler(handler)
        root.setLevel(old_level)
    noisy = [r for r in records if r.name.startswith(("prophet", "cmdstanpy")) and r.levelno < logging.WARNING]
    assert noisy == []
    assert logging.getLogger("prophet").getEffectiveLevel() >= logging.WARNING
