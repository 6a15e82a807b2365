"""Exports of the Prospective page: scenario definitions and projections, for French spreadsheets.

Each export is an :class:`ExportTable`: French headers with their unit, values in their natural
unit, and a kind per column that says how a spreadsheet must show it. Percentages are kept as
fractions in the table; :func:`csv_frame` writes them as percentages (``59,3`` under « (%) »,
never ``0,5927``) rounded for reading, and :func:`workbook` stores the fraction with a percent
number format, so that Excel computes with the true value. Territory codes are text (``01``
keeps its zero; the workbook's cells are typed text).
"""

from __future__ import annotations

import io
import json
from dataclasses import dataclass

import numpy as np
import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from explorer import vocabulary as voc
from explorer.analysis.effects.investment import LEVEL_CI
from explorer.formatting import fr_yes_no, is_missing
from explorer.reports.csv import french_csv, neutralise_workbook
from forecasting.plots import BASELINE_LABEL
from forecasting.projection import Projection
from forecasting.scenario import BASELINE, LAG_YEARS, Scenario, pupil_noun, school_year

VISITS = "visites ENT par élève et par semaine"
CI = f"à {round(LEVEL_CI * 100)} %"

# kind → (decimals in the CSV, Excel number format); a percent column holds fractions.
KINDS = {
    "text": (None, "@"),
    "year": (0, "0"),
    "eur": (2, '#,##0.00 "€"'),
    "percent": (2, "0.00%"),
    "share": (1, "0.0%"),
    "visits": (3, "0.000"),
}


@dataclass(frozen=True)
class ExportTable:
    """A table to export: ``frame`` with French headers and ``kinds`` (header → a key of :data:`KINDS`)."""

    frame: pd.DataFrame
    kinds: dict[str, str]


def _territory(projection: Projection) -> dict[str, str]:
    fit = projection.fit
    return {"Niveau": voc.LEVEL_LABELS[fit.level], "Territoire": fit.name, "Code du territoire": str(fit.code)}


_TERRITORY_KINDS = {"Niveau": "text", "Territoire": "text", "Code du territoire": "text"}


def _name(scenario: str) -> str:
    return BASELINE_LABEL if scenario == BASELINE else scenario


def definition_table(scenarios: list[Scenario]) -> ExportTable:
    """One row per change of each scenario, in words: who pays, for which schools, what, when."""
    rows = [
        {
            "Scénario": s.name,
            "Payé par": voc.FUNDER_LABELS[c.funder_level],
            "Établissements concernés": voc.FUNDER_SCHOOLS_TEXT[c.funder_level],
            "Catégorie de dépense": voc.CATEGORY_LABELS[c.category],
            "Premier exercice": c.from_year,
            "Dernier exercice": c.to_year,
            "Montant compté par": pupil_noun(c),
            "Variation (€ par élève compté et par an)": c.delta_eur_per_pupil,
            "Effet à partir de l'année scolaire": school_year(c.from_year + LAG_YEARS),
        }
        for s in scenarios
        for c in s.changes
    ]
    kinds = {
        "Scénario": "text",
        "Payé par": "text",
        "Établissements concernés": "text",
        "Catégorie de dépense": "text",
        "Premier exercice": "year",
        "Dernier exercice": "year",
        "Montant compté par": "text",
        "Variation (€ par élève compté et par an)": "eur",
        "Effet à partir de l'année scolaire": "text",
    }
    return ExportTable(pd.DataFrame(rows, columns=list(kinds)), kinds)


def yearly_table(projection: Projection) -> ExportTable:
    """Per scenario and school year: extra investment, expected effect and the visits it moves.

    From ``projection.changes`` (effect, fractions) and ``projection.differences`` (visits per
    pupil per week, school years fully projected).
    """
    effects = projection.changes.rename(columns={"change": "effect", "lower": "effect_lower", "upper": "effect_upper"})
    d = projection.differences.merge(effects, on=["scenario", "school_year"], how="left")
    frame = pd.DataFrame(
        {
            **{k: [v] * len(d) for k, v in _territory(projection).items()},
            "Scénario": [_name(s) for s in d["scenario"]],
            "Année scolaire": d["school_year"].astype(str),
            "Investissement ajouté cumulé (€ par élève du territoire)": d["stock_change_eur"].fillna(0.0).astype(float),
            "Effet attendu (%)": d["effect"].fillna(0.0).astype(float),
            f"Effet, borne basse {CI} (%)": d["effect_lower"].fillna(0.0).astype(float),
            f"Effet, borne haute {CI} (%)": d["effect_upper"].fillna(0.0).astype(float),
            f"Référence ({VISITS})": d["baseline"].astype(float),
            f"Avec le scénario ({VISITS})": d["value"].astype(float),
            f"Écart ({VISITS})": d["difference"].astype(float),
            f"Écart, borne basse {CI} ({VISITS})": d["lower"].astype(float),
            f"Écart, borne haute {CI} ({VISITS})": d["upper"].astype(float),
            "Semaines évaluées par le backtest (%)": d["backtested_share"].astype(float),
        }
    )
    kinds = {
        **_TERRITORY_KINDS,
        "Scénario": "text",
        "Année scolaire": "text",
        "Investissement ajouté cumulé (€ par élève du territoire)": "eur",
        "Effet attendu (%)": "percent",
        f"Effet, borne basse {CI} (%)": "percent",
        f"Effet, borne haute {CI} (%)": "percent",
        f"Référence ({VISITS})": "visits",
        f"Avec le scénario ({VISITS})": "visits",
        f"Écart ({VISITS})": "visits",
        f"Écart, borne basse {CI} ({VISITS})": "visits",
        f"Écart, borne haute {CI} ({VISITS})": "visits",
        "Semaines évaluées par le backtest (%)": "share",
    }
    return ExportTable(frame, kinds)


