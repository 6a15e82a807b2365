"""Downloads for French spreadsheets: CSV in UTF-8 with BOM, ``;`` separator, decimal comma.

Every export neutralises spreadsheet formula injection: a text cell that starts with ``=``,
``+``, ``-``, ``@``, a tab or a carriage return (a territory or school name from a loaded file
could) is written so that Excel and LibreOffice show it as text and never evaluate it.
Numbers, including negative ones written with a decimal comma, are left alone.
"""

from __future__ import annotations

import re

import pandas as pd
from openpyxl import Workbook

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER_TEXT = re.compile(r"^[+-]?[0-9\u202f\u00a0 ]+([.,][0-9]+)?$")


def neutralise(value: object) -> object:
    """A text that a spreadsheet would run as a formula, prefixed with ``'``; anything else as is."""
    if isinstance(value, str) and value.startswith(FORMULA_START) and not _NUMBER_TEXT.match(value):
        return "'" + value
    return value


def french_csv(frame: pd.DataFrame) -> bytes:
    """``frame`` as CSV bytes that French Excel opens correctly (accents, columns, decimals).

    Floats are written with up to 6 significant decimals and a decimal comma; codes stay text;
    text cells are neutralised (:func:`neutralise`).
    """
    out = frame.copy()
    for column in out.columns:
        if out[column].dtype == object or pd.api.types.is_string_dtype(out[column]):
            out[column] = out[column].map(neutralise)
    text = out.to_csv(sep=";", decimal=",", index=False, float_format="%.6g", lineterminator="\r\n")
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
