"""Variables of the exploratory statistics (typology, investment → use), one row per territory.

Every variable that is an indicator comes from :mod:`explorer.facts.indicators` (same formula, same
secrecy); the two that are not — growth of use and population density — are derived here from
indicators and from the ``territory`` mart. Missing-value rule (shown on screen): a territory
enters the analysis only when **every** chosen variable has a value; the others are counted
per reason (no school, statistical secrecy, missing value) and never imputed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import duckdb
import numpy as np
import pandas as pd

from explorer import vocabulary as voc
from explorer.errors import FeatureError
from explorer.facts.indicators import (
    INDICATORS,
    Indicator,
    compute,
    get_indicator,
    school_facts,
    territory_facts,
)
from explorer.formatting import fr_number, fr_percent
from explorer.warehouse.sqlfiles import read_sql

LEVELS = ("departement", "epci", "commune", "school")
LEVEL_LABELS = {**{level: voc.LEVEL_LABELS[level] for level in LEVELS[:-1]}, "school": voc.SCHOOL_LABEL}
DEFAULT_VARIABLES = ("invest_per_pupil", "ent_visits_per_pupil_week", "ips", "log_density")

REASON_NO_SCHOOL = "aucun établissement"
REASON_MISSING = "valeur manquante"


@dataclass(frozen=True)
class Variable:
    """A variable of the exploratory statistics and the words that describe it."""

    id: str
    label: str
    unit: str
    source: str
    family: str  # 'investment' | 'usage' | 'growth' | 'context' | 'density' | 'population' | 'coverage'
    high: str  # phrase for a class well above the mean (« fort investissement »)
    low: str  # phrase for a class well below the mean
    short: str = ""  # column header: short label with the unit
    decimals: int = 1
    percent: bool = False  # a share or a growth, shown as a percentage

    def display(self, value: object) -> str:
        """French text of one value of this variable (« n.d. » when missing)."""
        if self.percent:
            return fr_percent(value)
        return fr_number(value, self.decimals)


_CATEGORY_WORDS = {
    "equipement": "en équipement",
    "reseau": "en réseau",
    "ent_logiciels": "en ENT et logiciels",
    "ressources": "en ressources",
    "formation": "en formation",
    "maintenance": "en maintenance",
}
_PROFILE_WORDS = {
    "eleve": "des élèves",
    "parent": "des parents",
    "enseignant": "des enseignants",
    "personnel": "des personnels",
}
_DENSITY_SOURCE = "Population municipale et superficie (COG 2026, table territory)"


def _variables() -> dict[str, Variable]:
    items: list[Variable] = []

    def from_indicator(indicator_id: str, family: str, high: str, low: str, short: str) -> None:
        ind = INDICATORS[indicator_id]
        percent = ind.unit.startswith("%")
        items.append(
            Variable(indicator_id, ind.label, ind.unit, ind.source, family, high, low, short, ind.decimals, percent)
        )

    per_pupil = "€ par élève et par an"
    visits_unit = "visites par élève et par semaine"
    from_indicator(
        "invest_per_pupil",
        "investment",
        "fort investissement",
        "faible investissement",
        f"Investissement ({per_pupil})",
    )
    for category in voc.CATEGORIES:
        words = _CATEGORY_WORDS[category]
        from_indicator(
            f"invest_per_pupil_{category}",
            "investment",
            f"fort investissement {words}",
            f"faible investissement {words}",
            f"Investissement — {voc.CATEGORY_LABELS[category]} ({per_pupil})",
        )
    from_indicator("ent_visits_per_pupil_week", "usage", "usage élevé", "usage faible", f"Visites ENT ({visits_unit})")
    for profile in voc.PROFILES:
        words = _PROFILE_WORDS[profile]
        from_indicator(
            f"ent_visits_per_pupil_week_{profile}",
            "usage",
            f"usage élevé {words}",
            f"usage faible {words}",
            f"Visites ENT — {voc.PROFILE_LABELS[profile]} ({visits_unit})",
        )
    visits = INDICATORS["ent_visits_per_pupil_week"]
    items.append(
        Variable(
            "usage_growth",
            "Évolution sur un an des visites ENT par élève et par semaine (dernière année scolaire de la période)",
            "% d'évolution",
            visits.source,
            "growth",
            "usage en forte hausse",
            "usage en faible hausse ou en baisse",
            "Évolution des visites ENT sur un an (%)",
            percent=True,
        )
    )
    from_indicator("ips", "context", "IPS élevé", "IPS faible", "IPS moyen (indice, moyenne ≈ 100)")
    items.append(
        Variable(
            "log_density",
            "Densité de population (log10 des habitants par km²)",
            "log10 (hab./km²)",
            _DENSITY_SOURCE,
            "density",
            "densité élevée",
            "densité faible",
            "Densité (log10 hab./km²)",
            decimals=2,
        )
    )
    items.append(
        Variable(
            "log_population",
            "Population (log10 des habitants) ; pour un établissement, celle de sa commune",
            "log10 (habitants)",
            _DENSITY_SOURCE.replace("et superficie ", ""),
            "population",
            "forte population",
            "faible population",
            "Population (log10 habitants)",
            decimals=2,
        )
    )
    from_indicator(
        "coverage_share",
        "coverage",
        "forte part d'établissements mesurés",
        "faible part mesurée",
        "Établissements mesurés (%)",
    )
    return {v.id: v for v in items}


VARIABLES: dict[str, Variable] = _variables()


def get_variable(variable_id: str) -> Variable:
    try:
        return VARIABLES[variable_id]
    except KeyError:
        raise FeatureError(
            f"Variable « {variable_id} » inconnue. Variables disponibles : {', '.join(VARIABLES)}."
        ) from None


def available_variables(level: str) -> list[str]:
    """Variables that make sense at ``level`` (coverage is always 100 % for one school)."""
    check_level(level)
    return [v for v in VARIABLES if not (level == "school" and v == "coverage_share")]


def check_level(level: str) -> None:
    if level not in LEVELS:
        raise FeatureError(f"Niveau « {level} » non disponible pour l'analyse : choisissez parmi {', '.join(LEVELS)}.")


@dataclass(frozen=True)
class FeatureSet:
    """Variables per territory and the territories left out, with the reason.

    Attributes
    ----------
    data : DataFrame ``code, name`` then one float column per variable, complete rows only
        (the rows a typology is fitted on).
    excluded : DataFrame ``code, name, reason`` of the territories left out: no school, or fewer
        than half of the variables.
    level, period, variables : what was asked.
    partial : DataFrame ``code, name``, the variables (NaN where missing) and ``missing`` (the
        French labels of the missing variables): territories with a school and at least half of
        the variables, classed on those they have.
    """

    data: pd.DataFrame
    excluded: pd.DataFrame
    level: str
    period: tuple[int, int]
    variables: tuple[str, ...]
    partial: pd.DataFrame = field(default_factory=pd.DataFrame)

    def exclusion_counts(self) -> pd.Series:
        """Number of territories left out per reason (reasons in a fixed order)."""
        order = [REASON_NO_SCHOOL, voc.SECRET_TEXT, REASON_MISSING]
        counts = self.excluded["reason"].value_counts()
        return counts.reindex(order).fillna(0).astype(int)


class _Facts:
    """The sums behind the indicators, queried once per distinct filter and period.

    Most variables share the same sums (no funder, category, profile or resource filter): the
    default four variables need one query, not four.
    """

    def __init__(self, con: duckdb.DuckDBPyConnection, level: str):
        self.con = con
        self.level = level
        self._cache: dict[tuple, pd.DataFrame] = {}

    def _query(self, period: tuple[int, int], indicator: Indicator) -> pd.DataFrame:
        if self.level != "school":
            return territory_facts(self.con, self.level, period, indicator)
        return school_facts(self.con, period, indicator)

    def values(self, period: tuple[int, int], indicator_id: str) -> pd.DataFrame:
        """``code, name, value, schools, masked…`` of one indicator (school level: one school each)."""
        indicator = get_indicator(indicator_id)
        key = (period, indicator.funder, indicator.category, indicator.profile, indicator.resource)
        if key not in self._cache:
            self._cache[key] = self._query(period, indicator)
        min_schools = 1 if self.level == "school" else None
        return compute(self._cache[key], indicator, min_schools)


def _context(con: duckdb.DuckDBPyConnection, level: str) -> pd.DataFrame:
    if level == "school":
        return con.execute(read_sql("queries/school_context")).df()
    return con.execute(read_sql("queries/territory_context"), {"level": level}).df()


def log_density(population: pd.Series, area_km2: pd.Series) -> pd.Series:
    """log10 of inhabitants per km²; missing when the population or the area is unknown or zero."""
    pop = pd.to_numeric(population, errors="coerce").astype(float)
    area = pd.to_numeric(area_km2, errors="coerce").astype(float)
    density = pop.where(pop > 0) / area.where(area > 0)
    return np.log10(density)


def log_population(population: pd.Series) -> pd.Series:
    """log10 of the population; missing when it is unknown or zero."""
    pop = pd.to_numeric(population, errors="coerce").astype(float)
    return np.log10(pop.where(pop > 0))


def load_features(
    con: duckdb.DuckDBPyConnection,
    level: str,
    variables: Sequence[str] = DEFAULT_VARIABLES,
    period: tuple[int, int] = (2021, 2025),
) -> FeatureSet:
    """Variables of every territory of ``level`` over ``period``.

    Parameters
    ----------
    con : warehouse connection (marts ``territory``, ``school``, ``school_year``…).
    level : ``departement``, ``epci``, ``commune`` or ``school``.
    variables : ids of :data:`VARIABLES`.
    period : first and last years (budget years, and school years starting those years).

    Returns
    -------
    FeatureSet whose ``data`` holds only the territories where every variable has a value.
    """
    check_level(level)
    variables = tuple(dict.fromkeys(variables))
    if not variables:
        raise FeatureError("Aucune variable choisie : choisissez-en au moins deux.")
    for v in variables:
        get_variable(v)
        if v not in available_variables(level):
            raise FeatureError(f"La variable « {v} » n'a pas de sens au niveau « {LEVEL_LABELS[level]} ».")
    facts = _Facts(con, level)
    base = facts.values(period, "invest_per_pupil")
    frame = base[["code", "name"]].copy()
    has_school = base["schools"].to_numpy() > 0
    secret = np.zeros(len(frame), dtype=bool)
    for v in variables:
        if v in ("log_density", "log_population"):
            ctx = _context(con, level).set_index("code")
            if v == "log_density":
                derived = log_density(ctx["population"], ctx["area_km2"])
            else:
                derived = log_population(ctx["population"])
            frame[v] = derived.reindex(frame["code"]).to_numpy()
            continue
        if v == "usage_growth":
            # One-year growth: the measured set is too small in the early years (≈ 6 400
            # schools in 2021-22 against 30 000 in 2025-26) for a growth over the whole period.
            before = period[1] - 1
            first = facts.values((before, before), "ent_visits_per_pupil_week")
            last = facts.values((period[1], period[1]), "ent_visits_per_pupil_week")
            first_v = first["value"].where(first["value"] > 0)
            frame[v] = (last["value"] / first_v - 1).to_numpy()
            secret |= first["masked"].to_numpy() | last["masked"].to_numpy()
            continue
        values = facts.values(period, v)
        if not values["code"].equals(frame["code"]):  # pragma: no cover - same query, same order
            raise FeatureError("Les territoires des indicateurs ne concordent pas.")
        frame[v] = values["value"].to_numpy()
        secret |= values["masked"].to_numpy()
    present = frame[list(variables)].notna()
    complete = present.all(axis=1).to_numpy()
    # Classed on what it has when it has a school and at least half of the variables.
    some = (present.sum(axis=1) * 2 >= len(variables)).to_numpy() & has_school & ~complete
    reason = np.where(~has_school, REASON_NO_SCHOOL, np.where(secret, voc.SECRET_TEXT, REASON_MISSING))
    out = ~complete & ~some
    excluded = frame.loc[out, ["code", "name"]].assign(reason=reason[out])
    data = frame.loc[complete].reset_index(drop=True)
    data[list(variables)] = data[list(variables)].astype(float)
    partial = frame.loc[some].reset_index(drop=True)
    partial[list(variables)] = partial[list(variables)].astype(float)
    labels = {v: VARIABLES[v].label for v in variables}
    partial["missing"] = [
        ", ".join(labels[v] for v in variables if pd.isna(row[v])) for _, row in partial[list(variables)].iterrows()
    ]
    return FeatureSet(data, excluded.reset_index(drop=True), level, period, variables, partial)
