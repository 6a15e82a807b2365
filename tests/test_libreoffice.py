"""Exports opened for real in LibreOffice Calc with French settings (headless ``soffice``), read
back with openpyxl: numbers are numbers, shares read as percentages, codes keep their zeros
once « champs entre guillemets comme texte » is ticked (docs/diagnostic.md)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from explorer.analysis.typology_report import BASIS_HEADER, export_table, run_typology
from explorer.reports import sheet as report
from explorer.reports.csv import french_csv
from explorer.sheets import compare
from explorer.sheets import diagnostic as dg
from explorer.warehouse import catalog
from tests.libreoffice import FRENCH_DEFAULTS, QUOTED_AS_TEXT, calc_open, rows

pytestmark = pytest.mark.slow

SHARE = f"{compare.column_label('active_pupils_share')} ({compare.column_unit('active_pupils_share')})"
INVEST = f"{compare.column_label('invest_per_pupil')} ({compare.column_unit('invest_per_pupil')})"


def _comparison() -> pd.DataFrame:
    """Three départements whose codes a spreadsheet would damage: 01, 2A, 971."""
    table = pd.DataFrame(
        {"code": ["01", "2A", "971"], "name": ["Ain", "Corse-du-Sud", "Guadeloupe"], "population": [1_060_199, 8, 9]}
    )
    table["pupils"] = [120_000.0, 30_000.0, np.nan]
    table["pupils_masked"] = [False, False, True]
    for column in compare.COLUMNS:
        table[column] = [0.5927, 0.25, np.nan]
        table[f"{column}_masked"] = [False, False, True]
        table[f"{column}_rank"] = [1.0, 2.0, np.nan]
    for column in compare.BREAKDOWN:
        table[column] = [3.14159, 0.0, np.nan]
        table[f"{column}_masked"] = [False, False, True]
    table["fragility"] = ["", "investissement par élève et par an : effectif faible", ""]
    return table


CANDIDATES = {  # the forms of the code « 01 » tried, and the share 59,27 %
    "nu": "01",
    "guillemets": '"01"',
    "formule": '="01"',
    "pourcent": "59,27 %",
    "decimal": "0,5927",
}


@pytest.fixture(scope="module")
def finistere(rennes) -> dg.Diagnostic:
    return dg.diagnose(rennes, "departement", "29", (2021, 2025))


@pytest.fixture(scope="module")
def typology(rennes) -> pd.DataFrame:
    variables = ("invest_per_pupil", "coverage_share", "usage_growth", "log_density")
    return export_table(run_typology(rennes, "epci", variables=variables))


@pytest.fixture(scope="module")
def opened(finistere, typology, tmp_path_factory):
    """Every file opened twice: with the import dialog's defaults, and with quoted fields as text."""
    candidates = "\r\n".join(f"{k};{v}" for k, v in CANDIDATES.items()).encode("utf-8-sig")
    files = {
        "diagnostic": report.to_csv(finistere),
        "comparer": french_csv(compare.export_frame(_comparison(), "01", percent=True)),
        "typologie": french_csv(typology),
        "candidats": candidates,
        "dictionnaire": french_csv(catalog.data_dictionary()),
    }
    folder = tmp_path_factory.mktemp("libreoffice")
    return {
        "defaults": calc_open(files, FRENCH_DEFAULTS, folder / "defaults"),
        "text": calc_open(files, QUOTED_AS_TEXT, folder / "text"),
    }


def test_no_csv_form_keeps_a_leading_zero_under_the_dialogs_defaults(opened):
    """What was tried: with the defaults, « 01 » quoted or not becomes the number 1, a formula
    stays the text « ="01" », a « % » sign leaves text; ticking quoted-as-text keeps « 01 »."""
    cells = {r[0].value: r[1] for r in opened["defaults"]["candidats"].iter_rows()}
    assert (cells["nu"].value, cells["nu"].data_type) == (1, "n")
    assert (cells["guillemets"].value, cells["guillemets"].data_type) == (1, "n")
    assert (cells["formule"].value, cells["formule"].data_type) == ('="01"', "s")
    assert (cells["pourcent"].value, cells["pourcent"].data_type) == ("59,27 %", "s")
    assert (cells["decimal"].value, cells["decimal"].data_type) == (0.5927, "n")
    text = {r[0].value: r[1] for r in opened["text"]["candidats"].iter_rows()}
    assert (text["guillemets"].value, text["guillemets"].data_type) == ("01", "s")
    assert (text["nu"].value, text["nu"].data_type) == (1, "n")  # unquoted: still a number


def test_diagnostic_csv_numbers_and_percentages(opened, finistere):
    table = report.export_table(finistere)  # fractions, as in the XLSX
    for settings in ("defaults", "text"):
        values = rows(opened[settings]["diagnostic"])
        header = values[0]
        by_id = {r[header.index("Identifiant")]: r for r in values[1:]}
        own, gap, unit = header.index("Finistère"), header.index("Écart aux pairs"), header.index("Unité")
        invest = by_id["invest_per_pupil"]
        assert invest[own] == round(finistere.value("invest_per_pupil")["value"], 1)
        assert isinstance(invest[own], float | int)
        expected_gap = table.set_index("Identifiant").at["invest_per_pupil", "Écart aux pairs"]
        assert invest[gap] == pytest.approx(expected_gap * 100, abs=0.051)  # a relative gap, in %
        assert invest[header.index("Unité de l'écart")] == "%"
        share = by_id["coverage_share"]
        assert share[unit] == "% des établissements"
        assert share[own] == round(finistere.value("coverage_share")["value"] * 100, 2)  # 59,27 under « % »
        assert 0 < share[own] <= 100
        assert by_id["pupils"][own] == finistere.value("pupils")["value"]  # a whole number, no exponent


def test_comparer_csv_codes_keep_their_zeros_once_quoted_fields_are_text(opened):
    text = rows(opened["text"]["comparer"])
    header = text[0]
    code, share, pop = header.index("Code"), header.index(SHARE), header.index("Population (habitants)")
    assert [r[code] for r in text[1:]] == ["01", "2A", "971"]
    assert [r[share] for r in text[1:3]] == [59.27, 25.0]  # a share 0.5927 written 59,27 under « (% des élèves) »
    assert text[1][pop] == 1_060_199
    assert text[1][header.index(INVEST)] == 0.6  # € per pupil: whole euros on screen, one decimal more here
    assert text[3][share] == "secret statistique"
    defaults = rows(opened["defaults"]["comparer"])
    assert [r[code] for r in defaults[1:]] == [1, "2A", 971]  # why docs/diagnostic.md asks to tick the box


def test_typology_csv_shares_in_percent(opened, typology):
    values = rows(opened["text"]["typologie"])
    header = values[0]
    measured = header.index("Établissements mesurés (%)")
    first = typology.iloc[0]
    assert values[1][header.index("code")] == first["code"]
    assert values[1][measured] == first["Établissements mesurés (%)"]
    assert all(isinstance(r[measured], float | int) and 0 <= r[measured] <= 100 for r in values[1:])
    assert values[1][header.index(BASIS_HEADER)] == "toutes les variables"


def test_data_dictionary_csv_is_all_text(opened):
    values = rows(opened["defaults"]["dictionnaire"])
    assert values[0] == ["Table", "Colonne", "Signification", "Unité", "Valeurs admises"]
    expected = catalog.data_dictionary()
    assert len(values) == len(expected) + 1
    assert [r[1] for r in values[1:]] == expected["Colonne"].tolist()
    assert all(isinstance(v, str) for r in values[1:] for v in r)  # text, nothing taken for a number or a date
