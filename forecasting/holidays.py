"""Prophet holidays of a territory: the school holidays of its zone, week by week, and the
spring-2020 lockdown as a special event.

The series is weekly (Mondays), so a holiday is a *week*: every week with at least one
weekday of holiday in the zone gets an event named after the holiday (« Vacances de Noël »),
with « (semaine partielle) » when some of its weekdays are school days, so that a full
holiday week and a week with two days off get their own effects. The package
``vacances-scolaires-france`` has holidays up to the summer of 2028: a later week takes the
calendar of the week with the same ISO number in the latest year the package covers, an
approximation said in ``docs/forecasting.md``.
"""

from __future__ import annotations

from functools import cache

import numpy as np
import pandas as pd

from explorer.geo import school_calendar as cal

LOCKDOWN = "Confinement du printemps 2020"
PARTIAL = " (semaine partielle)"


@cache
def _last_day() -> pd.Timestamp:
    """Last day the package knows holidays for (its rows go further, with no holiday flagged)."""
    days = cal.holiday_days()
    flagged = days[[f"vacances_zone_{z.lower()}" for z in cal.ZONES]].any(axis=1)
    return pd.Timestamp(days.index[flagged.to_numpy()].max())


def _known_week(week: pd.Timestamp) -> pd.Timestamp:
    """``week`` itself, or the week of the same ISO number in the latest year the package covers."""
    last_monday = _last_day() - pd.Timedelta(days=6)
    if week <= last_monday:
        return week
    iso_week = week.isocalendar().week
    years_back = int(np.ceil((week - last_monday).days / 364))
    for back in (years_back, years_back + 1):
        for shift in (0, 7, -7):
            candidate = week - pd.Timedelta(days=364 * back - shift)
            if candidate <= last_monday and candidate.isocalendar().week == iso_week:
                return candidate
    return week - pd.Timedelta(days=364 * years_back)


def week_calendar(weeks: pd.DatetimeIndex, zone: str) -> pd.DataFrame:
    """School-day share and holiday name of each week in ``zone``.

    Returns
    -------
    DataFrame ``ds`` (the weeks), ``school_day_share`` (0–1), ``holiday`` (str, "" for a
    full school week).
    """
    known = pd.DatetimeIndex([_known_week(w) for w in weeks])
    share = cal.school_day_share(known, zone)
    days = cal.holiday_days()
    flag = days[f"vacances_zone_{cal.PROXY_ZONE[zone].lower()}"]
    names = days["nom_vacances"].where(flag)
    holiday = []
    for week, s in zip(known, share, strict=True):
        if s >= 1.0:
            holiday.append("")
            continue
        week_names = names.reindex(pd.date_range(week, periods=5)).dropna()
        name = week_names.mode().iloc[0] if len(week_names) else "Vacances"
        holiday.append(name if s == 0.0 else name + PARTIAL)
    return pd.DataFrame({"ds": weeks, "school_day_share": share, "holiday": holiday})


def prophet_holidays(start: pd.Timestamp, end: pd.Timestamp, zone: str) -> pd.DataFrame:
    """Prophet ``holidays`` frame (``holiday``, ``ds``) for the weeks from ``start`` to ``end``.

    One row per holiday week of ``zone`` and one per spring-2020 lockdown week (the event
    :data:`LOCKDOWN`, only when the range covers it).
    """
    return _prophet_holidays(pd.Timestamp(start), pd.Timestamp(end), zone).copy()


@cache
def _prophet_holidays(start: pd.Timestamp, end: pd.Timestamp, zone: str) -> pd.DataFrame:
    # Cached: a batch fits many territories of the same zone and first week (0.1 s saved each).
    weeks = cal.mondays(start.date(), end.date())
    table = week_calendar(weeks, zone)
    rows = table.loc[table["holiday"] != "", ["holiday", "ds"]]
    lockdown = weeks[cal.is_lockdown(weeks)]
    events = pd.DataFrame({"holiday": LOCKDOWN, "ds": lockdown})
    # A lockdown week that is also a holiday week (spring holidays 2020) is the lockdown.
    rows = rows.loc[~rows["ds"].isin(lockdown)]
    return pd.concat([rows, events], ignore_index=True).sort_values("ds", ignore_index=True)
