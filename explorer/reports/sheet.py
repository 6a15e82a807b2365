"""Exports of a territory sheet: its table, and one entry point for CSV for French Excel,
formatted XLSX (:mod:`explorer.reports.xlsx`) and the PDF (:mod:`explorer.reports.pdf`).

All three carry the same figures as the Diagnostic page and keep its secrecy: a masked value
is written « secret statistique », never as a number.
"""

from __future__ import annotations

import duckdb
import pandas as pd

from explorer.errors import ReportError
from explorer.facts.indicators import get_indicator
from explorer.formatting import is_missing
from explorer.reports import pdf, xlsx
from explorer.reports.csv import french_csv
from explorer.sheets import diagnostic as dg
from explorer.vocabulary import SECRET_TEXT
from explorer.warehouse import catalog

FORMATS = ("csv", "xlsx", "pdf")
GAP_PEERS = "Écart aux pairs"
GAP_COUNTRY = "Écart à la référence nationale"


def export_table(diag: dg.Diagnostic) -> pd.DataFrame:
    """The key figures as exported: one row per indicator, French headers.

    Returns
    -------
    DataFrame ``Rubrique, Indicateur, Identifiant, Unité, Période``, then one column per
    reference (the territory, its parents, the country, the peers) holding a float or the text
    « secret statistique », then ``Écart aux pairs``, ``Écart à la référence nationale``
    (floats: a share of change, 0.23 = +23 %, or points; NaN when not comparable), ``Unité de
    l'écart`` (« % » or « points »), ``Lecture``, ``Chiffre fragile`` (the territory's value: "" or
    its flags, « effectif faible »…), ``Source``, ``Avertissement`` (simulated data).
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
        out[ref.label] = [
            SECRET_TEXT if m else (dg.NOT_MEASURED if is_missing(v) and dg.measured_only(get_indicator(i)) else v)
            for v, m, i in zip(table[ref.label], flags, table["indicator"], strict=True)
        ]
    out[GAP_PEERS] = table["gap_peers"]
    out[GAP_COUNTRY] = table["gap_france"]
    out["Unité de l'écart"] = table["gap_kind"]
    out["Lecture"] = table["reading"]
    out["Chiffre fragile"] = table["fragility"].fillna("")
    out["Source"] = table["source"]
    # Every row says it when the data are simulated: a CSV travels without its page.
    out["Avertissement"] = "données simulées (démonstration), ne pas citer" if diag.simulated else ""
    return out


def to_csv(diag: dg.Diagnostic) -> bytes:
    """The key figures as CSV for French Excel (UTF-8 with BOM, ``;``, decimal comma)."""
    return french_csv(export_table(diag))


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
