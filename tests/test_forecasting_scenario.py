"""Scenario format: validation names the field, paths add the deltas to the baseline."""

from __future__ import annotations

import copy
import json

import pandas as pd
import pytest

from forecasting.errors import ScenarioError
from forecasting.projection import investment_path
from forecasting.scenario import (
    Change,
    Scenario,
    load_scenarios,
    loads_scenarios,
    parse_scenario,
    scenario_from_rows,
    scenarios_table,
)
from tests.scenarios import PLUS40


def broken(path: str, value: object) -> dict:
    """PLUS40 with one field replaced (``value`` = ... deletes it)."""
    obj = copy.deepcopy(PLUS40)
    target = obj["changes"][0] if path != "name" else obj
    key = path if path == "name" else path.split(".")[-1]
    if value is ...:
        del target[key]
    else:
        target[key] = value
    return obj


def test_the_issue_example_parses():
    s = parse_scenario(PLUS40)
    assert s == Scenario("plus40", (Change(2027, 2030, "departement", "equipement", 40.0),))
    assert json.loads(s.to_json()) == {**PLUS40, "changes": [{**PLUS40["changes"][0], "delta_eur_per_pupil": 40.0}]}


@pytest.mark.parametrize(
    ("path", "value", "field", "words"),
    [
        ("name", ..., "name", "absent"),
        ("name", "baseline", "name", "réservé"),
        ("name", "", "name", "nom"),
        ("changes.from_year", "2027", "changes[0].from_year", "année"),
        ("changes.from_year", 1990, "changes[0].from_year", "hors"),
        ("changes.to_year", 2026, "changes[0].to_year", "avant from_year"),
        ("changes.funder_level", "mairie", "changes[0].funder_level", "etat, region, departement, epci, commune"),
        ("changes.category", "tablettes", "changes[0].category", "equipement"),
        ("changes.category", ..., "changes[0].category", "absent"),
        ("changes.delta_eur_per_pupil", "40", "changes[0].delta_eur_per_pupil", "nombre"),
        ("changes.delta_eur_per_pupil", 40_000, "changes[0].delta_eur_per_pupil", "par élève"),
        ("changes.montant", 3, "changes[0].montant", "inconnu"),
    ],
)
def test_malformed_scenarios_name_the_field(path, value, field, words):
    with pytest.raises(ScenarioError) as info:
        parse_scenario(broken(path, value))
    assert info.value.field == field
    message = str(info.value)
    assert message.startswith(f"Scénario, champ « {field} » : ")
    assert words in message


def test_changes_must_be_a_list_and_file_must_be_json(tmp_path):
    with pytest.raises(ScenarioError, match="« changes »"):
        parse_scenario({"name": "x", "changes": {}})
    bad = tmp_path / "bad.json"
    bad.write_text("{name: plus40", encoding="utf-8")
    with pytest.raises(ScenarioError, match="JSON invalide"):
        load_scenarios(bad)


def test_baseline_continues_the_last_three_years_and_scenarios_add_to_it():
    annual = pd.Series([10.0, 20.0, 30.0, 60.0], index=[2023, 2024, 2025, 2026])
    base = investment_path(annual)
    assert base.loc[2026] == 60.0
    assert base.loc[2027] == base.loc[2031] == pytest.approx((20 + 30 + 60) / 3)
    plus = investment_path(annual, parse_scenario(PLUS40))
    assert (plus.loc[2027:2030] - base.loc[2027:2030]).tolist() == pytest.approx([40.0] * 4)
    assert plus.loc[2031] == base.loc[2031]
    # a cut never takes a year below zero; a one-off programme moves one year only
    cut = {
        "from_year": 2028,
        "to_year": 2028,
        "funder_level": "etat",
        "category": "reseau",
        "delta_eur_per_pupil": -500,
    }
    one_off = parse_scenario({"name": "coupe", "changes": [cut]})
    path = investment_path(annual, one_off)
    assert path.loc[2028] == 0.0 and path.loc[2027] == base.loc[2027]


def test_a_change_in_a_known_year_is_refused():
    annual = pd.Series([10.0, 20.0, 30.0], index=[2024, 2025, 2026])
    early = broken("changes.from_year", 2026)
    with pytest.raises(ScenarioError) as info:
        investment_path(annual, parse_scenario(early))
    assert info.value.field == "changes[0].from_year"
    assert "2027 au plus tôt" in str(info.value)


def test_editor_rows_and_csv_export():
    rows = pd.DataFrame([PLUS40["changes"][0], {k: None for k in PLUS40["changes"][0]}])
    s = scenario_from_rows("plus40", rows)
    assert s == parse_scenario(PLUS40)
    table = scenarios_table([s])
    assert table.columns.tolist() == [
        "scenario",
        "from_year",
        "to_year",
        "funder_level",
        "category",
        "delta_eur_per_pupil",
    ]
    assert table.iloc[0].tolist() == ["plus40", 2027, 2030, "departement", "equipement", 40.0]
    incomplete = pd.DataFrame([{**PLUS40["changes"][0], "category": None}])
    with pytest.raises(ScenarioError, match=r"changes\[0\]\.category"):
        scenario_from_rows("plus40", incomplete)


def test_a_file_holds_one_scenario_or_the_pages_list_export(tmp_path):
    one = tmp_path / "one.json"
    one.write_text(json.dumps(PLUS40), encoding="utf-8")
    assert load_scenarios(one) == [parse_scenario(PLUS40)]
    cut = {**PLUS40, "name": "coupe", "changes": [{**PLUS40["changes"][0], "delta_eur_per_pupil": -10}]}
    both = [parse_scenario(PLUS40), parse_scenario(cut)]
    exported = json.dumps([s.to_dict() for s in both])  # what the page's « Scénarios (JSON) » gives
    assert loads_scenarios(exported) == both
    with pytest.raises(ScenarioError) as info:
        loads_scenarios(json.dumps([PLUS40, broken("changes.category", "tablettes")]))
    assert info.value.field == "[1].changes[0].category"
    with pytest.raises(ScenarioError, match="double"):
        loads_scenarios(json.dumps([PLUS40, PLUS40]))
