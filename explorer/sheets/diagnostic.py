"""Diagnostic (fiche territoire): one territory's key figures against its parents, the country
and its peer group, the time series behind them, a French summary and data-quality warnings.

Every value is an indicator of :mod:`explorer.facts.indicators` (same formula, same secrecy). The
parents', the country's and the peer group's values are **pooled**: the sums behind the
indicator are added over the member territories, then the ratio is taken
(:func:`explorer.facts.indicators.overall`), so a large peer weighs more than a small one — the
value is the group's, not a mean of values. The words never claim causality.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import duckdb
import numpy as np
import pandas as pd

from explorer import vocabulary as voc
from explorer.analysis.peers import PeerGroup, chosen_group, default_peers, peer_frame
from explorer.errors import TerritoryError
from explorer.facts import secrecy
from explorer.facts.indicators import (
    INDICATORS,
    TERRITORY_COLUMN,
    Indicator,
    compute,
    format_value,
    get_indicator,
    measured_only,
    overall,
    school_facts,
    territory_facts,
)
from explorer.formatting import fr_number, fr_percent, is_missing
from explorer.geo.search import find
from explorer.geo.territories import PARENTS, display_name, territory_index
from explorer.warehouse import catalog
from explorer.warehouse.sqlfiles import read_sql

HEADLINE = (
    "invest_per_pupil",
    "ent_visits_per_pupil_week",
    "active_pupils_share",
    "resource_per_pupil",
    "coverage_share",
    "ips",
    "pupils",
)
SECTIONS = {
    "investment": "Investissement",
    "usage": "Usage de l'ENT",
    "resource": "Ressources numériques",
    "context": "Contexte",
}
SAME = 0.02  # relative differences below 2 % (or 0.5 point) read « au même niveau »
SAME_POINTS = 0.5
COVERAGE_BREAK = 0.10  # a change of 10 points of measured share between two school years
COUNTS = ("pupils",)  # totals: shown for context, never compared


@dataclass(frozen=True)
class Reference:
    """A column of the comparison: the territory itself, a parent, the country or the peers."""

    role: str  # 'territoire' | 'parent' | 'france' | 'pairs'
    label: str
    level: str | None = None
    code: str | None = None


SCHOOL = "etablissement"  # the level of a school's sheet in URLs and commands


def kind_plural(kind: str) -> str:
    """« écoles », « collèges », « lycées » (« établissements » for an unknown kind)."""
    return voc.KIND_PLURALS.get(kind, "établissements")


def _code_column(level: str) -> str:
    """The school table's column holding the code of ``level`` (``uai`` for a school)."""
    return "uai" if level in ("school", SCHOOL) else TERRITORY_COLUMN[level]


class LevelFacts:
    """The sums behind every indicator for all territories of one level, queried in 4 passes.

    :func:`explorer.facts.indicators.territory_facts` runs one query per filter (funder, category,
    profile, resource); here the unfiltered sums are read once and the filtered ones come from
    three breakdown queries, so the 31 indicators of a level cost 4 queries, not 24. The
    result is the same as ``territory_facts`` with the indicator's filter (tested).
    """

    def __init__(
        self,
        con: duckdb.DuckDBPyConnection,
        level: str,
        period: tuple[int, int],
    ):
        self.level = level
        self.base = school_facts(con, period) if level == "school" else territory_facts(con, level, period)
        params = {"first_year": period[0], "last_year": period[1]}

        def run(name: str) -> pd.DataFrame:
            return con.execute(read_sql(f"queries/{name}", code=_code_column(level)), params).df()

        self.investment = run("breakdown_investment")
        self.usage = run("breakdown_usage")
        self.resources = run("breakdown_resources")
        # One breakdown's rows by code, per filter: a sheet reads each ~6 times (one per reference),
        # and selecting them again from a level's whole breakdown (35 000 communes) cost most of it.
        self._filtered: dict[tuple[str, ...], pd.DataFrame] = {}

    def _breakdown(self, key: tuple[str, ...]) -> pd.DataFrame:
        """The rows of one breakdown for one filter, indexed by code: ``("investment", funder,
        category)`` (either may be ""), ``("usage", profile)``, ``("resources", resource)``."""
        if key not in self._filtered:
            table, *items = key
            if table == "investment":
                rows = self.investment
                for dimension, item in zip(("funder", "category"), items, strict=True):
                    if item:
                        rows = rows[(rows["dimension"] == dimension) & (rows["item"] == item)]
            elif table == "usage":
                rows = self.usage[self.usage["profile"] == items[0]]
            else:
                rows = self.resources[self.resources["resource"] == items[0]]
            self._filtered[key] = rows.set_index("code")
        return self._filtered[key]

    def facts(self, indicator: Indicator, codes: Sequence[str] | None = None) -> pd.DataFrame:
        """The columns of ``territory_facts(con, level, period, indicator)`` (only the rows of
        ``codes`` when given)."""
        out = self.base if codes is None else self.base[self.base["code"].isin(list(codes))]
        out = out.copy()
        keys = out["code"]
        if indicator.funder or indicator.category:
            spent = self._breakdown(("investment", indicator.funder or "", indicator.category or ""))
            out["invest_eur"] = keys.map(spent["invest_eur"]).fillna(0.0).to_numpy()
        if indicator.profile:
            usage = self._breakdown(("usage", indicator.profile))
            for column in ("visits", "pupil_user_weeks", "user_weeks"):
                out[column] = keys.map(usage[column]).to_numpy()
        if indicator.resource:
            used = self._breakdown(("resources", indicator.resource))
            out["resource_visits"] = keys.map(used["resource_visits"]).to_numpy()
            out["resource_user_weeks"] = keys.map(used["resource_user_weeks"]).to_numpy()
        return out

    def values(self, indicator: Indicator, codes: Sequence[str] | None = None) -> pd.DataFrame:
        """:func:`explorer.facts.indicators.compute` of ``indicator`` for every territory of the
        level (only those of ``codes`` when given)."""
        return compute(self.facts(indicator, codes), indicator)

    def pooled_facts(self, indicator: Indicator, codes: Sequence[str], code: str, name: str) -> pd.DataFrame:
        """The facts of the territories ``codes`` summed into one row (none when ``codes`` is empty)."""
        members = self.facts(indicator, codes)
        return members.iloc[:0] if members.empty else overall(members, code, name)


