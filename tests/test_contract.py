"""The staging contract on hand-made rows: normalisation, rejections, nothing half-written."""

import duckdb
import pandas as pd
import pytest

from explorer.errors import ContractError, IdentifierError
from explorer.warehouse.contract import ensure_staging, stage
from explorer.warehouse.sqlfiles import quote_ident


@pytest.fixture
def con(tmp_path):
    con = duckdb.connect(str(tmp_path / "t.duckdb"))
    ensure_staging(con)
    yield con
    con.close()


def _schools(**overrides):
    row = {
        "uai": "0350710g",
        "name": " Lycée Chateaubriand ",
        "kind": "LYCEE",
        "nature": "LEGT",
        "sector": "Public",
        "commune_code": "35238",
        "lat": 48.1,
        "lon": -1.7,
        "source": "test",
    }
    row.update(overrides)
    return pd.DataFrame([row])


def test_codes_are_normalised(con):
    deps = pd.DataFrame(
        {
            "code": ["035", "02A", "971", "1"],
            "name": ["a", "b", "c", "d"],
            "region_code": ["53", "94", "1", "84"],
            "academie_code": ["14", "27", "32", "10"],
            "source": "test",
        }
    )
    assert stage(con, "stg_departement", deps) == 4
    rows = con.execute("select code, region_code from stg_departement order by code").fetchall()
    assert rows == [("01", "84"), ("2A", "94"), ("35", "53"), ("971", "01")]


def test_school_row_is_cleaned(con):
    stage(con, "stg_school", _schools())
    assert con.execute("select uai, name, kind, sector from stg_school").fetchone() == (
        "0350710G",
        "Lycée Chateaubriand",
        "lycee",
        "public",
    )


def test_commune_code_gets_its_leading_zero_back(con):
    stage(con, "stg_school", _schools(commune_code="1001"))
    assert con.execute("select commune_code from stg_school").fetchone() == ("01001",)


def test_bad_uai_is_refused_with_column_and_value(con):
    with pytest.raises(ContractError) as err:
        stage(con, "stg_school", _schools(uai="35071OG"))
    message = str(err.value)
    assert "stg_school" in message and "« uai »" in message and "35071OG" in message
    assert con.execute("select count(*) from stg_school").fetchone() == (0,)


def test_unknown_kind_is_refused(con):
    with pytest.raises(ContractError, match="valeurs admises : ecole, college, lycee"):
        stage(con, "stg_school", _schools(kind="université"))


def test_negative_amount_is_refused_and_nothing_is_appended(con):
    good = {
        "year": 2024,
        "funder_level": "departement",
        "funder_code": "035",
        "programme": "droit_commun",
        "category": "equipement",
        "uai": None,
        "amount_eur": 10.0,
        "source": "test",
    }
    bad = dict(good, amount_eur=-5.0)
    with pytest.raises(ContractError, match="amount_eur"):
        stage(con, "stg_investment", pd.DataFrame([good, bad]))
    assert con.execute("select count(*) from stg_investment").fetchone() == (0,)
    stage(con, "stg_investment", pd.DataFrame([good]))
    assert con.execute("select funder_code, uai from stg_investment").fetchone() == ("35", None)


def test_week_must_start_on_monday(con):
    row = {
        "week_start": "2024-03-05",
        "uai": "0350710G",
        "profile": "eleve",
        "visits": 3,
        "users": 1,
        "source": "t",
    }
    with pytest.raises(ContractError, match="week_start"):
        stage(con, "stg_usage", pd.DataFrame([row]))
    stage(con, "stg_usage", pd.DataFrame([dict(row, week_start="2024-03-04")]))
    assert con.execute("select count(*) from stg_usage").fetchone() == (1,)


def test_school_year_must_be_two_consecutive_years(con):
    row = {"uai": "0350710G", "school_year": "2024-2026", "pupils": 300, "source": "t"}
    with pytest.raises(ContractError, match="school_year"):
        stage(con, "stg_enrolment", pd.DataFrame([row]))


def test_missing_column_is_named(con):
    with pytest.raises(ContractError, match="« sector »"):
        stage(con, "stg_school", _schools().drop(columns=["sector"]))


def test_missing_mandatory_value_is_refused(con):
    with pytest.raises(ContractError, match="obligatoire"):
        stage(con, "stg_school", _schools(name=None))


def test_identifiers_come_from_the_allow_list():
    assert quote_ident("usage", ["usage", "school"]) == '"usage"'
    with pytest.raises(IdentifierError):
        quote_ident("usage; drop table school", ["usage"])
    with pytest.raises(IdentifierError):
        quote_ident("Usage", ["Usage"])  # only lower-case snake identifiers are ever generated


def test_rules_come_from_rules_toml_with_their_names_resolved():
    from explorer import codes
    from explorer import vocabulary as voc
    from explorer.warehouse.contract import RULES, STAGING_TABLES, Rule

    assert STAGING_TABLES[0] == "stg_region" and STAGING_TABLES[-1] == "stg_source"
    assert RULES["stg_school"][0] == Rule(
        "uai", "regex", codes.UAI_PATTERN, "UAI : 7 chiffres et 1 lettre, par ex. 0350001A"
    )
    kind = RULES["stg_school"][1]
    assert kind == Rule("kind", "in", voc.SCHOOL_KINDS, "valeurs admises : ecole, college, lycee")
    assert RULES["stg_investment"][5] == Rule("amount_eur", "non_negative", None, "un montant est positif ou nul")
    kinds = {rule.kind for rules in RULES.values() for rule in rules}
    assert kinds == {"not_null", "in", "regex", "non_negative", "monday", "school_year"}
