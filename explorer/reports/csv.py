"""Downloads for French spreadsheets: CSV in UTF-8 with BOM, ``;`` separator, decimal comma.

Every export neutralises spreadsheet formula injection: a text cell that starts with ``=``,
``+``, ``-``, ``@``, a tab or a carriage return (a territory or school name from a loaded file
could) is written so that Excel and LibreOffice show it as text and never evaluate it.
Numbers, including negative ones written with a decimal comma, are left alone.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
from openpyxl import Workbook

from explorer.formatting import is_missing

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER_TEXT = re.compile(r"^[+-]?[0-9\u202f\u00a0 ]+([.,][0-9]+)?$")


def neutralise(value: object) -> object:
    """A text that a spreadsheet would run as a formula, prefixed with ``'``; anything else as is."""
    if isinstance(value, str) and value.startswith(FORMULA_START) and not _NUMBER_TEXT.match(value):
        return "'" + value
    return value


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


def french_csv(frame: pd.DataFrame) -> bytes:
    """``frame`` as CSV bytes that French Excel opens correctly (accents, columns, decimals): the
    one CSV writer of every export.

    UTF-8 with BOM, ``;`` separator; every number with a decimal comma and no exponent
    (1060199, not 1,0602e+06), up to 6 decimals; missing values empty; booleans and codes
    unchanged; text cells neutralised (:func:`neutralise`).
    """
    out = frame.copy()
    for column in out.columns:
        if out[column].dtype != bool:
            out[column] = [neutralise(_csv_cell(v)) for v in out[column]]
    text = out.to_csv(sep=";", index=False, lineterminator="\r\n")
    return text.encode("utf-8-sig")


def neutralise_workbook(wb: Workbook) -> int:
    """Store every formula-looking cell of ``wb`` as plain text; returns how many were changed.

    The project never writes formulas, so any cell openpyxl took for one came from data.
    """
    changed = 0
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if cell.data_type == "f" or (isinstance(cell.value, str) and cell.value.startswith(FORMULA_START)):
                    if cell.data_type == "n":
                        continue
                    cell.data_type = "s"
                    changed += 1
    return changed