@dataclass
class Diagnostic:
    """Everything the Diagnostic page, its exports and the CLI show for one territory.

    Attributes
    ----------
    figures : DataFrame, one row per indicator and reference: ``indicator, role, reference,
        value (float, NaN when masked or missing), masked (bool), mask_reason (str), fragility
        (str, "" or the flags of a small denominator)``.
    investment_years : ``year, funder_level, category, invest_eur, pupils, schools``.
    usage_weeks : ``week_start, school_year, profile, visits, users, schools,
        measured_schools, measured_pupils, holiday_week, school_day_share``.
    resource_years : ``school_year, resource, visits, user_weeks, measured_schools, measured_pupils``.
    coverage_years : ``school_year, schools, measured_schools, pupils, measured_pupils``.
    """

    level: str
    code: str
    name: str
    period: tuple[int, int]
    references: list[Reference]
    peers: PeerGroup
    figures: pd.DataFrame
    investment_years: pd.DataFrame
    usage_weeks: pd.DataFrame
    resource_years: pd.DataFrame
    coverage_years: pd.DataFrame
    simulated: bool
    scope: str
    built_at: str
    peer_names: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    school: dict[str, str] = field(default_factory=dict)  # a school's sheet: kind, sector, commune…
    funding: pd.DataFrame | None = None  # a school's sheet: see :func:`school_funding`

    @property
    def title(self) -> str:
        """« Ille-et-Vilaine (département 35) »; a school: « École Jules Ferry (école, Rennes, UAI 0350001A) »."""
        if self.level == SCHOOL:
            kind = voc.KIND_LABELS.get(self.school.get("kind", ""), "établissement").lower()
            return f"{self.name} ({kind}, {self.school.get('commune_name', '')}, UAI {self.code})"
        return f"{display_name(self.level, self.name)} ({voc.LEVEL_NOUNS[self.level]} {self.code})"

    @property
    def sheet_title(self) -> str:
        """« Fiche territoire — Ille-et-Vilaine (département 35) », « Fiche établissement — … »."""
        return f"Fiche {'établissement' if self.level == SCHOOL else 'territoire'} — {self.title}"

    @property
    def peers_heading(self) -> str:
        """« Groupe de pairs », or for a school « Comparaison : écoles du département (…) »."""
        group = next(r for r in self.references if r.role == "pairs")
        return f"Comparaison : {group.label[0].lower()}{group.label[1:]}" if self.level == SCHOOL else "Groupe de pairs"

    @property
    def gap_label(self) -> str:
        """Header of the gap to the peers: « Écart aux pairs », « Écart aux écoles du département »."""
        if self.level != SCHOOL:
            return "Écart aux pairs"
        return f"Écart aux {kind_plural(self.school.get('kind', ''))} du département"

    @property
    def period_text(self) -> str:
        return f"{self.period[0]}-{self.period[1]}"

    def value(self, indicator_id: str, role: str = "territoire") -> pd.Series:
        """The row of ``figures`` for one indicator and the first reference of ``role``."""
        rows = self.figures[(self.figures["indicator"] == indicator_id) & (self.figures["role"] == role)]
        return rows.iloc[0]


FactsOf = Callable[[str], LevelFacts]
"""The :class:`LevelFacts` of a level over the sheet's period (the app passes one cached across
sheets: a level's facts are the same for every sheet of that period)."""


