"""The reference model on synthetic series: holidays projected, serialised, metrics, quiet logs;
scenarios through a known panel response (hand-computed arithmetic)."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from explorer.analysis.effects.investment import Response
from explorer.geo import school_calendar as cal
from forecasting.evaluation import MIN_SPAN, backtest, mase, seasonal_naive, smape
from forecasting.holidays import LOCKDOWN, prophet_holidays, week_calendar
from forecasting.model import ModelSpec, UsageForecaster
from forecasting.projection import TerritoryFit, project
from forecasting.scenario import parse_scenario
from forecasting.serialize import FORMAT, forecaster_from_json, forecaster_to_json
from tests.scenarios import PLUS40

ZONE = "B"
ANNUAL = pd.Series([20.0, 70.0, 25.0, 80.0, 30.0, 90.0, 35.0, 60.0, 40.0, 50.0], index=range(2017, 2027))
# +3 % of use for +10 € per pupil and per year over three years, interval +1 % to +5 %
POSITIVE = Response(effect=0.03, lower=0.01, upper=0.05, pooled_from_national=False)
NEGATIVE = Response(effect=-0.03, lower=-0.05, upper=-0.01, pooled_from_national=False)


def synthetic(seed: int = 0, start: str = "2019-09-02") -> pd.DataFrame:
    """log y = 0.5 + trend + log(school-day share, floored at 10 %) + noise (sd 0.03)."""
    rng = np.random.default_rng(seed)
    weeks = cal.mondays(pd.Timestamp(start).date(), pd.Timestamp("2026-06-29").date())
    share = week_calendar(weeks, ZONE)["school_day_share"].to_numpy()
    t = np.arange(len(weeks)) / 52
    log_y = 0.5 + 0.03 * t + np.log(0.1 + 0.9 * share) + rng.normal(0, 0.03, len(weeks))
    return pd.DataFrame({"ds": weeks, "y": np.exp(log_y), "ecole_share": 0.0, "measured_schools": 50})


@pytest.fixture(scope="module")
def positive() -> TerritoryFit:
    history = synthetic()
    model = UsageForecaster(ModelSpec(), zone=ZONE).fit(history)
    return TerritoryFit("departement", "99", "Synthétique", ZONE, None, history, ANNUAL, model)


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
    assert "pickle" not in text and "investment" not in text
    restored = forecaster_from_json(text)
    future = positive.history[["ds"]].tail(10)
    pd.testing.assert_frame_equal(restored.predict(future), positive.model.predict(future))
    assert restored.regressors_ == positive.model.regressors_


def test_a_model_stored_with_the_investment_regressor_is_refitted_not_misread(positive):
    old = json.loads(forecaster_to_json(positive.model)) | {"format": "forecasting.UsageForecaster/1"}
    with pytest.raises(ValueError, match="UsageForecaster/2"):
        forecaster_from_json(json.dumps(old))
    assert FORMAT.endswith("/2")
    # the store's key carries the model version: a store written by version 2 misses
    assert ModelSpec().key() != _key_of_version(2)


def _key_of_version(version: int) -> str:
    import hashlib
    from dataclasses import asdict

    text = json.dumps({**asdict(ModelSpec()), "version": version}, sort_keys=True)
    return hashlib.sha1(text.encode()).hexdigest()[:12]


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
        model = UsageForecaster(ModelSpec(), zone=ZONE).fit(synthetic())  # cmdstanpy logs each Stan run
        cross_validation(model.prophet_, horizon="364 days", period="728 days", disable_tqdm=True)  # prophet logs
    finally:
        root.removeHandler(handler)
        root.setLevel(old_level)
    noisy = [r for r in records if r.name.startswith(("prophet", "cmdstanpy")) and r.levelno < logging.WARNING]
    assert noisy == []
    assert logging.getLogger("prophet").getEffectiveLevel() >= logging.WARNING


def test_scenario_applies_the_panel_response_per_school_year(positive):
    """+40 € per pupil and per year, budget years 2027-2030: the school year starting in
    September Y counts the extra spent before Y, so 2028-2029 sees 40 €, 2030-2031 120 € (2027-2029)."""
    projection = project(positive, [parse_scenario(PLUS40)], POSITIVE)
    slope = POSITIVE.slope
    change = projection.changes.set_index("school_year")
    assert change.loc["2028-2029", "stock_change_eur"] == 40.0
    assert change.loc["2030-2031", "stock_change_eur"] == 120.0
    # The dose is concave, log1p(stock / 150 €), from the territory's mean stock (0 here): +3 % for
    # the first 30 €, so 120 € give 1.03 ** (ln 1.8 / ln 1.2) − 1 ≈ +10.0 %, not four times 3 %.
    assert slope.coef == pytest.approx(np.log(1.03) / np.log(1.2))
    assert change.loc["2030-2031", "change"] == pytest.approx(1.03 ** (np.log(1.8) / np.log(1.2)) - 1)
    assert change.loc["2030-2031", "change"] == pytest.approx(0.09998, abs=1e-5)
    d = projection.differences.set_index("school_year")
    assert d.loc[["2026-2027", "2027-2028"], "difference"].tolist() == [0.0, 0.0]
    for year in ("2028-2029", "2029-2030", "2030-2031"):
        assert 0 < d.loc[year, "lower"] < d.loc[year, "difference"] < d.loc[year, "upper"]
        assert d.loc[year, "value"] / d.loc[year, "baseline"] == pytest.approx(1 + change.loc[year, "change"])
    # weekly: scenario = reference × (1 + c), bounds = reference bounds × (1 + bounds of c)
    fc = projection.forecast
    ref = fc[fc["scenario"] == "baseline"].set_index("date")
    plus = fc[fc["scenario"] == "plus40"].set_index("date")
    week = pd.Timestamp("2030-11-18")
    c = change.loc["2030-2031"]
    assert plus.loc[week, "yhat"] == pytest.approx(ref.loc[week, "yhat"] * (1 + c["change"]))
    assert plus.loc[week, "yhat_lower"] == pytest.approx(ref.loc[week, "yhat_lower"] * (1 + c["lower"]))
    assert plus.loc[week, "yhat_upper"] == pytest.approx(ref.loc[week, "yhat_upper"] * (1 + c["upper"]))
    assert (plus["yhat_upper"] - plus["yhat_lower"] >= ref["yhat_upper"] - ref["yhat_lower"]).all()


@pytest.mark.parametrize(
    ("response", "delta", "sign"),
    [(POSITIVE, 40, 1), (NEGATIVE, 40, -1), (POSITIVE, -20, -1), (NEGATIVE, -20, 1)],
)
def test_a_scenarios_change_has_the_sign_of_response_times_investment(positive, response, delta, sign):
    scenario = parse_scenario({**PLUS40, "changes": [{**PLUS40["changes"][0], "delta_eur_per_pupil": delta}]})
    d = project(positive, [scenario], response).differences.set_index("school_year")
    later = d.loc[["2028-2029", "2029-2030", "2030-2031"]]
    assert (np.sign(later["difference"]) == sign).all()
    assert (np.sign(later["lower"]) == sign).all() and (np.sign(later["upper"]) == sign).all()


def test_a_scenario_without_a_response_is_refused(positive):
    from forecasting.errors import ScenarioError

    with pytest.raises(ScenarioError, match="effet de l'investissement"):
        project(positive, [parse_scenario(PLUS40)])


def test_backtest_runs_on_two_school_years():
    history = synthetic(start="2024-09-02")  # rentrée 2024 to the end of June 2026
    assert history["ds"].max() - history["ds"].min() >= MIN_SPAN
    scores = backtest(history, ZONE).set_index("model")
    assert scores.index.tolist() == ["prophet", "seasonal_naive"]
    assert (scores["cutoffs"] == 1).all() and (scores["points"] >= 30).all()
    # a smooth series with known holidays: Prophet beats the year-ago value
    assert scores.loc["prophet", "mase"] < scores.loc["seasonal_naive", "mase"]
    assert scores["smape"].between(0, 50).all()
    with pytest.raises(Exception, match="deux années scolaires"):
        backtest(synthetic(start="2025-01-06"), ZONE)
