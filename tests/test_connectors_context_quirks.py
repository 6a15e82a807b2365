"""IPS, pupil and DNMA connectors on the publishers' own export layouts and their quirks.

The ``*.libelles.csv`` / ``*.champs.csv`` fixtures are lines copied unchanged from the portal's
exports (see tests/data/connectors/README.md, « Contexte et usages »): « NS » instead of an
IPS, « Année scolaire » instead of « Rentrée scolaire », ``ips_etab`` for the whole lycée.
Every expected value is read here from the file with the csv module.
"""

from __future__ import annotations

import csv
import hashlib
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from explorer.cli.main import main
from explorer.connectors.store import staging_path

FIXTURES = Path(__file__).parent / "data" / "connectors"


def rows_of(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(path.read_text(encoding="utf-8-sig").splitlines(), delimiter=";"))


def load(dataset: str, path: Path, db: Path) -> int:
    return main(["load", dataset, str(path), "--db", str(db)])


def staged_ips(db: Path) -> dict[str, tuple[str, Decimal]]:
    with duckdb.connect(str(staging_path(db)), read_only=True) as con:
        rows = con.execute("select uai, school_year, ips from stg_ips").fetchall()
    return {uai: (year, Decimal(str(ips)).quantize(Decimal("0.1"))) for uai, year, ips in rows}


