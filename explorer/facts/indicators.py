"""Indicators: defined once (formula, unit, source) and computed per territory.

Each indicator is a ratio of sums from :func:`territory_facts`; its definition here is the
one documented in ``docs/indicators.md``. Every value is public and shown; a value on a small
denominator carries its ``fragility`` flag (:mod:`explorer.facts.secrecy`). Only a deployment
that sets secrecy thresholds masks values (« secret statistique »): the value is then NaN and
``masked`` is true.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TypedDict

import duckdb
import numpy as np
import pandas as pd

from explorer import vocabulary as voc
from explorer.errors import IndicatorError
from explorer.facts import secrecy
from explorer.formatting import MISSING, fr_eur, fr_number, fr_percent, is_missing
from explorer.warehouse.sqlfiles import read_sql

TERRITORY_COLUMN = voc.LEVEL_COLUMNS
DEFAULT_PERIOD = (2021, 2025)
PERIOD_BOUNDS = (2017, 2026)


@dataclass(frozen=True)
class Indicator:
    id: str
    label: str
    unit: str
    formula: str
    source: str
    family: str  # 'investment' | 'usage' | 'resource' | 'context'
    funder: str | None = None
    category: str | None = None
    profile: str | None = None
    resource: str | None = None
    diverging: bool = False
    decimals: int = 1


_INVEST_SOURCE = (
    "Investissements des financeurs (dépenses non rattachées à un établissement réparties au prorata des élèves)"
)
_USAGE_SOURCE = "Mesure d'audience des ENT, établissements mesurés"
_RESOURCE_SOURCE = "Usage des ressources numériques et accès GAR"


def _catalogue() -> dict[str, Indicator]:
    items: list[Indicator] = []
    inv_formula = "Σ dépenses de la période ÷ Σ élèves des années de la période"
    items.append(
        Indicator(
            "invest_per_pupil",
            "Investissement par élève et par an",
            "€ par élève et par an",
            inv_formula,
            _INVEST_SOURCE,
            "investment",
            decimals=0,
        )
    )
    for funder in voc.FUNDER_LEVELS:
        items.append(
            Indicator(
                f"invest_per_pupil_{funder}",
                f"Investissement par élève et par an — financeur : {voc.FUNDER_LABELS[funder]}",
                "€ par élève et par an",
                inv_formula + f" (financeur {funder})",
                _INVEST_SOURCE,
                "investment",
                funder=funder,
                decimals=0,
            )
        )
    for category in voc.CATEGORIES:
        items.append(
            Indicator(
                f"invest_per_pupil_{category}",
                f"Investissement par élève et par an — {voc.CATEGORY_LABELS[category]}",
                "€ par élève et par an",
                inv_formula + f" (catégorie {category})",
                _INVEST_SOURCE,
                "investment",
                category=category,
                decimals=0,
            )
        )
    visits_formula = "Σ visites ENT ÷ Σ (élèves × semaines de classe), établissements mesurés"
    items.append(
        Indicator(
            "ent_visits_per_pupil_week",
            "Visites ENT par élève et par semaine de classe",
            "visites par élève et par semaine",
            visits_formula,
            _USAGE_SOURCE,
            "usage",
            decimals=2,
        )
    )
    for profile in voc.PROFILES:
        items.append(
            Indicator(
                f"ent_visits_per_pupil_week_{profile}",
                f"Visites ENT par élève et par semaine — {voc.PROFILE_LABELS[profile]}",
                "visites par élève et par semaine",
                visits_formula + f" (profil {profile})",
                _USAGE_SOURCE,
                "usage",
                profile=profile,
                decimals=2,
            )
        )
    res_formula = "Σ accès aux ressources ÷ Σ élèves des établissements mesurés, par année scolaire"
    items.append(
        Indicator(
            "resource_per_pupil",
            "Accès aux ressources numériques par élève et par an",
            "accès par élève et par an",
            res_formula,
            _RESOURCE_SOURCE,
            "resource",
        )
    )
    for resource in voc.RESOURCES:
        items.append(
            Indicator(
                f"resource_per_pupil_{resource}",
                f"Accès par élève et par an — {voc.RESOURCE_LABELS[resource]}",
                "accès par élève et par an",
                res_formula + f" (famille {resource})",
                _RESOURCE_SOURCE,
                "resource",
                resource=resource,
            )
        )
    items += [
        Indicator(
            "active_pupils_share",
            "Part d'élèves actifs sur l'ENT chaque semaine de classe",
            "% des élèves",
            "Σ utilisateurs élèves hebdomadaires des semaines de classe ÷ Σ (élèves × semaines de classe), "
            "établissements mesurés",
            _USAGE_SOURCE,
            "usage",
            profile="eleve",
        ),
        Indicator(
            "coverage_share",
            "Part des établissements mesurés",
            "% des établissements",
            "établissements ayant au moins une semaine mesurée ÷ établissements ayant des élèves",
            _USAGE_SOURCE,
            "usage",
        ),
        Indicator(
            "invest_per_visit",
            "Investissement par visite ENT",
            "€ par visite",
            "Σ dépenses des établissements mesurés ÷ Σ visites ENT (établissements mesurés)",
            _INVEST_SOURCE + " ; " + _USAGE_SOURCE,
            "usage",
            decimals=2,
        ),
        Indicator(
            "ips",
            "Indice de position sociale moyen",
            "indice (moyenne ≈ 100)",
            "moyenne des IPS pondérée par les élèves",
            "Indice de position sociale (DEPP)",
            "context",
            diverging=True,
        ),
        Indicator(
            "pupils",
            "Élèves",
            "élèves",
            "élèves de la dernière année scolaire de la période",
            "Effectifs d'élèves",
            "context",
            decimals=0,
        ),
    ]
    return {i.id: i for i in items}


INDICATORS: dict[str, Indicator] = _catalogue()


def get_indicator(indicator_id: str) -> Indicator:
    try:
        return INDICATORS[indicator_id]
    except KeyError:
        raise IndicatorError(
            f"Indicateur « {indicator_id} » inconnu. Indicateurs disponibles : voir docs/indicators.md "
            f"(par ex. invest_per_pupil, ent_visits_per_pupil_week)."
        ) from None


def format_value(indicator: Indicator, value: object, unit: bool = True) -> str:
    """A value as read on screen, French style: ``1 234 € par élève et par an``, ``12,3 %``.

    With ``unit=False`` only the number and its symbol (``1 234 €``, ``12,3 %``); a missing
    value reads « n.d. ».
    """
    if is_missing(value):
        return MISSING
    if indicator.unit.startswith("%"):
        text = fr_percent(value, 1)
        rest = indicator.unit[1:].strip()
    elif indicator.unit.startswith("€"):
        text = fr_eur(value, indicator.decimals)
        rest = indicator.unit[1:].strip()
    else:
        text = fr_number(value, indicator.decimals)
        rest = indicator.unit
    return f"{text} {rest}" if unit and rest else text


def parse_period(text: str | None) -> tuple[int, int]:
    """``'2021-2025'`` → (2021, 2025); None → :data:`DEFAULT_PERIOD`."""
    if not text:
        return DEFAULT_PERIOD
    match = re.fullmatch(r"\s*(\d{4})\s*-\s*(\d{4})\s*", text)
    if not match:
        raise IndicatorError(f"Période « {text[:40]} » non reconnue : écrivez par ex. 2021-2025.")
    first, last = int(match.group(1)), int(match.group(2))
    lo, hi = PERIOD_BOUNDS
    if not (lo <= first <= last <= hi):
        raise IndicatorError(f"Période « {first}-{last} » hors des données : choisissez des années entre {lo} et {hi}.")
    return first, last


def territory_facts(
    con: duckdb.DuckDBPyConnection, level: str, period: tuple[int, int], indicator: Indicator | None = None
) -> pd.DataFrame:
    """Sums behind the indicators for every territory of ``level`` over ``period``.

    Returns
    -------
    DataFrame with ``code, name, population, schools, measured_schools, pupils, pupil_years,
    invest_pupil_years, measured_pupil_years, measured_pupil_weeks,
    measured_pupil_school_weeks, ips, invest_eur, visits, pupil_user_weeks, user_weeks,
    resource_visits, resource_user_weeks`` (the filters of ``indicator`` applied).
    """
    if level not in TERRITORY_COLUMN:
        raise IndicatorError(f"Niveau « {level} » inconnu : {', '.join(TERRITORY_COLUMN)}.")
    return _facts(con, level, TERRITORY_COLUMN[level], period, indicator)


def school_facts(
    con: duckdb.DuckDBPyConnection, period: tuple[int, int], indicator: Indicator | None = None
) -> pd.DataFrame:
    """The columns of :func:`territory_facts` with each school as its own territory
    (``code`` = UAI, ``population`` null): a school's own figures, public like the others."""
    return _facts(con, "school", "uai", period, indicator)