def facts_memo(con: duckdb.DuckDBPyConnection, period: tuple[int, int]) -> FactsOf:
    """A :data:`FactsOf` that reads each level once, for one sheet."""
    levels: dict[str, LevelFacts] = {}

    def facts_of(level: str) -> LevelFacts:
        if level not in levels:
            levels[level] = LevelFacts(con, level, period)
        return levels[level]

    return facts_of


def _country_label(scope: str) -> str:
    return "France entière" if scope == "France entière" else "Ensemble de l'entrepôt"


def diagnose(
    con: duckdb.DuckDBPyConnection,
    level: str,
    code: str,
    period: tuple[int, int],
    peer_codes: Sequence[str] | None = None,
    indicator_ids: Sequence[str] = tuple(INDICATORS),
    facts_of: FactsOf | None = None,
) -> Diagnostic:
    """Key figures, comparisons, series and warnings of territory ``level:code`` over ``period``.

    ``peer_codes`` replaces the default peer group (same population band and overseas status,
    :func:`explorer.analysis.peers.default_peers`) with territories of the same level chosen by hand.
    A school (``level`` :data:`SCHOOL`, ``code`` its UAI) gets :func:`diagnose_school`.
    ``facts_of`` gives each level's facts over ``period`` (default: :func:`facts_memo`).
    """
    facts_of = facts_of or facts_memo(con, period)
    if level == SCHOOL:
        return diagnose_school(con, code, period, indicator_ids, facts_of)
    territories = territory_index(con)
    row = find(territories, level, code)
    scope = catalog.scope_label(con)
    info = catalog.build_info(con)
    own = facts_of(level)
    frame = peer_frame(con, level, period, facts=own.base)
    peers = chosen_group(frame, level, code, peer_codes) if peer_codes else default_peers(frame, level, code)

    references = [Reference("territoire", display_name(level, str(row["name"])), level, code)]
    for parent in PARENTS[level]:
        parent_code = row.get(f"{parent}_code")
        if isinstance(parent_code, str) and parent_code:
            parent_row = find(territories, parent, parent_code)
            label = display_name(parent, str(parent_row["name"]))
            references.append(Reference("parent", f"{label} ({voc.LEVEL_NOUNS[parent]})", parent, parent_code))
    references.append(Reference("france", _country_label(scope), "region", None))
    references.append(Reference("pairs", f"Pairs ({len(peers.codes)} {voc.LEVEL_PLURALS[level]})", level, None))

    figures = _figures(references, indicator_ids, facts_of, peers.codes)
    series = territory_series(con, level, code)
    diag = Diagnostic(
        level=level,
        code=code,
        name=str(row["name"]),
        period=period,
        references=references,
        peers=peers,
        figures=figures,
        simulated=catalog.is_simulated(con),
        scope=scope,
        built_at=str(info.get("built_at", "")),
        peer_names=[str(n) for n in frame.set_index("code").loc[list(peers.codes), "name"]],
        **series,
    )
    diag.warnings = warnings(diag)
    return diag


# The figure of a reference without facts (an empty peer group): missing, not masked, not fragile.
NO_FACTS: dict[str, Any] = {"value": np.nan, "masked": False, "mask_reason": "", "fragility": ""}


def _figures(
    references: Sequence[Reference],
    indicator_ids: Sequence[str],
    facts_of: Callable[[str], LevelFacts],
    peer_codes: Sequence[str],
) -> pd.DataFrame:
    """One row per indicator and reference: the territory's own value and its parents' (one row
    of ``compute`` each), the country (every région of the warehouse pooled) and the peers (pooled).

    Each indicator is computed once over one facts row per reference (``compute`` works row by
    row): once per reference cost a commune's sheet ~200 calls of pandas overhead."""
    own_level = str(references[0].level)
    rows: list[dict] = []
    for indicator_id in indicator_ids:
        indicator = get_indicator(indicator_id)
        facts: list[pd.DataFrame] = []
        for ref in references:
            if ref.role == "france":
                regions = facts_of("region")
                one = regions.pooled_facts(indicator, regions.base["code"].tolist(), "FR", ref.label)
            elif ref.role == "pairs":
                one = facts_of(own_level).pooled_facts(indicator, peer_codes, "PAIRS", ref.label)
            else:
                one = facts_of(str(ref.level)).facts(indicator, [str(ref.code)])
            facts.append(one.iloc[:1])
        found = [len(one) > 0 for one in facts]
        results = compute(pd.concat([one for one in facts if len(one)], ignore_index=True), indicator)
        computed = iter(results.to_dict("records"))
        for ref, present in zip(references, found, strict=True):
            result = next(computed) if present else NO_FACTS
            rows.append(
                {
                    "indicator": indicator_id,
                    "role": ref.role,
                    "reference": ref.label,
                    "value": float(result["value"]) if not is_missing(result["value"]) else np.nan,
                    "masked": bool(result["masked"]),
                    "mask_reason": str(result["mask_reason"]),
                    "fragility": str(result["fragility"]),
                }
            )
    return pd.DataFrame(rows)


