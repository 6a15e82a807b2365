"""Comparer: several territories of one level side by side, ranked, and their yearly series.

Values are the catalogue's indicators (:mod:`explorer.facts.indicators`, same secrecy) plus one
derived figure a finance department asks for: the investment **per inhabitant** and per year
(Σ spending of the period ÷ population ÷ number of years), masked like the investment per
pupil. Ranks are among the compared territories only (1 = highest value).
"""

from __future__ import annotations

from collections.abc import Sequence

import duckdb
import numpy as np
import pandas as pd

from explorer import vocabulary as voc
from explorer.errors import CompareError
from explorer.facts import secrecy
from explorer.facts.indicators import INDICATORS, compute, get_indicator, territory_facts
from explorer.reports.csv import EXTRA_DECIMALS
from explorer.sheets.diagnostic import LevelFacts
from explorer.vocabulary import SECRET_TEXT

FRAGILE_HEADER = "Chiffres fragiles"
COLUMNS = (
    "invest_per_pupil",
    "invest_per_inhabitant",
    "ent_visits_per_pupil_week",
    "active_pupils_share",
    "resource_per_pupil",
    "coverage_share",
    "ips",
)
# Investment per pupil by funder and by category: who paid, for what (a finance department's first question).
BREAKDOWN = tuple(f"invest_per_pupil_{f}" for f in voc.FUNDER_LEVELS) + tuple(
    f"invest_per_pupil_{c}" for c in voc.CATEGORIES
)
PER_INHABITANT_LABEL = "Investissement par habitant et par an"
PER_INHABITANT_UNIT = "€ par habitant et par an"
FIRST_YEAR = {"investment": 2017}
DEFAULT_FIRST_YEAR = 2019  # the ENT audience starts in September 2019
LAST_YEAR = 2025


def column_label(column: str) -> str:
    """French header of a comparison column."""
    if column == "invest_per_inhabitant":
        return PER_INHABITANT_LABEL
    return INDICATORS[column].label


def breakdown_label(column: str) -> str:
    """Short header of a breakdown column: « Financeur : État », « Catégorie : Équipement »."""
    indicator = INDICATORS[column]
    if indicator.funder:
        return f"Financeur : {voc.FUNDER_LABELS[indicator.funder]}"
    return f"Catégorie : {voc.CATEGORY_LABELS[str(indicator.category)]}"


def column_unit(column: str) -> str:
    return PER_INHABITANT_UNIT if column == "invest_per_inhabitant" else INDICATORS[column].unit


def comparison_table(
    con: duckdb.DuckDBPyConnection, level: str, codes: Sequence[str], period: tuple[int, int]
) -> pd.DataFrame:
    """The compared territories side by side.

    Returns
    -------
    DataFrame ``code, name, population, pupils`` (NaN under a deployment's secrecy threshold),
    ``pupils_masked``, then for each id of :data:`COLUMNS` a float column (NaN when masked or
    missing), ``<id>_masked`` (bool), ``<id>_rank`` (float: 1 = highest among the compared, NaN
    when no value), then ``fragility`` (« investissement par élève : effectif faible ; … » or ""), then
    for each id of :data:`BREAKDOWN` (investment per pupil by funder and by category) its value
    and ``<id>_masked``; rows in the order of ``codes``.
    """
    codes = list(dict.fromkeys(codes))
    if not codes:
        raise CompareError("Aucun territoire à comparer : choisissez-en au moins deux.")
    facts = territory_facts(con, level, period)
    chosen = facts.set_index("code").reindex(codes)
    unknown = chosen.index[chosen["name"].isna()].tolist()
    if unknown:
        raise CompareError(f"Territoire « {level}:{unknown[0]} » absent de l'entrepôt : retirez-le de la comparaison.")
    chosen = chosen.reset_index()
    out = chosen[["code", "name", "population", "pupils"]].copy()
    # Under a deployment's secrecy, pupils of too few schools are masked like the indicators.
    few = chosen["schools"].fillna(0) < secrecy.setting().min_schools
    out["pupils_masked"] = (few & (chosen["schools"].fillna(0) > 0)).to_numpy()
    out["pupils"] = pd.to_numeric(chosen["pupils"], errors="coerce").astype(float).where(~few).to_numpy()
    years = period[1] - period[0] + 1
    fragile: list[list[str]] = [[] for _ in codes]
    for column in COLUMNS:
        if column == "invest_per_inhabitant":
            population = pd.to_numeric(chosen["population"], errors="coerce").astype(float)
            value = chosen["invest_eur"].astype(float) / population.where(population > 0) / years
            masked = chosen["schools"].fillna(0) < secrecy.setting().min_schools
            out[column] = value.where(~masked).to_numpy()
            out[f"{column}_masked"] = (masked & (chosen["schools"].fillna(0) > 0)).to_numpy()
        else:
            result = compute(chosen, get_indicator(column))
            out[column] = result["value"].astype(float).to_numpy()
            out[f"{column}_masked"] = result["masked"].astype(bool).to_numpy()
            for row_flags, flag in zip(fragile, result["fragility"].fillna(""), strict=True):
                if flag:
                    row_flags.append(f"{column_label(column).lower()} : {flag}")
        out[f"{column}_rank"] = out[column].rank(ascending=False, method="min")
    out["fragility"] = [" ; ".join(flags) for flags in fragile]
    level_facts = LevelFacts(con, level, period)
    for column in BREAKDOWN:
        values = level_facts.values(get_indicator(column)).set_index("code").reindex(codes)
        out[column] = values["value"].astype(float).to_numpy()
        out[f"{column}_masked"] = values["masked"].fillna(False).astype(bool).to_numpy()
    return out


