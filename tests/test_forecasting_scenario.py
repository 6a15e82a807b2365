"""Scenario format: validation names the field, paths add the deltas to the baseline."""

from __future__ import annotations

import copy
import json

import pandas as pd
import pytest

from explorer.analysis.effects.investment import Response, scenario_change
from forecasting.errors import ScenarioError
from forecasting.projection import investment_path
from forecasting.scenario import (
    LAST_BUDGET_YEAR,
    Change,
    Scenario,
    change_from_form,
    check_name,
    check_years,
    describe,
    lag_sentence,
    load_scenarios,
    loads_scenarios,
    parse_scenario,
    rename,
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


# --- The planner's form (the Prospective page's editor) ------------------------------------

FORM = {
    "amount": 40,
    "increase": True,
    "first": 2027,
    "last": 2030,
    "funder": "departement",
    "category": "equipement",
    "first_allowed": 2027,
}


def test_the_form_gives_the_issue_example_and_a_cut_is_a_negative_change():
    # « +40 € par collégien » by default: per pupil of the schools the funder equips
    assert change_from_form(**FORM) == Change(2027, 2030, "departement", "equipement", 40.0, "concernes")
    assert change_from_form(**FORM, pupils="territoire") == parse_scenario(PLUS40).changes[0]
    assert change_from_form(**{**FORM, "increase": False}).delta_eur_per_pupil == -40.0
    # one budget year (a one-off programme), the last year of the horizon
    one_off = change_from_form(**{**FORM, "first": 2031, "last": 2031, "funder": "etat", "category": "reseau"})
    assert one_off == Change(2031, 2031, "etat", "reseau", 40.0, "concernes")
    assert LAST_BUDGET_YEAR == 2031


@pytest.mark.parametrize(
    ("changed", "field", "words"),
    [
        ({"amount": 0}, "Montant", "supérieur à 0\u00a0€ par élève et par an ; pour une diminution, choisissez"),
        ({"amount": -40}, "Montant", "supérieur à 0"),
        ({"amount": float("nan")}, "Montant", "indiquez un montant"),
        ({"amount": None}, "Montant", "indiquez un montant"),
        ({"amount": 1200}, "Montant", "1\u202f200\u00a0€ par élève et par an dépasse 1\u202f000\u00a0€"),
        ({"first": 2026}, "Premier exercice", "2026 est un exercice déjà connu (données jusqu'à 2026)"),
        ({"first": 2027.5}, "Premier exercice", "n'est pas une année"),
        ({"last": 2032}, "Dernier exercice", "2032 est au-delà de l'horizon de la projection : exercices jusqu'à 2031"),
        ({"first": 2035, "last": 2036}, "Premier exercice", "au-delà de l'horizon"),
        ({"first": 2029, "last": 2028}, "Dernier exercice", "le dernier exercice (2028) est avant le premier (2029)"),
        ({"funder": "mairie"}, "Payé par", "inconnu"),
    ],
)
def test_the_form_refuses_bad_input_in_french_naming_its_field(changed, field, words):
    with pytest.raises(ScenarioError) as info:
        change_from_form(**{**FORM, **changed})
    assert info.value.field == field
    assert str(info.value).startswith(f"Scénario, champ « {field} » : ")
    assert words in str(info.value)


def test_the_amount_may_be_up_to_a_thousand_euros_per_pupil():
    assert change_from_form(**{**FORM, "amount": 1000}).delta_eur_per_pupil == 1000.0
    with pytest.raises(ScenarioError, match="dépasse"):
        parse_scenario(broken("changes.delta_eur_per_pupil", 1000.5))


def test_names_are_checked_for_the_form():
    assert check_name("  plan collèges 2027-2030 ") == "plan collèges 2027-2030"
    for bad, words in (("", "un nom de 1 à 60 caractères"), ("baseline", "réservé"), ("a/b", "un nom")):
        with pytest.raises(ScenarioError) as info:
            check_name(bad)
        assert info.value.field == "Nom du scénario" and words in str(info.value)
    assert rename(parse_scenario(PLUS40), "collèges").changes == parse_scenario(PLUS40).changes


def test_a_saved_scenario_that_starts_in_a_known_year_is_not_projected():
    plus40 = parse_scenario(PLUS40)
    assert check_years(plus40, 2027) is plus40
    with pytest.raises(ScenarioError, match="« plus40 » commence en 2027, un exercice déjà connu"):
        check_years(plus40, 2028)


def test_the_change_is_described_in_words_without_codes():
    assert describe(change_from_form(**FORM)) == (
        "+40\u00a0€ par collégien du public et par an de 2027 à 2030, payés par le département (collèges publics), "
        "en équipement"
    )
    assert describe(parse_scenario(PLUS40).changes[0]).startswith("+40\u00a0€ par élève du territoire et par an")
    assert describe(Change(2028, 2028, "commune", "ent_logiciels", -12.5, "concernes")) == (
        "−12,50\u00a0€ par élève d'école publique et par an en 2028, payés par la commune (écoles publiques), "
        "en ENT et logiciels"
    )
    state = describe(Change(2027, 2027, "etat", "formation", 5))
    assert state.endswith("par l'État (écoles, collèges et lycées), en formation")


def test_the_lag_sentence_is_the_lag_of_the_panel_response():
    """The sentence names the school year from which the response counts the first euros."""
    change = parse_scenario(PLUS40).changes[0]
    sentence = lag_sentence(change)
    assert "les 40\u00a0€ de plus de l'exercice 2027 comptent à partir de l'année scolaire 2028-2029" in sentence
    assert "L'exercice 2030 agit au-delà de l'horizon de la projection (2030-2031)" in sentence
    extra = pd.Series(40.0, index=range(2027, 2032)).where(lambda s: s.index <= 2030, 0.0)
    effect = scenario_change(Response(0.02, 0.01, 0.03, False, 0.0), extra).set_index("school_year")
    assert effect["stock_change_eur"].to_dict() == {
        "2028-2029": 40.0,
        "2029-2030": 80.0,
        "2030-2031": 120.0,
        "2031-2032": 160.0,
        "2032-2033": 160.0,
    }
    # nothing in the stock of the school year 2027-2028: the effect starts where the sentence says
    assert "2027-2028" not in effect.index


def test_the_lag_sentence_of_a_change_wholly_beyond_the_horizon():
    sentence = lag_sentence(Change(2030, 2031, "region", "equipement", -10))
    assert "les 10\u00a0€ en moins de l'exercice 2030 compteraient à partir de 2031-2032" in sentence
    assert sentence.endswith("Ce scénario ne change donc pas la projection.")
    assert lag_sentence(Change(2027, 2031, "etat", "reseau", 1)).endswith(
        "Les exercices 2030 à 2031 agissent au-delà de l'horizon de la projection (2030-2031) : ils n'y changent rien."
    )
    # a single year: no word on later years
    assert "Chaque exercice suivant" not in lag_sentence(Change(2027, 2027, "etat", "reseau", 1))


# --- Amounts counted per pupil of the funder's schools (« +40 € par collégien ») --------------


def test_an_amount_per_collegien_is_spread_over_every_pupil_with_the_share_of_collegiens():
    per_college = Scenario("collèges", (Change(2027, 2030, "departement", "equipement", 40.0, "concernes"),))
    deltas = per_college.deltas(range(2027, 2032), {"departement": 0.18})
    assert deltas.tolist() == pytest.approx([7.2, 7.2, 7.2, 7.2, 0.0])
    # a change per pupil of the territory ignores the shares
    assert parse_scenario(PLUS40).deltas(range(2027, 2028), {"departement": 0.18}).tolist() == [40.0]
    with pytest.raises(ScenarioError, match="part de ces élèves dans le territoire est inconnue"):
        per_college.deltas(range(2027, 2032))
    annual = pd.Series([10.0, 20.0, 30.0], index=[2024, 2025, 2026])
    base, path = investment_path(annual), investment_path(annual, per_college, {"departement": 0.25})
    assert (path - base).loc[2027:2031].tolist() == pytest.approx([10.0, 10.0, 10.0, 10.0, 0.0])


def test_the_pupils_field_round_trips_and_older_files_mean_every_pupil():
    concerned = {**PLUS40, "changes": [{**PLUS40["changes"][0], "pupils": "concernes"}]}
    scenario = parse_scenario(concerned)
    assert scenario.changes[0].pupils == "concernes"
    assert loads_scenarios(scenario.to_json()) == [scenario]
    assert "pupils" not in parse_scenario(PLUS40).to_dict()["changes"][0]  # the older format, unchanged
    with pytest.raises(ScenarioError) as info:
        parse_scenario({**PLUS40, "changes": [{**PLUS40["changes"][0], "pupils": "tous"}]})
    assert info.value.field == "changes[0].pupils"
