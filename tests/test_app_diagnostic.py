"""The « Diagnostic » page as the user sees it (Streamlit AppTest), checked against explorer."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from explorer.facts.indicators import INDICATORS, format_value
from explorer.sheets import diagnostic as dg

APP = str(Path(__file__).resolve().parents[1] / "streamlit_app.py")


def open_page(monkeypatch: pytest.MonkeyPatch, db: Path, page: str = "pages/diagnostic.py", **params: str) -> AppTest:
    monkeypatch.setenv("EXPLORER_DB", str(db))
    at = AppTest.from_file(APP, default_timeout=120)
    for name, value in params.items():
        at.query_params[name] = value
    at.run()
    return at.switch_page(page).run()


@pytest.fixture(scope="module")
def finistere_page(rennes_db: Path) -> AppTest:
    with pytest.MonkeyPatch.context() as mp:
        yield open_page(mp, rennes_db, territoire="departement:29", periode="2021-2025")


def test_url_opens_the_sheet_with_figures_summary_and_warnings(finistere_page, rennes):
    at = finistere_page
    assert not at.exception and not at.error
    assert [t.value for t in at.title] == ["Diagnostic"]
    assert [h.value for h in at.header] == ["Finistère (département 29)"]
    diag = dg.diagnose(rennes, "departement", "29", (2021, 2025))
    metrics = {m.label: m.value for m in at.metric}
    invest = INDICATORS["invest_per_pupil"]
    label = f"{invest.label} ({invest.unit})"
    assert metrics[label] == format_value(invest, diag.value("invest_per_pupil")["value"], unit=False)
    assert len(metrics) == len(dg.HEADLINE)
    assert [i.value for i in at.info] == [dg.summary(diag)]
    warnings = [w.value for w in at.warning]
    assert any(w.startswith("Rupture de couverture") for w in warnings)
    assert any(w.startswith("Données simulées") for w in warnings)  # the banner
    assert dict(at.query_params) == {
        "territoire": "departement:29",
        "indicateur": "invest_per_pupil",
        "periode": "2021-2025",
    }
    labels = [b.label for b in at.get("download_button")]
    assert labels == ["Télécharger (CSV)", "Télécharger (XLSX)", "Télécharger (PDF)"]


def test_default_sheet_is_the_most_populous_departement(monkeypatch, rennes_db):
    at = open_page(monkeypatch, rennes_db)
    assert not at.exception and not at.error
    assert [h.value for h in at.header] == ["Ille-et-Vilaine (département 35)"]  # 1 060 199 inhabitants
    assert at.query_params["territoire"] == "departement:35"


def test_invalid_url_values_get_french_notes(monkeypatch, rennes_db):
    at = open_page(monkeypatch, rennes_db, territoire="departement:99", periode="2030-2040", pairs="22,99")
    assert not at.exception and not at.error
    notes = [w.value for w in at.warning]
    assert any("Période « 2030-2040 » hors des données" in n for n in notes)
    assert any("Territoire « departement:99 » absent de l'entrepôt" in n for n in notes)
    assert [h.value for h in at.header] == ["Ille-et-Vilaine (département 35)"]


def test_chosen_peers_from_the_url(monkeypatch, rennes_db):
    at = open_page(monkeypatch, rennes_db, territoire="departement:35", pairs="22,29")
    assert not at.exception and not at.error
    expanders = [e.label for e in at.expander]
    assert "Groupe de pairs : 2 départements" in expanders
    assert at.query_params["pairs"] == "22,29"


def test_search_box_opens_another_territory(finistere_page):
    at = finistere_page
    at.text_input(key="diagnostic_recherche").input("ille et vilaine").run()
    results = at.selectbox(key="diagnostic_resultat")
    assert results.options[0] == "Ille-et-Vilaine (département 35)"
    results.select_index(0).run()
    assert not at.exception
    assert [h.value for h in at.header] == ["Ille-et-Vilaine (département 35)"]


def test_small_commune_shows_its_figures(monkeypatch, rennes_db, rennes, one_school_commune):
    code = one_school_commune
    at = open_page(monkeypatch, rennes_db, territoire=f"commune:{code}")
    assert not at.exception and not at.error
    values = {m.label: m.value for m in at.metric}
    assert "secret statistique" not in values.values()
    (pupils,) = rennes.execute(
        "select sum(y.pupils) from school_year as y join school as s using (uai) "
        "where s.commune_code = ? and y.rentree_year = 2025",
        [code],
    ).fetchone()
    assert values["Élèves"].replace("\u202f", "").replace("\xa0", "") == str(pupils)
    assert not any("Secret statistique" in w.value for w in at.warning)


def test_small_commune_shows_secret_statistique_under_secrecy(monkeypatch, rennes_db, one_school_commune, secrecy_on):
    code = one_school_commune
    at = open_page(monkeypatch, rennes_db, territoire=f"commune:{code}")
    assert not at.exception and not at.error
    values = {m.label: m.value for m in at.metric}
    assert set(values.values()) == {"secret statistique"}
    assert any(w.value.startswith("Secret statistique : 31 valeur(s)") for w in at.warning)


def test_indicator_parameter_drives_the_year_by_year_section(monkeypatch, rennes_db, rennes):
    at = open_page(monkeypatch, rennes_db, territoire="departement:29", indicateur="ips")
    assert not at.exception and not at.error
    assert at.selectbox(key="diagnostic_indicateur").value == "ips"
    diag = dg.diagnose(rennes, "departement", "29", (2021, 2025))
    reading = dg.figure_table(diag).set_index("indicator").at["ips", "reading"]
    assert any(m.value == f"**{INDICATORS['ips'].label}**, 2021-2025 : {reading}." for m in at.markdown)
    at.selectbox(key="diagnostic_indicateur").set_value("coverage_share").run()
    assert at.query_params["indicateur"] == "coverage_share"
