"""A collectivité's budget file: validation, import, removal, CLI (explorer.warehouse.budget.importer)."""

from __future__ import annotations

import csv
import hashlib
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import openpyxl
import pytest

from explorer.errors import BudgetImportError, BudgetValidationError, WorkspaceError
from explorer.warehouse import workspace
from explorer.warehouse.budget import importer as budget
from explorer.warehouse.db import connect_snapshot

ROOT = Path(__file__).resolve().parents[1]
TEMPLATE_CSV = ROOT / "data" / "templates" / "budget_numerique.csv"
TEMPLATE_XLSX = ROOT / "data" / "templates" / "budget_numerique.xlsx"
BAD = ROOT / "tests" / "data" / "bad" / "budget"

# Each malformed file and the (line, column) of every problem it must report, with a phrase
# of the message. Line None = the whole file; column None = the whole line.
EXPECTED: dict[str, list[tuple[int | None, str | None, str]]] = {
    "separateur_deux_points.csv": [(1, None, "Séparateur de colonnes introuvable")],
    "virgules_et_decimales.csv": [(2, None, "10 colonnes pour 9")],
    "latin1.csv": [(2, "categorie", "catégorie « matériel » inconnue")],
    "utf16.csv": [(None, None, "Fichier binaire non reconnu")],
    "colonne_manquante.csv": [(1, "montant_eur", "colonne obligatoire absente")],
    "colonne_en_trop.csv": [(1, "commentaire", "colonne inconnue")],
    "uai_inconnu.csv": [(3, "uai", "UAI 0359999D inconnu dans l'entrepôt")],
    "codes_mal_formes.csv": [
        (2, "uai", "UAI « 035049T » mal formé"),
        (3, "financeur_code", "code « ABCDE » mal formé"),
        (4, "financeur_code", "SIREN de l'EPCI sur 9 chiffres"),
        (5, "uai", "lettre de contrôle incorrecte (attendu 0350490T)"),
        (6, "territoire", "territoire « canton:123 » mal formé"),
        (7, "financeur_code", "l'État s'écrit « FR »"),
    ],
    "montants.csv": [
        (2, "montant_eur", "montant négatif (-500)"),
        (3, "montant_eur", "« douze mille » : nombre attendu"),
        (4, "montant_eur", "« 12,500,00 » : nombre attendu"),
        (5, "montant_eur", "invraisemblable"),
    ],
    "doublons.csv": [(4, None, "ligne identique à la ligne 2")],  # found by the reader (explorer/connectors/files.py)
    "vide.csv": [(None, None, "Le fichier est vide.")],
    "entete_seule.csv": [(None, None, "aucune ligne de données")],
    # Cut mid-line: the reader refuses it before any cell is checked.
    "tronque.csv": [(3, None, "téléchargement ou copie interrompu")],
    "tronque.xlsx": [(None, None, "Classeur XLSX illisible")],
    "injection_formules.csv": [
        (2, "uai", "=HYPERLINK"),
        (3, "montant_eur", "« =1+1 » : nombre attendu"),
        (4, "programme", "sans = + - @ en tête"),
        (5, "financeur_code", "code « +33 » mal formé"),
    ],
    "html_libelle.csv": [
        (2, "libelle", "balise HTML ou script refusée"),
        (3, "libelle", "balise HTML ou script refusée"),
        (5, "financeur_code", "mal formé"),
    ],
    "annees.csv": [
        (2, "annee", "année « 24 » invalide"),
        (3, "annee", "exercice 1990 hors de la plage admise"),
        (4, "annee", "exercice 2099 hors de la plage admise"),
        (5, "annee", "année « deux mille » invalide"),
    ],
    "vocabulaire_inconnu.csv": [
        (2, "financeur_niveau", "niveau de financeur « mairie » inconnu"),
        (2, "categorie", "catégorie « informatique » inconnue"),
    ],
    "territoires.csv": [
        (2, "territoire", "n'est pas dans le ressort du financeur commune:35238"),
        (3, "territoire", "territoire commune:75056 inconnu"),
        (4, "territoire", "soit l'UAI d'un établissement, soit un territoire"),
        (5, "uai", "ne finance aucun établissement du périmètre"),
        (6, "financeur_code", "financeur departement:75 inconnu"),
    ],
    "texte_trop_long.csv": [(2, "libelle", "texte trop long (250 caractères, 200 au plus)")],
    "valeurs_manquantes.csv": [
        (2, "annee", "valeur manquante"),
        (2, "financeur_niveau", "valeur manquante"),
        (2, "financeur_code", "valeur manquante"),
        (2, "categorie", "valeur manquante"),
        (2, "montant_eur", "valeur manquante"),
        (3, "montant_eur", "valeur manquante"),
    ],
}


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def french_float(text: str) -> float:
    return float(text.replace(" ", "").replace(",", "."))