def school_row(con: duckdb.DuckDBPyConnection, uai: str) -> dict[str, str] | None:
    """One school and the names of its commune and département (texts), or None when absent."""
    found = con.execute(read_sql("queries/school_sheet"), {"uai": uai}).df()
    if found.empty:
        return None
    return {str(k): ("" if is_missing(v) else str(v)) for k, v in found.iloc[0].items()}


def diagnose_school(
    con: duckdb.DuckDBPyConnection,
    uai: str,
    period: tuple[int, int],
    indicator_ids: Sequence[str] = tuple(INDICATORS),
    facts_of: FactsOf | None = None,
) -> Diagnostic:
    """The sheet of one school: its own figures against its commune, the schools of its kind in
    its département (pooled: sums, then the ratio) and the country, who paid what for it
    (:func:`school_funding`), and its series. ``facts_of``: as in :func:`diagnose`."""
    school = school_row(con, uai)
    if school is None:
        raise TerritoryError(
            f"Établissement « {uai[:20]} » absent de l'entrepôt : vérifiez l'UAI (7 chiffres et une lettre, "
            "par ex. 0350001A) ou le périmètre de l'entrepôt."
        )
    scope = catalog.scope_label(con)
    info = catalog.build_info(con)
    kind, dep = school["kind"], school["departement_code"]
    same = con.execute(read_sql("queries/school_group"), {"kind": kind, "departement": dep, "uai": uai}).fetchall()
    facts_of = facts_of or facts_memo(con, period)
    plural = kind_plural(kind)
    group_label = f"{plural.capitalize()} du département ({school['departement_name']})"
    peers = PeerGroup(
        level="school",
        target=uai,
        codes=tuple(code for (code,) in same),
        rules=("même type d'établissement", "même département"),
        explanation=(
            f"Les {fr_number(len(same))} autres {plural} du département {school['departement_name']} "
            f"({dep}), publics et privés : leurs sommes, puis le ratio (valeur du groupe)."
        ),
    )
    references = [
        Reference("territoire", school["name"], "school", uai),
        Reference("parent", f"{school['commune_name']} (commune)", "commune", school["commune_code"]),
        Reference("pairs", group_label, "school", None),
        Reference("france", _country_label(scope), "region", None),
    ]
    names = facts_of("school").base.set_index("code")["name"]
    diag = Diagnostic(
        level=SCHOOL,
        code=uai,
        name=school["name"],
        period=period,
        references=references,
        peers=peers,
        figures=_figures(references, indicator_ids, facts_of, peers.codes),
        simulated=catalog.is_simulated(con),
        scope=scope,
        built_at=str(info.get("built_at", "")),
        peer_names=[str(names.get(code, "")) for code in peers.codes],
        school=school,
        funding=school_funding(con, uai),
        **territory_series(con, SCHOOL, uai),
    )
    diag.warnings = warnings(diag)
    return diag


def school_funding(con: duckdb.DuckDBPyConnection, uai: str) -> pd.DataFrame:
    """Who paid what for one school, per budget year.

    Returns
    -------
    DataFrame ``year (int), funder_level, funder, category, category_label, programme,
    programme_label, allocated (bool: its pupils' share of a funder's spending attached to no
    school), invest_eur (float, €), per_pupil (float, € per pupil of the school year the budget
    year starts; NaN without pupils)``, sorted by year, funder, category.
    """
    frame = con.execute(read_sql("queries/school_funding"), {"uai": uai}).df()
    frame["year"] = frame["year"].astype(int)
    frame["funder"] = frame["funder_level"].map(voc.FUNDER_LABELS)
    frame["category_label"] = frame["category"].map(voc.CATEGORY_LABELS)
    frame["programme_label"] = frame["programme"].map(voc.PROGRAMME_LABELS).fillna(frame["programme"])
    pupils = pd.to_numeric(frame["pupils"], errors="coerce").astype(float)
    frame["per_pupil"] = frame["invest_eur"].astype(float) / pupils.where(pupils > 0)
    return frame[
        [
            "year",
            "funder_level",
            "funder",
            "category",
            "category_label",
            "programme",
            "programme_label",
            "allocated",
            "invest_eur",
            "per_pupil",
        ]
    ]


def funding_display(funding: pd.DataFrame) -> pd.DataFrame:
    """:func:`school_funding` as shown and exported: French headers, labels, most recent year first."""
    return pd.DataFrame(
        {
            "Année budgétaire": funding["year"],
            "Financeur": funding["funder"],
            "Catégorie": funding["category_label"],
            "Programme": funding["programme_label"],
            "Rattachement": np.where(
                funding["allocated"].astype(bool), "part des dépenses non rattachées", "dépense de l'établissement"
            ),
            "Montant (€)": funding["invest_eur"].round(2),
            "Par élève (€ par élève)": funding["per_pupil"].round(2),
        }
    ).sort_values(["Année budgétaire", "Financeur", "Catégorie"], ascending=[False, True, True], ignore_index=True)


