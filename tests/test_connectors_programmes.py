"""State programmes (SNEE, hybridation des lycées), TNE and GAR connectors.

Every expected figure is computed here from the fixture with the ``csv`` module (or typed
from SOURCES.md), never by calling the code under test.
"""

from __future__ import annotations

import csv
import hashlib
import logging
from collections import Counter, defaultdict
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from explorer.cli.main import main
from explorer.connectors.programmes import signatory_funder
from explorer.connectors.store import staging_path
from explorer.connectors.tne_gar import departement_code, month_period

DATA = Path(__file__).parent / "data" / "connectors"
SNEE = "fr-en-aap-snee-collectivites"
ECOLES = "fr-en-aap-snee-ecoles"
HYBRIDATION = "fr-en-hybridation_lycees_par_collectivite"
TNE_DEPLOIEMENT = "fr-en-tne_suivi_deploiement_solutions_numeriques_dept"
TNE_PERSONNELS = "fr-en-tne_personnels_formes_par_departement_secteur_type_etablissement"
CENT = Decimal("0.01")


def fixture_rows(dataset_id: str) -> list[list[str]]:
    """Data rows of a fixture as lists of cells (header dropped)."""
    with open(DATA / f"{dataset_id}.csv", encoding="utf-8-sig", newline="") as fh:
        return list(csv.reader(fh, delimiter=";"))[1:]


def euros(text: str) -> Decimal:
    return Decimal(text.replace(",", "."))


def load(dataset_id: str, path: Path, db: Path) -> int:
    return main(["load", dataset_id, str(path), "--db", str(db)])


def query(db: Path, sql: str, params: list[object] | None = None) -> list[tuple]:
    con = duckdb.connect(str(staging_path(db)), read_only=True)
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def investment_lines(db: Path, source: str) -> list[tuple[str, str, Decimal]]:
    rows = query(db, "select funder_level, funder_code, amount_eur from stg_investment where source = ?", [source])
    return [(level, code, Decimal(str(amount)).quantize(CENT)) for level, code, amount in rows]


# --- SNEE, per collectivité -------------------------------------------------------------------

# Signatory SIREN → expected funder of the remainder, decided by hand from SOURCES.md and the
# DGCL EPCI list: 21… communes; 200093201 (MEL) and 243500139 (Rennes Métropole) are EPCI à
# fiscalité propre; 253502345 a syndicat (25…); 200071234 a syndicat created after 2010 (name);
# 200063402 is Annecy, a commune nouvelle (200… SIREN, not an EPCI); #N/A → the commune siège.
EXPECTED_SNEE_FUNDER = {
    "215906462": ("commune", "59646"),
    "215903501": ("commune", "59350"),
    "200093201": ("epci", "200093201"),
    "213502388": ("commune", "35238"),
    "243500139": ("epci", "243500139"),
    "253502345": ("epci", "253502345"),
    "#N/A": ("commune", "35288"),
    "212900195": ("commune", "29019"),
    "200063402": ("commune", "74010"),
    "200071234": ("epci", "200071234"),
    "217500016": ("commune", "75056"),
    "219711017": ("commune", "97101"),
    "212000046": ("commune", "2A004"),
}


def test_snee_collectivites_two_lines_per_convention(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, capsys: pytest.CaptureFixture[str]
) -> None:
    rows = fixture_rows(SNEE)
    kept = [r for r in rows if r[0] != "00"]
    skipped = [r for r in rows if r[0] == "00"]
    assert (len(rows), len(kept), len(skipped)) == (15, 13, 2)
    db = tmp_path / "w.duckdb"
    with caplog.at_level(logging.WARNING):
        assert load(SNEE, DATA / f"{SNEE}.csv", db) == 0
    lines = investment_lines(db, SNEE)
    assert len(lines) == 2 * len(kept)
    state = sorted(a for level, code, a in lines if level == "etat")
    assert all(code == "FR" for level, code, _ in lines if level == "etat")
    assert state == sorted(euros(r[13]) for r in kept)
    expected_local = Counter((*EXPECTED_SNEE_FUNDER[r[7]], euros(r[12]) - euros(r[13])) for r in kept)
    assert Counter(line for line in lines if line[0] != "etat") == expected_local
    # État + collectivité = dépenses, in total and in this file's figures.
    assert sum(a for _, _, a in lines) == sum(euros(r[12]) for r in kept) == Decimal("5427931.25")
    printed = [ln.split() for ln in capsys.readouterr().out.replace("\u202f", "").splitlines()]
    assert ["somme", "stg_investment.amount_eur", "5427931,25"] in printed  # the reconciliation line
    assert query(db, "select distinct year, programme, category, uai from stg_investment") == [
        (2021, "SNEE", "equipement", None)
    ]
    assert "2 ligne(s) non chargée(s)" in caplog.text
    assert "Saint-Barthélemy, Saint-Pierre-et-Miquelon" in caplog.text