def _facts(
    con: duckdb.DuckDBPyConnection, level: str, column: str, period: tuple[int, int], indicator: Indicator | None
) -> pd.DataFrame:
    ind = indicator or INDICATORS["invest_per_pupil"]
    params = {
        "level": level,
        "first_year": period[0],
        "last_year": period[1],
        "funder": ind.funder,
        "category": ind.category,
        "profile": ind.profile,
        "resource": ind.resource,
    }
    return con.execute(read_sql("queries/facts", code=column), params).df()


def _ratio(num: pd.Series, den: pd.Series) -> pd.Series:
    num = pd.to_numeric(num, errors="coerce").astype(float)
    den = pd.to_numeric(den, errors="coerce").astype(float)
    return (num / den.where(den > 0)).astype(float)


def compute(facts: pd.DataFrame, indicator: Indicator, min_schools: int | None = None) -> pd.DataFrame:
    """Indicator value per territory, with its fragility flag and the deployment's secrecy.

    ``min_schools`` lowers the school threshold of a deployment with secrecy on, only for
    analyses that never show one school's value (the school-level typology shows classes and
    class means); the user threshold always applies.

    Returns
    -------
    DataFrame ``code, name, value, schools, measured_schools, masked, mask_reason, fragility``;
    ``fragility`` is "" or the flags of the value's small denominators (« effectif faible »,
    « sur 18 % des élèves mesurés »…), joined with « ; ».
    """
    f = facts
    i = indicator.id
    if indicator.family == "investment":
        value = _ratio(f["invest_eur"], f["invest_pupil_years"])
        basis = f["schools"]
    elif i.startswith("ent_visits_per_pupil_week"):
        value = _ratio(f["visits"], f["measured_pupil_weeks"])
        basis = f["measured_schools"]
    elif indicator.family == "resource":
        value = _ratio(f["resource_visits"], f["measured_pupil_years"])
        basis = f["measured_schools"]
    elif i == "active_pupils_share":
        value = _ratio(f["pupil_user_weeks"], f["measured_pupil_school_weeks"])
        basis = f["measured_schools"]
    elif i == "coverage_share":
        value = _ratio(f["measured_schools"], f["schools"])
        basis = f["schools"]
    elif i == "invest_per_visit":
        value = _ratio(f["invest_eur"], f["visits"])
        basis = f["measured_schools"]
    elif i == "ips":
        value = pd.to_numeric(f["ips"], errors="coerce").astype(float)
        basis = f["schools"]
    elif i == "pupils":
        value = pd.to_numeric(f["pupils"], errors="coerce").astype(float)
        basis = f["schools"]
    else:  # pragma: no cover - the catalogue and this switch are kept together
        raise IndicatorError(f"Indicateur « {i} » sans formule.")
    rule = secrecy.setting()
    school_floor = rule.min_schools if min_schools is None else min(min_schools, rule.min_schools)
    users = _users(f, indicator)
    few_schools = basis.fillna(0) < school_floor
    few_users = pd.Series(False, index=f.index) if users is None else users < rule.min_users
    masked = (few_schools | few_users) & (basis.fillna(0) > 0)
    reason = np.where(
        few_schools,
        f"moins de {school_floor} établissements",
        np.where(few_users, f"moins de {rule.min_users} utilisateurs", ""),
    )
    out = pd.DataFrame(
        {
            "code": f["code"],
            "name": f["name"],
            "value": value.where(~(few_schools | few_users)),
            "schools": f["schools"].astype(int),
            "measured_schools": f["measured_schools"].astype(int),
            "masked": masked,
            "mask_reason": np.where(masked, reason, ""),
            "fragility": fragility(f, indicator).where(value.notna() & ~masked, ""),
        }
    )
    return out


