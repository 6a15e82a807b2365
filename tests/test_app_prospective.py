"""The « Prospective » page as the user sees it (Streamlit AppTest) on the Rennes fixture."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from explorer.formatting import fr_eur
from forecasting.tables import NO_EFFECT_WARNING

APP = str(Path(__file__).resolve().parents[1] / "streamlit_app.py")


@pytest.fixture(scope="module")
def page(rennes_db: Path) -> AppTest:
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("EXPLORER_DB", str(rennes_db))
        at = AppTest.from_file(APP, default_timeout=120).run()
        at.switch_page("pages/prospective.py").run()
        yield at


def table_with(page: AppTest, column: str):
    frames = [t.value for t in page.table if column in t.value.columns]
    assert len(frames) == 1, f"{len(frames)} tables with column {column!r}"
    return frames[0]


def test_page_runs_and_shows_the_first_departement(page):
    assert not page.exception
    assert not page.error, [e.value for e in page.error]
    assert [t.value for t in page.title] == ["Prospective"]
    assert "Projection : Département Côtes-d'Armor (22)" in [h.value for h in page.header]
    # The simulated-data banner is drawn by streamlit_app.py around every page; AppTest drops
    # the elements drawn outside page.run() after switch_page, so test_app_donnees checks it.


def test_differences_table_covers_school_years_to_2030_2031(page):
    table = table_with(page, "Écart")
    assert table["Année scolaire"].tolist() == ["2026-2027", "2027-2028", "2028-2029", "2029-2030", "2030-2031"]
    assert set(table["Scénario"]) == {"Scénario « plus40 »"}
    # +40 € from budget year 2027 reaches use from school year 2028-2029 on
    assert table["Écart"].tolist()[:2] == ["0,000", "0,000"]
    assert "Intervalle de l'écart (90\u202f%)" in table.columns


def test_effect_is_stated_with_its_interval_and_a_warning_when_unsupported(page):
    sentences = [m.value for m in page.markdown if m.value.startswith("Effet estimé")]
    assert len(sentences) == 1
    assert "intervalle à 90\u202f%" in sentences[0]
    lower, upper = sentences[0].split(": ")[-1].rstrip(").").split(" à ")
    contains_zero = lower.startswith("-") and not upper.startswith("-")
    shown = any(w.value == NO_EFFECT_WARNING for w in page.warning)
    assert shown == contains_zero


def test_backtest_table_has_the_three_models(page):
    table = table_with(page, "MASE")
    assert table["Modèle"].tolist() == [
        "Prophet avec investissement",
        "Prophet sans investissement",
        "Naïf saisonnier (même semaine, un an plus tôt)",
    ]
    assert all(v.endswith("\u202f%") for v in table["sMAPE"])


def test_chart_has_bands_and_plain_field_names(page):
    charts = page.get("vega_lite_chart")
    assert len(charts) == 1
    spec = json.loads(charts[0].proto.spec)
    marks = [layer["mark"]["type"] for layer in spec["layer"]]
    assert marks == ["area", "line"]
    assert spec["layer"][0]["encoding"]["y"]["title"] == "Visites ENT par élève et par semaine"


def test_captions_give_unit_period_and_source(page):
    captions = [c.value for c in page.caption]
    assert any("Unité : visites ENT par élève et par semaine" in c and "Source :" in c for c in captions)
    assert any("2031" in c and "Période" in c for c in captions)


def test_investment_paths_show_baseline_and_scenario(page, rennes):
    table = table_with(page, "Chemin")
    assert table["Chemin"].tolist() == ["Référence (investissement dans la tendance)", "Scénario « plus40 »"]
    assert "2026" in table.columns and "2027 (projeté)" in table.columns
    # the observed 2026 value is the same on both rows, and the SQL figure of the warehouse
    (invest, pupils) = rennes.execute(
        "select sum(i.amount_eur), (select sum(y.pupils) from school_year y join school s using (uai) "
        "where s.departement_code = '22' and y.rentree_year = 2025) "
        "from investment_school i join school s using (uai) where s.departement_code = '22' and i.year = 2025"
    ).fetchone()
    assert table["2025"].tolist() == [fr_eur(invest / pupils)] * 2
    base, plus = table["2028 (projeté)"].tolist()
    to_number = lambda text: float(text.replace("\u00a0€", "").replace("\u202f", "").replace(",", "."))  # noqa: E731
    assert to_number(plus) - to_number(base) == pytest.approx(40, abs=1)


def test_a_malformed_row_is_reported_naming_the_field(page):
    # last: it changes the page state the other tests read
    page.text_input[0].set_value("baseline").run()
    assert any("« name »" in e.value and "réservé" in e.value for e in page.error)
    assert not page.exception


def test_saved_scenarios_are_compared_with_the_current_one(rennes_db, monkeypatch):
    monkeypatch.setenv("EXPLORER_DB", str(rennes_db))
    at = AppTest.from_file(APP, default_timeout=120).run()
    at.switch_page("pages/prospective.py").run()
    [save] = [b for b in at.button if b.label == "Enregistrer ce scénario"]
    save.click().run()
    at.text_input[0].set_value("autre").run()
    assert not at.exception and not at.error
    assert at.multiselect[0].value == ["plus40"]
    table = table_with(at, "Écart")
    assert list(dict.fromkeys(table["Scénario"])) == ["Scénario « plus40 »", "Scénario « autre »"]
    # same changes under two names: the same differences
    plus40, autre = (table[table["Scénario"] == f"Scénario « {n} »"]["Écart"].tolist() for n in ("plus40", "autre"))
    assert plus40 == autre
