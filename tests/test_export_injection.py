"""Exports never let a spreadsheet run a formula that came from the data."""

from __future__ import annotations

import io

import openpyxl
import pandas as pd
from openpyxl import Workbook

from explorer.reports.csv import french_csv, neutralise, neutralise_workbook

HOSTILE = ['=HYPERLINK("http://x","clic")', "+1+1", "-2+3", "@SUM(A1)", "\t=1", "=cmd|' /C calc'!A0"]


def test_text_starting_like_a_formula_is_prefixed_numbers_are_not():
    for text in HOSTILE:
        assert neutralise(text) == "'" + text
    for text in ("-12,5", "+3", "-1\u202f234,5", "Saint-Malo", "École"):
        assert neutralise(text) == text
    assert neutralise(-3.5) == -3.5


def test_french_csv_neutralises_every_hostile_name():
    frame = pd.DataFrame({"code": ["35001"] * len(HOSTILE), "nom": HOSTILE, "valeur": [-1.5] * len(HOSTILE)})
    text = french_csv(frame).decode("utf-8-sig")
    back = pd.read_csv(io.StringIO(text), sep=";", decimal=",", dtype={"code": str}, keep_default_na=False)
    assert back["nom"].tolist() == ["'" + h for h in HOSTILE]
    assert back["valeur"].tolist() == [-1.5] * len(HOSTILE)  # the negative number stays a number


def test_workbook_cells_that_look_like_formulas_are_stored_as_text():
    wb = Workbook()
    ws = wb.active
    for i, text in enumerate(HOSTILE, start=1):
        ws.cell(row=i, column=1, value=text)
    ws.cell(row=1, column=2, value=-4.25)
    assert neutralise_workbook(wb) == len(HOSTILE)
    buffer = io.BytesIO()
    wb.save(buffer)
    back = openpyxl.load_workbook(io.BytesIO(buffer.getvalue()))
    cells = [back.active.cell(row=i, column=1) for i in range(1, len(HOSTILE) + 1)]
    assert [c.value for c in cells] == HOSTILE
    assert all(c.data_type == "s" for c in cells)
    assert back.active.cell(row=1, column=2).value == -4.25
