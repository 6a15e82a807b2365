"""The « Données » page as the user sees it (Streamlit AppTest), checked against SQL."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from explorer.formatting import fr_number, fr_percent
from explorer.warehouse import catalog

APP = str(Path(__file__).resolve().parents[1] / "streamlit_app.py")
KIND_LABELS = {"ecole": "École", "college": "Collège", "lycee": "Lycée"}


def run_app(monkeypatch: pytest.MonkeyPatch, db: Path) -> AppTest:
    """The Données page (the app opens on Accueil)."""
    monkeypatch.setenv("EXPLORER_DB", str(db))
    at = AppTest.from_file(APP, default_timeout=60).run()
    return at.switch_page("pages/donnees.py").run()


def frame_with(elements, column: str) -> pd.DataFrame:
    """The one table or dataframe of the page that has ``column``."""
    frames = [e.value for e in elements if column in e.value.columns]
    assert len(frames) == 1, f"{len(frames)} tables with column {column!r}"
    return frames[0]


def scalar(con: duckdb.DuckDBPyConnection, sql: str, params: list | None = None):
    return con.execute(sql, params or []).fetchone()[0]


@pytest.fixture(scope="module")
def page(rennes_db: Path) -> AppTest:
    with pytest.MonkeyPatch.context() as mp:
        yield run_app(mp, rennes_db)


def test_page_runs_without_error(page):
    assert not page.exception
    assert not page.error
    assert [t.value for t in page.title] == ["Données"]


def test_simulated_banner(page):
    banners = [w.value for w in page.main.warning if w.value.startswith("Données simulées")]
    assert len(banners) == 1
    assert "ne les citez pas" in banners[0]
    notices = [w.value for w in page.sidebar.warning]
    assert notices == ["Données simulées (démonstration) : ne pas citer."]


def test_metrics_are_french_formatted_sql_values(page, rennes):
    metrics = {m.label: m.value for m in page.metric}
    assert metrics["Établissements"] == fr_number(scalar(rennes, "select count(*) from school"))
    pupils = scalar(rennes, "select sum(pupils) from enrolment where school_year = ?", ["2025-2026"])
    assert metrics["Élèves en 2025-2026"] == fr_number(pupils)
    assert "\u202f" in metrics["Élèves en 2025-2026"]  # hundreds of thousands: grouped
    communes = scalar(rennes, "select count(*) from territory where level = ?", ["commune"])
    assert metrics["Communes"] == fr_number(communes)
    assert metrics["Période des usages ENT"] == "2019 → 2026"


def test_sources_table_lists_the_demo_source(page, rennes):
    sources = frame_with(page.table, "Simulées").set_index("Table")
    school = sources.loc["school"]
    assert school["Source"].startswith("Données simulées")
    assert school["Producteur"] == "Explorateur (générateur de démonstration)"
    assert school["Simulées"] == "oui"
    assert school["Lignes"] == fr_number(scalar(rennes, "select count(*) from school"))
    assert sources.loc["territory", "Millésime"] == "COG 2026"
    assert sources.loc["territory", "Simulées"] == "non"


def test_row_counts_match_sql(page, rennes):
    counts = frame_with(page.dataframe, "Contenu")
    marts = rennes.execute(
        "select table_name from information_schema.tables "
        "where table_schema = 'main' and table_name not like 'stg\\_%' escape '\\'"
    ).fetchall()
    assert sorted(counts["Table"]) == sorted(name for (name,) in marts)
    for table, shown in zip(counts["Table"], counts["Lignes"], strict=True):
        assert shown == fr_number(scalar(rennes, f'select count(*) from "{table}"')), table


def test_coverage_table_matches_sql(page, rennes):
    shown = frame_with(page.table, "Ensemble").set_index("Année scolaire")
    assert list(shown.columns) == ["École", "Collège", "Lycée", "Ensemble"]
    expected = rennes.execute(
        "select school_year, kind, schools, measured_schools from coverage order by all"
    ).fetchall()
    for year, kind, schools, measured in expected:
        cell = f"{fr_percent(measured / schools)} ({fr_number(measured)} / {fr_number(schools)})"
        assert shown.loc[year, KIND_LABELS[kind]] == cell, (year, kind)
    # « Ensemble »: every year's kinds summed
    totals = rennes.execute(
        "select school_year, sum(schools), sum(measured_schools) from coverage group by 1"
    ).fetchall()
    for year, schools, measured in totals:
        cell = f"{fr_percent(measured / schools)} ({fr_number(measured)} / {fr_number(schools)})"
        assert shown.loc[year, "Ensemble"] == cell, year
    assert len(shown) == len(totals) == 7


def test_coverage_chart_is_drawn(page):
    charts = page.get("vega_lite_chart")
    assert len(charts) == 1
    spec = json.loads(charts[0].proto.spec)
    assert spec["encoding"]["y"]["title"] == "Établissements mesurés (%)"
    assert spec["encoding"]["color"]["scale"]["domain"] == ["École", "Collège", "Lycée", "Ensemble"]
    # an apostrophe in a field name blanks a Vega-Lite chart without any error
    fields = [enc["field"] for enc in spec["encoding"].values() if isinstance(enc, dict)]
    assert fields and all(re.fullmatch(r"[a-z_]+", f) for f in fields), fields


def test_coverage_caption_and_remark(page):
    captions = [c.value for c in page.caption]
    assert any("Unité : % des établissements" in c and "2019-2020 à 2025-2026" in c for c in captions)
    assert any("Ne comparez donc pas des totaux bruts" in i.value for i in page.info)


def test_data_dictionary_has_one_expander_per_mart_table(page):
    labels = [e.label for e in page.expander]
    for table in ("territory", "school", "enrolment", "investment", "usage", "coverage"):
        # The French title on the expander, the table's name in a caption inside it (not in the title).
        assert any(label.startswith(catalog.DATA_DICTIONARY[table].label) for label in labels), table
        assert any(c.value == f"Nom de la table dans l'entrepôt : {table}" for c in page.caption), table
    assert not any("(table " in label for label in labels)
    assert len(labels) == len(catalog.DATA_DICTIONARY)


def test_missing_warehouse_shows_the_build_command(monkeypatch, tmp_path):
    at = run_app(monkeypatch, tmp_path / "absent.duckdb")
    assert not at.exception
    assert len(at.error) == 1
    message = at.error[0].value
    assert "Entrepôt introuvable" in message
    assert "python -m explorer build" in message
    assert "make run" in message
    assert not [w for w in at.warning if w.value.startswith("Données simulées")]
    assert any("introuvable" in m.value for m in at.sidebar.markdown)


def test_outdated_warehouse_asks_for_a_rebuild(monkeypatch, tmp_path, rennes_db):
    old = tmp_path / "ancien.duckdb"
    shutil.copy(rennes_db, old)
    con = duckdb.connect(str(old))
    con.execute("update build_info set value = '1' where key = 'schema_version'")
    con.execute("drop table territory_shape_overview")
    con.close()
    at = run_app(monkeypatch, old)
    assert not at.exception
    assert len(at.error) == 1
    message = at.error[0].value
    assert "version antérieure de l'outil (schéma 1, attendu 2)" in message
    assert "make build" in message
    assert any("à reconstruire" in m.value for m in at.sidebar.markdown)


def test_charts_use_french_number_and_month_formats(page):
    charts = page.get("vega_lite_chart")
    assert charts
    for chart in charts:
        locale = json.loads(chart.proto.spec)["config"]["locale"]
        assert locale["number"]["decimal"] == ","
        assert locale["number"]["thousands"] == "\u202f"
        assert locale["time"]["shortMonths"][0] == "janv."


def test_data_dictionary_can_be_downloaded(page):
    buttons = page.get("download_button")
    labels = [b.proto.label for b in buttons]
    assert labels == ["Modèle CSV", "Modèle XLSX", "Dictionnaire des données (CSV)"]