def template_lines() -> list[dict[str, str]]:
    with open(TEMPLATE_CSV, encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh, delimiter=";"))


def scalar(db: Path, sql: str, params: list | None = None):
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql, params or []).fetchone()[0]
    finally:
        con.close()


@pytest.fixture
def db(rennes_db: Path, tmp_path: Path) -> Path:
    """A private copy of the académie 14 demo warehouse."""
    target = tmp_path / "warehouse.duckdb"
    shutil.copyfile(rennes_db, target)
    return target


@pytest.fixture(scope="module")
def con(rennes_db: Path):
    c = connect_snapshot(rennes_db)
    yield c
    c.close()


# --- Templates ---------------------------------------------------------------------------------


def test_templates_are_what_the_script_writes(tmp_path):
    subprocess.run([sys.executable, str(ROOT / "scripts" / "make_budget_templates.py"), str(tmp_path)], check=True)
    assert (tmp_path / "budget_numerique.csv").read_bytes() == TEMPLATE_CSV.read_bytes()
    # The bytes depend on the save time and on the XML writer openpyxl finds (lxml or not):
    # compare what a spreadsheet shows instead.
    assert _workbook_content(tmp_path / "budget_numerique.xlsx") == _workbook_content(TEMPLATE_XLSX)


def _workbook_content(path: Path) -> dict:
    wb = openpyxl.load_workbook(path)
    out = {}
    for ws in wb.worksheets:
        cells = [
            (c.coordinate, c.value, c.number_format, c.font.b, c.fill.fgColor.rgb, c.alignment.wrap_text)
            for row in ws.iter_rows()
            for c in row
            if c.value is not None
        ]
        widths = {k: d.width for k, d in ws.column_dimensions.items()}
        validations = sorted((str(v.sqref), v.type, v.formula1) for v in ws.data_validations.dataValidation)
        out[ws.title] = (cells, widths, validations, ws.freeze_panes)
    return out


def test_csv_template_is_french_excel_csv():
    raw = TEMPLATE_CSV.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    header = raw[3:].split(b"\r\n")[0].decode()
    assert header.split(";") == list(budget.budget_check.COLUMNS)
    assert 5 <= len(template_lines()) <= 8


def test_xlsx_template_has_the_same_lines_and_a_help_sheet(con):
    from openpyxl import load_workbook

    wb = load_workbook(TEMPLATE_XLSX)
    assert wb.sheetnames == ["Budget", "Aide"]
    helped = [row[0].value for row in wb["Aide"].iter_rows(min_row=2)]
    assert helped == list(budget.budget_check.COLUMNS)
    from_csv, problems_csv = budget.validate(TEMPLATE_CSV, con)
    from_xlsx, problems_xlsx = budget.validate(TEMPLATE_XLSX, con)
    assert problems_csv == problems_xlsx == []
    assert from_csv.equals(from_xlsx)


def test_template_values_are_read_as_written(con):
    rows, problems = budget.validate(TEMPLATE_CSV, con)
    assert problems == []
    lines = template_lines()
    assert list(rows["amount_eur"]) == [french_float(line["montant_eur"]) for line in lines]
    assert list(rows["category"])[3] == "equipement"  # written « Équipement »
    assert list(rows["uai"].fillna("")) == [line["uai"] for line in lines]
    assert list(rows["programme"]) == [line["programme"] or "droit_commun" for line in lines]


# --- Validation ----------------------------------------------------------------------------