def schools_display(schools: pd.DataFrame, period: tuple[int, int]) -> pd.DataFrame:
    """:func:`territory_schools` as shown: French headers and the link to each school's sheet."""
    link = f"/diagnostic?territoire={SCHOOL}:" + schools["uai"] + f"&periode={period[0]}-{period[1]}"
    return pd.DataFrame(
        {
            "Établissement": schools["name"],
            "Fiche": link,
            "Type": schools["kind"].map(voc.KIND_LABELS),
            "Commune": schools["commune_name"],
            "Élèves": schools["pupils"],
            "IPS": schools["ips"].round(1),
            "Investissement (€ par élève et par an)": schools["invest_per_pupil"].round(1),
            "Visites ENT (par élève et par semaine)": schools["visits_per_pupil_week"].round(2),
            "Secteur": schools["sector"].map(voc.SECTOR_LABELS),
            "UAI": schools["uai"],
        }
    )


def territory_schools(con: duckdb.DuckDBPyConnection, level: str, code: str, period: tuple[int, int]) -> pd.DataFrame:
    """The schools of territory ``level:code`` with their own figures over ``period``.

    Returns
    -------
    DataFrame ``uai, name, kind, sector, commune_name, pupils (last school year of the period),
    ips, invest_per_pupil (€ per pupil and per year), visits_per_pupil_week (ENT visits per
    pupil and per week of the measured school years, NaN when never measured)``.
    """
    params = {"code": code, "first_year": period[0], "last_year": period[1]}
    return con.execute(read_sql("queries/territory_schools", code=_code_column(level)), params).df()


def territory_series(con: duckdb.DuckDBPyConnection, level: str, code: str) -> dict[str, pd.DataFrame]:
    """The time series of one territory: investment per year, weekly ENT use, resources, coverage."""

    def run(name: str, **params: object) -> pd.DataFrame:
        return con.execute(read_sql(f"queries/{name}", code=_code_column(level)), {"code": code, **params}).df()

    return {
        "investment_years": run("territory_investment_years"),
        "usage_weeks": run("territory_usage_weeks", level="school" if level == SCHOOL else level),
        "resource_years": run("territory_resource_years"),
        "coverage_years": run("territory_coverage_years"),
    }


# --- Comparisons and words ------------------------------------------------------------------


def difference(indicator: Indicator, value: float, reference: float) -> tuple[float, str]:
    """How far ``value`` is from ``reference``: a relative change (``'%'``, 0.23 = 23 % more)
    for ratios and counts, a difference in points (``'points'``) for shares and the IPS.

    NaN when either is missing, or when the reference is zero for a relative change.
    """
    if is_missing(value) or is_missing(reference):
        return np.nan, "%"
    if indicator.unit.startswith("%"):
        return (float(value) - float(reference)) * 100, "points"
    if indicator.id == "ips":
        return float(value) - float(reference), "points"
    if float(reference) == 0:
        return np.nan, "%"
    return float(value) / float(reference) - 1, "%"


def same_level(indicator: Indicator, gap: float) -> bool:
    """Whether a gap (:func:`difference`) reads « au même niveau » (under 2 %, or 0.5 point)."""
    if is_missing(gap):
        return False
    points = indicator.unit.startswith("%") or indicator.id == "ips"
    return abs(float(gap)) < (SAME_POINTS if points else SAME)


def difference_text(amount: float, kind: str) -> str:
    """« +23 % », « −4,2 points »; « n.d. » when missing."""
    if is_missing(amount):
        return "n.d."
    sign = "+" if amount > 0 else ("−" if amount < 0 else "")
    if kind == "points":
        return f"{sign}{fr_number(abs(amount), 1)} point{'s' if abs(amount) >= 2 else ''}"
    return f"{sign}{fr_percent(abs(amount), 0)}"


def reading(indicator: Indicator, value: float, masked: bool, reference: float, ref_label: str) -> str:
    """One figure against one reference, in plain French, e.g. « 23 % de plus que ses pairs
    (412 € contre 335 € par élève et par an) »."""
    if masked:
        return f"{voc.SECRET_TEXT} : pas de comparaison possible"
    if is_missing(value):
        return "usage non mesuré dans ce territoire" if measured_only(indicator) else "valeur non disponible"
    if is_missing(reference):
        return f"pas de valeur pour {ref_label}"
    amount, kind = difference(indicator, value, reference)
    both = f"{format_value(indicator, value, unit=False)} contre {format_value(indicator, reference)}"
    if is_missing(amount):
        return f"{both} ({ref_label})"
    same = abs(amount) < (SAME_POINTS if kind == "points" else SAME)
    if same:
        return f"au même niveau que {ref_label} ({both})"
    direction = "de plus que" if amount > 0 else "de moins que"
    if kind == "points":
        size = f"{fr_number(abs(amount), 1)} point{'s' if abs(amount) >= 2 else ''}"
    else:
        size = fr_percent(abs(amount), 0)
    return f"{size} {direction} {ref_label} ({both})"


