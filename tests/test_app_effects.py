"""The estimated effects on « Investissement → usage » as the user sees them (AppTest): the same
numbers as the estimators, in French, with their unit, interval and plain reading."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from explorer.analysis.effects import reading
from explorer.analysis.effects.investment import investment_effects
from explorer.analysis.effects.programmes import programme_effect
from explorer.formatting import fr_signed_percent
from tests.test_app_typologie import open_page


@pytest.fixture(scope="module")
def page(rennes_db: Path):
    with pytest.MonkeyPatch.context() as mp:
        yield open_page(mp, rennes_db, "pages/investissement_usage.py")


def test_national_effect_is_the_estimators(page, rennes):
    assert not page.exception and not page.error
    national = investment_effects(rennes, "national").iloc[0]
    sentence = reading.investment_sentence(national["effect"], national["lower"], national["upper"])
    assert any(m.value == "**France** : " + sentence for m in page.markdown)
    assert sentence.startswith(
        f"10 € de plus par élève et par an pendant trois ans vont avec {fr_signed_percent(national['effect'])}"
    )
    headline = page.info[0].value
    assert headline.startswith("**Ce qu'a produit l'investissement**") and "en France" in headline


def test_departements_table_map_and_chart(page, rennes):
    effects = investment_effects(rennes, "departement")
    table = next(d.value for d in page.dataframe if "Effet estimé" in d.value.columns)
    assert sorted(table["Code"]) == ["22", "29", "35", "56"]
    row = table.set_index("Code").loc["35"]
    expected = effects.set_index("code").loc["35"]
    assert row["Effet estimé"] == fr_signed_percent(expected["effect"])
    assert row["Intervalle à 90 %"] == reading.interval(expected["lower"], expected["upper"])
    assert page.get("deck_gl_json_chart"), "the map of the effects is drawn"
    layer = json.loads(page.get("deck_gl_json_chart")[-1].proto.json)["layers"][0]
    shown = {row["code"]: row for row in layer["data"]}
    assert shown["35"]["name"] == "Ille-et-Vilaine"
    assert shown["35"]["effect_text"] == fr_signed_percent(expected["effect"])


def test_programmes_read_in_plain_french(page, rennes):
    tne = programme_effect(rennes, "tne")
    sentence = reading.programme_sentence(tne.att, tne.lower, tne.upper, tne.treated, tne.controls)
    assert any(m.value == sentence for m in page.markdown)
    assert any(m.value == reading.pretrend_verdict(tne.pre_trend_p) for m in page.markdown)


def test_programme_that_cannot_be_evaluated_says_why(rennes_db, monkeypatch):
    at = open_page(monkeypatch, rennes_db, "pages/investissement_usage.py")
    at.radio(key="effets_programme").set_value("snee").run()
    assert not at.exception and not at.error
    # SNEE cannot be evaluated on this warehouse (no funded école measured before 2021): said, not a traceback.
    assert any("avant et après le début" in i.value for i in at.info)


def test_pretrend_verdicts():
    assert reading.pretrend_verdict(None).startswith("Aucune année avant le début")
    assert "crédible" in reading.pretrend_verdict(0.43)
    assert "prudence" in reading.pretrend_verdict(0.046)
    assert "pas fiable" in reading.pretrend_verdict(0.003)
    assert reading.investment_sentence(0.01, -0.002, 0.02).endswith("ne permettent pas d'affirmer un effet.")