def test_the_bad_corpus_is_all_in_the_table():
    files = sorted(p.name for p in BAD.iterdir())
    assert files == sorted(EXPECTED)
    assert len(files) >= 12


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_every_problem_is_reported_with_line_and_column(name, con):
    _, problems = budget.validate(BAD / name, con)
    expected = EXPECTED[name]
    assert [(p.line, p.column) for p in problems] == [(line, column) for line, column, _ in expected]
    for problem, (_, _, phrase) in zip(problems, expected, strict=True):
        assert phrase in problem.message, (problem, phrase)


def test_formula_looking_libelles_are_kept_as_text(con):
    rows, _ = budget.validate(BAD / "injection_formules.csv", con)
    assert dict(zip(rows["line"], rows["label"], strict=True)) == {6: "=2+3", 7: "-cmd|' /C calc'!A0"}


def test_markup_free_text_with_a_lone_bracket_is_accepted(con):
    rows, _ = budget.validate(BAD / "html_libelle.csv", con)
    assert list(rows["label"]) == ["R&D < 5 ans"]


def test_french_labels_and_both_decimal_notations(tmp_path, con):
    path = tmp_path / "libelles.csv"
    path.write_text(
        "Année;Niveau du financeur;Code du financeur;Catégorie;UAI;Montant;Objet\n"
        "2024;État;fr;ENT et logiciels;0350490t;1 234,56;a\n"
        "2024;Commune;35238;Réseau et connectivité;0350490T;1234.5;b\n"
        "2025;Département;035;Ressources numériques;0350769W;1.234,56;c\n",
        encoding="latin-1",
    )
    rows, problems = budget.validate(path, con)
    assert problems == []
    assert list(rows["funder_level"]) == ["etat", "commune", "departement"]
    assert list(rows["funder_code"]) == ["FR", "35238", "35"]
    assert list(rows["category"]) == ["ent_logiciels", "reseau", "ressources"]
    assert list(rows["uai"]) == ["0350490T", "0350490T", "0350769W"]
    assert list(rows["amount_eur"]) == [1234.56, 1234.5, 1234.56]


