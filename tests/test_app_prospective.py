"""The « Prospective » page as the user sees it (Streamlit AppTest) on the Rennes fixture."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from explorer import vocabulary as voc
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
    # +40 € per collégien du public, spread over every pupil of the département
    assert to_number(plus) - to_number(base) == pytest.approx(40 * college_share(rennes), abs=1)


def college_share(rennes) -> float:
    """Share of the pupils of département 22 in its collèges publics, last rentrée (SQL)."""
    (college, total) = rennes.execute(
        "select sum(y.pupils) filter (where s.kind = 'college' and s.sector = 'public'), sum(y.pupils) "
        "from school_year y join school s using (uai) where s.departement_code = '22' "
        "and y.rentree_year = (select max(rentree_year) from school_year)"
    ).fetchone()
    return college / total


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


# --- The scenario editor, saved scenarios and exports (issue 17) ------------------------------

RAW_CODES = ("departement", "equipement", "funder_level", "delta_eur", "baseline", "ent_logiciels", "yhat")


def planner(rennes_db: Path, monkeypatch: pytest.MonkeyPatch, subject: str) -> AppTest:
    """The page as a logged-in planner sees it: ``subject`` identifies the workspace, so a new
    AppTest with the same subject is the same user after a browser reload."""
    monkeypatch.setenv("EXPLORER_DB", str(rennes_db))
    at = AppTest.from_file(APP, default_timeout=120)
    at.user = {"is_logged_in": True, "iss": "https://connexion.example", "sub": subject, "email": "p@example.fr"}
    at.run()
    at.switch_page("pages/prospective.py")
    return at.run()


def widget(elements, label: str):
    found = [w for w in elements if w.label == label]
    assert len(found) == 1, f"{len(found)} widgets labelled {label!r}"
    return found[0]


OPTION_VALUES = {"Payé par": voc.FUNDER_LEVELS, "Catégorie de dépense": voc.CATEGORIES}


def choose(at: AppTest, label: str, shown: str) -> None:
    """Pick the option the user reads as ``shown`` (AppTest sets a selectbox by its value: the
    value behind the text at that place of the list)."""
    box = widget(at.selectbox, label)
    box.set_value(OPTION_VALUES[label][box.options.index(shown)])


def saved_names(at: AppTest) -> list[str]:
    tables = [t.value for t in at.table if "Définition" in t.value.columns]
    return tables[0]["Nom"].tolist() if tables else []


def page_text(at: AppTest) -> str:
    parts = [e.value for kind in ("markdown", "caption", "info", "success", "error", "warning") for e in at.get(kind)]
    parts += [w.label for kind in ("selectbox", "number_input", "text_input", "button", "radio") for w in at.get(kind)]
    parts += [o for box in at.selectbox for o in box.options] + [o for r in at.radio for o in r.options]
    parts += [t.value.to_csv() for t in at.table]
    return "\n".join(str(p) for p in parts)


def enter_plus40(at: AppTest, name: str) -> AppTest:
    widget(at.text_input, "Nom du scénario").set_value(name)
    widget(at.number_input, "Montant (€ par élève et par an)").set_value(40)
    widget(at.radio, "Sens").set_value(True)
    widget(at.radio, "Montant compté par").set_value("concernes")
    widget(at.number_input, "Premier exercice").set_value(2027)
    widget(at.number_input, "Dernier exercice").set_value(2030)
    choose(at, "Payé par", "Département")
    choose(at, "Catégorie de dépense", "Équipement")
    return at.run()


def test_the_planners_scenario_is_entered_with_labels_and_says_when_it_acts(rennes_db, rennes, monkeypatch):
    at = planner(rennes_db, monkeypatch, "planner-labels")
    assert widget(at.selectbox, "Payé par").options == ["État", "Région", "Département", "EPCI", "Commune"]
    assert widget(at.selectbox, "Catégorie de dépense").options == [
        "Équipement",
        "Réseau et connectivité",
        "ENT et logiciels",
        "Ressources numériques",
        "Formation",
        "Maintenance",
    ]
    assert widget(at.radio, "Sens").options == ["Hausse", "Baisse"]
    assert widget(at.radio, "Montant compté par").options == ["collégien du public", "élève du territoire"]
    # the schools follow the funder's competence
    choose(at, "Payé par", "Région")
    at.run()
    assert any(m.value.startswith("Payés par la région : **lycées publics**") for m in at.markdown)
    choose(at, "Payé par", "Commune")
    at.run()
    assert any(m.value.startswith("Payés par la commune : **écoles publiques**") for m in at.markdown)
    enter_plus40(at, "collèges 2027-2030")
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert any(m.value.startswith("Payés par le département : **collèges publics**") for m in at.markdown)
    [sentence] = [i.value for i in at.info if i.value.startswith("+40")]
    share = college_share(rennes)
    assert sentence.startswith(
        "+40\u00a0€ par collégien du public et par an de 2027 à 2030, payés par le département (collèges publics), "
        f"en équipement. 40\u00a0€ par collégien du public font {fr_eur(40 * share, 2)} par élève du territoire : "
        f"les collèges publics accueillent {round(100 * share)}\u202f% de ses élèves (dernière rentrée connue). "
    )
    assert "les 40\u00a0€ de plus de l'exercice 2027 comptent à partir de l'année scolaire 2028-2029" in sentence
    assert "L'exercice 2030 agit au-delà de l'horizon de la projection (2030-2031)" in sentence
    # the sentence is the table's truth: nothing before 2028-2029, then the effect
    table = table_with(at, "Écart")
    assert set(table["Scénario"]) == {"Scénario « collèges 2027-2030 »"}
    assert table["Écart"].tolist()[:2] == ["0,000", "0,000"] and "0,000" not in table["Écart"].tolist()[2:]
    text = page_text(at)
    for code in RAW_CODES:
        assert code not in text, code
    assert "docs/" not in text and "python -m" not in text


def test_saved_scenario_survives_a_reload_and_is_renamed_then_deleted(rennes_db, monkeypatch):
    at = enter_plus40(planner(rennes_db, monkeypatch, "planner-reload"), "collèges 2027-2030")
    assert saved_names(at) == []
    widget(at.button, "Enregistrer ce scénario").click().run()
    assert [s.value for s in at.success] == ["Scénario « collèges 2027-2030 » enregistré dans votre espace de travail."]
    assert saved_names(at) == ["collèges 2027-2030"]

    # a browser reload: a new session of the same user
    again = planner(rennes_db, monkeypatch, "planner-reload")
    assert not again.exception and not again.error
    assert saved_names(again) == ["collèges 2027-2030"]
    [definition] = [t.value for t in again.table if "Définition" in t.value.columns]
    assert definition["Définition"].tolist() == [
        "+40\u00a0€ par collégien du public et par an de 2027 à 2030, payés par le département (collèges publics), "
        "en équipement"
    ]
    assert widget(again.multiselect, "Scénarios enregistrés à comparer").value == ["collèges 2027-2030"]
    assert any("retrouverez à votre prochaine connexion" in c.value for c in again.caption)
    # compared with the page's current scenario (plus40, the same changes): same differences
    table = table_with(again, "Écart")
    by_name = {n: g["Écart"].tolist() for n, g in table.groupby("Scénario")}
    assert set(by_name) == {"Scénario « collèges 2027-2030 »", "Scénario « plus40 »"}
    assert by_name["Scénario « collèges 2027-2030 »"] == by_name["Scénario « plus40 »"]

    # rename: refused when the name is taken or invalid, then done
    widget(again.button, "Enregistrer ce scénario").click().run()  # saves « plus40 » too
    assert saved_names(again) == ["collèges 2027-2030", "plus40"]
    widget(again.selectbox, "Scénario enregistré").set_value("collèges 2027-2030").run()
    widget(again.text_input, "Nouveau nom").set_value("plus40").run()
    widget(again.button, "Renommer").click().run()
    assert any("un scénario s'appelle déjà « plus40 »" in e.value for e in again.error)
    widget(again.text_input, "Nouveau nom").set_value("collèges/2027").run()
    widget(again.button, "Renommer").click().run()
    assert any("« Nom du scénario »" in e.value and "un nom de 1 à 60 caractères" in e.value for e in again.error)
    assert saved_names(again) == ["collèges 2027-2030", "plus40"]
    widget(again.text_input, "Nouveau nom").set_value("plan collèges").run()
    widget(again.button, "Renommer").click().run()
    assert [s.value for s in again.success] == ["Scénario « collèges 2027-2030 » renommé en « plan collèges »."]
    assert saved_names(planner(rennes_db, monkeypatch, "planner-reload")) == ["plan collèges", "plus40"]

    # delete: only once confirmed
    widget(again.selectbox, "Scénario enregistré").set_value("plan collèges").run()
    assert widget(again.button, "Supprimer").proto.disabled
    widget(again.checkbox, "Je confirme la suppression du scénario « plan collèges »").check().run()
    assert not widget(again.button, "Supprimer").proto.disabled
    widget(again.button, "Supprimer").click().run()
    assert [s.value for s in again.success] == ["Scénario « plan collèges » supprimé de votre espace de travail."]
    assert saved_names(planner(rennes_db, monkeypatch, "planner-reload")) == ["plus40"]


@pytest.mark.parametrize(
    ("label", "value", "message"),
    [
        ("Montant (€ par élève et par an)", 0, "« Montant » : le montant doit être supérieur à 0\u00a0€"),
        ("Montant (€ par élève et par an)", 5000, "dépasse 1\u202f000\u00a0€"),
        ("Premier exercice", 2026, "« Premier exercice » : 2026 est un exercice déjà connu (données jusqu'à 2026)"),
        ("Dernier exercice", 2035, "« Dernier exercice » : 2035 est au-delà de l'horizon de la projection"),
        ("Dernier exercice", 2026, "le dernier exercice (2026) est avant le premier (2027)"),
    ],
)
def test_bad_input_is_refused_in_french_and_saves_nothing(rennes_db, monkeypatch, label, value, message):
    at = planner(rennes_db, monkeypatch, f"planner-bad-{label}-{value}")
    widget(at.button, "Enregistrer ce scénario").click().run()  # plus40 saved first
    widget(at.number_input, label).set_value(value).run()
    assert not at.exception
    assert any(message in e.value for e in at.error), [e.value for e in at.error]
    assert widget(at.button, "Enregistrer ce scénario").proto.disabled
    # the page still projects the saved scenario; the saved list is unchanged after a reload
    assert set(table_with(at, "Écart")["Scénario"]) == {"Scénario « plus40 »"}
    assert saved_names(planner(rennes_db, monkeypatch, f"planner-bad-{label}-{value}")) == ["plus40"]


def test_an_anonymous_browser_keeps_its_workspace_id_in_a_cookie(rennes_db, monkeypatch):
    monkeypatch.setenv("EXPLORER_DB", str(rennes_db))
    at = AppTest.from_file(APP, default_timeout=120).run()
    at.switch_page("pages/prospective.py").run()
    assert not [h for h in at.get("html") if "explorateur_espace" in h.proto.body]  # nothing saved yet
    widget(at.button, "Enregistrer ce scénario").click().run()
    [cookie] = [h.proto.body for h in at.get("html") if "explorateur_espace" in h.proto.body]
    assert f"explorateur_espace={at.session_state['workspace_id']}; Max-Age=2592000; Path=/; SameSite=Strict" in cookie
    assert any("ce navigateur retrouve pendant 30 jours" in c.value for c in at.caption)


def read_french_csv(data: bytes):
    import io

    import pandas as pd

    assert data.startswith("\ufeff".encode())
    text = data.decode("utf-8-sig")
    header = text.splitlines()[0]
    assert ";" in header and "," not in header.replace(", ", "")
    return pd.read_csv(io.StringIO(text), sep=";", decimal=",", dtype={"Code du territoire": str})


def test_exports_open_right_in_a_french_spreadsheet(rennes_db, rennes, monkeypatch, downloads):
    at = planner(rennes_db, monkeypatch, "planner-exports")
    assert not at.exception
    labels = [b.label for b in at.get("download_button")]
    assert labels == [
        "Définition des scénarios (CSV)",
        "Projection par année scolaire (CSV)",
        "Projection par semaine (CSV)",
        "Classeur Excel (XLSX)",
        "Scénarios (JSON, à réimporter)",
    ]
    definition = read_french_csv(downloads["scenarios_definition.csv"]())
    assert definition.to_dict(orient="records") == [
        {
            "Scénario": "plus40",
            "Payé par": "Département",
            "Établissements concernés": "collèges publics",
            "Catégorie de dépense": "Équipement",
            "Premier exercice": 2027,
            "Dernier exercice": 2030,
            "Montant compté par": "collégien du public",
            "Variation (€ par élève compté et par an)": 40,
            "Effet à partir de l'année scolaire": "2028-2029",
        }
    ]
    yearly = read_french_csv(downloads["projection_annuelle_departement_22.csv"]())
    assert yearly["Code du territoire"].tolist() == ["22"] * 5
    assert yearly["Territoire"].tolist() == ["Côtes-d'Armor"] * 5
    assert yearly["Année scolaire"].tolist() == ["2026-2027", "2027-2028", "2028-2029", "2029-2030", "2030-2031"]
    # hand-checkable: +40 € per collégien du public from 2027, spread over every pupil,
    # counted from the next school year, cumulated (two decimals)
    per_pupil = 40 * college_share(rennes)
    assert yearly["Investissement ajouté cumulé (€ par élève du territoire)"].tolist() == pytest.approx(
        [0, 0, per_pupil, 2 * per_pupil, 3 * per_pupil], abs=0.006
    )
    # the CSV's numbers are the screen's numbers, parsed as numbers (decimal comma)
    screen = table_with(at, "Écart")
    assert yearly["Écart (visites ENT par élève et par semaine)"].tolist() == pytest.approx(
        [float(v.replace(",", ".")) for v in screen["Écart"]], abs=5e-4
    )
    # percentages are percentages: the first school year's share of backtested weeks is
    # 52 weeks of 2026-2027 up to 28 June 2027, i.e. all of them but the summer ones
    share = yearly["Semaines évaluées par le backtest (%)"].tolist()
    assert 50 < share[0] <= 100 and share[1:] == [0, 0, 0, 0]
    effect = yearly["Effet attendu (%)"].tolist()
    assert effect[:2] == [0, 0] and all(abs(v) < 100 for v in effect)
    weekly = read_french_csv(downloads["projection_hebdomadaire_departement_22.csv"]())
    assert weekly["Scénario"].drop_duplicates().tolist() == ["Référence (investissement dans la tendance)", "plus40"]
    assert weekly["Semaine du (lundi)"].iloc[0] == "2026-07-06"
    text = "".join(downloads[n]().decode("utf-8-sig") for n in downloads if str(n).endswith(".csv"))
    for code in ("baseline", "yhat", "departement", "equipement"):
        assert code not in text, code
    workbook = downloads["prospective_departement_22.xlsx"]()
    import io

    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(workbook))["Par année scolaire"]
    headers = [c.value for c in sheet[3]]
    code = sheet.cell(row=4, column=headers.index("Code du territoire") + 1)
    assert code.value == "22" and code.number_format == "@"
    assert sheet.cell(row=4, column=headers.index("Effet attendu (%)") + 1).number_format == "0.00%"


def test_a_scenario_of_two_lines_a_plan_and_a_one_off_programme(rennes_db, monkeypatch, downloads):
    at = enter_plus40(planner(rennes_db, monkeypatch, "planner-two-lines"), "plan et programme")
    widget(at.button, "Ajouter une autre ligne à ce scénario").click().run()
    assert [s.value for s in at.success] == [
        "Ligne ajoutée au scénario : +40\u00a0€ par collégien du public et par an de 2027 à 2030, payés par le "
        "département (collèges publics), en équipement. Décrivez la suivante."
    ]
    # the second line: a one-off State programme of 10 € per pupil in 2028, for training
    widget(at.number_input, "Montant (€ par élève et par an)").set_value(10)
    widget(at.number_input, "Premier exercice").set_value(2028)
    widget(at.number_input, "Dernier exercice").set_value(2028)
    choose(at, "Payé par", "État")
    choose(at, "Catégorie de dépense", "Formation")
    at.run()
    assert any(m.value.startswith("**Ce scénario compte aussi 1 autre ligne** :\n- +40") for m in at.markdown)
    widget(at.button, "Enregistrer ce scénario").click().run()
    [definition] = [t.value for t in at.table if "Définition" in t.value.columns]
    assert definition["Définition"].tolist() == [
        "+40\u00a0€ par collégien du public et par an de 2027 à 2030, payés par le département (collèges publics), "
        "en équipement ; +10\u00a0€ par élève et par an en 2028, payés par l'État (écoles, collèges et lycées), "
        "en formation"
    ]
    rows = read_french_csv(downloads["scenarios_definition.csv"]())
    assert rows[["Payé par", "Premier exercice", "Dernier exercice"]].values.tolist() == [
        ["Département", 2027, 2030],
        ["État", 2028, 2028],
    ]
    widget(at.button, "Retirer les autres lignes").click().run()
    assert not any(m.value.startswith("**Ce scénario compte aussi") for m in at.markdown)


def test_a_json_file_is_imported_into_the_workspace_or_refused_whole(rennes_db, monkeypatch):
    import json

    from tests.scenarios import PLUS40

    at = planner(rennes_db, monkeypatch, "planner-import")
    assert widget(at.button, "Importer ces scénarios").proto.disabled  # nothing uploaded yet
    cut = {**PLUS40, "name": "coupe", "changes": [{**PLUS40["changes"][0], "delta_eur_per_pupil": -10}]}
    bad = {**PLUS40, "name": "mauvais", "changes": [{**PLUS40["changes"][0], "category": "tablettes"}]}
    at.file_uploader[0].upload("scenarios.json", json.dumps([cut, bad]).encode(), "application/json")
    at.run()
    widget(at.button, "Importer ces scénarios").click().run()
    assert any("« [1].changes[0].category »" in e.value and "'tablettes' inconnu" in e.value for e in at.error)
    assert saved_names(at) == []  # one bad scenario: none imported
    at.file_uploader[0].upload("scenarios.json", json.dumps([PLUS40, cut]).encode(), "application/json")
    at.run()
    widget(at.button, "Importer ces scénarios").click().run()
    assert [s.value for s in at.success] == ["2 scénarios importés : « plus40 », « coupe »."]
    assert saved_names(planner(rennes_db, monkeypatch, "planner-import")) == ["plus40", "coupe"]
