"""Variables of the exploratory statistics: the indicators' values, secrecy, missing-value rule."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from explorer.analysis.features import (
    REASON_NO_SCHOOL,
    FeatureError,
    available_variables,
    load_features,
    log_density,
    log_population,
)
from explorer.analysis.typology_report import class_table, profile_table, run_typology
from explorer.facts.indicators import indicator_table
from explorer.vocabulary import SECRET_TEXT


def test_log_density_by_hand():
    out = log_density(pd.Series([1000, 0, None, 50]), pd.Series([10.0, 5.0, 3.0, 0.0]))
    assert out[0] == pytest.approx(2.0)  # 100 hab./km²
    assert out[1:].isna().all()  # no population, unknown population, no area
    assert log_population(pd.Series([1000, 0, None])).tolist()[0] == pytest.approx(3.0)
    assert log_population(pd.Series([0, None])).isna().all()


def test_population_of_a_departement(rennes):
    features = load_features(rennes, "departement", ["ips", "log_population"])
    population = rennes.execute("select population from territory where level = 'departement' and code = '35'")
    expected = math.log10(population.fetchone()[0])
    assert features.data.set_index("code").loc["35", "log_population"] == pytest.approx(expected)


def test_every_commune_with_a_school_has_its_variables(rennes):
    features = load_features(rennes, "commune")
    invest = indicator_table(rennes, "commune", "invest_per_pupil", (2021, 2025)).set_index("code")
    kept = invest.loc[features.data["code"]]
    assert features.data["invest_per_pupil"].to_numpy() == pytest.approx(kept["value"].to_numpy())
    counts = features.exclusion_counts()
    assert counts[SECRET_TEXT] == 0
    with_school = int((invest["schools"] > 0).sum())
    classed = len(features.data) + len(features.partial)
    assert classed >= 0.95 * with_school  # the few left out lack at least half of the variables
    assert (invest.loc[features.data["code"], "schools"] < 5).sum() > 0.5 * len(features.data)


def test_commune_variables_are_the_unmasked_indicators_under_secrecy(rennes, secrecy_on):
    features = load_features(rennes, "commune")
    communes = rennes.execute("select count(*) from territory where level = 'commune'").fetchone()[0]
    assert len(features.data) + len(features.partial) + len(features.excluded) == communes
    invest = indicator_table(rennes, "commune", "invest_per_pupil", (2021, 2025)).set_index("code")
    kept = invest.loc[features.data["code"]]
    assert not kept["masked"].any() and (kept["schools"] >= 5).all()
    assert features.data["invest_per_pupil"].to_numpy() == pytest.approx(kept["value"].to_numpy())
    counts = features.exclusion_counts()
    no_school = rennes.execute(
        "select count(*) from territory as t where level = 'commune' "
        "and not exists (select 1 from school_year as y join school as s using (uai) "
        "where s.commune_code = t.code and y.rentree_year between 2021 and 2025)"
    ).fetchone()[0]
    assert counts[REASON_NO_SCHOOL] == no_school
    # most communes have fewer than 5 schools; those left out as secret all do
    with_school = invest["schools"] > 0
    assert (with_school & (invest["schools"] < 5)).sum() > 0.8 * with_school.sum()
    secret = features.excluded.loc[features.excluded["reason"] == SECRET_TEXT, "code"]
    assert len(secret) == counts[SECRET_TEXT] > 900 and (invest.loc[secret, "schools"] < 5).all()


def test_usage_growth_is_one_year_growth(rennes):
    features = load_features(rennes, "departement", ["invest_per_pupil", "usage_growth"])
    before = indicator_table(rennes, "departement", "ent_visits_per_pupil_week", (2024, 2024)).set_index("code")
    after = indicator_table(rennes, "departement", "ent_visits_per_pupil_week", (2025, 2025)).set_index("code")
    row = features.data.set_index("code").loc["35"]
    assert row["usage_growth"] == pytest.approx(after.loc["35", "value"] / before.loc["35", "value"] - 1)


def test_bad_variables_are_refused(rennes):
    with pytest.raises(FeatureError, match="Variable « nope » inconnue"):
        load_features(rennes, "commune", ["nope"])
    with pytest.raises(FeatureError, match="n'a pas de sens au niveau « Établissement »"):
        load_features(rennes, "school", ["coverage_share", "ips"])
    with pytest.raises(FeatureError, match="Niveau « region » non disponible"):
        load_features(rennes, "region")
    assert "coverage_share" not in available_variables("school")


def test_school_typology_writes_each_schools_figures(rennes):
    report = run_typology(rennes, "school", k=3, n_resamples=2)
    table = class_table(report)
    assert list(table.columns) == ["code", "name", "cluster", "label", "basis", *report.variables]
    (uai,) = table.loc[table["basis"] == table["basis"].iloc[0], "code"].head(1)
    spent, pupils = rennes.execute(
        "select (select sum(amount_eur) from investment_school where uai = $u and year between 2021 and 2025), "
        "(select sum(pupils) from school_year where uai = $u and rentree_year between 2021 and 2025)",
        {"u": uai},
    ).fetchone()
    assert table.set_index("code").at[uai, "invest_per_pupil"] == pytest.approx(spent / pupils)


def test_school_typology_never_writes_one_schools_figures_under_secrecy(rennes, secrecy_on):
    report = run_typology(rennes, "school", k=3, n_resamples=2)
    table = class_table(report)
    assert list(table.columns) == ["code", "name", "cluster", "label", "basis"]
    assert sorted(table["cluster"].unique()) == [1, 2, 3]
    profiles = profile_table(report)
    assert (profiles.drop(index="Ensemble")["size"] >= 5).all()


def test_commune_typology_table_and_profiles(rennes):
    report = run_typology(rennes, "commune", k=3, n_resamples=2)
    table = class_table(report)
    assert list(table.columns) == [
        "code",
        "name",
        "cluster",
        "label",
        "basis",
        "invest_per_pupil",
        "ent_visits_per_pupil_week",
        "ips",
        "log_density",
    ]
    profiles = profile_table(report)
    assert profiles.index.tolist() == [1, 2, 3, "Ensemble"]
    fitted = table[table["basis"] == "toutes les variables"]
    assert profiles["size"].tolist()[:3] == fitted["cluster"].value_counts().sort_index().tolist()
    # class means are the means of the exported rows classed on every variable
    for c in (1, 2, 3):
        rows = fitted[fitted["cluster"] == c]
        assert profiles.loc[c, "ips"] == pytest.approx(rows["ips"].mean())
        assert profiles.loc[c, "label"] == rows["label"].iloc[0]
    assert profiles.loc["Ensemble", "invest_per_pupil"] == pytest.approx(fitted["invest_per_pupil"].mean())
    assert not math.isnan(report.model.stability_)


def test_too_few_territories_message(rennes):
    with pytest.raises(FeatureError, match="Seulement 0 territoire"):
        run_typology(rennes, "commune", ["invest_per_pupil", "ent_visits_per_pupil_week"], period=(2017, 2017))
