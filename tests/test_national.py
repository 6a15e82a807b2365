"""The national demo build: counts and calibration against the public orders of magnitude."""

import pytest

from explorer.analysis.typology_report import class_table, run_typology
from explorer.demo import targets

pytestmark = pytest.mark.slow


def test_territory_counts(national):
    counts = dict(national.execute("select level, count(*) from territory group by level").fetchall())
    assert counts["region"] == 18
    assert counts["academie"] == 30
    assert counts["departement"] == 101
    assert counts["commune"] >= 34_000
    assert counts["epci"] >= 1_200


def test_overseas_are_included(national):
    overseas = national.execute(
        "select count(distinct departement_code) from school where departement_code like '97%'"
    ).fetchone()
    assert overseas == (5,)
    flagged = national.execute("select count(*) from territory where level = 'region' and is_overseas").fetchone()
    assert flagged == (5,)


def test_schools_and_pupils_in_national_ranges(national):
    schools = dict(national.execute("select kind, count(*) from school group by kind").fetchall())
    assert 46_000 <= schools["ecole"] <= 50_000
    assert 6_700 <= schools["college"] <= 7_300
    assert 4_000 <= schools["lycee"] <= 4_400
    pupils = national.execute("select sum(pupils) from enrolment where school_year = '2025-2026'").fetchone()[0]
    assert 11_500_000 <= pupils <= 12_500_000


def test_snee_totals_within_one_percent(national):
    subsidy, spent, ecoles = national.execute(
        """
        select sum(amount_eur) filter (where funder_level = 'etat'), sum(amount_eur), count(distinct uai)
        from investment where programme = 'SNEE'
        """
    ).fetchone()
    assert subsidy == pytest.approx(targets.SNEE["subsidy"], rel=0.01)
    assert spent == pytest.approx(targets.SNEE["spent"], rel=0.01)
    assert ecoles == targets.SNEE["ecoles"]
    kinds = national.execute(
        "select distinct kind from investment join school using (uai) where programme = 'SNEE'"
    ).fetchall()
    assert kinds == [("ecole",)]


def test_hybridation_and_tne(national):
    subsidy, spent, lycees = national.execute(
        """
        select sum(amount_eur) filter (where funder_level = 'etat'), sum(amount_eur), count(distinct uai)
        from investment where programme = 'hybridation_lycees'
        """
    ).fetchone()
    assert subsidy == pytest.approx(13_947_510.84, rel=0.01)
    assert spent == pytest.approx(29_900_499.06, rel=0.01)
    assert lycees == 1_803
    tne_deps = {
        r[0]
        for r in national.execute(
            "select distinct departement_code from investment join school using (uai) where programme = 'TNE'"
        ).fetchall()
    }
    assert tne_deps == set(targets.TNE_DEPARTEMENTS)


def test_ent_visits_of_2025_26_are_about_650_millions(national):
    visits, teachers = national.execute(
        """
        select sum(visits), sum(visits) filter (where profile = 'enseignant') from usage
        where week_start between date '2025-08-01' and date '2026-07-31'
        """
    ).fetchone()
    assert visits == pytest.approx(649_492_449, rel=0.02)
    assert 0.12 < teachers / visits < 0.25


def test_measured_schools_follow_the_published_counts(national):
    rows = dict(national.execute("select school_year, sum(measured_schools) from coverage group by 1").fetchall())
    assert rows["2023-2024"] == pytest.approx(7_060, abs=5)
    assert rows["2024-2025"] == pytest.approx(22_104, abs=5)
    assert rows["2025-2026"] == pytest.approx(30_026, abs=5)


def test_gar_accesses_of_2024_25(national):
    gar = national.execute(
        """
        select sum(visits) from resource_use
        where resource = 'gar' and week_start between date '2024-08-01' and date '2025-07-31'
        """
    ).fetchone()[0]
    assert gar == pytest.approx(54_096_270, rel=0.02)


def test_warehouse_fits_in_one_gigabyte(national_db):
    assert national_db.stat().st_size <= 1_000_000_000


@pytest.mark.parametrize("level", ["departement", "epci", "commune"])
def test_typology_classes_every_territory_with_a_school(national, level):
    """Issue 16: 101 départements in 3 to 8 classes (none under 3), ≥ 95 % of the EPCI and of the
    communes with a school classed; the figures are public, so no territory is left out as secret."""
    report = run_typology(national, level)
    table = class_table(report)
    with_school = national.execute(
        f"select count(distinct s.{level}_code) from school as s join school_year as y using (uai) "
        "where y.rentree_year between 2021 and 2025"
    ).fetchone()[0]
    assert 3 <= report.k <= 8
    assert table["cluster"].value_counts().min() >= 3
    assert table["code"].is_unique
    assert len(table) >= 0.95 * with_school
    if level == "departement":
        assert len(table) == 101
    assert report.features.exclusion_counts()["secret statistique"] == 0


@pytest.mark.parametrize("level", ["epci", "commune"])
def test_effects_of_every_measured_epci_and_commune(national, level):
    """The national demo has schools measured a single year (singletons of the school effect):
    the per-territory slopes of these levels crashed on them (Prospective and Investissement →
    usage at the commune level)."""
    from explorer.analysis.effects.investment import LEVEL_COLUMNS, investment_effects, load_panel

    out = investment_effects(national, level)
    measured = load_panel(national, "tous")[LEVEL_COLUMNS[level]].nunique()
    assert len(out) == measured  # every territory with a measured school, none twice
    assert out["code"].is_unique
    assert (
        out["effect"].notna().all() and (out["lower"] <= out["effect"]).all() and (out["effect"] <= out["upper"]).all()
    )
