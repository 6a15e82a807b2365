"""Simulated weekly ENT usage and digital-resource use per measured school.

Each value is a product of readable factors: pupils × a profile rate × the school's
intensity × the calendar (holidays of its zone, the spring-2020 lockdown) × growth × the
lagged effect of investment (its strength differs between départements) × noise. Totals are
then calibrated on the national orders of magnitude of :mod:`explorer.demo.targets`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from explorer import vocabulary as voc
from explorer.demo import targets
from explorer.geo import school_calendar as cal

# ENT visits per pupil in a full school week, by profile.
_RATE = {
    "secondary": {"eleve": 2.6, "parent": 1.6, "enseignant": 1.2, "personnel": 0.35},
    "ecole": {"eleve": 0.5, "parent": 1.4, "enseignant": 0.6, "personnel": 0.1},
}
_LOCKDOWN = {"eleve": 2.4, "parent": 1.6, "enseignant": 2.0, "personnel": 1.1}
_VISITS_PER_USER = {"eleve": 2.2, "parent": 1.7, "enseignant": 3.5, "personnel": 4.0}
# Most users a profile can have, per pupil (teachers ~ 1 per 12 pupils).
_USER_CAP = {"eleve": 1.0, "parent": 1.6, "enseignant": 1 / 12, "personnel": 1 / 40}
_HOLIDAY_FLOOR = 0.06  # a week without school still gets a little use

# Resource families: (probability that a school uses it, visits per pupil per school week).
_RESOURCE = {
    "secondary": {
        "manuel_numerique": (0.60, 0.35),
        "ressource_multimedia": (0.50, 0.12),
        "ressource_documentaire": (0.55, 0.10),
        "ressource_orientation": (0.55, 0.06),
        "ressource_production": (0.30, 0.08),
        "ressource_accompagnement_entrainement": (0.50, 0.15),
        "ressource_reference_dictionnaire": (0.40, 0.05),
        "gar": (0.85, 0.45),
    },
    "ecole": {
        "manuel_numerique": (0.20, 0.10),
        "ressource_multimedia": (0.30, 0.08),
        "ressource_accompagnement_entrainement": (0.35, 0.12),
        "gar": (0.40, 0.20),
    },
}


# The programmes' true multipliers of use beyond the investment they bring (TNE from its
# second school year, 2021-22; SNEE and hybridation: their money only).
TNE_MULTIPLIER = 1.15
PROGRAMME_MULTIPLIERS = {"tne": TNE_MULTIPLIER, "snee": 1.0, "hybridation": 1.0}
# Effects settings of a demo build: "demo" (the simulated effects) or "none" (the null world).
EFFECTS = ("demo", "none")


def investment_strengths(seed: int, departements: list[str], effects: str = "demo") -> pd.Series:
    """Strength of the investment effect of each département (``dep_beta``), indexed by code.

    Drawn from a generator of its own over the sorted national list of départements, so that
    a scoped build and a national one share the same truth and :func:`explorer.demo.truth`
    needs no build. ``effects="none"`` makes the same draws and multiplies them by 0.
    """
    codes = sorted(departements)
    draws = np.clip(np.random.default_rng([seed, 15]).normal(0.3, 0.25, len(codes)), 0, None)
    return pd.Series(draws * (0.0 if effects == "none" else 1.0), index=codes, name="strength")


@dataclass(frozen=True)
class SchoolPanel:
    """What the usage model needs about the schools in scope, aligned row by row."""

    uai: np.ndarray
    secondary: np.ndarray  # bool
    zone: np.ndarray  # holiday zone per school
    departement: np.ndarray
    pupils: np.ndarray  # (schools, school years)
    ips: np.ndarray  # (schools, school years)
    invest_per_pupil: np.ndarray  # (schools, investment years), all categories
    resources_per_pupil: np.ndarray  # (schools, investment years), category 'ressources'
    tne: np.ndarray  # bool
    strength: np.ndarray  # per school: its département's investment strength (0 in the null world)
    tne_multiplier: float = TNE_MULTIPLIER  # 1.0 in the null world


def measured_from(panel: SchoolPanel, national_share: float, rng: np.random.Generator) -> np.ndarray:
    """Index of the first measured school year of each school (len(SCHOOL_YEARS) = never).

    Measurement spreads territory by territory: each département gets a random readiness,
    secondary schools come first, and the number of measured schools follows
    :data:`targets.MEASURED_SCHOOLS` scaled to the scope's share of France.
    """
    deps, dep_idx = np.unique(panel.departement, return_inverse=True)
    readiness = rng.random(len(deps))[dep_idx] + 1.2 * panel.secondary + 0.25 * rng.random(len(panel.uai))
    order = np.argsort(-readiness, kind="stable")
    first = np.full(len(panel.uai), len(targets.SCHOOL_YEARS))
    for y, year in reversed(list(enumerate(targets.SCHOOL_YEARS))):
        n = round(targets.MEASURED_SCHOOLS[year] * national_share)
        first[order[:n]] = y
    return first


def _week_table() -> pd.DataFrame:
    weeks = cal.mondays(targets.FIRST_WEEK, targets.LAST_WEEK)
    years = cal.school_year_of(weeks)
    year_index = {y: i for i, y in enumerate(targets.SCHOOL_YEARS)}
    return pd.DataFrame(
        {
            "week": weeks,
            "year_idx": [year_index[y] for y in years],
            "lockdown": cal.is_lockdown(weeks),
        }
    )


def _expand(first_year: np.ndarray, weeks: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """(school index, week index) of every measured school-week."""
    first_week = np.searchsorted(weeks["year_idx"].to_numpy(), first_year, side="left")
    n = len(weeks) - first_week
    school = np.repeat(np.arange(len(first_year)), n)
    offsets = np.repeat(np.cumsum(n) - n, n)
    week = np.arange(n.sum()) - offsets + np.repeat(first_week, n)
    return school, week


def generate_usage(
    panel: SchoolPanel, national_share: float, rng: np.random.Generator
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Weekly ENT usage (``stg_usage`` rows) and resource use (``stg_resource_use`` rows)."""
    weeks = _week_table()
    week_values = pd.DatetimeIndex(weeks["week"])
    zones = sorted(set(panel.zone))
    calendar = {z: cal.school_day_share(week_values, z) for z in zones}
    zone_idx = np.array([zones.index(z) for z in panel.zone])
    calendar_matrix = np.vstack([calendar[z] for z in zones])

    first_year = measured_from(panel, national_share, rng)
    s, w = _expand(first_year, weeks)
    y = weeks["year_idx"].to_numpy()[w]
    pupils = panel.pupils[s, y]

    deps, dep_idx = np.unique(panel.departement, return_inverse=True)
    dep_intensity = rng.normal(0, 0.25, len(deps))
    # The strengths now come from their own generator (see investment_strengths); this former
    # per-scope draw is still consumed so that every later draw, hence the data, is unchanged.
    rng.normal(0.3, 0.25, len(deps))
    dep_beta = panel.strength
    school_intensity = np.exp(dep_intensity[dep_idx] + rng.normal(0, 0.35, len(panel.uai)))
    school_intensity *= 1 + 0.004 * (panel.ips[:, -1] - 100)
    # Lag of one year: the school year starting in September Y uses spending up to Y-1.
    cum = np.cumsum(panel.invest_per_pupil, axis=1)
    lag_col = np.array([int(sy[:4]) - 1 - targets.INVESTMENT_YEARS[0] for sy in targets.SCHOOL_YEARS])
    invest_effect = 1 + dep_beta[:, None] * np.log1p(cum[:, lag_col] / 150.0)
    tne_on = panel.tne[:, None] & (np.arange(len(targets.SCHOOL_YEARS)) >= 2)[None, :]
    tne_effect = np.where(tne_on, panel.tne_multiplier, 1.0)
    growth = 1.06 ** np.arange(len(targets.SCHOOL_YEARS))

    share = calendar_matrix[zone_idx[s], w]
    calendar_factor = _HOLIDAY_FLOOR + (1 - _HOLIDAY_FLOOR) * share
    common = pupils * school_intensity[s] * (invest_effect * tne_effect)[s, y] * growth[y] * calendar_factor
    lockdown = weeks["lockdown"].to_numpy()[w]
    secondary = panel.secondary[s]

    frames = []
    for profile in voc.PROFILES:
        rate = np.where(secondary, _RATE["secondary"][profile], _RATE["ecole"][profile])
        visits = common * rate * np.where(lockdown, _LOCKDOWN[profile], 1.0) * rng.lognormal(0, 0.15, len(s))
        frames.append((profile, visits))
    # Calibrate on the national visits of 2025-26, scaled to the scope.
    last = y == len(targets.SCHOOL_YEARS) - 1
    total_last = sum(v[last].sum() for _, v in frames)
    scale = targets.ENT_VISITS_2025_26 * national_share / total_last if total_last > 0 else 1.0

    week_dates = week_values.values
    usage = []
    for profile, visits in frames:
        v = np.round(visits * scale).astype(np.int64)
        users = np.minimum(
            np.round(v / _VISITS_PER_USER[profile] * rng.lognormal(0, 0.1, len(v))),
            np.ceil(pupils * _USER_CAP[profile]),
        ).astype(np.int64)
        usage.append(
            pd.DataFrame(
                {
                    "week_start": week_dates[w],
                    "uai": panel.uai[s],
                    "profile": profile,
                    "visits": v,
                    "users": users,
                }
            )
        )
    usage_df = pd.concat(usage, ignore_index=True)

    resources = _resource_use(panel, s, w, y, pupils, school_intensity, calendar_factor, lockdown, national_share, rng)
    return usage_df, resources