def _ref_phrase(ref: Reference) -> str:
    if ref.role == "pairs" and ref.level == "school":
        return "l'ensemble des " + ref.label[0].lower() + ref.label[1:]
    if ref.role == "pairs":
        return "ses pairs"
    if ref.role == "france":
        return "la France entière" if ref.label == "France entière" else "l'ensemble de l'entrepôt"
    return ref.label


def figure_table(diag: Diagnostic) -> pd.DataFrame:
    """One row per indicator: its value and each reference's, the gaps and their reading.

    Returns
    -------
    DataFrame ``indicator, section, label, unit, period, source`` then one float column per
    reference label (NaN when masked or missing), ``masked`` (bool), ``mask_reason``, ``fragility``
    (the territory's own value: "" or its flags),
    ``gap_peers``, ``gap_france`` (float: relative change, or points, see ``gap_kind``),
    ``gap_kind``, ``reading`` (str).
    """
    rows = []
    country = next(r for r in diag.references if r.role == "france")
    peers = next(r for r in diag.references if r.role == "pairs")
    for indicator_id, group in diag.figures.groupby("indicator", sort=False):
        indicator = get_indicator(str(indicator_id))
        by_role = group.set_index("reference")
        own = group[group["role"] == "territoire"].iloc[0]
        row: dict[str, object] = {
            "indicator": indicator.id,
            "section": SECTIONS[indicator.family],
            "label": indicator.label,
            "unit": indicator.unit,
            "period": diag.period_text,
            "source": indicator.source,
        }
        for ref in diag.references:
            row[ref.label] = by_role.at[ref.label, "value"]
        row["masked"] = bool(own["masked"])
        row["mask_reason"] = own["mask_reason"]
        row["fragility"] = own["fragility"]
        gap_p, kind = difference(indicator, own["value"], by_role.at[peers.label, "value"])
        gap_f, _ = difference(indicator, own["value"], by_role.at[country.label, "value"])
        row["gap_peers"], row["gap_france"], row["gap_kind"] = gap_p, gap_f, kind
        main_ref = peers if not is_missing(by_role.at[peers.label, "value"]) else country
        row["reading"] = reading(
            indicator, own["value"], own["masked"], by_role.at[main_ref.label, "value"], _ref_phrase(main_ref)
        )
        if indicator.id in COUNTS:
            # A count of the group is a sum: it does not compare with one territory's.
            row["gap_peers"] = row["gap_france"] = np.nan
            row["reading"] = "donnée de contexte (effectif total du territoire ou du groupe, pas de comparaison)"
        rows.append(row)
    return pd.DataFrame(rows)


def _subject(diag: Diagnostic) -> str:
    if diag.level == SCHOOL:
        return diag.name
    if diag.level == "academie":
        name = display_name("academie", diag.name)
        return name[0].lower() + name[1:]
    return f"{diag.name} ({voc.LEVEL_NOUNS[diag.level]})"


