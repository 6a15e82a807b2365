"""Exports of a territory sheet: its table, and one entry point for CSV for French Excel,
formatted XLSX (:mod:`explorer.reports.xlsx`) and the PDF (:mod:`explorer.reports.pdf`).

All three carry the same figures as the Diagnostic page and keep its secrecy: a masked value
is written « secret statistique », never as a number.
"""

from __future__ import annotations

import duckdb
import numpy as np
import pandas as pd

from explorer.errors import ReportError
from explorer.facts.indicators import Indicator, get_indicator, measured_only
from explorer.formatting import is_missing
from explorer.reports import pdf, xlsx
from explorer.reports.csv import EXTRA_DECIMALS, french_csv, rounded
from explorer.sheets import diagnostic as dg
from explorer.vocabulary import NOT_MEASURED, SECRET_TEXT
from explorer.warehouse import catalog

FORMATS = ("csv", "xlsx", "pdf")
GAP_PEERS = "Écart aux pairs"
GAP_COUNTRY = "Écart à la référence nationale"


def export_table(diag: dg.Diagnostic, percent: bool = False) -> pd.DataFrame:
    """The key figures as exported: one row per indicator, French headers.

    Values keep one decimal more than the screen (:data:`explorer.reports.csv.EXTRA_DECIMALS`).
    ``percent=False`` (the XLSX, whose cells carry a ``0.0%`` format) keeps shares and relative
    gaps as fractions (0.5927); ``percent=True`` (the CSV, which has no cell format) writes them
    as percentages (59.27) so that the figure reads right under the unit « % des élèves » or the
    gap's unit « % ».

    Returns
    -------
    DataFrame ``Rubrique, Indicateur, Identifiant, Unité, Période``, then one column per
    reference (the territory, its parents, the country, the peers) holding a float or the text
    « secret statistique », then ``Écart aux pairs``, ``Écart à la référence nationale``
    (floats: a relative change, 0.23 or 23 = +23 %, or points; NaN when not comparable), ``Unité de
    l'écart`` (« % » or « points »), ``Lecture``, ``Chiffre fragile`` (the territory's value: "" or
    its flags, « effectif faible »…), ``Source``, ``Avertissement`` (simulated data).
    """
    table = dg.figure_table(diag)
    masked = diag.figures.pivot(index="indicator", columns="reference", values="masked")
    indicators = [get_indicator(i) for i in table["indicator"]]
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
        out[ref.label] = [
            SECRET_TEXT if m else (NOT_MEASURED if is_missing(v) and measured_only(ind) else _value(ind, v, percent))
            for v, m, ind in zip(table[ref.label], flags, indicators, strict=True)
        ]
    out[GAP_PEERS] = [_gap(v, k, percent) for v, k in zip(table["gap_peers"], table["gap_kind"], strict=True)]
    out[GAP_COUNTRY] = [_gap(v, k, percent) for v, k in zip(table["gap_france"], table["gap_kind"], strict=True)]
    out["Unité de l'écart"] = table["gap_kind"]
    out["Lecture"] = table["reading"]
    out["Chiffre fragile"] = table["fragility"].fillna("")
    out["Source"] = table["source"]
    # Every row says it when the data are simulated: a CSV travels without its page.
    out["Avertissement"] = "données simulées (démonstration), ne pas citer" if diag.simulated else ""
    return out


def _value(indicator: Indicator, value: float, percent: bool) -> object:
    """An indicator's value rounded for export; a share ×100 when ``percent``."""
    decimals = indicator.decimals + EXTRA_DECIMALS
    if indicator.unit.startswith("%") and not is_missing(value):
        return rounded(float(value) * 100, decimals) if percent else rounded(value, decimals + 2)
    return rounded(value, decimals)


def _gap(value: float, kind: str, percent: bool) -> float:
    """A gap rounded for export: points to 0.01, a relative change to 0.1 % (×100 when ``percent``)."""
    if is_missing(value):
        return np.nan
    if kind == "points":
        return round(float(value), 1 + EXTRA_DECIMALS)
    return round(float(value) * 100, EXTRA_DECIMALS) if percent else round(float(value), 2 + EXTRA_DECIMALS)


def to_csv(diag: dg.Diagnostic) -> bytes:
    """The key figures as CSV for French spreadsheets (UTF-8 with BOM, ``;``, decimal comma, shares in %)."""
    return french_csv(export_table(diag, percent=True))


def to_xlsx(diag: dg.Diagnostic, sources: pd.DataFrame | None = None) -> bytes:
    """Workbook « Fiche », « Séries », « Pairs », « Sources et définitions » (:func:`explorer.reports.xlsx.to_xlsx`)."""
    return xlsx.to_xlsx(diag, export_table(diag), (GAP_PEERS, GAP_COUNTRY), sources)


def render(con: duckdb.DuckDBPyConnection, diag: dg.Diagnostic, fmt: str) -> bytes:
    """The export of ``diag`` in ``fmt`` (``csv``, ``xlsx`` or ``pdf``) as bytes."""
    if fmt not in FORMATS:
        raise ReportError(f"Format « {fmt} » inconnu : choisissez parmi {', '.join(FORMATS)}.")
    if fmt == "csv":
        return to_csv(diag)
    sources = catalog.sources_table(con)
    return to_xlsx(diag, sources) if fmt == "xlsx" else pdf.to_pdf(diag, con, sources)


def file_name(diag: dg.Diagnostic, fmt: str) -> str:
    """« fiche_departement_35_2021-2025.pdf »."""
    return f"fiche_{diag.level}_{diag.code}_{diag.period_text}.{fmt}"