def _resource_use(
    panel: SchoolPanel,
    s: np.ndarray,
    w: np.ndarray,
    y: np.ndarray,
    pupils: np.ndarray,
    intensity: np.ndarray,
    calendar_factor: np.ndarray,
    lockdown: np.ndarray,
    national_share: float,
    rng: np.random.Generator,
) -> pd.DataFrame:
    """Weekly use per resource family; it grows where the school's payer bought resources."""
    weeks = _week_table()
    cum_res = np.cumsum(panel.resources_per_pupil, axis=1)
    lag_col = np.array([int(sy[:4]) - 1 - targets.INVESTMENT_YEARS[0] for sy in targets.SCHOOL_YEARS])
    bought = 1 + 0.6 * np.log1p(cum_res[:, lag_col] / 20.0)
    growth = 1.08 ** np.arange(len(targets.SCHOOL_YEARS))
    base = pupils * intensity[s] * bought[s, y] * growth[y] * calendar_factor * np.where(lockdown, 1.8, 1.0)
    secondary = panel.secondary[s]
    year_2024 = targets.SCHOOL_YEARS.index("2024-2025")
    out = []
    gar_scale = 1.0
    for resource in voc.RESOURCES:
        p_sec, r_sec = _RESOURCE["secondary"].get(resource, (0.0, 0.0))
        p_ec, r_ec = _RESOURCE["ecole"].get(resource, (0.0, 0.0))
        uses = np.where(panel.secondary, rng.random(len(panel.uai)) < p_sec, rng.random(len(panel.uai)) < p_ec)
        keep = uses[s]
        rate = np.where(secondary, r_sec, r_ec)[keep]
        visits = base[keep] * rate * rng.lognormal(0, 0.2, keep.sum())
        if resource == "gar":
            total = visits[y[keep] == year_2024].sum()
            gar_scale = targets.GAR_ACCESSES_2024_25 * national_share / total if total > 0 else 1.0
        out.append((resource, keep, visits))
    frames = []
    week_dates = pd.DatetimeIndex(weeks["week"]).values
    for resource, keep, visits in out:
        # One scale for every family, so that their relative sizes stay as set above.
        v = np.round(visits * gar_scale).astype(np.int64)
        users = np.minimum(np.round(v / 2.6), np.ceil(pupils[keep])).astype(np.int64)
        nonzero = v > 0
        frames.append(
            pd.DataFrame(
                {
                    "week_start": week_dates[w[keep]][nonzero],
                    "uai": panel.uai[s[keep]][nonzero],
                    "resource": resource,
                    "visits": v[nonzero],
                    "users": users[nonzero],
                }
            )
        )
    return pd.concat(frames, ignore_index=True)