def breakdown_display(table: pd.DataFrame, highlight: str) -> pd.DataFrame:
    """Investment per pupil by funder and by category, side by side (€ per pupil and per year)."""
    shown = pd.DataFrame(
        {"": ["▶" if c == highlight else "" for c in table["code"]], "Code": table["code"], "Nom": table["name"]}
    )
    for column in BREAKDOWN:
        shown[breakdown_label(column)] = table[column]
    return shown


def yearly_series(con: duckdb.DuckDBPyConnection, level: str, codes: Sequence[str], indicator_id: str) -> pd.DataFrame:
    """One indicator per single year for the compared territories (the period ``Y-Y``).

    Returns
    -------
    DataFrame ``year (int), code, name, value (float, NaN when masked), masked (bool)``.
    """
    indicator = get_indicator(indicator_id)
    first = FIRST_YEAR.get(indicator.family, DEFAULT_FIRST_YEAR)
    frames = []
    for year in range(first, LAST_YEAR + 1):
        values = compute(territory_facts(con, level, (year, year), indicator), indicator)
        values = values[values["code"].isin(list(codes))]
        frames.append(values[["code", "name", "value", "masked"]].assign(year=year))
    out = pd.concat(frames, ignore_index=True)
    out["value"] = out["value"].astype(float)
    return out[["year", "code", "name", "value", "masked"]]


def export_frame(table: pd.DataFrame, highlight: str | None = None, percent: bool = False) -> pd.DataFrame:
    """The comparison as exported: French headers with units, « secret statistique » for masked values.

    Values keep one decimal more than the screen (:data:`explorer.reports.csv.EXTRA_DECIMALS`;
    € per inhabitant: 2 decimals). Shares (unit « % … ») are fractions (0.5927, for the XLSX's
    ``0.0%`` format) or, with ``percent=True`` (the CSV), percentages (59.27) under the same
    « (% des élèves) » header. Population, pupils and ranks are whole numbers.
    """
    out = pd.DataFrame(
        {
            "Code": table["code"],
            "Nom": table["name"],
            "Territoire choisi": ["oui" if c == highlight else "" for c in table["code"]],
            "Population (habitants)": table["population"],
            "Élèves": [
                SECRET_TEXT if m else v
                for v, m in zip(
                    table["pupils"], table.get("pupils_masked", pd.Series(False, index=table.index)), strict=True
                )
            ],
        }
    )
    for column in COLUMNS:
        header = f"{column_label(column)} ({column_unit(column)})"
        out[header] = _exported(table, column, percent)
        out[f"Rang — {column_label(column)}"] = table[f"{column}_rank"]
    for column in BREAKDOWN:
        out[f"{column_label(column)} ({column_unit(column)})"] = _exported(table, column, percent)
    out[FRAGILE_HEADER] = table["fragility"]
    return out