def test_the_error_lists_twenty_problems_then_counts_the_rest(tmp_path, db):
    path = tmp_path / "vingt-cinq.csv"
    lines = ["annee;financeur_niveau;financeur_code;categorie;montant_eur"]
    lines += [f"2024;commune;35238;equipement;-{n}" for n in range(1, 26)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(BudgetValidationError) as info:
        budget.import_budget(db, path)
    assert len(info.value.problems) == 25
    text = str(info.value)
    assert text.splitlines()[0].startswith("Fichier « vingt-cinq.csv » refusé : 25 problème(s)")
    first = "- ligne 2, colonne montant_eur : montant négatif (-1) : une dépense est positive ou nulle."
    assert text.splitlines()[1] == first
    assert sum(line.startswith("- ligne") for line in text.splitlines()) == 20
    assert text.splitlines()[-1] == "- … et 5 autre(s) problème(s)."


# --- Import and removal ----------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_a_refused_file_changes_nothing(name, db):
    before = sha256(db)
    with pytest.raises(BudgetValidationError) as info:
        budget.import_budget(db, BAD / name)
    line, column, _ = EXPECTED[name][0]
    where = f"ligne {line}" if line is not None else "fichier"
    assert f"- {where}" + (f", colonne {column}" if column else "") in str(info.value)
    assert sha256(db) == before
    assert sorted(p.name for p in db.parent.iterdir()) == ["warehouse.duckdb", "warehouse.duckdb.lock"]


def funder_totals(db: Path, table: str = "investment") -> dict[tuple[str, str], float]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        rows = con.execute(f"select funder_level, funder_code, sum(amount_eur) from {table} group by all").fetchall()
    finally:
        con.close()
    return {(level, code): total for level, code, total in rows}


def test_import_adds_exactly_the_file_to_each_funder(db):
    expected: dict[tuple[str, str], float] = {}
    for line in template_lines():
        key = (line["financeur_niveau"], line["financeur_code"])
        expected[key] = expected.get(key, 0.0) + french_float(line["montant_eur"])
    before = funder_totals(db)
    before_school = funder_totals(db, "investment_school")
    summary = budget.import_budget(db, TEMPLATE_CSV, label="Budget test")
    after = funder_totals(db)
    after_school = funder_totals(db, "investment_school")
    # Marts are recomputed: sums of untouched funders may differ in the last binary digit.
    assert set(expected) == {k for k in after if abs(after[k] - before.get(k, 0.0)) > 1e-6}
    for key, amount in expected.items():
        assert after[key] - before[key] == pytest.approx(amount, abs=1e-6), key
        # Spread or tied, every euro reaches a school.
        assert after_school[key] - before_school[key] == pytest.approx(amount, abs=1e-6), key
    assert summary.rows == 7
    assert summary.total_eur == pytest.approx(sum(expected.values()))
    assert summary.describe()[0] == (
        f"Import {summary.import_id} « Budget test » : 7 ligne(s), 162\u202f650,50 € (exercices 2024 à 2025)."
    )
    source = f"budget:{summary.import_id}"
    assert scalar(db, "select count(*) from stg_investment where source = ?", [source]) == 7
    assert scalar(db, "select count(*) from stg_investment where source = ? and uai is null", [source]) == 4
    assert scalar(db, "select publisher from stg_source where source = ?", [source]) == "import de la collectivité"
    assert scalar(db, "select is_simulated from stg_source where source = ?", [source]) is False


def test_an_untied_line_is_spread_over_the_funders_schools(db):
    budget.import_budget(db, TEMPLATE_CSV)
    # Line 3: 8 400 € of network for the schools of commune 35238 in 2024 (the demo has no
    # untied commune spending, so every allocated euro of that key comes from the file).
    con = duckdb.connect(str(db), read_only=True)
    shares = con.execute(
        "select i.uai, s.payer_level, s.payer_code, i.amount_eur from investment_school as i join school as s "
        "using (uai) where i.allocated and i.year = 2024 and i.funder_level = 'commune' and i.category = 'reseau'"
    ).fetchall()
    con.close()
    assert {(level, code) for _, level, code, _ in shares} == {("commune", "35238")}
    assert sum(amount for *_, amount in shares) == pytest.approx(8400.0)
    assert len(shares) > 1


def test_reimporting_the_same_file_is_refused(db):
    first = budget.import_budget(db, TEMPLATE_CSV)
    before = sha256(db)
    with pytest.raises(BudgetImportError, match=f"déjà été importé \\(import {first.import_id}"):
        budget.import_budget(db, TEMPLATE_CSV)
    assert sha256(db) == before


def table_names(con: duckdb.DuckDBPyConnection, catalog: str) -> list[str]:
    rows = con.execute(
        "select table_name from information_schema.tables where table_catalog = ? order by 1", [catalog]
    ).fetchall()
    return [name for (name,) in rows]


def test_remove_gives_back_the_same_warehouse_content(db, rennes_db):
    before = funder_totals(db)
    summary = budget.import_budget(db, TEMPLATE_CSV)
    listed = budget.list_imports(db)
    assert list(listed["id"]) == [summary.import_id]
    assert list(listed["rows"]) == [7]
    assert budget.remove_budget(db, summary.import_id) == 7
    assert budget.list_imports(db).empty
    assert funder_totals(db) == pytest.approx(before)
    con = duckdb.connect()
    con.execute(f"attach '{rennes_db}' as original (read_only)")
    con.execute(f"attach '{db}' as restored (read_only)")
    tables = table_names(con, "original")
    assert tables == table_names(con, "restored")
    for table in tables:
        for a, b in (("original", "restored"), ("restored", "original")):
            extra = con.execute(f'select count(*) from (from {a}."{table}" except all from {b}."{table}")').fetchone()
            assert extra == (0,), (table, a)
    con.close()


def test_remove_refuses_unknown_or_malformed_ids(db):
    before = sha256(db)
    with pytest.raises(BudgetImportError, match="mal formé"):
        budget.remove_budget(db, "../../etc/passwd")
    with pytest.raises(BudgetImportError, match="introuvable"):
        budget.remove_budget(db, "0123456789-20260101")
    assert sha256(db) == before


# --- CLI ---------------------------------------------------------------------------------------


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "explorer", *args], capture_output=True, text=True, cwd=ROOT, timeout=300
    )