def _users(f: pd.DataFrame, indicator: Indicator) -> pd.Series | None:
    """User-weeks behind a usage or resource value (None for the other families)."""
    if indicator.family == "usage" and indicator.id != "coverage_share":
        return pd.to_numeric(f["user_weeks"], errors="coerce").fillna(0)
    if indicator.family == "resource":
        return pd.to_numeric(f["resource_user_weeks"], errors="coerce").fillna(0)
    return None


def measured_only(indicator: Indicator) -> bool:
    """Whether the indicator exists only for the schools measured by the ENT audience (its
    denominator is their pupils, or their visits): « non mesuré » without any."""
    return (indicator.family in ("usage", "resource") and indicator.id != "coverage_share") or (
        indicator.id == "invest_per_visit"
    )


def value_text(indicator: Indicator, value: object, masked: bool, unit: bool = False) -> str:
    """A figure as shown: :func:`format_value`, « non mesuré » for a :func:`measured_only`
    figure without a value, « secret statistique » under a deployment's secrecy."""
    if masked:
        return voc.SECRET_TEXT
    if is_missing(value) and measured_only(indicator):
        return voc.NOT_MEASURED
    return format_value(indicator, value, unit=unit)


def fragility(facts: pd.DataFrame, indicator: Indicator) -> pd.Series:
    """The flags of each value's small denominators (``docs/indicators.md``, « Chiffres fragiles »).

    - per-pupil figures: « effectif faible » under :data:`secrecy.FEW_PUPILS` pupils a year
      (measured pupils, for usage);
    - usage figures: « sur 18 % des élèves mesurés » when under
      :data:`secrecy.LOW_MEASURED_SHARE` of the pupils are in measured schools,
      « peu de semaines mesurées » under :data:`secrecy.FEW_WEEKS` measured weeks a school year,
      « peu d'utilisateurs » under :data:`secrecy.FEW_USER_WEEKS` user-weeks.
    """

    def number(column: str) -> pd.Series:
        return pd.to_numeric(facts[column], errors="coerce").astype(float)

    def flag(condition: pd.Series, text: pd.Series | str) -> pd.Series:
        return pd.Series(np.where(condition.fillna(False), text, ""), index=facts.index, dtype=object)

    years = number("school_years").where(number("school_years") > 0)
    flags: list[pd.Series] = []
    if indicator.family == "investment" or indicator.id == "invest_per_visit":
        flags.append(flag(number("invest_pupil_years") / years < secrecy.FEW_PUPILS, "effectif faible"))
    if measured_only(indicator):
        measured = number("measured_pupil_years")
        share = measured / number("pupil_years").where(number("pupil_years") > 0)
        if indicator.id != "invest_per_visit":
            flags.append(flag(measured / years < secrecy.FEW_PUPILS, "effectif faible"))
        low = share < secrecy.LOW_MEASURED_SHARE
        share_text = pd.Series("", index=facts.index, dtype=object)
        share_text[low] = [f"sur {fr_percent(x, 0)} des élèves mesurés" for x in share[low]]
        flags.append(flag(low, share_text))
        weeks = number("measured_pupil_weeks") / measured.where(measured > 0)
        flags.append(flag(weeks < secrecy.FEW_WEEKS, "peu de semaines mesurées"))
    users = _users(facts, indicator)
    if users is not None:
        flags.append(flag(users < secrecy.FEW_USER_WEEKS, "peu d'utilisateurs"))
    joined = np.full(len(facts), "", dtype=object)
    for one in flags:  # vectorised « a ; b » (a sheet computes this for 60 000 schools)
        text = one.to_numpy(dtype=object)
        joined = np.where((joined != "") & (text != ""), joined + " ; " + text, joined + text)
    return pd.Series(joined, index=facts.index, dtype=object)


