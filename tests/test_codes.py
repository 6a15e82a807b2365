"""One code normalisation for the staging SQL, the connectors and the budget check (hand-checked cases)."""

import duckdb
import pytest

from explorer.codes import code_error, normalise, sql_macros, uai_check_letter
from explorer.connectors import _codes
from explorer.warehouse.budget.check import check

CASES = [
    ("region", "084", "84"),
    ("region", "1", "01"),
    ("region", " 53 ", "53"),
    ("academie", "014", "14"),
    ("departement", "035", "35"),
    ("departement", "02a", "2A"),
    ("departement", "5", "05"),
    ("departement", "971", "971"),
    ("commune", "1001", "01001"),
    ("commune", "35 238", "35238"),
    ("commune", "350131", "350131"),  # kept whole, so that the check refuses it
    ("commune", "123", "123"),  # two zeros short: not a spreadsheet's doing, refused
    ("epci", "200 046 977", "200046977"),
    ("uai", " 0350024l", "0350024L"),
    ("etat", "fr", "FR"),
]


@pytest.mark.parametrize(("level", "raw", "expected"), CASES)
def test_python_and_sql_normalise_alike(level, raw, expected):
    assert normalise(level, raw) == expected
    con = duckdb.connect()
    con.execute(sql_macros())
    assert con.execute(f"select norm_{level}(?), norm_territory(?, ?)", [raw, level, raw]).fetchone() == (
        expected,
        expected,
    )


def test_null_stays_null():
    con = duckdb.connect()
    con.execute(sql_macros())
    assert con.execute("select norm_departement(null), norm_territory('commune', null)").fetchone() == (None, None)
    assert normalise("commune", None) is None


def test_region_084_is_accepted_by_connectors_and_budget_alike(tmp_path):
    # Before: a connector turned « 084 » into « 84 » while the budget check refused the file.
    assert _codes.region_code("084") == "84"
    budget = tmp_path / "budget.csv"
    budget.write_text(
        "annee;financeur_niveau;financeur_code;programme;categorie;uai;territoire;montant_eur;libelle\n"
        "2024;region;084;droit_commun;equipement;;region:084;1000,00;Tablettes\n",
        encoding="utf-8",
    )
    rows, problems = check(str(budget))
    assert problems == []
    assert rows.loc[0, "funder_code"] == "84"
    assert rows.loc[0, "territory"] == "region:84"


def test_checks_say_what_is_expected():
    assert code_error("commune", "350131") == (
        "code « 350131 » mal formé (code INSEE de commune sur 5 caractères, par ex. 35238)"
    )
    assert code_error("departement", "2C") is not None
    assert code_error("departement", "2B") is None


def test_uai_check_letter():
    assert uai_check_letter("0350710") == "G"  # lycée Chateaubriand, Rennes
    assert uai_check_letter("0350024") == "L"
