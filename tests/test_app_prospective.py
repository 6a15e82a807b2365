"""The « Prospective » page as the user sees it (Streamlit AppTest) on the Rennes fixture."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from explorer.formatting import fr_eur
from forecasting.tables import NO_EFFECT_WARNING, signed_percent

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
    # the first school year is within the backtest's one-year horizon, the last ones beyond it
    # (the last week measured is 29 June 2026: 52 weeks later, 28 June 2027)
    assert table["Horizon"].tolist()[0] == "évalué jusqu'au 28 juin 2027"
    assert table["Horizon"].tolist()[-1] == "au-delà du backtest"


def departement_effects(rennes, rennes_db: Path):
    """ui.effects_data's cached table, under the page's own key (ui.data.warehouse_key)."""
    from ui.effects_data import effects_table

    return effects_table(rennes, f"{rennes_db}@{rennes_db.stat().st_mtime_ns}", "departement").set_index("code")


def test_effect_is_the_one_of_investissement_usage(page, rennes, rennes_db):
    """The sentence gives the cached panel estimate of ui.effects_data, the number the
    Investissement → usage page reads, for the territory shown (département 22)."""
    row = departement_effects(rennes, rennes_db).loc["22"]
    sentences = [m.value for m in page.markdown if m.value.startswith("10\u00a0€ de plus par élève")]
    assert len(sentences) == 1
    assert sentences[0].startswith(
        f"10\u00a0€ de plus par élève et par an pendant trois ans vont avec {signed_percent(row['effect'])} "
        f"de visites ENT par élève (intervalle à 90\u202f% : {signed_percent(row['lower'])} à "
        f"{signed_percent(row['upper'])}), estimé sur le panel des établissements."
    )
    assert ("reprend l'estimation nationale" in sentences[0]) == bool(row["pooled_from_national"])
    contains_zero = row["lower"] <= 0 <= row["upper"]
    assert any(w.value == NO_EFFECT_WARNING for w in page.warning) == contains_zero


def test_the_scenario_moves_use_with_the_sign_of_the_response(page, rennes, rennes_db):
    effect = departement_effects(rennes, rennes_db).loc["22", "effect"]
    table = table_with(page, "Écart")
    later = [float(v.replace(",", ".")) for v in table["Écart"].tolist()[2:]]
    assert all(v * effect > 0 for v in later)


def test_horizon_beyond_the_backtest_is_flagged(page):
    assert any(m.value.startswith("Le backtest évalue des prévisions à un an au plus") for m in page.markdown)


def test_backtest_table_has_both_models(page):
    table = table_with(page, "MASE")
    assert table["Modèle"].tolist() == [
        "Prophet (référence)",
        "Naïf saisonnier (même semaine, un an plus tôt)",
    ]
    assert all(v.endswith("\u202f%") for v in table["sMAPE"])


def test_chart_has_bands_and_plain_field_names(page):
    charts = page.get("vega_lite_chart")
    assert len(charts) == 1
    spec = json.loads(charts[0].proto.spec)
    marks = [layer["mark"]["type"] for layer in spec["layer"]]
    assert marks == ["area", "line", "rule"]  # bands, lines, end of the backtested horizon
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
    assert any("« Nom du scénario »" in e.value and "réservé" in e.value for e in page.error)
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


def test_a_level_without_an_estimated_effect_shows_the_reference_and_says_why(rennes_db, monkeypatch):
    """One académie in the fixture: the panel cannot compare territories at that level, so no
    scenario is quantified; the page says so and still projects the reference."""
    monkeypatch.setenv("EXPLORER_DB", str(rennes_db))
    at = AppTest.from_file(APP, default_timeout=120).run()
    at.switch_page("pages/prospective.py").run()
    at.selectbox[0].set_value("academie").run()
    assert not at.exception
    assert any("il en faut au moins 2" in e.value for e in at.error), [e.value for e in at.error]
    assert "Projection : Académie Rennes (14)" in [h.value for h in at.header]
    assert not [t for t in at.table if "Écart" in t.value.columns]
    assert any("les scénarios ne sont pas chiffrés" in i.value for i in at.info)