def test_ips_ecoles_ap2022_ns_is_left_out_and_counted(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    """The portal's labels export writes « NS » where the DEPP publishes no IPS."""
    path = FIXTURES / "fr-en-ips-ecoles-ap2022.libelles.csv"
    rows = rows_of(path)
    ns = [r["UAI"] for r in rows if r["IPS"] == "NS"]
    expected = {r["UAI"]: ("2022-2023", Decimal(r["IPS"]).quantize(Decimal("0.1"))) for r in rows if r["IPS"] != "NS"}
    assert len(rows) == 11 and len(ns) == 4 and len(expected) == 7
    assert load("fr-en-ips-ecoles-ap2022", path, tmp_path / "w.duckdb") == 0
    assert staged_ips(tmp_path / "w.duckdb") == expected
    assert "4 ligne(s) non chargée(s) : IPS « NS » (non significatif" in caplog.text
    assert "non renseigné" not in caplog.text  # no empty cell in this file: nothing else counted


def test_ips_colleges_ap2023_labels_export_reads_annee_scolaire(tmp_path: Path) -> None:
    path = FIXTURES / "fr-en-ips-colleges-ap2023.libelles.csv"
    rows = rows_of(path)
    assert next(iter(rows[0])) == "Année scolaire"
    expected = {r["UAI"]: (r["Année scolaire"], Decimal(r["IPS"]).quantize(Decimal("0.1"))) for r in rows}
    assert load("fr-en-ips-colleges-ap2023", path, tmp_path / "w.duckdb") == 0
    staged = staged_ips(tmp_path / "w.duckdb")
    assert staged == expected and len(staged) == 8
    # the département and académie reference IPS of the same lines are not what is staged
    assert staged["0590002G"] == ("2024-2025", Decimal("82.2"))


def test_ips_lycees_ap2023_stages_the_whole_school_ips_etab(tmp_path: Path) -> None:
    path = FIXTURES / "fr-en-ips-lycees-ap2023.champs.csv"
    rows = rows_of(path)
    expected = {r["uai"]: (r["rentree_scolaire"], Decimal(r["ips_etab"]).quantize(Decimal("0.1"))) for r in rows}
    assert load("fr-en-ips-lycees-ap2023", path, tmp_path / "w.duckdb") == 0
    staged = staged_ips(tmp_path / "w.duckdb")
    assert staged == expected
    # LPO Jesse de Forest: voie GT 101, voie pro 76, établissement 96.8 → the whole school.
    assert staged["0590018Z"] == ("2023-2024", Decimal("96.8"))
    # LP Léo Lagrange: voie GT 91.2, établissement 82.5.
    assert staged["0620059C"] == ("2023-2024", Decimal("82.5"))


def test_college_pupils_field_name_export(tmp_path: Path) -> None:
    """The same collège lines under the portal's field names (``nombre_eleves_total``)."""
    labels = rows_of(FIXTURES / "fr-en-college-effectifs-niveau-sexe-lv.csv")
    pupils_label = list(labels[0])[11]  # « Nombre d'élèves total (nombre d'élèves dans les formations…) »
    path = tmp_path / "colleges.csv"
    path.write_text(
        "rentree_scolaire;numero_college;nombre_eleves_total;nombre_d_eleves_total_segpa\n"
        + "".join(f"{r['Rentrée scolaire']};{r['Numéro du collège']};{r[pupils_label]};0\n" for r in labels),
        encoding="utf-8",
    )
    expected = sum(int(r[pupils_label]) for r in labels)
    assert load("fr-en-college-effectifs-niveau-sexe-lv", path, tmp_path / "w.duckdb") == 0
    with duckdb.connect(str(staging_path(tmp_path / "w.duckdb")), read_only=True) as con:
        assert con.execute("select count(*), sum(pupils) from stg_enrolment").fetchall() == [(len(labels), expected)]


def test_rentree_exported_as_a_date_reads_as_its_school_year(tmp_path: Path) -> None:
    raw = (FIXTURES / "fr-en-lycee_pro-effectifs-niveau-sexe-lv.csv").read_text(encoding="utf-8")
    rows = rows_of(FIXTURES / "fr-en-lycee_pro-effectifs-niveau-sexe-lv.csv")
    assert {r["rentree_scolaire"] for r in rows} == {"2021"}
    path = tmp_path / "lycees_pro.csv"
    path.write_text(raw.replace("\n2021;", "\n2021-01-01;"), encoding="utf-8")
    assert load("fr-en-lycee_pro-effectifs-niveau-sexe-lv", path, tmp_path / "w.duckdb") == 0
    with duckdb.connect(str(staging_path(tmp_path / "w.duckdb")), read_only=True) as con:
        got = con.execute("select list(distinct school_year), count(*), sum(pupils) from stg_enrolment").fetchall()
    assert got == [(["2021-2022"], len(rows), sum(int(r["nombre_d_eleves"]) for r in rows))]


def test_dnma_load_prints_the_visits_total(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = FIXTURES / "fr-en-dnma-par-uai-profils.csv"
    rows = rows_of(path)
    profiles = ("eleve", "parent", "enseignant", "admin_vie_scol_tech")
    total = sum(int(r[f"visites_{p}"]) for r in rows for p in profiles if r[f"visites_{p}"])
    globales = sum(int(r["visites_globales"]) for r in rows)
    assert load("fr-en-dnma-par-uai-profils", path, tmp_path / "w.duckdb") == 0
    out = capsys.readouterr().out
    assert "somme stg_usage.visits" in out and f"{total:,}".replace(",", "\u202f") in out
    assert f"{total + globales:,}".replace(",", "\u202f") not in out  # « globales » is never added


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.parametrize(
    ("dataset", "old", "new", "expected"),
    [
        ("fr-en-ips_ecoles", ";0352443R;", ";352443R;", ("ligne 2", "colonne « uai »", "« 352443R »")),
        ("fr-en-ecoles-effectifs-nb_classes", ";12;289;", ";12;-289;", ("ligne 2", "« -289 »", "entier positif")),
        ("fr-en-lycee_gt-effectifs-niveau-sexe-lv", ";PUBLIC;98;", ";PUBLIC;98,5;",
         ("ligne 2", "colonne « pupils »", "« 98,5 »")),
        ("fr-en-lycee_pro-effectifs-niveau-sexe-lv", "\n2021;", "\n2021-2023;",
         ("ligne 2", "colonne « rentree_scolaire »", "« 2021-2023 »")),
        ("fr-en-dnma-par-uai-profils", ";01:02:03;2702;", ";01:02:03;-2702;",
         ("ligne 2", "colonne « visites_eleve »", "« -2702 »")),
        ("fr-en-dnma-par-uai-profils", ";0350122T;", ";0350122;", ("ligne 3", "colonne « uai »", "« 0350122 »")),
    ],
)  # fmt: skip
def test_malformed_value_names_line_and_column_and_changes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], dataset: str, old: str, new: str, expected: tuple[str, ...]
) -> None:
    db = tmp_path / "w.duckdb"
    assert load("fr-en-ips_colleges", FIXTURES / "fr-en-ips_colleges.csv", db) == 0
    before = sha256(staging_path(db))
    raw = (FIXTURES / f"{dataset}.csv").read_text(encoding="utf-8-sig")
    assert raw.count(old) >= 1
    bad = tmp_path / "bad.csv"
    bad.write_text(raw.replace(old, new, 1), encoding="utf-8")
    capsys.readouterr()
    assert load(dataset, bad, db) == 2
    err = capsys.readouterr().err
    for part in ("fichier « bad.csv »", *expected):
        assert part in err, err
    assert "Traceback" not in err
    assert sha256(staging_path(db)) == before