def test_cli_round_trip(db):
    before = sha256(db)
    done = cli("import-budget", str(TEMPLATE_XLSX), "--db", str(db), "--label", "Budget 2024-2025")
    assert done.returncode == 0, done.stderr
    import_id = budget.import_id_for(TEMPLATE_XLSX)
    assert done.stdout.splitlines()[0] == (
        f"Import {import_id} « Budget 2024-2025 » : 7 ligne(s), 162\u202f650,50 € (exercices 2024 à 2025)."
    )
    assert "  Département 35 : 2 ligne(s), 68\u202f750,50 €" in done.stdout.splitlines()
    listed = cli("budgets", "--db", str(db))
    assert import_id in listed.stdout and "Budget 2024-2025" in listed.stdout
    again = cli("import-budget", str(TEMPLATE_XLSX), "--db", str(db))
    assert again.returncode == 2 and "déjà été importé" in again.stderr
    removed = cli("remove-budget", import_id, "--db", str(db))
    assert removed.returncode == 0, removed.stderr
    assert f"Import {import_id} retiré : 7 ligne(s)" in removed.stdout
    assert cli("budgets", "--db", str(db)).stdout.startswith("Aucun import budgétaire")
    assert sha256(db) != before  # rewritten, same content (see test_remove_gives_back…)


def test_cli_refuses_a_bad_file_and_names_line_and_column(db):
    before = sha256(db)
    done = cli("import-budget", str(BAD / "montants.csv"), "--db", str(db))
    assert done.returncode == 2
    assert "Fichier « montants.csv » refusé : 4 problème(s)" in done.stderr
    assert "- ligne 3, colonne montant_eur : montant « douze mille » : nombre attendu" in done.stderr
    assert sha256(db) == before


# --- Workspaces ----------------------------------------------------------------------------------


def test_workspace_ids_follow_the_identity_not_the_session():
    alice = {"iss": "https://idp.example", "sub": "123", "email": "alice@example.fr", "is_logged_in": True}
    assert workspace.user_workspace_id(alice) == workspace.user_workspace_id(dict(alice))
    assert workspace.user_workspace_id(alice) != workspace.user_workspace_id({**alice, "sub": "456"})
    assert "alice" not in str(workspace.user_workspace_id(alice))
    assert workspace.user_workspace_id({}) is None
    assert workspace.session_workspace_id() != workspace.session_workspace_id()


def test_workspace_paths_only_from_well_formed_ids(tmp_path):
    shared = tmp_path / "warehouse.duckdb"
    good = workspace.session_workspace_id()
    assert workspace.workspace_db(shared, good) == tmp_path / "workspaces" / good / "warehouse.duckdb"
    for bad in ("../x", "s" + "0" * 23 + "/", "u" + "g" * 24, ""):
        with pytest.raises(WorkspaceError, match="Identifiant d'espace de travail invalide"):
            workspace.workspace_db(shared, bad)


def test_importing_into_a_workspace_leaves_the_shared_warehouse_alone(db):
    before = sha256(db)
    target = workspace.ensure_workspace(db, workspace.session_workspace_id())
    assert sha256(target) == before
    budget.import_budget(target, TEMPLATE_CSV)
    assert sha256(db) == before
    assert budget.list_imports(db).empty
    assert len(budget.list_imports(target)) == 1


def test_a_warehouse_built_before_the_beneficiary_columns_takes_an_import(db):
    """Its stg_investment lacks beneficiary_level/code: the import adds them, then stages."""
    with duckdb.connect(str(db)) as c:
        c.execute("alter table stg_investment drop column beneficiary_level")
        c.execute("alter table stg_investment drop column beneficiary_code")
        before = c.execute("select sum(amount_eur) from investment").fetchone()[0]
    summary = budget.import_budget(db, TEMPLATE_CSV)
    with duckdb.connect(str(db), read_only=True) as c:
        after = c.execute("select sum(amount_eur) from investment").fetchone()[0]
        territories = c.execute(
            "select count(*) from stg_investment where source = ? and beneficiary_level is not null",
            [budget.SOURCE_PREFIX + summary.import_id],
        ).fetchone()[0]
    assert after - before == pytest.approx(162_650.50)
    assert territories > 0  # the template's « territoire » lines keep their territory
