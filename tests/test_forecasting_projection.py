"""The reference and the « +40 € » scenario of département 35 on the Rennes fixture (académie 14).

The issue this pins: Prophet's per-territory investment regressor made the reference climb in
yearly steps and turned a +40 € scenario into halved use. The reference is now Prophet's
trend, holidays and coverage only; a scenario applies the territory's panel response.
"""

from __future__ import annotations

import duckdb
import numpy as np
import pandas as pd
import pytest

from explorer.analysis.effects.investment import response
from forecasting.evaluation import backtest
from forecasting.holidays import week_calendar
from forecasting.projection import TerritoryFit, fit_territory, project
from forecasting.scenario import parse_scenario
from tests.scenarios import PLUS40

# A rentrée may move full-school-week use by the trend's weekly slope times the weeks of the
# summer, plus this much (log scale, ≈ 1 %): the yearly steps of the old investment regressor
# were 10 to 15 %.
RENTREE_TOLERANCE = 0.01


@pytest.fixture(scope="module")
def ille_et_vilaine(rennes: duckdb.DuckDBPyConnection) -> TerritoryFit:
    return fit_territory(rennes, "departement", "35")


def rentree_jumps(forecast: pd.DataFrame, zone: str) -> tuple[np.ndarray, np.ndarray]:
    """On full school weeks (no holiday day: the holiday terms are zero there): each summer's
    |Δ log use| and what the trend allows for it (its largest weekly change inside a school year
    × the weeks elapsed, plus :data:`RENTREE_TOLERANCE`)."""
    dates = pd.DatetimeIndex(forecast["date"])
    full = forecast[week_calendar(dates, zone)["school_day_share"].to_numpy() == 1]
    steps = np.diff(np.log(full["yhat"].to_numpy()))
    weeks = (full["date"].diff().dt.days / 7).to_numpy()[1:]
    slope = np.abs(steps[weeks == 1]).max()
    summers = weeks >= 6
    return np.abs(steps[summers]), slope * weeks[summers] + RENTREE_TOLERANCE


def test_reference_does_not_jump_at_the_rentree(ille_et_vilaine):
    fc = project(ille_et_vilaine).forecast
    jumps, allowed = rentree_jumps(fc, ille_et_vilaine.zone)
    assert len(jumps) >= 4  # the rentrées 2027 to 2030 at least
    assert (jumps <= allowed).all(), (jumps, allowed)
    # the criterion is not vacuous: yearly steps of 10 %, like the old regressor's, fail it
    stepped = fc.assign(yhat=fc["yhat"] * 1.10 ** (fc["school_year"].str[:4].astype(int) - 2026))
    jumps, allowed = rentree_jumps(stepped, ille_et_vilaine.zone)
    assert (jumps > allowed).all()


def test_plus40_projects_at_or_above_the_reference_when_the_response_is_positive(rennes, ille_et_vilaine):
    resp = response(rennes, "departement", "35")
    projection = project(ille_et_vilaine, [parse_scenario(PLUS40)], resp)
    d = projection.differences.set_index("school_year")
    sign = np.sign(resp.effect)
    assert sign != 0
    # before the lag has passed (budget 2027 counts from the rentrée 2028): exactly the reference
    assert d.loc[["2026-2027", "2027-2028"], "difference"].tolist() == [0.0, 0.0]
    later = d.loc[["2028-2029", "2029-2030", "2030-2031"]]
    assert (np.sign(later["difference"]) == sign).all()  # strictly above when the response is positive
    assert (later["difference"].diff().dropna() * sign > 0).all()  # and further each year, as the stock grows
    weekly = projection.forecast.pivot(index="date", columns="scenario", values="yhat")
    assert ((weekly["plus40"] - weekly["baseline"]) * sign >= 0).all()
    # never the halving the regressor gave: the change is the panel's, a few % for 120 €
    assert (later["value"] / later["baseline"]).between(0.8, 1.25).all()


def test_the_backtest_runs_on_two_school_years_of_a_territory(ille_et_vilaine):
    history = ille_et_vilaine.history
    short = history[history["ds"] >= "2024-09-02"].reset_index(drop=True)
    scores = backtest(short, ille_et_vilaine.zone).set_index("model")
    assert scores.index.tolist() == ["prophet", "seasonal_naive"]
    assert (scores["cutoffs"] == 1).all() and (scores["points"] >= 30).all()
    assert np.isfinite(scores["mase"]).all() and (scores["mase"] > 0).all()
