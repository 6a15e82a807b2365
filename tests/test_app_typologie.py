"""The « Typologie » and « Investissement → usage » pages as the user sees them (AppTest)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from explorer.analysis import spend_use as su
from explorer.analysis.typology_report import class_table, profile_display, run_typology
from explorer.formatting import fr_number
from explorer.maps.typology_map import PALETTE
from explorer.reports.csv import OPEN_HINT

APP = str(Path(__file__).resolve().parents[1] / "streamlit_app.py")


def table_with_column(at, column):
    """The one dataframe of the page that has ``column`` (charts add their data tables)."""
    tables = [d.value for d in at.dataframe if column in d.value.columns]
    assert len(tables) == 1
    return tables[0]


def profile_table(at):
    """The profile table of the classes (the one dataframe with a « Classe » column)."""
    tables = [d.value for d in at.dataframe if "Classe" in d.value.columns]
    assert len(tables) == 1
    return tables[0]


def open_page(monkeypatch: pytest.MonkeyPatch, db: Path, page: str) -> AppTest:
    monkeypatch.setenv("EXPLORER_DB", str(db))
    at = AppTest.from_file(APP, default_timeout=120).run()  # the first run registers the pages
    at.switch_page(page)
    return at.run()


@pytest.fixture(scope="module")
def typologie(rennes_db: Path) -> AppTest:
    with pytest.MonkeyPatch.context() as mp:
        yield open_page(mp, rennes_db, "pages/typologie.py")


@pytest.fixture(scope="module")
def expected(rennes):
    """What the page must show by default: EPCI, k-means, k by silhouette, 2021-2025."""
    return run_typology(rennes, "epci")


def test_page_runs(typologie):
    # (the simulated-data banner and the sidebar come from streamlit_app.py, which AppTest does
    # not record after switch_page: they are checked on the home page by test_app_donnees.py)
    assert not typologie.exception and not typologie.error
    assert [t.value for t in typologie.title] == ["Typologie"]


def test_metrics_are_the_models(typologie, expected):
    metrics = {m.label: m.value for m in typologie.metric}
    assert metrics == {
        "Classes": fr_number(expected.k),
        "Silhouette": fr_number(expected.model.silhouette_, 2),
        "Stabilité": fr_number(expected.model.stability_, 2),
    }


def test_exclusions_are_counted_and_the_rule_stated(typologie, rennes, expected):
    epci = rennes.execute("select count(*) from territory where level = 'epci'").fetchone()[0]
    counts = expected.features.exclusion_counts()
    text = next(m.value for m in typologie.markdown if "classés" in m.value)
    classed = len(expected.features.data) + len(expected.features.partial)
    assert text.startswith(
        f"**{classed} EPCI classés** sur {epci}, dont {len(expected.features.partial)} sur une partie"
    )
    assert classed + len(expected.features.excluded) == epci
    assert counts["secret statistique"] == 0 and "secret statistique" not in text  # figures are public
    assert "aucune valeur n'est inventée" in text


def test_profile_table_is_the_models(typologie, expected):
    shown = profile_table(typologie)
    assert shown.equals(profile_display(expected))
    assert shown["Classe"].tolist()[-1] == "Ensemble"
    assert shown.columns[3] == "Investissement (€ par élève et par an)"


def test_map_colours_every_classified_epci(typologie, expected):
    deck = json.loads(typologie.get("deck_gl_json_chart")[0].proto.json)
    layer = deck["layers"][0]
    assert layer["@@type"] == "PolygonLayer"
    assert "mapStyle" not in deck  # no basemap: the outlines are the map
    rows = layer["data"]
    classes = class_table(expected).set_index("code")
    assert {r["code"] for r in rows} == set(classes.index)
    for r in rows:
        cluster = int(classes.loc[r["code"], "cluster"])
        assert r["cluster"] == cluster
        assert r["colour"][:3] == [int(PALETTE[cluster - 1][i : i + 2], 16) for i in (1, 3, 5)]


def test_charts_use_plain_field_names(typologie):
    specs = [json.loads(c.proto.spec) for c in typologie.get("vega_lite_chart")]
    assert len(specs) == 3  # silhouette, PCA scatter, loadings (the class key is HTML)
    text = json.dumps(specs, ensure_ascii=False)
    for field in re.findall(r'"field": "([^"]+)"', text):
        assert re.fullmatch(r"[a-z_0-9]+", field), field
    assert "Nombre de classes (k)" in text and "Corrélation avec l'axe 1" in text
    assert [t["title"] for t in specs[1]["encoding"]["tooltip"]] == ["Territoire", "Classe"]


def test_download_and_captions(typologie):
    button = typologie.get("download_button")[0].proto
    assert button.label == "Classe de chaque territoire (CSV)"
    captions = [c.value for c in typologie.caption]
    assert sum("Source :" in c and "Période : dépenses 2021 à 2025" in c for c in captions) == 4


def test_forced_k_and_ward(rennes_db, rennes, monkeypatch):
    at = open_page(monkeypatch, rennes_db, "pages/typologie.py")
    at.selectbox[0].set_value("commune")
    at.radio[0].set_value("ward")
    at.toggle[0].set_value(False).run()
    at.slider[0].set_value(3).run()
    assert not at.exception and not at.error
    report = run_typology(rennes, "commune", method="ward", k=3)
    assert {m.label: m.value for m in at.metric}["Classes"] == "3"
    assert profile_table(at).equals(profile_display(report))


def test_school_level_shows_each_schools_figures(rennes_db, monkeypatch):
    at = open_page(monkeypatch, rennes_db, "pages/typologie.py")
    at.selectbox[0].set_value("school").run()
    assert not at.exception and not at.error
    assert not any("jamais affichées" in i.value for i in at.info)
    assert any("et valeurs des variables (parts en %)." in c.value and c.value.endswith(OPEN_HINT) for c in at.caption)
    pca = json.loads(at.get("vega_lite_chart")[1].proto.spec)
    assert [t["title"] for t in pca["encoding"]["tooltip"]][:2] == ["Territoire", "Classe"]


def test_school_level_hides_one_schools_figures_under_secrecy(rennes_db, monkeypatch, secrecy_on):
    at = open_page(monkeypatch, rennes_db, "pages/typologie.py")
    at.selectbox[0].set_value("school").run()
    assert not at.exception and not at.error
    assert any("jamais affichées ni exportées" in i.value for i in at.info)
    assert at.get("deck_gl_json_chart")[0].proto.json.count("ScatterplotLayer") == 1
    assert any("sans les valeurs, secret statistique" in c.value for c in at.caption)
    # no school name next to its position on the principal plane
    pca = json.loads(at.get("vega_lite_chart")[1].proto.spec)
    assert [t["title"] for t in pca["encoding"]["tooltip"]] == ["Classe"]


def test_one_variable_is_not_enough(rennes_db, monkeypatch):
    at = open_page(monkeypatch, rennes_db, "pages/typologie.py")
    at.multiselect[0].set_value(["ips"]).run()
    assert [i.value for i in at.info] == ["Choisissez au moins deux variables."]
    assert not at.metric


@pytest.fixture(scope="module")
def usage_page(rennes_db: Path) -> AppTest:
    with pytest.MonkeyPatch.context() as mp:
        yield open_page(mp, rennes_db, "pages/investissement_usage.py")


def test_spend_use_page_shows_the_adjusted_model(usage_page, rennes):
    assert not usage_page.exception and not usage_page.error
    assert [t.value for t in usage_page.title] == ["Investissement → usage"]
    assert any("association" in w.value and "pas d'un effet" in w.value for w in usage_page.warning)
    result = su.spend_use(rennes, "epci", 2025, 1)
    coefficients = table_with_column(usage_page, "Terme").set_index("Terme")
    table = result.adjusted.table().set_index("term")
    assert coefficients.loc["b : investissement (€ par élève)", "Coefficient"] == fr_number(
        table.loc["invest_per_pupil", "coef"], 4
    )
    assert coefficients.loc["c : IPS", "Erreur type"] == fr_number(table.loc["ips", "se"], 4)
    reading = next(m.value for m in usage_page.markdown if m.value.startswith("**Lecture**"))
    assert (
        f"10 € de plus par élève en 2024 vont de pair avec {fr_number(10 * table.loc['invest_per_pupil', 'coef'], 2)}"
        in reading
    )
    assert any(c.value.startswith(f"{result.adjusted.n} EPCI ont toutes les valeurs") for c in usage_page.caption)


def test_spend_use_lags_and_band(usage_page):
    lags = table_with_column(usage_page, "Dépenses de")
    assert lags["Dépenses de"].tolist() == ["2025", "2024", "2023", "2022"]
    spec = json.loads(usage_page.get("vega_lite_chart")[0].proto.spec)
    marks = json.dumps(spec, ensure_ascii=False)
    assert '"area"' in marks and '"line"' in marks and '"circle"' in marks
    assert "Investissement par élève en 2024 (€)" in marks


def test_spend_use_lag_zero_and_adjusted_view(rennes_db, rennes, monkeypatch):
    at = open_page(monkeypatch, rennes_db, "pages/investissement_usage.py")
    at.select_slider[0].set_value(0)
    at.radio[0].set_value("adjusted").run()
    assert not at.exception and not at.error
    reading = next(m.value for m in at.markdown if m.value.startswith("**Lecture**"))
    assert "10 € de plus par élève en 2025" in reading
    spec = json.loads(at.get("vega_lite_chart")[0].proto.spec)
    assert "(ajustées)" in json.dumps(spec, ensure_ascii=False)


def test_class_key_names_every_class_in_full_with_its_count(typologie, expected):
    keys = [m.value for m in typologie.markdown if "background:" in m.value and "1. " in m.value]
    assert len(keys) == 1
    counts = class_table(expected)["cluster"].value_counts()
    for c, label in sorted(expected.labels.items()):
        assert f"{c + 1}. {label} <span style='color:#666'>({fr_number(int(counts[c + 1]))})</span>" in keys[0]