def indicator_table(
    con: duckdb.DuckDBPyConnection, level: str, indicator_id: str, period: tuple[int, int]
) -> pd.DataFrame:
    """:func:`compute` for ``indicator_id`` over every territory of ``level``."""
    indicator = get_indicator(indicator_id)
    return compute(territory_facts(con, level, period, indicator), indicator)


def overall(facts: pd.DataFrame, code: str = "FR", name: str = "France entière") -> pd.DataFrame:
    """The facts of several territories summed into one (e.g. the régions into France).

    The territories must not overlap (the régions, or the départements of an académie). IPS
    is averaged weighted by pupil-years, the others are sums.
    """
    numeric = facts.drop(columns=["code", "name", "ips"], errors="ignore").apply(pd.to_numeric, errors="coerce")
    row = numeric.sum(min_count=1).to_frame().T
    if "school_years" in numeric:  # the years of the period, not a sum over territories
        row["school_years"] = numeric["school_years"].max()
    weights = pd.to_numeric(facts["pupil_years"], errors="coerce")
    ips = pd.to_numeric(facts["ips"], errors="coerce")
    known = ips.notna() & weights.notna()
    row["ips"] = float((ips[known] * weights[known]).sum() / weights[known].sum()) if known.any() else np.nan
    row.insert(0, "name", name)
    row.insert(0, "code", code)
    return row


class UrlChoices(TypedDict, total=False):
    """State fields read from a shared URL (absent when refused or not given)."""

    indicateur: str
    periode: tuple[int, int]


def url_indicator_and_period(params: Mapping[str, str]) -> tuple[UrlChoices, list[str]]:
    """The ``indicateur`` and ``periode`` query parameters of a shared URL, checked.

    Returns the accepted values as state fields (``{"indicateur": id, "periode": (first, last)}``,
    a refused or absent one left out) and the French notes that say what was refused; a hostile
    or mistyped value never raises.
    """
    notes: list[str] = []
    accepted: UrlChoices = {}
    wanted = params.get("indicateur")
    if wanted:
        if wanted in INDICATORS:
            accepted["indicateur"] = wanted
        else:
            notes.append(f"Indicateur « {wanted[:40]} » inconnu : choisissez-en un dans la liste de la page.")
    text = params.get("periode")
    if text:
        try:
            accepted["periode"] = parse_period(text)
        except IndicatorError as err:
            notes.append(str(err))
    return accepted, notes
