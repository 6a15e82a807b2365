"""Downloads for French spreadsheets: CSV in UTF-8 with BOM, ``;`` separator, decimal comma.

How LibreOffice Calc (7.4, French locale) and French Excel read such a file, tested for real in
``tests/test_libreoffice.py`` (docs/diagnostic.md, « Ouvrir un CSV »):

- a number written ``1234,5`` or ``-0,0686`` (no thousands separator, no exponent) is a number;
- a percent sign makes a number only when « Détecter les nombres spéciaux » is ticked, so a share
  is written as a plain number under a header or unit saying « % » (59,27, not « 59,27 % »);
- no CSV form keeps the leading zero of a code (« 01 », « 01004 », UAI « 0351234A » is safe, « 0350001 »
  is not) under the default import settings without polluting the value: every text cell is
  therefore quoted and numbers never are, so ticking « Formater les champs entre guillemets comme
  texte » once keeps every code as text while numbers stay numbers.

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
# What the pages say under a CSV download (docs/diagnostic.md, « Ouvrir un CSV »).
OPEN_HINT = (
    "Dans LibreOffice : séparateur « Point-virgule » seul, et cochez « Formater les champs entre guillemets "
    "comme texte » pour garder les zéros des codes (01, 01004)."
)
MAX_DECIMALS = 6  # a safety net: the exports round each column to its indicator first (:func:`rounded`)
EXTRA_DECIMALS = 1  # exports keep one decimal more than the screen shows: sums redone by hand still match


def neutralise(value: object) -> object:
    """A text that a spreadsheet would run as a formula, prefixed with ``'``; anything else as is."""
    if isinstance(value, str) and value.startswith(FORMULA_START) and not _NUMBER_TEXT.match(value):
        return "'" + value
    return value


def rounded(value: object, decimals: int) -> object:
    """``value`` rounded to ``decimals`` when it is a number; text (« secret statistique ») and missing as is."""
    if isinstance(value, bool) or not isinstance(value, (int, float, np.number)) or is_missing(value):
        return value
    return round(float(value), decimals)


def _number_text(value: float) -> str:
    """A number as French spreadsheets read it: decimal comma, no exponent, no thousands separator."""
    number = round(float(value), MAX_DECIMALS)
    if number == 0:
        return "0"  # not « -0 »
    if number.is_integer():
        return str(int(number))
    return np.format_float_positional(number, trim="-").replace(".", ",")


def french_csv(frame: pd.DataFrame) -> bytes:
    """``frame`` as CSV bytes that French LibreOffice and Excel open correctly: the one CSV writer
    of every export.

    UTF-8 with BOM, ``;`` separator, CRLF. Numbers unquoted, with a decimal comma and no
    exponent (1060199, not 1,0602e+06), at most 6 decimals (callers round first, see
    :func:`rounded`); missing values empty; booleans ``True``/``False``; every text cell (codes
    included) between double quotes and neutralised (:func:`neutralise`).
    """
    # Written by hand rather than with the csv module: the choice to quote depends on the
    # value's type (text or number), not on its characters.
    lines = [";".join(_quoted(str(c)) for c in frame.columns)]
    lines += [";".join(_cell(v) for v in record) for record in frame.itertuples(index=False, name=None)]
    return "".join(line + "\r\n" for line in lines).encode("utf-8-sig")


def _quoted(text: str) -> str:
    return '"' + str(neutralise(text)).replace('"', '""') + '"'


def _cell(value: object) -> str:
    if isinstance(value, (bool, np.bool_)):
        return str(bool(value))
    if is_missing(value):
        return ""
    if isinstance(value, (int, float, np.number)):
        return _number_text(float(value))
    return _quoted(str(value))


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
