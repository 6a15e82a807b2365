"""School weeks and holidays by zone, from the ``vacances-scolaires-france`` package.

The package gives every day from 1990 to 2028 with a holiday flag for zones A, B and C.
Corse and the overseas académies have calendars of their own that the package does not
carry: they are approximated by the zone named in :data:`PROXY_ZONE` (said in docs/).
"""

from __future__ import annotations

import datetime as dt
from functools import cache
from importlib import resources

import numpy as np
import pandas as pd

ZONES = ("A", "B", "C")
PROXY_ZONE = {"A": "A", "B": "B", "C": "C", "Corse": "B", "Outre-mer": "C"}
LOCKDOWN_START = dt.date(2020, 3, 16)
LOCKDOWN_END = dt.date(2020, 5, 11)  # first day back at school; the weeks before it are lockdown weeks


@cache
def _holiday_days() -> pd.DataFrame:
    path = resources.files("vacances_scolaires_france") / "data" / "data.csv"
    with path.open("r", encoding="utf-8") as fh:
        days = pd.read_csv(fh, parse_dates=["date"])
    for zone in ZONES:
        col = f"vacances_zone_{zone.lower()}"
        days[col] = days[col].astype(str).str.lower() == "true"
    return days.set_index("date")


def mondays(start: dt.date, end: dt.date) -> pd.DatetimeIndex:
    """Every Monday from the Monday of ``start``'s week up to ``end`` included."""
    first = pd.Timestamp(start) - pd.Timedelta(days=pd.Timestamp(start).weekday())
    return pd.date_range(first, pd.Timestamp(end), freq="7D")


def school_day_share(weeks: pd.DatetimeIndex, zone: str) -> np.ndarray:
    """Share (0…1) of the week's five weekdays that are not school holidays in ``zone``.

    Public holidays on weekdays are not removed: the package carries school holidays only.
    """
    proxy = PROXY_ZONE[zone]
    flags = _holiday_days()[f"vacances_zone_{proxy.lower()}"]
    days = weeks.values[:, None] + np.arange(5).astype("timedelta64[D]")[None, :]
    holiday = flags.reindex(pd.DatetimeIndex(days.ravel())).fillna(False).to_numpy(bool).reshape(days.shape)
    return 1.0 - holiday.mean(axis=1)


def holiday_weeks(weeks: pd.DatetimeIndex, zone: str) -> np.ndarray:
    """True for weeks with no school day at all in ``zone`` (whole holiday weeks)."""
    return school_day_share(weeks, zone) == 0.0


def is_lockdown(weeks: pd.DatetimeIndex) -> np.ndarray:
    """True for the weeks of the spring-2020 lockdown (16 March – 10 May 2020)."""
    start = pd.Timestamp(LOCKDOWN_START)
    end = pd.Timestamp(LOCKDOWN_END)
    return np.asarray((weeks >= start) & (weeks < end))


def school_year_of(dates: pd.DatetimeIndex | pd.Series) -> np.ndarray:
    """School year 'YYYY-YYYY' of each date (a school year runs from 1 August to 31 July)."""
    d = pd.DatetimeIndex(dates)
    start = np.where(d.month >= 8, d.year, d.year - 1)
    return np.array([f"{y}-{y + 1}" for y in start], dtype=object)


def holiday_days() -> pd.DataFrame:
    """Every day of the package (index ``date``): ``vacances_zone_a/b/c`` flags, ``nom_vacances``."""
    return _holiday_days()
