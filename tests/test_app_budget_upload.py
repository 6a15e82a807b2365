"""Uploading a budget on the Données page (AppTest), and the privacy of workspaces.

Streamlit 1.67's AppTest drives ``st.file_uploader`` (``upload``), so the upload goes through
the page's own widget. Two AppTests are two browser sessions of one server: what session A
imports must never reach session B, in the pages or in the exports.
"""

from __future__ import annotations

import csv
import hashlib
import io
import shutil
from pathlib import Path

import duckdb
import pytest
from openpyxl import load_workbook
from streamlit.testing.v1 import AppTest

from explorer.facts.indicators import INDICATORS, format_value
from explorer.reports import sheet as report
from explorer.sheets import diagnostic as dg
from explorer.warehouse import workspace as ws
from explorer.warehouse.db import connect_snapshot
from ui.workspace import NOTICE

ROOT = Path(__file__).resolve().parents[1]
APP = str(ROOT / "streamlit_app.py")
TEMPLATE = ROOT / "data" / "templates" / "budget_numerique.csv"
BAD = ROOT / "tests" / "data" / "bad" / "budget"
PERIOD = "2021-2025"
# Five million euros of equipment for a Rennes school in 2024: visible in any figure of Rennes.
SECRET_FILE = (
    "annee;financeur_niveau;financeur_code;categorie;uai;montant_eur;libelle\r\n"
    "2024;commune;35238;equipement;0350490T;5000000;Plan secret de la session A\r\n"
).encode("utf-8-sig")
INVEST = INDICATORS["invest_per_pupil"]
INVEST_LABEL = f"{INVEST.label} ({INVEST.unit})"


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def shared(rennes_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A shared warehouse of its own (workspaces are created next to it)."""
    path = tmp_path / "warehouse.duckdb"
    shutil.copyfile(rennes_db, path)
    monkeypatch.setenv("EXPLORER_DB", str(path))
    return path


def donnees(at: AppTest | None = None) -> AppTest:
    at = at or AppTest.from_file(APP, default_timeout=120).run()
    return at.switch_page("pages/donnees.py").run()


def upload(at: AppTest, name: str, content: bytes) -> AppTest:
    at.file_uploader[0].upload(name, content, "text/csv")
    return at.run()


def diagnostic(at: AppTest) -> AppTest:
    at.query_params["territoire"] = "commune:35238"
    at.query_params["periode"] = PERIOD
    return at.switch_page("pages/diagnostic.py").run()


def imported_markdown(at: AppTest) -> list[str]:
    return [m.value for m in at.markdown if "· import `" in m.value]


def source_labels(at: AppTest) -> set[str]:
    tables = [t.value for t in at.table if "Simulées" in t.value.columns]
    assert len(tables) == 1
    return set(tables[0]["Source"])


def test_a_valid_file_shows_preview_and_totals_then_imports_privately(shared):
    before = sha256(shared)
    at = donnees()
    assert not at.exception and not at.error
    assert NOTICE not in [i.value for i in at.sidebar.info]
    labels = [b.label for b in at.get("download_button")]
    assert "Modèle CSV" in labels and "Modèle XLSX" in labels
    at = upload(at, "budget_numerique.csv", TEMPLATE.read_bytes())
    assert not at.exception and not at.error
    assert [s.value for s in at.success] == [
        "Fichier « budget_numerique.csv » valide : 7 ligne(s), 162\u202f650,50 € (exercices 2024 à 2025)."
    ]
    preview = next(d.value for d in at.dataframe if "Montant (€)" in d.value.columns)
    with open(TEMPLATE, encoding="utf-8-sig", newline="") as fh:
        lines = list(csv.DictReader(fh, delimiter=";"))
    assert list(preview["Ligne"]) == list(range(2, 2 + len(lines)))
    assert list(preview["Libellé"]) == [line["libelle"] for line in lines]
    assert list(preview["Montant (€)"])[:2] == ["12\u202f500,00", "8\u202f400,00"]
    assert [b.label for b in at.button if b.key == "budget_import"] == ["Importer dans mon espace de travail"]

    at.button(key="budget_import").click().run()
    assert not at.exception and not at.error
    assert at.success[0].value.startswith("Import ") and "7 ligne(s), 162\u202f650,50 €" in at.success[0].value
    assert NOTICE in [i.value for i in at.sidebar.info]
    assert len(imported_markdown(at)) == 1 and "**budget_numerique**" in imported_markdown(at)[0]
    assert "budget_numerique" in source_labels(at)
    assert not at.file_uploader[0].value  # emptied for the next file
    assert sha256(shared) == before
    [folder] = (shared.parent / ws.WORKSPACES_DIR).iterdir()
    assert folder.name == at.session_state["workspace_id"]


def test_an_invalid_file_shows_every_problem_and_no_import_button(shared):
    before = sha256(shared)
    at = upload(donnees(), "montants.csv", (BAD / "montants.csv").read_bytes())
    assert not at.exception
    assert [e.value for e in at.error] == [
        "Fichier « montants.csv » refusé : 4 problème(s). Corrigez-les dans votre tableur puis déposez-le "
        "à nouveau ; rien n'a été importé."
    ]
    report_table = next(d.value for d in at.dataframe if "Problème" in d.value.columns)
    assert list(zip(report_table["Ligne"], report_table["Colonne"], strict=True)) == [
        ("2", "montant_eur"),
        ("3", "montant_eur"),
        ("4", "montant_eur"),
        ("5", "montant_eur"),
    ]
    assert not [b for b in at.button if b.key == "budget_import"]
    assert sha256(shared) == before
    assert not (shared.parent / ws.WORKSPACES_DIR).exists()


def test_an_unreadable_file_and_a_hostile_name(shared):
    name = "..\\..\\etc/<img src=x onerror=alert(1)>.xlsx"
    at = upload(donnees(), name, (BAD / "tronque.xlsx").read_bytes())
    assert not at.exception
    # Only the last component is shown, as text (st.error does not render HTML).
    message = at.error[0].value
    assert message.startswith("Fichier « <img src=x onerror=alert(1)>.xlsx » refusé : 1 problème(s).")
    report_table = next(d.value for d in at.dataframe if "Problème" in d.value.columns)
    assert list(report_table["Ligne"]) == ["fichier"]
    assert report_table["Problème"][0].startswith("Classeur XLSX illisible")
    assert sorted(p.name for p in shared.parent.iterdir()) == ["warehouse.duckdb"]


def test_remove_takes_the_import_out_again(shared):
    at = upload(donnees(), "secret.csv", SECRET_FILE)
    at.button(key="budget_import").click().run()
    [line] = imported_markdown(at)
    import_id = line.split("`")[1]
    at.button(key=f"budget_remove_{import_id}").click().run()
    assert not at.exception and not at.error
    assert [s.value for s in at.success] == [f"Import {import_id} retiré (1 ligne(s))."]
    assert imported_markdown(at) == []
    assert "secret" not in source_labels(at)


def headline_invest(at: AppTest) -> str:
    return {m.label: m.value for m in at.metric}[INVEST_LABEL]


def export_rows(data: bytes) -> dict[str, list[str]]:
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
    return {row[2]: row for row in rows[1:]}  # by « Identifiant »


def xlsx_values(data: bytes) -> list[tuple]:
    """Every cell of every sheet; floats to 6 decimals (DuckDB's parallel sums vary in the last bits)."""
    wb = load_workbook(io.BytesIO(data))
    return [
        tuple(round(v, 6) if isinstance(v, float) else v for v in row)
        for sheet in wb.worksheets
        for row in sheet.iter_rows(values_only=True)
    ]


def test_session_b_never_sees_session_a_import(shared, downloads):
    before = sha256(shared)
    con = connect_snapshot(shared)
    baseline = dg.diagnose(con, "commune", "35238", (2021, 2025))
    baseline_csv = report.render(con, baseline, "csv")
    baseline_xlsx = xlsx_values(report.render(con, baseline, "xlsx"))
    con.close()
    expected_invest = format_value(INVEST, baseline.value("invest_per_pupil")["value"], unit=False)

    # Session A imports five million euros for a Rennes school.
    a = upload(donnees(), "secret.csv", SECRET_FILE)
    a.button(key="budget_import").click().run()
    assert not a.exception and not a.error
    assert "secret" in source_labels(a)
    a = diagnostic(a)
    assert not a.exception and not a.error
    a_invest = headline_invest(a)
    a_csv = downloads["fiche_commune_35238_2021-2025.csv"]()
    a_xlsx = xlsx_values(downloads["fiche_commune_35238_2021-2025.xlsx"]())
    # The test can see the import where it should be: in A's figures and exports.
    assert a_invest != expected_invest
    assert export_rows(a_csv)["invest_per_pupil"] != export_rows(baseline_csv)["invest_per_pupil"]
    assert a_xlsx != baseline_xlsx

    # Session B, same server, at the same time: nothing of it.
    downloads.clear()
    b = donnees()
    assert not b.exception and not b.error
    assert NOTICE not in [i.value for i in b.sidebar.info]
    assert imported_markdown(b) == []
    assert "secret" not in source_labels(b)
    assert b.session_state["workspace_id"] != a.session_state["workspace_id"]
    b = diagnostic(b)
    assert not b.exception and not b.error
    assert headline_invest(b) == expected_invest
    assert downloads["fiche_commune_35238_2021-2025.csv"]() == baseline_csv
    assert xlsx_values(downloads["fiche_commune_35238_2021-2025.xlsx"]()) == baseline_xlsx

    assert sha256(shared) == before
    con = duckdb.connect(str(shared), read_only=True)
    assert con.execute("select count(*) from stg_source where source like 'budget:%'").fetchone() == (0,)
    con.close()


def logged_in(sub: str) -> dict[str, object]:
    return {"is_logged_in": True, "iss": "https://idp.example", "sub": sub, "email": f"{sub}@example.fr"}


def test_a_logged_in_user_finds_the_import_in_a_new_session_others_do_not(shared):
    first = AppTest.from_file(APP, default_timeout=120)
    first.user = logged_in("alice")
    first = upload(donnees(first.run()), "secret.csv", SECRET_FILE)
    first.button(key="budget_import").click().run()
    assert not first.exception and not first.error

    again = AppTest.from_file(APP, default_timeout=120)
    again.user = logged_in("alice")
    again = donnees(again.run())
    assert len(imported_markdown(again)) == 1
    assert NOTICE in [i.value for i in again.sidebar.info]

    other = AppTest.from_file(APP, default_timeout=120)
    other.user = logged_in("bob")
    other = donnees(other.run())
    assert imported_markdown(other) == []
    assert NOTICE not in [i.value for i in other.sidebar.info]
    folder = ws.user_workspace_id(logged_in("alice"))
    assert [p.name for p in (shared.parent / ws.WORKSPACES_DIR).iterdir()] == [folder]


@pytest.mark.parametrize("name", sorted(p.name for p in BAD.iterdir()))
def test_every_bad_file_of_the_corpus_is_refused_by_the_upload_too(shared, name):
    """The upload reports the same (line, column) problems as import-budget and writes nothing."""
    from tests.test_budget import EXPECTED

    before = sha256(shared)
    at = upload(donnees(), name, (BAD / name).read_bytes())
    assert not at.exception
    assert at.error and "refusé" in at.error[0].value
    report_table = next(d.value for d in at.dataframe if "Problème" in d.value.columns)
    shown = list(zip(report_table["Ligne"], report_table["Colonne"], strict=True))
    expected = [("fichier" if line is None else str(line), column) for line, column, _ in EXPECTED[name]]
    assert [line for line, _ in shown] == [line for line, _ in expected]
    assert [c for _, c in shown if c not in ("", "—", None)] == [c for _, c in expected if c is not None]
    for (_, _, fragment), problem in zip(EXPECTED[name], report_table["Problème"], strict=True):
        assert fragment in problem
    assert not [b for b in at.button if b.key == "budget_import"]
    assert sha256(shared) == before
    assert sorted(p.name for p in shared.parent.iterdir()) == ["warehouse.duckdb"]