def summary(diag: Diagnostic) -> str:
    """A short paragraph in French built from the numbers; it describes, it never explains.

    E.g. « Finistère (département) : dans ses établissements, l'investissement numérique par
    élève et par an (tous financeurs, 2021-2025) est supérieur de 23 % à celui de ses pairs
    (412 contre 335 € par élève et par an) ; l'usage de l'ENT par élève y est inférieur de 12 % … »
    """
    table = figure_table(diag).set_index("indicator")
    own_col = diag.references[0].label
    peers_ref = next(r for r in diag.references if r.role == "pairs")
    country = next(r for r in diag.references if r.role == "france")

    def gap_words(indicator_id: str) -> str | None:
        row = table.loc[indicator_id]
        indicator = INDICATORS[indicator_id]
        if row["masked"] or is_missing(row[own_col]):
            return None
        ref = peers_ref if not is_missing(row[peers_ref.label]) else country
        amount, kind = difference(indicator, row[own_col], row[ref.label])
        if is_missing(amount):
            return None
        values = f"{format_value(indicator, row[own_col], unit=False)} contre {format_value(indicator, row[ref.label])}"
        if abs(amount) < (SAME_POINTS if kind == "points" else SAME):
            return f"comparable à celui de {_ref_phrase(ref)} ({values})"
        size = fr_percent(abs(amount), 0) if kind == "%" else f"{fr_number(abs(amount), 1)} points"
        word = "supérieur" if amount > 0 else "inférieur"
        return f"{word} de {size} à celui de {_ref_phrase(ref)} ({values})"

    sentences: list[str] = []
    # « Subject : dans ses établissements » avoids French article rules (du Finistère,
    # d'Ille-et-Vilaine, des Landes) that a name alone cannot tell.
    subject = f"{_subject(diag)} : " + ("" if diag.level == SCHOOL else "dans ses établissements, ")
    invest = gap_words("invest_per_pupil")
    usage = gap_words("ent_visits_per_pupil_week")
    if invest:
        text = (
            f"{subject}l'investissement numérique par élève et par an "
            f"(tous financeurs, {diag.period_text}) est {invest}"
        )
        if usage:
            text += f" ; l'usage de l'ENT par élève y est {usage}"
        sentences.append(text + ".")
    elif usage:
        sentences.append(f"{subject}l'usage de l'ENT par élève est {usage}.")
    total = table.at["invest_per_pupil", own_col]
    if not table.at["invest_per_pupil", "masked"] and not is_missing(total) and total > 0:
        shares = {f: table.at[f"invest_per_pupil_{f}", own_col] / total for f in voc.FUNDER_LEVELS}
        top = max(shares, key=lambda f: shares[f])
        sentences.append(
            f"Premier financeur sur la période : {voc.FUNDER_LABELS[top]} ({fr_percent(shares[top], 0)} des dépenses)."
        )
    coverage = table.loc["coverage_share"]
    if diag.level == SCHOOL:
        measured = diag.coverage_years.loc[diag.coverage_years["measured_schools"] > 0, "school_year"].tolist()
        sentences.append(
            "Établissement mesuré par l'audience des ENT en " + ", ".join(measured) + "."
            if measured
            else "Établissement non mesuré par l'audience des ENT : pas d'indicateur d'usage."
        )
    elif not coverage["masked"] and not is_missing(coverage[own_col]):
        sentences.append(
            f"{fr_percent(coverage[own_col], 0)} des établissements ont été mesurés par l'audience des ENT "
            f"au moins une semaine ({fr_percent(coverage[country.label], 0)} pour {_ref_phrase(country)})."
        )
    ips = table.loc["ips"]
    if not ips["masked"] and not is_missing(ips[own_col]):
        sentences.append(
            f"IPS moyen des élèves : {fr_number(ips[own_col], 1)} "
            f"({fr_number(ips[country.label], 1)} pour {_ref_phrase(country)})."
        )
    sentences.append(
        "Ces écarts décrivent une situation ; ils ne disent pas que l'investissement explique l'usage, ni l'inverse."
    )
    return " ".join(sentences)


def coverage_breaks(
    coverage_years: pd.DataFrame, threshold: float = COVERAGE_BREAK
) -> list[tuple[str, str, float, float]]:
    """Consecutive school years whose measured share changes by ``threshold`` or more.

    Parameters
    ----------
    coverage_years : ``school_year, schools, measured_schools`` (one row per school year, in order).

    Returns
    -------
    ``(year before, year after, share before, share after)`` for each break.
    """
    frame = coverage_years.sort_values("school_year")
    share = (frame["measured_schools"] / frame["schools"].where(frame["schools"] > 0)).to_numpy(dtype=float)
    years = frame["school_year"].tolist()
    out = []
    for i in range(1, len(years)):
        if not np.isnan(share[i - 1]) and not np.isnan(share[i]) and abs(share[i] - share[i - 1]) >= threshold:
            out.append((years[i - 1], years[i], float(share[i - 1]), float(share[i])))
    return out


def warnings(diag: Diagnostic) -> list[str]:
    """Data-quality warnings in French: simulated data, masked values, coverage breaks, scope."""
    out: list[str] = []
    if diag.simulated:
        out.append(
            "Données simulées : les investissements, effectifs, IPS et usages viennent du générateur de "
            "démonstration ; ils ne décrivent aucune collectivité réelle. Ne les citez pas."
        )
    own = diag.figures[diag.figures["role"] == "territoire"]
    masked = own[own["masked"]]
    if len(masked):
        labels = ", ".join(INDICATORS[i].label.lower() for i in masked["indicator"].head(4))
        more = f" et {len(masked) - 4} autres" if len(masked) > 4 else ""
        reasons = sorted(set(masked["mask_reason"]))
        out.append(
            f"Secret statistique : {len(masked)} valeur(s) masquée(s) ({'; '.join(reasons)}) — {labels}{more}. "
            f"Une valeur n'est jamais montrée sur {secrecy.setting().rule_text()}."
        )
    fragile = own[own["fragility"].fillna("") != ""]
    if len(fragile):
        # the key figures first, at most three named: the table's « Chiffre fragile » column has the rest
        order = {indicator_id: rank for rank, indicator_id in enumerate(HEADLINE)}
        fragile = fragile.assign(rank=fragile["indicator"].map(order).fillna(len(order))).sort_values("rank")
        pairs = list(zip(fragile["indicator"], fragile["fragility"], strict=True))
        items = " ; ".join(f"{INDICATORS[i].label.lower()} ({flag})" for i, flag in pairs[:3])
        more = f", et {len(pairs) - 3} autres (colonne « Chiffre fragile »)" if len(pairs) > 3 else ""
        out.append(
            f"Chiffres fragiles, à lire avec prudence : {items}{more}. Un petit nombre d'élèves ou d'élèves "
            "mesurés suffit à les faire varier."
        )
    # Under secrecy, a territory below the threshold keeps its coverage to itself: its breaks
    # would tell which schools are measured.
    rule = secrecy.setting()
    enough = diag.coverage_years["schools"].min() >= rule.min_schools if len(diag.coverage_years) else False
    breaks = coverage_breaks(diag.coverage_years) if enough else []
    if breaks:
        parts = [f"de {fr_percent(a, 0)} en {y0} à {fr_percent(b, 0)} en {y1}" for y0, y1, a, b in breaks]
        out.append(
            "Rupture de couverture : la part des établissements mesurés par l'audience des ENT passe "
            + ", puis ".join(parts)
            + ". Les totaux bruts d'usage ne se comparent pas d'une année à l'autre ; les indicateurs "
            "rapportent les usages aux élèves des seuls établissements mesurés."
        )
    if diag.coverage_years["measured_schools"].sum() == 0 and diag.level != SCHOOL:  # its summary says it
        out.append(
            "Aucun établissement de ce territoire n'est mesuré par l'audience des ENT : pas d'indicateur d'usage."
        )
    if diag.scope != "France entière":
        out.append(
            f"Périmètre de l'entrepôt : {diag.scope}. La référence « {_country_label(diag.scope)} » "
            "n'est donc pas la France entière."
        )
    return out


