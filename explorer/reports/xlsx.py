"""Workbook helpers of the exports: header rows, widths, number formats, the « Sources et
définitions » sheet, a one-table workbook, and the territory sheet's workbook.

Every workbook goes through :func:`explorer.reports.csv.neutralise_workbook` before it is saved.
"""

from __future__ import annotations

import datetime as dt
import io

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from explorer.facts import secrecy
from explorer.facts.indicators import INDICATORS, Indicator
from explorer.formatting import fr_date, fr_datetime, is_missing
from explorer.reports import APP_NAME
from explorer.reports.csv import neutralise_workbook
from explorer.sheets import diagnostic as dg
from explorer.vocabulary import SECRET_TEXT

SOURCES_SHEET = "Sources et définitions"


def _save(wb: Workbook) -> bytes:
    buffer = io.BytesIO()
    neutralise_workbook(wb)
    wb.save(buffer)
    return buffer.getvalue()


def number_format(indicator: Indicator) -> str:
    """Excel number format of an indicator's values (French Excel shows ``1 234,5``)."""
    if indicator.unit.startswith("%"):
        return "0.0%"
    decimals = "0" if indicator.decimals == 0 else "0." + "0" * indicator.decimals
    body = f"#,##{decimals}"
    return f'{body} "€"' if indicator.unit.startswith("€") else body


GAP_FORMATS = {"%": "+0%;-0%;0%", "points": "+0.0;-0.0;0.0"}
TEXT_FORMAT = "@"  # a code (« 01 », « 01004 », a UAI) stays text when the user edits or re-saves it
INTEGER_FORMAT = "#,##0"
YEAR_FORMAT = "0"  # 2024, not « 2 024 »
_HEADER = Font(bold=True, color="FFFFFF")
_HEADER_FILL = PatternFill("solid", fgColor="1F4E79")
_TITLE = Font(bold=True, size=14)


def header_row(ws, row: int, names: list[str]) -> None:
    """White bold names on the project's blue, wrapped, from column A of ``row``."""
    for col, name in enumerate(names, start=1):
        cell = ws.cell(row=row, column=col, value=name)
        cell.font = _HEADER
        cell.fill = _HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")


def widths(ws, by_column: dict[int, float]) -> None:
    """Column widths, by 1-based column number."""
    for col, width in by_column.items():
        ws.column_dimensions[get_column_letter(col)].width = width


