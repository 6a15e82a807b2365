"""Invariants of a built warehouse, checked with values (académie de Rennes, seed 7)."""

import hashlib

import pandas as pd
import pytest

from explorer.errors import ContractError, ScopeError
from explorer.warehouse import build_demo
from explorer.warehouse.build import build
from explorer.warehouse.scope import parse_scope
from tests.conftest import TEST_SEED


def test_territories_of_the_academie(rennes):
    rows = dict(rennes.execute("select level, count(*) from territory group by level").fetchall())
    assert rows["region"] == 1 and rows["academie"] == 1 and rows["departement"] == 4
    assert rows["commune"] > 1_100
    name = rennes.execute("select name from territory where level = 'academie'").fetchone()
    assert name == ("Rennes",)


def test_every_commune_rolls_up_to_existing_parents(rennes):
    orphans = rennes.execute(
        """
        select count(*) from territory as c
        where c.level = 'commune' and (
            c.departement_code not in (select code from territory where level = 'departement')
            or c.academie_code not in (select code from territory where level = 'academie')
            or c.region_code not in (select code from territory where level = 'region'))
        """
    ).fetchone()
    assert orphans == (0,)


def test_territory_population_is_the_sum_of_its_communes(rennes):
    dep, communes = rennes.execute(
        """
        select (select population from territory where level = 'departement' and code = '35'),
               (select sum(population) from territory where level = 'commune' and departement_code = '35')
        """
    ).fetchone()
    assert dep == communes and 1_000_000 < dep < 1_200_000


def test_every_school_has_a_payer_of_the_right_level(rennes):
    wrong = rennes.execute(
        """
        select count(*) from school as s
        left join stg_school_competence as t on t.commune_code = s.commune_code
        where not (
            (s.kind = 'college' and s.payer_level = 'departement' and s.payer_code = s.departement_code)
            or (s.kind = 'lycee' and s.payer_level = 'region' and s.payer_code = s.region_code)
            or (s.kind = 'ecole' and t.epci_code is null
                and s.payer_level = 'commune' and s.payer_code = s.commune_code)
            or (s.kind = 'ecole' and t.epci_code is not null
                and s.payer_level = 'epci' and s.payer_code = t.epci_code))
        """
    ).fetchone()
    assert wrong == (0,)
    levels = dict(rennes.execute("select payer_level, count(*) from school group by 1").fetchall())
    assert set(levels) == {"commune", "epci", "departement", "region"}


def test_ordinary_spending_comes_from_the_payer(rennes):
    mismatched = rennes.execute(
        """
        select count(*) from investment as i join school as s using (uai)
        where i.programme = 'droit_commun' and (i.funder_level, i.funder_code) <> (s.payer_level, s.payer_code)
        """
    ).fetchone()
    assert mismatched == (0,)


def _mean_visits(con, weeks):
    return con.execute(
        """
        select avg(v) from (
            select uai, week_start, sum(visits) as v from usage
            where week_start in (select unnest(?::date[])) group by all)
        """,
        [weeks],
    ).fetchone()[0]


def test_usage_drops_in_the_holiday_weeks_of_zone_b(rennes):
    # Zone B (Rennes): winter holidays 2024 from 24 Feb to 10 Mar; zone A's were 17 Feb – 3 Mar.
    school = _mean_visits(rennes, ["2024-02-19", "2024-03-11"])
    holiday = _mean_visits(rennes, ["2024-02-26", "2024-03-04"])
    assert holiday < 0.15 * school
    summer = _mean_visits(rennes, ["2024-08-05", "2024-08-12"])
    assert summer < 0.15 * school


def test_lockdown_weeks_are_higher(rennes):
    before = _mean_visits(rennes, ["2020-01-13", "2020-01-20", "2020-01-27", "2020-02-03"])
    lockdown = _mean_visits(rennes, ["2020-03-16", "2020-03-23", "2020-03-30"])
    assert lockdown > 1.6 * before


def test_usage_rows_are_weekly_mondays_with_known_profiles(rennes):
    assert rennes.execute("select count(*) from usage where isodow(week_start) <> 1").fetchone() == (0,)
    profiles = {r[0] for r in rennes.execute("select distinct profile from usage").fetchall()}
    assert profiles == {"eleve", "parent", "enseignant", "personnel"}
    first, last = rennes.execute("select min(week_start), max(week_start) from usage").fetchone()
    assert (str(first), str(last)) == ("2019-09-02", "2026-06-29")