def test_snee_collectivites_reload_replaces(tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    assert load(SNEE, DATA / f"{SNEE}.csv", db) == 0
    assert load(SNEE, DATA / f"{SNEE}.csv", db) == 0
    assert query(db, "select count(*) from stg_investment") == [(26,)]


@pytest.mark.parametrize(
    ("siren", "name", "expected"),
    [
        ("213502388", "COMMUNE DE RENNES", ("commune", "35238")),
        ("243500139", "RENNES METROPOLE", ("epci", "243500139")),
        ("200093201", "METROPOLE EUROPEENNE DE LILLE", ("epci", "200093201")),
        ("200063402", "COMMUNE D'ANNECY", ("commune", "35238")),
        ("200071234", "SIVU DES ÉCOLES", ("epci", "200071234")),
        ("251234567", "SIRP DU VAL", ("epci", "251234567")),
        ("#N/A", "COMMUNE DE X", ("commune", "35238")),
        (None, None, ("commune", "35238")),
        ("223500016", "DEPARTEMENT D'ILLE-ET-VILAINE", ("departement", "35")),
    ],
)
def test_signatory_funder_rule(siren: str | None, name: str | None, expected: tuple[str, str]) -> None:
    assert signatory_funder(siren, name, "35238", "35") == expected


def test_signatory_funder_rejects_a_private_siren() -> None:
    with pytest.raises(ValueError):
        signatory_funder("552032534", "SOCIETE ANONYME", "35238", "35")


# --- SNEE, per école --------------------------------------------------------------------------


def test_snee_ecoles_counts_distinct_schools_per_commune(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    rows = fixture_rows(ECOLES)
    expected: dict[str, set[str]] = defaultdict(set)
    for r in rows:
        if r[5] != "00":
            expected[r[3]].add(r[0])
    db = tmp_path / "w.duckdb"
    with caplog.at_level(logging.WARNING):
        assert load(ECOLES, DATA / f"{ECOLES}.csv", db) == 0
    staged = query(db, "select level, code, period, indicator, value, unit from stg_territory_fact")
    assert {code: value for _, code, _, _, value, _ in staged} == {c: len(u) for c, u in expected.items()}
    assert {(lv, p, i, u) for lv, _, p, i, _, u in staged} == {
        ("commune", "2021", "Écoles bénéficiaires SNEE", "écoles")
    }
    assert sum(value for *_, value, _ in staged) == 8  # 10 rows − 1 Saint-Barthélemy − 1 duplicate UAI
    assert "1 ligne(s) non chargée(s) : écoles des collectivités d'outre-mer" in caplog.text
    assert "1 ligne(s) non chargée(s) : UAI en double" in caplog.text


# --- Hybridation des lycées ---------------------------------------------------------------------


def hybridation_expectations(rows: list[list[str]]) -> tuple[Decimal, Decimal, Decimal]:
    """État total, région total, and the skipped subsidies, from the rows (csv module)."""
    kept = [r for r in rows if r[0] != "00"]
    rectorat = [r for r in kept if r[2].startswith("RECTORAT")]  # Mayotte: the State buys
    state = sum(euros(r[6]) for r in kept) + sum(euros(r[5]) - euros(r[6]) for r in rectorat)
    region = sum(euros(r[5]) - euros(r[6]) for r in kept if r not in rectorat)
    return state, region, sum(euros(r[6]) for r in rows if r[0] == "00")


def test_hybridation_fixture_decimal_commas_and_labels(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    rows = fixture_rows(HYBRIDATION)
    db = tmp_path / "w.duckdb"
    with caplog.at_level(logging.WARNING):
        assert load(HYBRIDATION, DATA / f"{HYBRIDATION}.csv", db) == 0
    lines = investment_lines(db, HYBRIDATION)
    state, region, _ = hybridation_expectations(rows)
    assert len(lines) == 2 * 16
    assert sum(a for lv, _, a in lines if lv == "etat") == state
    assert sum(a for lv, _, a in lines if lv == "region") == region
    assert ("region", "11", euros("8456651,18") - euros("3900000,00")) in lines
    assert not any(code == "06" for _, code, _ in lines)  # Mayotte's rectorat is the État
    assert "3 ligne(s) non chargée(s)" in caplog.text


def test_hybridation_real_transcribed_file(tmp_path: Path, shared_real: Path) -> None:
    path = shared_real / "transcribed_hybridation_lycees_par_collectivite.csv"
    with open(path, encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh, delimiter=";"))[1:]
    assert len(rows) == 19
    assert sum(euros(r[5]) for r in rows) == Decimal("29900499.06")
    assert sum(euros(r[6]) for r in rows) == Decimal("13947510.84")
    db = tmp_path / "w.duckdb"
    assert load(HYBRIDATION, path, db) == 0
    lines = investment_lines(db, HYBRIDATION)
    state, _, skipped_subsidy = hybridation_expectations(rows)
    mayotte = next(r for r in rows if r[0] == "06")
    mayotte_remainder = euros(mayotte[5]) - euros(mayotte[6])
    assert mayotte_remainder == Decimal("177434.54")
    state_staged = sum(a for lv, _, a in lines if lv == "etat")
    assert state_staged == state
    assert state_staged - mayotte_remainder == Decimal("13947510.84") - skipped_subsidy
    assert skipped_subsidy == Decimal("19078.15")  # Saint-Martin, Wallis-et-Futuna, Saint-Pierre-et-Miquelon
    assert sum(a for _, _, a in lines) == Decimal("29900499.06") - Decimal("38627.30")


# --- TNE --------------------------------------------------------------------------------------


def test_tne_deploiement_per_departement_and_month(tmp_path: Path) -> None:
    rows = fixture_rows(TNE_DEPLOIEMENT)
    expected = {}
    for annee, mois, numero, _, enseignants, eleves, date in rows:
        code = "2A" if numero == "20" else numero
        assert date[:7] == f"{annee}-{mois}"
        expected[(code, date[:7], "élèves")] = float(eleves)
        expected[(code, date[:7], "enseignants")] = float(enseignants) if enseignants else None
    db = tmp_path / "w.duckdb"
    assert load(TNE_DEPLOIEMENT, DATA / f"{TNE_DEPLOIEMENT}.csv", db) == 0
    staged = query(db, "select level, code, period, unit, value from stg_territory_fact")
    assert {lv for lv, *_ in staged} == {"departement"}
    assert {(c, p, u): v for _, c, p, u, v in staged} == expected
    assert expected[("29", "2025-05", "enseignants")] is None  # an empty cell stays missing, not 0
    # The 12 TNE départements' pupils in June 2025 = the documented KPI (SOURCES.md §6).
    june = sum(v for _, c, p, u, v in staged if p == "2025-06" and u == "élèves")
    assert june == 2_435_461


def test_tne_personnels_summed_over_sector_and_type(tmp_path: Path) -> None:
    rows = fixture_rows(TNE_PERSONNELS)
    expected: dict[str, float] = defaultdict(float)
    for r in rows:
        expected[r[2]] += float(r[6])
    db = tmp_path / "w.duckdb"
    assert load(TNE_PERSONNELS, DATA / f"{TNE_PERSONNELS}.csv", db) == 0
    staged = query(db, "select code, period, indicator, unit, value from stg_territory_fact")
    assert {c: v for c, *_, v in staged} == expected
    assert {(p, i, u) for _, p, i, u, _ in staged} == {("2025-03", "Personnels formés (TNE)", "personnes")}
    # Documented cumulative figures of March 2025 (transcribed_tne_departements_2025.csv).
    assert expected == {"02": 13811, "2A": 934, "88": 1024, "971": 2581}


@pytest.mark.parametrize(
    ("number", "name", "expected"),
    [("20", "Corse", "2A"), ("", "Corse", "2A"), ("2A", "Corse-du-Sud", "2A"), ("035", "x", "35"),
     ("2", "Aisne", "02"), ("971", "Guadeloupe", "971"), ("99", "?", None), ("977", "St-Barth", None)],
)  # fmt: skip
def test_departement_code(number: str, name: str, expected: str | None) -> None:
    assert departement_code(number, name) == expected


@pytest.mark.parametrize(
    ("date", "year", "month", "expected"),
    [("2025-06-30", None, None, "2025-06"), ("30/06/2025", None, None, "2025-06"), (None, "2025", "6", "2025-06"),
     (None, "2025", "juin", "2025-06"), ("", "2024", "Décembre", "2024-12"), (None, "2025", "13", None)],
)  # fmt: skip
def test_month_period(date: str | None, year: str | None, month: str | None, expected: str | None) -> None:
    assert month_period(date, year, month) == expected


# --- GAR ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("dataset_id", "unit"),
    [
        ("fr-en-gar-accedants_academie2024-2025", "accédants"),
        ("fr-en-gar-acces_academie", "accès"),
        ("fr-en-gar-affectations_academie2024-2025", "affectations"),
    ],
)
def test_gar_per_academie(tmp_path: Path, caplog: pytest.LogCaptureFixture, dataset_id: str, unit: str) -> None:
    rows = fixture_rows(dataset_id)
    expected = {r[3]: float(r[-1]) for r in rows if r[0] != "Autres"}
    assert len(expected) == len(rows) - 1
    db = tmp_path / "w.duckdb"
    with caplog.at_level(logging.WARNING):
        assert load(dataset_id, DATA / f"{dataset_id}.csv", db) == 0
    staged = query(db, "select level, code, period, unit, value from stg_territory_fact")
    assert {c: v for _, c, _, _, v in staged} == expected
    assert {(lv, p, u) for lv, _, p, u, _ in staged} == {("academie", "2024-2025", unit)}
    assert "1 ligne(s) non chargée(s) : ligne « Autres »" in caplog.text


# --- Refused files -------------------------------------------------------------------------------


def with_cells(dataset_id: str, line: int, changes: dict[int, str], out: Path) -> Path:
    """Copy of a fixture with cells of one line replaced (``line`` as in the file, header = 1)."""
    with open(DATA / f"{dataset_id}.csv", encoding="utf-8-sig", newline="") as fh:
        table = list(csv.reader(fh, delimiter=";"))
    for column, value in changes.items():
        table[line - 1][column] = value
    with open(out, "w", encoding="utf-8", newline="") as fh:
        csv.writer(fh, delimiter=";", lineterminator="\n").writerows(table)
    return out


@pytest.mark.parametrize(
    ("dataset_id", "line", "changes", "column_name", "words"),
    [
        (SNEE, 4, {13: "12 abc"}, "montant_de_la_subvention", "valeur « 12 abc » : nombre attendu"),
        (SNEE, 6, {13: "99999,99"}, "depenses_realisees_par_la_collectivite", "reste à charge négatif"),
        (SNEE, 3, {8: "123"}, "code_commune_siege", "code commune « 123 »"),
        (SNEE, 5, {7: "552032534"}, "siren_signataire_de_la_convention", "SIREN « 552032534 »"),
        (SNEE, 2, {12: ""}, "depenses_realisees_par_la_collectivite", "valeur manquante"),
        (SNEE, 7, {12: "-5"}, "depenses_realisees_par_la_collectivite", "montant négatif"),
        (HYBRIDATION, 3, {6: "12 abc"}, "montant_de_la_subvention", "nombre attendu"),
        (HYBRIDATION, 7, {5: "1,00"}, "depenses_realisees_par_la_collectivite", "reste à charge négatif"),
        (ECOLES, 4, {0: "035059"}, "uai", "UAI « 035059 »"),
        (ECOLES, 5, {3: "Saint-Malo"}, "commune_code", "code commune « Saint-Malo »"),
        (TNE_DEPLOIEMENT, 5, {2: "99"}, "numero_du_departement", "numéro de département « 99 »"),
        (TNE_DEPLOIEMENT, 3, {1: "13", 6: "bientôt"}, "date_des_donnees", "période illisible"),
        (TNE_DEPLOIEMENT, 4, {5: "12 abc"}, "nombre_d_eleves", "nombre attendu"),
        (TNE_PERSONNELS, 2, {6: "12 abc"}, "nombre_de_personnels_formes", "nombre attendu"),
        ("fr-en-gar-acces_academie", 4, {3: "99"}, "code_academie", "code académie « 99 »"),
        ("fr-en-gar-accedants_academie2024-2025", 3, {7: "beaucoup"}, "nombre_d_accedants", "nombre attendu"),
    ],
)
def test_bad_file_is_refused_and_changes_nothing(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    dataset_id: str,
    line: int,
    changes: dict[int, str],
    column_name: str,
    words: str,
) -> None:
    db = tmp_path / "w.duckdb"
    assert load(dataset_id, DATA / f"{dataset_id}.csv", db) == 0
    store = staging_path(db)
    before = sha256(store)
    bad = with_cells(dataset_id, line, changes, tmp_path / "mauvais.csv")
    capsys.readouterr()
    assert load(dataset_id, bad, db) == 2
    err = capsys.readouterr().err
    assert f"fichier « mauvais.csv », ligne {line}, colonne « {column_name} »" in err
    assert words in err
    assert sha256(store) == before