def _exported(table: pd.DataFrame, column: str, percent: bool) -> list[object]:
    """One value column of :func:`export_frame`: rounded floats, NaN, or « secret statistique »."""
    share = column_unit(column).startswith("%")
    decimals = (INDICATORS[column].decimals if column in INDICATORS else 1) + EXTRA_DECIMALS
    scale = 100 if share and percent else 1
    decimals += 2 if share and not percent else 0
    return [
        SECRET_TEXT if m else (np.nan if pd.isna(v) else round(float(v) * scale, decimals))
        for v, m in zip(table[column], table[f"{column}_masked"], strict=True)
    ]


def rank_label(column: str) -> str:
    """On-screen header of a column's rank (« Rang investissement par élève… »)."""
    return f"Rang {column_label(column).lower()}"


def display_frame(table: pd.DataFrame, highlight: str) -> pd.DataFrame:
    """The side-by-side table as the page shows it: French headers, shares in percent.

    Parameters
    ----------
    table : :func:`comparison_table`'s frame.
    highlight : code of the highlighted territory (marked ``▶`` in the first, unnamed column).

    Returns
    -------
    DataFrame ``"" (▶ or ""), Code, Nom, Population, Élèves``, then for each id of
    :data:`COLUMNS` its value (float, ×100 for shares) under :func:`column_label` and its rank
    under :func:`rank_label`, then « Chiffres fragiles » (the flags of the row's values).
    """
    shown = pd.DataFrame(
        {
            "": ["▶" if c == highlight else "" for c in table["code"]],
            "Code": table["code"],
            "Nom": table["name"],
            "Population": table["population"],
            "Élèves": table["pupils"],
        }
    )
    for column in COLUMNS:
        percent = column_unit(column).startswith("%")
        shown[column_label(column)] = table[column] * (100 if percent else 1)
        shown[rank_label(column)] = table[f"{column}_rank"]
    shown[FRAGILE_HEADER] = table["fragility"]
    return shown


def display_formats() -> dict[str, tuple[str, str]]:
    """printf-style number format and help text of each value column of :func:`display_frame`:
    ``{label: (format, unit)}`` (« %.1f %% » for shares, « %.0f € » for euros)."""
    formats = {}
    for column in COLUMNS:
        unit = column_unit(column)
        percent = unit.startswith("%")
        decimals = INDICATORS[column].decimals if column in INDICATORS else 0
        suffix = " %%" if percent else (" €" if unit.startswith("€") else "")
        formats[column_label(column)] = (f"%.{1 if percent else decimals}f{suffix}", unit)
    return formats


def masked_labels(table: pd.DataFrame) -> list[str]:
    """Labels of the columns with at least one value under statistical secrecy."""
    return [column_label(c) for c in COLUMNS if table[f"{c}_masked"].any()]


def xlsx_formats() -> dict[str, str]:
    """Excel number format of each numeric column of :func:`export_frame` (French Excel shows ``1 234,5``)."""
    formats = {}
    for column in (*COLUMNS, *BREAKDOWN):
        unit = column_unit(column)
        formats[f"{column_label(column)} ({unit})"] = (
            "0.0%" if unit.startswith("%") else ('#,##0.00 "€"' if "€" in unit else "#,##0.00")
        )
    formats["Population (habitants)"] = formats["Élèves"] = "#,##0"
    return formats


def export_notes(explanation: str, period_text: str) -> list[str]:
    """Notes of the workbook's « Sources et définitions » sheet: the group and the secrecy rule."""
    return [
        f"Comparaison : {explanation}",
        f"Période {period_text}. "
        + (
            f"Secret statistique : « {SECRET_TEXT} » à la place des valeurs sur {secrecy.setting().rule_text()}."
            if secrecy.setting().on
            else "Toutes les valeurs sont publiques et montrées."
        ),
        f"{FRAGILE_HEADER} : les valeurs sur peu d'élèves (« effectif faible »), sur une petite part des élèves "
        "mesurés ou sur peu de semaines mesurées, à lire avec prudence.",
    ]