def to_xlsx(
    diag: dg.Diagnostic, table: pd.DataFrame, gap_columns: tuple[str, str], sources: pd.DataFrame | None = None
) -> bytes:
    """Workbook with sheets « Fiche » (key figures, formatted), « Séries », « Pairs » and
    « Sources et définitions ». ``sources``: :func:`explorer.warehouse.catalog.sources_table`."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Fiche"
    ws["A1"] = diag.sheet_title
    ws["A1"].font = _TITLE
    ws["A2"] = f"Période {diag.period_text} · édité le {fr_date(dt.date.today())} · {APP_NAME}"
    ws["A3"] = dg.summary(diag)
    ws["A4"] = f"Pairs : {diag.peers.explanation}"
    row = 5
    for warning in diag.warnings:
        ws.cell(row=row, column=1, value=f"Attention : {warning}").font = Font(color="9C0006")
        row += 1
    start = row + 1
    header_row(ws, start, list(table.columns))
    refs = [r.label for r in diag.references]
    for i, record in enumerate(table.itertuples(index=False), start=start + 1):
        indicator = INDICATORS[record[2]]
        for col, value in enumerate(record, start=1):
            name = table.columns[col - 1]
            cell = ws.cell(row=i, column=col, value=None if is_missing(value) else value)
            if name in refs and not isinstance(value, str):
                cell.number_format = number_format(indicator)
            elif name in gap_columns:
                cell.number_format = GAP_FORMATS[record[table.columns.get_loc("Unité de l'écart")]]
    ws.freeze_panes = ws.cell(row=start + 1, column=3)
    widths(ws, {1: 18, 2: 48, 3: 26, 4: 22, 5: 10, **{6 + j: 16 for j in range(len(refs) + 3)}})
    ws.column_dimensions[get_column_letter(len(table.columns) - 1)].width = 60

    series = wb.create_sheet("Séries")
    invest = dg.investment_by_year(diag, "funder_level")
    wide = invest.pivot(index="year", columns="label", values="per_pupil")
    names = ["Année budgétaire", *[f"{c} (€ par élève)" for c in wide.columns]]
    header_row(series, 1, names)
    for i, (year, values) in enumerate(wide.iterrows(), start=2):
        series.cell(row=i, column=1, value=int(year)).number_format = YEAR_FORMAT
        for j, value in enumerate(values, start=2):
            cell = series.cell(row=i, column=j, value=SECRET_TEXT if is_missing(value) else float(value))
            cell.number_format = '#,##0.0 "€"'
    offset = len(wide) + 3
    coverage = diag.coverage_years
    header_row(series, offset, ["Année scolaire", "Établissements", "Établissements mesurés", "Part mesurée"])
    enough = coverage["schools"] >= secrecy.setting().min_schools
    for i, rec in enumerate(coverage.itertuples(index=False), start=offset + 1):
        series.cell(row=i, column=1, value=rec.school_year)
        series.cell(row=i, column=2, value=int(rec.schools)).number_format = INTEGER_FORMAT
        if enough.iloc[i - offset - 1]:
            series.cell(row=i, column=3, value=int(rec.measured_schools)).number_format = INTEGER_FORMAT
            share = series.cell(row=i, column=4, value=rec.measured_schools / rec.schools)
            share.number_format = "0.0%"
        else:
            series.cell(row=i, column=3, value=SECRET_TEXT)
            series.cell(row=i, column=4, value=SECRET_TEXT)
    widths(series, {c: 20 for c in range(1, len(names) + 1)})

    if diag.funding is not None:  # a school's sheet: who paid what for it
        funding = wb.create_sheet("Financements")
        shown = dg.funding_display(diag.funding)
        header_row(funding, 1, list(shown.columns))
        for i, rec in enumerate(shown.itertuples(index=False), start=2):
            for j, value in enumerate(rec, start=1):
                cell = funding.cell(row=i, column=j, value=None if is_missing(value) else value)
                if shown.columns[j - 1] == "Année budgétaire":
                    cell.number_format = YEAR_FORMAT
                elif shown.columns[j - 1] == "Montant (€)":
                    cell.number_format = '#,##0.00 "€"'
                elif shown.columns[j - 1] == "Par élève (€ par élève)":
                    cell.number_format = '#,##0.0 "€"'
        widths(funding, {1: 16, 2: 14, 3: 24, 4: 44, 5: 32, 6: 14, 7: 20})

    peers = wb.create_sheet("Pairs")
    peers["A1"] = diag.peers.explanation
    header_row(peers, 3, ["Code", "Nom"])
    for i, (code, name) in enumerate(zip(diag.peers.codes, diag.peer_names, strict=True), start=4):
        peers.cell(row=i, column=1, value=code).number_format = TEXT_FORMAT
        peers.cell(row=i, column=2, value=name)
    widths(peers, {1: 14, 2: 40})

    rule = secrecy.setting()
    notes = [
        f"Secret statistique : aucune valeur sur {rule.rule_text()} ; ces cellules portent « {SECRET_TEXT} »."
        if rule.on
        else "Toutes les valeurs sont publiques et montrées, à chaque niveau.",
        "Chiffre fragile : la colonne du même nom signale une valeur sur peu d'élèves (« effectif faible »), "
        "une petite part des élèves mesurés (« sur 18 % des élèves mesurés »), peu de semaines mesurées "
        "ou peu d'utilisateurs.",
        "Valeurs des parents, de la référence nationale et des pairs : sommes des territoires membres, "
        "puis le ratio (valeur du groupe, pas une moyenne de valeurs).",
        "Écarts : variation relative (format %) pour les ratios, différence en points pour les parts et l'IPS.",
        f"Entrepôt : {diag.scope}, construit le {fr_datetime(diag.built_at) if diag.built_at else 'n.d.'}.",
    ]
    if diag.simulated:
        notes.append("Données simulées (démonstration) : ne pas citer.")
    defs, row = definitions_sheet(wb, notes)
    if sources is not None and len(sources):
        row += 1
        header_row(defs, row, list(sources.columns))
        for rec in sources.itertuples(index=False):
            row += 1
            for j, value in enumerate(rec, start=1):
                defs.cell(row=row, column=j, value=None if is_missing(value) else value)
    return _save(wb)


def table_xlsx(
    frame: pd.DataFrame, title: str, formats: dict[str, str], notes: list[str], codes: tuple[str, ...] = ("Code",)
) -> bytes:
    """A one-table workbook (sheet « Comparaison ») with number formats per column, and a
    « Sources et définitions » sheet listing the indicators and ``notes``.

    ``formats``: column → Excel number format of its numbers; the ``codes`` columns are text
    cells (format ``@``); a column whose header starts with « Rang » holds whole numbers."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Comparaison"
    ws["A1"] = title
    ws["A1"].font = _TITLE
    header_row(ws, 3, list(frame.columns))
    for i, record in enumerate(frame.itertuples(index=False), start=4):
        for j, value in enumerate(record, start=1):
            cell = ws.cell(row=i, column=j, value=None if is_missing(value) else value)
            name = frame.columns[j - 1]
            if name in codes:
                cell.value = None if is_missing(value) else str(value)
                cell.number_format = TEXT_FORMAT
                continue
            fmt = formats.get(name, "0" if str(name).startswith("Rang") else None)
            if fmt and not isinstance(value, str):
                cell.number_format = fmt
    ws.freeze_panes = "C4"
    widths(ws, {j: 18 for j in range(1, len(frame.columns) + 1)})
    definitions_sheet(wb, notes)
    return _save(wb)


def definitions_sheet(wb: Workbook, notes: list[str]):
    """The « Sources et définitions » sheet: every indicator, then ``notes``; returns it and its next free row."""
    defs = wb.create_sheet(SOURCES_SHEET)
    header_row(defs, 1, ["Identifiant", "Indicateur", "Unité", "Formule", "Source"])
    for i, ind in enumerate(INDICATORS.values(), start=2):
        for j, value in enumerate((ind.id, ind.label, ind.unit, ind.formula, ind.source), start=1):
            defs.cell(row=i, column=j, value=value)
    row = len(INDICATORS) + 3
    for note in notes:
        defs.cell(row=row, column=1, value=note)
        row += 1
    widths(defs, {1: 34, 2: 50, 3: 26, 4: 70, 5: 60})
    return defs, row
