"""Indicator formulas: a hand-computed toy case, then sums checked against the warehouse."""

import math

import pandas as pd
import pytest

from explorer.errors import IndicatorError
from explorer.facts.indicators import INDICATORS, compute, get_indicator, indicator_table, parse_period


def _facts(**overrides):
    row = {
        "code": "X",
        "name": "Toy",
        "population": 1000,
        "schools": 6,
        "measured_schools": 5,
        "pupils": 100,
        "pupil_years": 200,
        "school_years": 1,
        "invest_pupil_years": 200,
        "measured_pupil_years": 150,
        "measured_pupil_weeks": 5_000,
        "measured_pupil_school_weeks": 4_000,
        "ips": 101.5,
        "invest_eur": 9_000.0,
        "visits": 12_500,
        "pupil_user_weeks": 1_800,
        "user_weeks": 3_000,
        "resource_visits": 600,
        "resource_user_weeks": 200,
    }
    row.update(overrides)
    return pd.DataFrame([row])


def test_toy_values_by_hand():
    f = _facts()
    assert compute(f, get_indicator("invest_per_pupil"))["value"][0] == 45.0  # 9000 € / 200 pupil-years
    assert compute(f, get_indicator("ent_visits_per_pupil_week"))["value"][0] == 2.5  # 12500 / 5000
    assert compute(f, get_indicator("active_pupils_share"))["value"][0] == 0.45  # 1800 / 4000
    assert compute(f, get_indicator("coverage_share"))["value"][0] == pytest.approx(5 / 6)
    assert compute(f, get_indicator("invest_per_visit"))["value"][0] == 0.72  # 9000 / 12500
    assert compute(f, get_indicator("resource_per_pupil"))["value"][0] == 4.0  # 600 / 150


def test_nothing_is_masked_by_default():
    # the figures are public (issue 16): one school, three users, still a number
    out = compute(_facts(schools=1, measured_schools=1, user_weeks=3), get_indicator("ent_visits_per_pupil_week"))
    assert not out["masked"][0] and out["value"][0] == 2.5 and out["mask_reason"][0] == ""


def test_small_denominators_are_flagged_on_the_figure():
    toy = _facts()  # 200 pupils, 150 of them in measured schools, 33 measured weeks each
    assert compute(toy, get_indicator("invest_per_pupil"))["fragility"][0] == ""
    assert compute(toy, get_indicator("ent_visits_per_pupil_week"))["fragility"][0] == ""
    partial = _facts(measured_pupil_years=36)  # 18 % of the 200 pupil-years, 36 pupils
    assert compute(partial, get_indicator("ent_visits_per_pupil_week"))["fragility"][0] == (
        "effectif faible ; sur 18\u202f% des élèves mesurés"
    )
    small = _facts(pupil_years=200, school_years=5, measured_pupil_years=200)  # 40 pupils a year
    assert compute(small, get_indicator("invest_per_pupil"))["fragility"][0] == "effectif faible"
    assert compute(small, get_indicator("ent_visits_per_pupil_week"))["fragility"][0] == "effectif faible"
    # 1 000 pupil-weeks over 150 measured pupil-years: under 7 weeks a year; 8 user-weeks
    thin = _facts(measured_pupil_weeks=1_000, user_weeks=8)
    assert compute(thin, get_indicator("ent_visits_per_pupil_week"))["fragility"][0] == (
        "peu de semaines mesurées ; peu d'utilisateurs"
    )
    # counts and shares of schools are exact: never flagged
    assert compute(small, get_indicator("pupils"))["fragility"][0] == ""
    assert compute(small, get_indicator("coverage_share"))["fragility"][0] == ""