def test_coverage_grows_and_matches_usage(rennes):
    rows = rennes.execute("select school_year, sum(measured_schools) from coverage group by 1 order by 1").fetchall()
    measured = [n for _, n in rows]
    assert measured == sorted(measured) and measured[0] > 0
    direct = rennes.execute(
        """
        select count(distinct uai) from usage
        where week_start between date '2025-08-01' and date '2026-07-31'
        """
    ).fetchone()[0]
    assert measured[-1] == direct


def test_sources_mark_the_demo_as_simulated(rennes):
    rows = rennes.execute("select table_name, is_simulated from sources where source = 'demo'").fetchall()
    derived = {"school_year", "usage_school_year", "resource_school_year", "investment_school"}
    assert {t for t, _ in rows} == {"school", "enrolment", "ips", "investment", "usage", "resource_use"} | derived
    assert all(sim for _, sim in rows)
    geo = rennes.execute("select is_simulated from sources where table_name = 'territory'").fetchone()
    assert geo == (False,)
    assert dict(rennes.execute("select key, value from build_info").fetchall())["scope"] == "academie:14"


def _table_digests(path):
    import duckdb

    con = duckdb.connect(str(path), read_only=True)
    tables = [r[0] for r in con.execute("select table_name from information_schema.tables order by 1").fetchall()]
    digests = {}
    for table in tables:
        if table == "build_info":
            continue  # holds the build time
        cols = [
            r[0]
            for r in con.execute(
                "select column_name from information_schema.columns where table_name = ? order by ordinal_position",
                [table],
            ).fetchall()
            if r[0] != "loaded_at"  # when the rows were loaded, not what they are
        ]
        col_sql = ", ".join(f'"{c}"' for c in cols)
        rows = con.execute(f'select {col_sql} from "{table}" order by all').fetchall()
        digests[table] = hashlib.sha256(repr(rows).encode()).hexdigest()
    con.close()
    return digests


def test_same_seed_gives_identical_tables(tmp_path):
    scope = parse_scope("academie:27")  # Corse: small and quick
    build(tmp_path / "a.duckdb", scope=scope, seed=11)
    build(tmp_path / "b.duckdb", scope=scope, seed=11)
    build(tmp_path / "c.duckdb", scope=scope, seed=12)
    a, b, c = (_table_digests(tmp_path / f"{n}.duckdb") for n in "abc")
    assert len(a) >= 25
    assert a == b
    assert a["usage"] != c["usage"] and a["school"] != c["school"]


def test_failed_build_leaves_the_previous_warehouse_intact(tmp_path, monkeypatch):
    db = tmp_path / "w.duckdb"
    build(db, scope=parse_scope("academie:27"), seed=TEST_SEED)
    before = hashlib.sha256(db.read_bytes()).hexdigest()

    def broken(*args, **kwargs):
        # A source that breaks the contract mid-build: the staging refuses its rows.
        yield (
            "stg_school",
            pd.DataFrame(
                [
                    {
                        "uai": "0000000X",
                        "name": "x",
                        "kind": "université",
                        "nature": None,
                        "sector": "public",
                        "commune_code": "2A004",
                        "lat": None,
                        "lon": None,
                        "source": "test",
                    }
                ]
            ),
        )
        raise AssertionError("unreachable")

    monkeypatch.setattr(build_demo.demo, "generate", broken)
    with pytest.raises(ContractError, match="université"):
        build(db, scope=parse_scope("academie:27"), seed=TEST_SEED + 1)
    assert hashlib.sha256(db.read_bytes()).hexdigest() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["w.duckdb", "w.duckdb.lock"]


@pytest.mark.parametrize("text", ["academie:99", "region:53", "academie:", "tout"])
def test_bad_scope_gets_a_french_message(text):
    with pytest.raises(ScopeError, match=r"(Périmètre|Académie)"):
        parse_scope(text)


def test_scope_codes_are_padded():
    assert parse_scope("academie:1").code == "01"
    assert parse_scope("national").departements() is None
    assert parse_scope("academie:14").departements() == ["22", "29", "35", "56"]
