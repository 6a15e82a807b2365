"""Issue 9, bad input for ``load``: every file of tests/data/bad/load/ (described in
tests/data/bad/README.md) is either refused with a French message naming the file, the line and
the column, leaving the staging store byte-for-byte unchanged, or loaded with its values kept as
plain text. Expected values are read from the corpus files here with the csv module.
"""

from __future__ import annotations

import csv
import hashlib
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest

from explorer import connectors
from explorer.connectors.store import load_file, staging_path
from explorer.errors import ContractError, SourceFileError

BAD = Path(__file__).parent / "data" / "bad" / "load"
FIXTURES = Path(__file__).parent / "data" / "connectors"
ANNUAIRE = "fr-en-annuaire-education"
GEOLOC = "fr-en-adresse-et-geolocalisation-etablissements-premier-et-second-degre"


@dataclass(frozen=True)
class Refused:
    error: type[Exception]
    line: int | None
    column: str | None
    says: str  # a fragment of the French message
    dataset: str = ANNUAIRE


REFUSED = {
    "binary.csv": Refused(SourceFileError, None, None, "Fichier binaire non reconnu"),
    "blank_lines_only.csv": Refused(SourceFileError, 1, None, "Séparateur de colonnes introuvable"),
    "commune_bad_departement_2C.csv": Refused(ContractError, 6, "commune_code", "« 2C004 » refusée"),
    "commune_letter_o.csv": Refused(ContractError, 3, "commune_code", "« 35O50 » refusée"),
    "commune_six_digits.csv": Refused(ContractError, 7, "commune_code", "« 350131 » refusée"),
    "concatenated_exports.csv": Refused(SourceFileError, 5, "lat", "« latitude » : nombre attendu"),
    "corrupt.xlsx": Refused(SourceFileError, None, None, "Classeur XLSX illisible"),
    "duplicated_lines.csv": Refused(SourceFileError, 8, None, "ligne identique à la ligne 3"),
    "empty.csv": Refused(SourceFileError, None, None, "Le fichier est vide"),
    "header_only.csv": Refused(SourceFileError, None, None, "aucune ligne de données"),
    "latitude_not_a_number.csv": Refused(SourceFileError, 5, "lat", "« quarante-huit » : nombre attendu"),
    "missing_column_code_commune.csv": Refused(SourceFileError, 1, "commune_code", "colonne obligatoire absente"),
    "sector_unknown.csv": Refused(ContractError, 4, "sector", "« semi-public » refusée"),
    "truncated.parquet": Refused(SourceFileError, None, None, "Parquet illisible"),
    "truncated_mid_line.csv": Refused(SourceFileError, 7, None, "fichier tronqué"),
    "uai_malformed.csv": Refused(ContractError, 4, "uai", "« 035019U » refusée"),
    "uai_too_long.csv": Refused(ContractError, 5, "uai", "« 03502555M » refusée"),
    "unclosed_quote.csv": Refused(SourceFileError, 5, None, "guillemet non fermé"),
    "utf8_bom_latin1_bytes.csv": Refused(SourceFileError, 2, None, "réenregistrez-le en « CSV UTF-8 »"),
    "wrong_dataset.csv": Refused(SourceFileError, 1, "uai", "colonne obligatoire absente", GEOLOC),
    "wrong_separator_colon.csv": Refused(SourceFileError, 1, None, "Séparateur de colonnes introuvable"),
    "wrong_separator_comma.csv": Refused(SourceFileError, 2, None, "70 colonnes pour 69"),
    # Numbers, codes and dates of the other families of datasets.
    "ips_not_a_number.csv": Refused(SourceFileError, 2, "ips", "« cent-quinze » : nombre attendu", "fr-en-ips_ecoles"),
    "pupils_negative.csv": Refused(
        SourceFileError, 2, "pupils", "« -289 » : un nombre entier positif ou nul", "fr-en-ecoles-effectifs-nb_classes"
    ),
    "snee_subsidy_above_spending.csv": Refused(
        SourceFileError,
        2,
        "depenses_realisees_par_la_collectivite",
        "reste à charge négatif",
        "fr-en-aap-snee-collectivites",
    ),
    "dgfip_amount_text.csv": Refused(
        SourceFileError, 2, "obnetdeb", "« douze mille » : nombre attendu", "balances-comptables-des-communes-en-2024"
    ),
    "ofgl_departement_malformed.csv": Refused(
        SourceFileError, 2, "dep_code", "code « 3X5 » invalide", "ofgl-base-departements"
    ),
    "dnma_week_not_monday.csv": Refused(
        SourceFileError, 7, "debutsemaine", "« 2025-09-09 » n'est pas un lundi", "fr-en-dnma-par-uai-profils"
    ),
}
# File → encoding to read it with here; these load, values kept verbatim as text.
LOADS = {
    "cp1252_apostrophe.csv": "cp1252",
    "extra_columns.csv": "utf-8-sig",
    "formula_injection_names.csv": "utf-8-sig",
    "html_in_names.csv": "utf-8-sig",
    "latin1_no_bom.csv": "latin-1",
    "longitude_decimal_comma.csv": "utf-8-sig",
    "uai_lowercase.csv": "utf-8-sig",
}


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_the_table_covers_the_whole_corpus() -> None:
    files = {p.name for p in BAD.iterdir()}
    assert files == set(REFUSED) | set(LOADS)
    assert len(files) >= 20