def test_fewer_than_five_schools_are_masked_under_a_deployments_secrecy(secrecy_on):
    out = compute(_facts(schools=4, measured_schools=4), get_indicator("invest_per_pupil"))
    assert bool(out["masked"][0]) and math.isnan(out["value"][0])
    assert out["mask_reason"][0] == "moins de 5 établissements"
    usage = compute(_facts(measured_schools=4), get_indicator("ent_visits_per_pupil_week"))
    assert bool(usage["masked"][0])
    few_users = compute(_facts(user_weeks=10), get_indicator("ent_visits_per_pupil_week"))
    assert few_users["mask_reason"][0] == "moins de 11 utilisateurs"
    # Resource accesses: the same user threshold, on the resource users.
    few_resource_users = compute(_facts(resource_user_weeks=10), get_indicator("resource_per_pupil"))
    assert bool(few_resource_users["masked"][0]) and math.isnan(few_resource_users["value"][0])
    assert few_resource_users["mask_reason"][0] == "moins de 11 utilisateurs"
    assert not compute(_facts(resource_user_weeks=11), get_indicator("resource_per_pupil"))["masked"][0]


def test_catalogue_has_units_and_sources():
    assert len(INDICATORS) >= 30
    for ind in INDICATORS.values():
        assert ind.unit and ind.formula and ind.source and ind.label


def test_bad_period_and_indicator_get_french_messages():
    assert parse_period("2021-2025") == (2021, 2025)
    assert parse_period(None) == (2021, 2025)
    with pytest.raises(IndicatorError, match="non reconnue"):
        parse_period("2021; drop table school")
    with pytest.raises(IndicatorError, match="hors des données"):
        parse_period("2010-2025")
    with pytest.raises(IndicatorError, match="inconnu"):
        get_indicator("nope")


def test_investment_is_conserved_when_spread_over_departements(rennes):
    table = indicator_table(rennes, "departement", "invest_per_pupil", (2021, 2025))
    assert len(table) == 4 and not table["masked"].any()
    facts_total = rennes.execute("select sum(amount_eur) from investment where year between 2021 and 2025").fetchone()[
        0
    ]
    from explorer.facts.indicators import territory_facts

    facts = territory_facts(rennes, "departement", (2021, 2025), get_indicator("invest_per_pupil"))
    assert facts["invest_eur"].sum() == pytest.approx(facts_total, rel=1e-9)


def test_departement_value_matches_a_direct_query(rennes):
    value = indicator_table(rennes, "departement", "ent_visits_per_pupil_week", (2024, 2024)).set_index("code")
    visits, pupil_weeks = rennes.execute(
        """
        select
            (select sum(u.visits) from usage as u join school as s using (uai)
             where s.departement_code = '35' and u.week_start between date '2024-08-01' and date '2025-07-31'),
            (select sum(y.pupils * y.school_weeks) from school_year as y join school as s using (uai)
             where s.departement_code = '35' and y.school_year = '2024-2025' and y.measured)
        """
    ).fetchone()
    assert value.loc["35", "value"] == pytest.approx(visits / pupil_weeks)


def test_small_communes_show_their_figures(rennes):
    table = indicator_table(rennes, "commune", "invest_per_pupil", (2021, 2025))
    small = table[(table["schools"] > 0) & (table["schools"] < 5)]
    assert len(small) > 100 and not small["masked"].any() and small["value"].notna().all()


def test_small_communes_are_masked_in_the_warehouse_under_secrecy(rennes, secrecy_on):
    table = indicator_table(rennes, "commune", "invest_per_pupil", (2021, 2025))
    small = table[(table["schools"] > 0) & (table["schools"] < 5)]
    assert len(small) > 100
    assert small["masked"].all() and small["value"].isna().all()
    assert table.loc[table["schools"] >= 5, "value"].notna().all()


def test_school_facts_add_up_to_their_departement(rennes):
    """The one facts query at the school level: sums over a département's schools are its own sums."""
    from explorer.facts.indicators import school_facts, territory_facts

    schools = school_facts(rennes, (2021, 2025))
    assert schools["population"].isna().all() and (schools["schools"] <= 1).all()
    where = rennes.execute("select uai as code, departement_code from school").df()
    summed = schools.merge(where, on="code").groupby("departement_code")[["schools", "invest_eur", "visits"]].sum()
    departements = territory_facts(rennes, "departement", (2021, 2025)).set_index("code")
    for column in ("schools", "invest_eur", "visits"):
        pd.testing.assert_series_equal(
            summed[column].astype(float),
            departements.loc[summed.index, column].astype(float),
            check_names=False,
            rtol=1e-9,
        )
