"""Diagnostic (fiche territoire): one territory's key figures against its parents, the country
and its peer group, the time series behind them, a French summary and data-quality warnings.

Every value is an indicator of :mod:`explorer.facts.indicators` (same formula, same secrecy). The
parents', the country's and the peer group's values are **pooled**: the sums behind the
indicator are added over the member territories, then the ratio is taken
(:func:`explorer.facts.indicators.overall`), so a large peer weighs more than a small one — the
value is the group's, not a mean of values. The words never claim causality.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import duckdb
import numpy as np
import pandas as pd

from explorer import vocabulary as voc
from explorer.analysis.peers import PeerGroup, chosen_group, default_peers, peer_frame
from explorer.facts.indicators import (
    INDICATORS,
    MIN_SCHOOLS,
    MIN_USERS,
    TERRITORY_COLUMN,
    Indicator,
    compute,
    format_value,
    get_indicator,
    overall,
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


class LevelFacts:
    """The sums behind every indicator for all territories of one level, queried in 4 passes.

    :func:`explorer.facts.indicators.territory_facts` runs one query per filter (funder, category,
    profile, resource); here the unfiltered sums are read once and the filtered ones come from
    three breakdown queries, so the 31 indicators of a level cost 4 queries, not 24. The
    result is the same as ``territory_facts`` with the indicator's filter (tested).
    """

    def __init__(self, con: duckdb.DuckDBPyConnection, level: str, period: tuple[int, int]):
        self.level = level
        self.base = territory_facts(con, level, period)
        params = {"first_year": period[0], "last_year": period[1]}

        def run(name: str) -> pd.DataFrame:
            return con.execute(read_sql(f"queries/{name}", code=TERRITORY_COLUMN[level]), params).df()

        self.investment = run("breakdown_investment")
        self.usage = run("breakdown_usage")
        self.resources = run("breakdown_resources")

    def facts(self, indicator: Indicator) -> pd.DataFrame:
        """The columns of ``territory_facts(con, level, period, indicator)``."""
        out = self.base.copy()
        codes = out["code"]
        if indicator.funder or indicator.category:
            spent = self.investment
            for dimension, item in (("funder", indicator.funder), ("category", indicator.category)):
                if item:
                    spent = spent[(spent["dimension"] == dimension) & (spent["item"] == item)]
            out["invest_eur"] = codes.map(spent.set_index("code")["invest_eur"]).fillna(0.0).to_numpy()
        if indicator.profile:
            usage = self.usage[self.usage["profile"] == indicator.profile].set_index("code")
            for column in ("visits", "pupil_user_weeks", "user_weeks"):
                out[column] = codes.map(usage[column]).to_numpy()
        if indicator.resource:
            used = self.resources[self.resources["resource"] == indicator.resource].set_index("code")
            out["resource_visits"] = codes.map(used["resource_visits"]).to_numpy()
            out["resource_user_weeks"] = codes.map(used["resource_user_weeks"]).to_numpy()
        return out

    def values(self, indicator: Indicator) -> pd.DataFrame:
        """:func:`explorer.facts.indicators.compute` of ``indicator`` for every territory of the level."""
        return compute(self.facts(indicator), indicator)

    def pooled(self, indicator: Indicator, codes: Sequence[str], code: str, name: str) -> pd.Series:
        """The indicator of the territories ``codes`` taken together (one row of ``compute``)."""
        facts = self.facts(indicator)
        members = facts[facts["code"].isin(list(codes))]
        if members.empty:
            return pd.Series({"code": code, "name": name, "value": np.nan, "masked": False, "mask_reason": ""})
        return compute(overall(members, code, name), indicator).iloc[0]


@dataclass
class Diagnostic:
    """Everything the Diagnostic page, its exports and the CLI show for one territory.

    Attributes
    ----------
    figures : DataFrame, one row per indicator and reference: ``indicator, role, reference,
        value (float, NaN when masked or missing), masked (bool), mask_reason (str)``.
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

    @property
    def title(self) -> str:
        """« Ille-et-Vilaine (département 35) »."""
        return f"{display_name(self.level, self.name)} ({voc.LEVEL_NOUNS[self.level]} {self.code})"

    @property
    def period_text(self) -> str:
        return f"{self.period[0]}-{self.period[1]}"

    def value(self, indicator_id: str, role: str = "territoire") -> pd.Series:
        """The row of ``figures`` for one indicator and the first reference of ``role``."""
        rows = self.figures[(self.figures["indicator"] == indicator_id) & (self.figures["role"] == role)]
        return rows.iloc[0]


def _country_label(scope: str) -> str:
    return "France entière" if scope == "France entière" else "Ensemble de l'entrepôt"