# --- Series, per pupil, with secrecy --------------------------------------------------------


def investment_by_year(diag: Diagnostic, by: str = "funder_level") -> pd.DataFrame:
    """Investment per pupil per budget year, split by funder (``funder_level``) or ``category``.

    Returns
    -------
    DataFrame ``year (int), item (str), label (str), invest_eur, per_pupil (float, € per
    pupil; NaN under a deployment's secrecy threshold)``, every item of the vocabulary each year.
    """
    if by not in ("funder_level", "category"):
        raise ValueError(f"by={by!r} should be 'funder_level' or 'category'")
    labels = voc.FUNDER_LABELS if by == "funder_level" else voc.CATEGORY_LABELS
    frame = diag.investment_years
    sums = frame.groupby(["year", by], as_index=False)["invest_eur"].sum()
    pupils = frame.groupby("year")[["pupils", "schools"]].first()
    grid = pd.MultiIndex.from_product([sorted(pupils.index), list(labels)], names=["year", by]).to_frame(index=False)
    out = grid.merge(sums, on=["year", by], how="left").fillna({"invest_eur": 0.0})
    out["pupils"] = out["year"].map(pupils["pupils"])
    secret = out["year"].map(pupils["schools"]).fillna(0) < secrecy.setting().min_schools
    out["per_pupil"] = (out["invest_eur"] / out["pupils"].where(out["pupils"] > 0)).where(~secret)
    out["invest_eur"] = out["invest_eur"].where(~secret)
    out = out.rename(columns={by: "item"})
    out["label"] = out["item"].map(labels)
    return out[["year", "item", "label", "invest_eur", "per_pupil"]]


def weekly_usage(diag: Diagnostic) -> pd.DataFrame:
    """ENT visits per pupil of the measured schools, per week and profile.

    Returns
    -------
    DataFrame ``week_start (datetime), school_year, profile, label, per_pupil (float; NaN
    under a deployment's secrecy thresholds), holiday_week (bool)``.
    """
    frame = diag.usage_weeks.copy()
    rule = secrecy.setting()
    secret = (frame["schools"] < rule.min_schools) | (frame["users"] < rule.min_users)
    pupils = frame["measured_pupils"].where(frame["measured_pupils"] > 0)
    frame["per_pupil"] = (frame["visits"] / pupils).where(~secret)
    frame["label"] = frame["profile"].map(voc.PROFILE_LABELS)
    frame["week_start"] = pd.to_datetime(frame["week_start"])
    return frame[["week_start", "school_year", "profile", "label", "per_pupil", "holiday_week"]]


def resources_by_year(diag: Diagnostic) -> pd.DataFrame:
    """Digital-resource accesses per pupil of the measured schools, per school year and family.

    Returns
    -------
    DataFrame ``school_year, resource, label, per_pupil (NaN under secrecy)``.
    """
    frame = diag.resource_years.copy()
    rule = secrecy.setting()
    secret = (frame["measured_schools"].fillna(0) < rule.min_schools) | (frame["user_weeks"].fillna(0) < rule.min_users)
    pupils = frame["measured_pupils"].where(frame["measured_pupils"] > 0)
    frame["per_pupil"] = (frame["visits"] / pupils).where(~secret)
    frame["label"] = frame["resource"].map(lambda r: INDICATORS[f"resource_per_pupil_{r}"].label.split(" — ")[-1])
    return frame[["school_year", "resource", "label", "per_pupil"]]
