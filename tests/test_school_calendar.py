import datetime as dt

import numpy as np
import pandas as pd

from explorer.geo import school_calendar as cal


def test_mondays_cover_the_usage_period():
    weeks = cal.mondays(dt.date(2019, 9, 2), dt.date(2026, 6, 30))
    assert weeks[0] == pd.Timestamp("2019-09-02")
    assert weeks[-1] == pd.Timestamp("2026-06-29")
    assert (weeks.day_of_week == 0).all()
    assert len(weeks) == 357


def test_winter_holidays_2024_differ_by_zone():
    # Winter 2024: zone C from 10 Feb, zone A from 17 Feb, zone B from 24 Feb (two weeks each).
    weeks = pd.DatetimeIndex(["2024-02-12", "2024-02-19", "2024-02-26", "2024-03-04"])
    assert cal.school_day_share(weeks, "A").tolist() == [1.0, 0.0, 0.0, 1.0]
    assert cal.school_day_share(weeks, "B").tolist() == [1.0, 1.0, 0.0, 0.0]
    assert cal.school_day_share(weeks, "C").tolist() == [0.0, 0.0, 1.0, 1.0]


def test_christmas_week_is_a_holiday_everywhere():
    weeks = pd.DatetimeIndex(["2023-12-25"])
    for zone in ("A", "B", "C", "Corse", "Outre-mer"):
        assert cal.holiday_weeks(weeks, zone).tolist() == [True]


def test_lockdown_weeks_are_the_eight_weeks_from_16_march_2020():
    weeks = cal.mondays(dt.date(2020, 3, 1), dt.date(2020, 6, 1))
    flagged = weeks[cal.is_lockdown(weeks)]
    assert flagged[0] == pd.Timestamp("2020-03-16")
    assert flagged[-1] == pd.Timestamp("2020-05-04")
    assert len(flagged) == 8


def test_school_year_runs_from_august():
    dates = pd.DatetimeIndex(["2024-07-31", "2024-08-01", "2025-06-30"])
    assert list(cal.school_year_of(dates)) == ["2023-2024", "2024-2025", "2024-2025"]
    assert np.all(cal.school_day_share(pd.DatetimeIndex(["2024-08-05"]), "B") == 0.0)