def diagnose(
    con: duckdb.DuckDBPyConnection,
    level: str,
    code: str,
    period: tuple[int, int],
    peer_codes: Sequence[str] | None = None,
    indicator_ids: Sequence[str] = tuple(INDICATORS),
) -> Diagnostic:
    """Key figures, comparisons, series and warnings of territory ``level:code`` over ``period``.

    ``peer_codes`` replaces the default peer group (same population band and overseas status,
    :func:`explorer.analysis.peers.default_peers`) with territories of the same level chosen by hand.
    """
    territories = territory_index(con)
    row = find(territories, level, code)
    scope = catalog.scope_label(con)
    info = catalog.build_info(con)
    levels: dict[str, LevelFacts] = {}

    def facts_of(lvl: str) -> LevelFacts:
        if lvl not in levels:
            levels[lvl] = LevelFacts(con, lvl, period)
        return levels[lvl]

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

    regions = territories.loc[territories["level"] == "region", "code"].tolist()
    rows: list[dict] = []
    for indicator_id in indicator_ids:
        indicator = get_indicator(indicator_id)
        for ref in references:
            if ref.role == "france":
                result = facts_of("region").pooled(indicator, regions, "FR", ref.label)
            elif ref.role == "pairs":
                result = own.pooled(indicator, peers.codes, "PAIRS", ref.label)
            else:
                values = facts_of(str(ref.level)).values(indicator)
                result = values[values["code"] == ref.code].iloc[0]
            rows.append(
                {
                    "indicator": indicator_id,
                    "role": ref.role,
                    "reference": ref.label,
                    "value": float(result["value"]) if not is_missing(result["value"]) else np.nan,
                    "masked": bool(result["masked"]),
                    "mask_reason": str(result["mask_reason"]),
                }
            )
    figures = pd.DataFrame(rows)
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


def territory_series(con: duckdb.DuckDBPyConnection, level: str, code: str) -> dict[str, pd.DataFrame]:
    """The time series of one territory: investment per year, weekly ENT use, resources, coverage."""

    def run(name: str, **params: object) -> pd.DataFrame:
        return con.execute(read_sql(f"queries/{name}", code=TERRITORY_COLUMN[level]), {"code": code, **params}).df()

    return {
        "investment_years": run("territory_investment_years"),
        "usage_weeks": run("territory_usage_weeks", level=level),
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
        return "valeur non disponible"
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
    reference label (NaN when masked or missing), ``masked`` (bool), ``mask_reason``,
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
    subject = _subject(diag)
    invest = gap_words("invest_per_pupil")
    usage = gap_words("ent_visits_per_pupil_week")
    if invest:
        text = (
            # « Subject : dans ses établissements » avoids French article rules (du Finistère,
            # d'Ille-et-Vilaine, des Landes) that a name alone cannot tell.
            f"{subject} : dans ses établissements, l'investissement numérique par élève et par an "
            f"(tous financeurs, {diag.period_text}) est {invest}"
        )
        if usage:
            text += f" ; l'usage de l'ENT par élève y est {usage}"
        sentences.append(text + ".")
    elif usage:
        sentences.append(f"{subject} : dans ses établissements, l'usage de l'ENT par élève est {usage}.")
    total = table.at["invest_per_pupil", own_col]
    if not table.at["invest_per_pupil", "masked"] and not is_missing(total) and total > 0:
        shares = {f: table.at[f"invest_per_pupil_{f}", own_col] / total for f in voc.FUNDER_LEVELS}
        top = max(shares, key=lambda f: shares[f])
        sentences.append(
            f"Premier financeur sur la période : {voc.FUNDER_LABELS[top]} ({fr_percent(shares[top], 0)} des dépenses)."
        )
    coverage = table.loc["coverage_share"]
    if not coverage["masked"] and not is_missing(coverage[own_col]):
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
            f"Une valeur n'est jamais montrée sur moins de {MIN_SCHOOLS} établissements ou moins de "
            f"{MIN_USERS} utilisateurs."
        )
    # A territory of fewer than 5 schools: its coverage would tell which schools are measured.
    enough = diag.coverage_years["schools"].min() >= MIN_SCHOOLS if len(diag.coverage_years) else False
    breaks = coverage_breaks(diag.coverage_years) if enough else []
    if breaks:
        parts = [f"de {fr_percent(a, 0)} en {y0} à {fr_percent(b, 0)} en {y1}" for y0, y1, a, b in breaks]
        out.append(
            "Rupture de couverture : la part des établissements mesurés par l'audience des ENT passe "
            + ", puis ".join(parts)
            + ". Les totaux bruts d'usage ne se comparent pas d'une année à l'autre ; les indicateurs "
            "rapportent les usages aux élèves des seuls établissements mesurés."
        )
    if diag.coverage_years["measured_schools"].sum() == 0:
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
    pupil; NaN under secrecy: fewer than 5 schools)``, every item of the vocabulary each year.
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
    secret = out["year"].map(pupils["schools"]).fillna(0) < MIN_SCHOOLS
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
    under secrecy: fewer than 5 schools measured that week or fewer than 11 users),
    holiday_week (bool)``.
    """
    frame = diag.usage_weeks.copy()
    secret = (frame["schools"] < MIN_SCHOOLS) | (frame["users"] < MIN_USERS)
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
    secret = (frame["measured_schools"].fillna(0) < MIN_SCHOOLS) | (frame["user_weeks"].fillna(0) < MIN_USERS)
    pupils = frame["measured_pupils"].where(frame["measured_pupils"] > 0)
    frame["per_pupil"] = (frame["visits"] / pupils).where(~secret)
    frame["label"] = frame["resource"].map(lambda r: INDICATORS[f"resource_per_pupil_{r}"].label.split(" — ")[-1])
    return frame[["school_year", "resource", "label", "per_pupil"]]