def weekly_table(projection: Projection) -> ExportTable:
    """One row per projected week and scenario (the reference first), with the 90 % band."""
    f = projection.forecast
    frame = pd.DataFrame(
        {
            **{k: [v] * len(f) for k, v in _territory(projection).items()},
            "Scénario": [_name(s) for s in f["scenario"]],
            "Semaine du (lundi)": pd.to_datetime(f["date"]).dt.strftime("%Y-%m-%d"),
            "Année scolaire": f["school_year"].astype(str),
            f"Projection ({VISITS})": f["yhat"].astype(float),
            f"Borne basse {CI} ({VISITS})": f["yhat_lower"].astype(float),
            f"Borne haute {CI} ({VISITS})": f["yhat_upper"].astype(float),
            "Évaluée par le backtest": [fr_yes_no(b) for b in f["backtested"]],
        }
    )
    kinds = {
        **_TERRITORY_KINDS,
        "Scénario": "text",
        "Semaine du (lundi)": "text",
        "Année scolaire": "text",
        f"Projection ({VISITS})": "visits",
        f"Borne basse {CI} ({VISITS})": "visits",
        f"Borne haute {CI} ({VISITS})": "visits",
        "Évaluée par le backtest": "text",
    }
    return ExportTable(frame, kinds)


def csv_frame(table: ExportTable) -> pd.DataFrame:
    """The values a CSV carries: percentages × 100, every number rounded for reading, codes as text.

    Give the result to :func:`explorer.reports.csv.french_csv`.
    """
    out = table.frame.copy()
    for column, kind in table.kinds.items():
        decimals, _ = KINDS[kind]
        if decimals is None:
            out[column] = out[column].astype(str)
            continue
        values = out[column].astype(float) * (100 if kind in ("percent", "share") else 1)
        out[column] = values.round(decimals).astype(int) if decimals == 0 else values.round(decimals)
    return out


def spreadsheet_csv(table: ExportTable) -> bytes:
    """The CSV file of ``table`` for French Excel (:func:`csv_frame` through ``french_csv``)."""
    return french_csv(csv_frame(table))


def scenarios_json(scenarios: list[Scenario]) -> str:
    """The scenarios as the JSON list the page re-imports (codes, not labels: a data format)."""
    return json.dumps([s.to_dict() for s in scenarios], ensure_ascii=False, indent=2)


def workbook(sheets: dict[str, ExportTable], title: str) -> bytes:
    """An XLSX with one sheet per table, ``title`` above each; percentages, euros and visits
    with their number format, codes and labels as text cells."""
    wb = Workbook()
    wb.remove(wb.active)
    for sheet_name, table in sheets.items():
        ws = wb.create_sheet(sheet_name[:31])
        ws["A1"] = title
        ws["A1"].font = Font(bold=True, size=13)
        header_row = 3
        for col, name in enumerate(table.frame.columns, start=1):
            cell = ws.cell(row=header_row, column=col, value=name)
            cell.font = Font(bold=True)
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            ws.column_dimensions[get_column_letter(col)].width = max(12, min(36, len(name) + 2))
        for r, record in enumerate(table.frame.itertuples(index=False), start=header_row + 1):
            for col, (name, value) in enumerate(zip(table.frame.columns, record, strict=True), start=1):
                kind = table.kinds[name]
                cell = ws.cell(row=r, column=col, value=str(value) if kind == "text" else _number(value))
                cell.number_format = KINDS[kind][1]
        ws.freeze_panes = ws.cell(row=header_row + 1, column=1)
    neutralise_workbook(wb)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _number(value: object) -> float | int | None:
    if is_missing(value):
        return None
    if isinstance(value, int | np.integer):
        return int(value)
    return float(value)  # type: ignore[arg-type]