@pytest.fixture(scope="module")
def populated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store holding the valid annuaire and géolocalisation fixtures."""
    db = tmp_path_factory.mktemp("populated") / "w.duckdb"
    load_file(db, connectors.get(ANNUAIRE), FIXTURES / f"{ANNUAIRE}.csv")
    load_file(db, connectors.get(GEOLOC), FIXTURES / f"{GEOLOC}.csv")
    return db


@pytest.fixture
def db(populated: Path, tmp_path: Path) -> Path:
    target = tmp_path / "w.duckdb"
    shutil.copyfile(staging_path(populated), staging_path(target))
    return target


def staged(db: Path, source: str = ANNUAIRE) -> dict[str, tuple[str, str, float | None]]:
    con = duckdb.connect(str(staging_path(db)), read_only=True)
    try:
        rows = con.execute("select uai, name, commune_code, lon from stg_school where source = ?", [source]).fetchall()
    finally:
        con.close()
    return {uai: (name, commune, lon) for uai, name, commune, lon in rows}


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_refused_file_names_line_and_column_and_changes_nothing(db: Path, name: str) -> None:
    case = REFUSED[name]
    before = sha256(staging_path(db))
    with pytest.raises((SourceFileError, ContractError)) as caught:
        load_file(db, connectors.get(case.dataset), BAD / name)
    exc = caught.value
    assert type(exc) is case.error
    message = str(exc)
    assert case.says in message
    assert exc.line == case.line and exc.column == case.column
    if case.line is not None:
        assert f"ligne {case.line}" in message
    if case.column is not None:
        assert f"colonne « {case.column} »" in message
    if isinstance(exc, SourceFileError):
        assert f"fichier « {name} »" in message
    assert sha256(staging_path(db)) == before
    assert not [p for p in db.parent.iterdir() if p.name.endswith((".loading", ".wal"))]


def expected_from_csv(path: Path, encoding: str) -> dict[str, tuple[str, str]]:
    """UAI (upper-cased as the contract does) → (name, commune) of the écoles, collèges, lycées."""
    with open(path, encoding=encoding, newline="") as fh:
        rows = list(csv.DictReader(fh, delimiter=";"))
    return {
        r["Identifiant_de_l_etablissement"].upper(): (r["Nom_etablissement"], r["Code_commune"])
        for r in rows
        if r["Type_etablissement"] in {"Ecole", "Collège", "Lycée"}
    }


@pytest.mark.parametrize("name", sorted(LOADS))
def test_file_that_should_load_keeps_values_as_text(db: Path, name: str) -> None:
    geoloc_before = staged(db, GEOLOC)
    result = load_file(db, connectors.get(ANNUAIRE), BAD / name)
    expected = expected_from_csv(BAD / name, LOADS[name])
    assert result.rows == {"stg_school": len(expected)} and len(expected) == 6
    got = staged(db)
    assert {uai: (n, c) for uai, (n, c, _) in got.items()} == expected  # the replaced annuaire rows
    assert staged(db, GEOLOC) == geoloc_before  # the other dataset is untouched
    if name == "formula_injection_names.csv":
        names = {n for n, _, _ in got.values()}
        assert {'=HYPERLINK("http://example.invalid","Cliquez")', "+33 2 99 00 00 00", "-1+1", "@SUM(A1:A3)"} <= names
    if name == "html_in_names.csv":
        assert "<script>alert('x')</script>" in {n for n, _, _ in got.values()}
    if name == "cp1252_apostrophe.csv":
        assert got["0350165P"][0] == "École Saint-Joseph d\u2019Arc \u2013 Cœur de ville"
    if name == "latin1_no_bom.csv":
        assert got["0350165P"][0] == "Ecole élémentaire publique de Cardroc"
    if name == "longitude_decimal_comma.csv":
        assert got["0350122T"][2] == pytest.approx(-1.9294895)


def test_very_large_file_is_refused_above_the_limit(db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A generated file (not committed) over a lowered EXPLORER_MAX_FILE_BYTES."""
    lines = (FIXTURES / f"{ANNUAIRE}.csv").read_bytes().split(b"\r\n")
    big = tmp_path / "annuaire_enorme.csv"
    with open(big, "wb") as fh:
        fh.write(lines[0] + b"\r\n")
        for i in range(600):
            fh.write(f"{i:07d}Z".encode() + lines[1][8:] + b"\r\n")
    size = big.stat().st_size
    assert size > 250_000
    monkeypatch.setenv("EXPLORER_MAX_FILE_BYTES", "250000")
    before = sha256(staging_path(db))
    with pytest.raises(SourceFileError, match=r"Fichier trop volumineux \(3\d\d ko, limite 250 ko\)"):
        load_file(db, connectors.get(ANNUAIRE), big)
    assert sha256(staging_path(db)) == before
    monkeypatch.setenv("EXPLORER_MAX_FILE_BYTES", str(size))  # at the limit it loads
    assert load_file(db, connectors.get(ANNUAIRE), big).rows == {"stg_school": 600}


@pytest.mark.parametrize("name", ["utf8_bom_latin1_bytes.csv", "uai_malformed.csv", "corrupt.xlsx"])
def test_cli_prints_the_french_message_without_traceback(db: Path, name: str) -> None:
    before = sha256(staging_path(db))
    run = subprocess.run(
        [sys.executable, "-m", "explorer", "load", ANNUAIRE, str(BAD / name), "--db", str(db)],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=Path(__file__).parents[1],
    )
    assert run.returncode == 2
    assert run.stderr.startswith("Erreur : ") and REFUSED[name].says in run.stderr
    assert "Traceback" not in run.stderr
    assert sha256(staging_path(db)) == before
