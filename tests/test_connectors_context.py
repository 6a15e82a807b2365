"""IPS, pupil counts and ENT audience connectors: fixtures and real extracts, checked by hand.

Every expected value is computed here from the file with the csv module, never by the code
under test.
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
IPS_IDS = [
    "fr-en-ips_ecoles",
    "fr-en-ips-ecoles-ap2022",
    "fr-en-ips_colleges",
    "fr-en-ips-colleges-ap2023",
    "fr-en-ips_lycees",
    "fr-en-ips-lycees-ap2023",
]
ENROLMENT_IDS = {
    "fr-en-ecoles-effectifs-nb_classes": ("Numéro de l'école", "Nombre total d'élèves"),
    "fr-en-college-effectifs-niveau-sexe-lv": ("Numéro du collège", 11),  # column 12: long label
    "fr-en-lycee_gt-effectifs-niveau-sexe-lv": ("numero_lycee", "nombre_d_eleves"),
    "fr-en-lycee_pro-effectifs-niveau-sexe-lv": ("numero_lycee", "nombre_d_eleves"),
}


def read_rows(path: Path) -> list[dict[str, str]]:
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("latin-1")
    return list(csv.DictReader(text.splitlines(), delimiter=";"))


def number(text: str) -> Decimal:
    return Decimal(text.replace(",", "."))


def load(dataset: str, path: Path, db: Path) -> int:
    return main(["load", dataset, str(path), "--db", str(db)])


def query(db: Path, sql: str) -> list[tuple]:
    with duckdb.connect(str(staging_path(db)), read_only=True) as con:
        return con.execute(sql).fetchall()


def school_year(text: str) -> str:
    start = int(text[:4])
    return f"{start}-{start + 1}"


def expected_ips(rows: list[dict[str, str]]) -> dict[tuple[str, str], Decimal]:
    out = {}
    for row in rows:
        key = {k.lower(): v for k, v in row.items()}
        value = ""
        for name in ("ips", "ips ensemble gt-pro", "ips_ensemble_gt_pro", "ips voie gt", "ips_voie_gt",
                     "ips voie pro", "ips_voie_pro"):  # fmt: skip
            if key.get(name):
                value = key[name]
                break
        year = key.get("rentrée scolaire") or key.get("rentree_scolaire") or ""
        if value:
            out[(key["uai"], school_year(year))] = number(value)
    return out


@pytest.mark.parametrize("dataset", IPS_IDS)
def test_ips_fixture_stages_one_row_per_school_with_a_value(dataset: str, tmp_path: Path) -> None:
    path = FIXTURES / f"{dataset}.csv"
    expected = expected_ips(read_rows(path))
    assert load(dataset, path, tmp_path / "w.duckdb") == 0
    staged = query(tmp_path / "w.duckdb", "select uai, school_year, ips from stg_ips")
    assert {(u, y): Decimal(str(v)).quantize(Decimal("0.1")) for u, y, v in staged} == expected
    assert len(staged) == len(expected)


def test_ips_row_without_value_is_left_out_and_counted(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    path = FIXTURES / "fr-en-ips-ecoles-ap2022.csv"
    rows = read_rows(path)
    empty = sum(1 for r in rows if not r["ips"])
    assert empty == 1
    assert load("fr-en-ips-ecoles-ap2022", path, tmp_path / "w.duckdb") == 0
    assert query(tmp_path / "w.duckdb", "select count(*) from stg_ips") == [(len(rows) - empty,)]
    assert "1 ligne(s) non chargée(s) : IPS non renseigné" in caplog.text
    # rentrée 2022 of the new method: the school year is 2022-2023, decimal commas read.
    assert query(tmp_path / "w.duckdb", "select distinct school_year from stg_ips") == [("2022-2023",)]


def test_lycee_ips_falls_back_to_the_track_values(tmp_path: Path) -> None:
    path = tmp_path / "lycees.csv"
    path.write_text(
        "rentree_scolaire;uai;ips_voie_gt;ips_voie_pro;ips_ensemble_gt_pro\n"
        "2021-2022;0350024L;133,8;;133,8\n"
        "2021-2022;0350028R;115,5;;\n"
        "2021-2022;0350030T;;92,4;\n"
        "2021-2022;0350031U;;;\n",
        encoding="utf-8",
    )
    assert load("fr-en-ips_lycees", path, tmp_path / "w.duckdb") == 0
    staged = dict(query(tmp_path / "w.duckdb", "select uai, round(ips, 1) from stg_ips"))
    assert staged == {"0350024L": 133.8, "0350028R": 115.5, "0350030T": 92.4}


@pytest.mark.parametrize("dataset", list(ENROLMENT_IDS))
def test_enrolment_fixture_rows_and_pupils(dataset: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = FIXTURES / f"{dataset}.csv"
    uai_col, pupils_col = ENROLMENT_IDS[dataset]
    rows = read_rows(path)
    if isinstance(pupils_col, int):
        pupils_col = list(rows[0])[pupils_col]
    expected = {(r[uai_col], school_year(r[next(iter(r))])): int(r[pupils_col]) for r in rows}
    assert load(dataset, path, tmp_path / "w.duckdb") == 0
    staged = query(tmp_path / "w.duckdb", "select uai, school_year, pupils from stg_enrolment")
    assert {(u, y): p for u, y, p in staged} == expected and len(staged) == len(rows)
    total = f"{sum(expected.values()):,}".replace(",", "\u202f")
    assert total in capsys.readouterr().out  # the reconciliation line a user checks


def test_enrolment_prints_the_pupils_total(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = FIXTURES / "fr-en-ecoles-effectifs-nb_classes.csv"
    total = sum(int(r["Nombre total d'élèves"]) for r in read_rows(path))
    assert load("fr-en-ecoles-effectifs-nb_classes", path, tmp_path / "w.duckdb") == 0
    out = capsys.readouterr().out
    assert "somme stg_enrolment.pupils" in out and f"{total:,}".replace(",", "\u202f") in out


def dnma_expected(path: Path, names: dict[str, str]) -> dict[tuple[str, str, str], tuple[int, int]]:
    out = {}
    for row in read_rows(path):
        row = {k.lower(): v for k, v in row.items()}
        for source_name, value in names.items():
            if row[f"visites_{source_name}"]:
                out[(row["debutsemaine"], row["uai"], value)] = (
                    int(row[f"visites_{source_name}"]),
                    int(row[f"utilisateurs_{source_name}"]),
                )
    return out


def test_dnma_profiles_become_one_row_per_week_school_and_profile(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = FIXTURES / "fr-en-dnma-par-uai-profils.csv"
    names = {"eleve": "eleve", "parent": "parent", "enseignant": "enseignant", "admin_vie_scol_tech": "personnel"}
    expected = dnma_expected(path, names)
    assert load("fr-en-dnma-par-uai-profils", path, tmp_path / "w.duckdb") == 0
    staged = query(
        tmp_path / "w.duckdb", "select cast(week_start as varchar), uai, profile, visits, users from stg_usage"
    )
    assert {(w, u, p): (v, n) for w, u, p, v, n in staged} == expected
    assert len(expected) == 15 * 4 - 3  # 3 weeks × 5 schools × 4 profiles, 3 measures empty
    # « globales » is the total of the profiles: never staged.
    assert query(tmp_path / "w.duckdb", "select count(*) from stg_usage where profile not in "
                 "('eleve', 'parent', 'enseignant', 'personnel')") == [(0,)]  # fmt: skip
    assert "3 ligne(s) non chargée(s) : mesures vides" in caplog.text


def test_dnma_services_stage_the_resource_families_only(tmp_path: Path) -> None:
    path = FIXTURES / "fr-en-dnma-par-uai-services.csv"
    families = [
        "manuel_numerique",
        "ressource_multimedia",
        "ressource_documentaire",
        "ressource_orientation",
        "ressource_production",
        "ressource_accompagnement_entrainement",
        "ressource_reference_dictionnaire",
    ]
    expected = dnma_expected(path, {f: f for f in families})
    assert load("fr-en-dnma-par-uai-services", path, tmp_path / "w.duckdb") == 0
    staged = query(tmp_path / "w.duckdb", "select cast(week_start as varchar), uai, resource, visits, users "
                   "from stg_resource_use")  # fmt: skip
    assert {(w, u, r): (v, n) for w, u, r, v, n in staged} == expected
    assert len(staged) == 2 * 3 * 7 - 2  # messaging, timetable… are not resources


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.parametrize(
    ("dataset", "fixture", "old", "new", "expected"),
    [
        ("fr-en-ips_ecoles", "fr-en-ips_ecoles", ";115.7", ";abc", ("ligne 2", "colonne « ips »", "« abc »")),
        ("fr-en-ips-colleges-ap2023", "fr-en-ips-colleges-ap2023", "2023;", "rentrée;",
         ("ligne 2", "colonne « rentree_scolaire »", "rentrée « rentrée »")),
        ("fr-en-dnma-par-uai-profils", "fr-en-dnma-par-uai-profils", "2025-09-01", "01/13/2025",
         ("ligne 2", "colonne « debutsemaine »", "illisible")),
        ("fr-en-dnma-par-uai-profils", "fr-en-dnma-par-uai-profils", "2025-09-08", "2025-09-09",
         ("ligne 7", "colonne « debutsemaine »", "« 2025-09-09 » n'est pas un lundi")),
    ],
)  # fmt: skip
def test_bad_value_is_refused_with_line_and_column_and_changes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], dataset: str, fixture: str, old: str, new: str,
    expected: tuple[str, ...],
) -> None:  # fmt: skip
    db = tmp_path / "w.duckdb"
    assert load("fr-en-ips_colleges", FIXTURES / "fr-en-ips_colleges.csv", db) == 0
    before = sha256(staging_path(db))
    raw = (FIXTURES / f"{fixture}.csv").read_bytes().decode("utf-8-sig")
    assert old in raw
    bad = tmp_path / "bad.csv"
    bad.write_text(raw.replace(old, new, 1), encoding="utf-8")
    capsys.readouterr()
    assert load(dataset, bad, db) == 2
    err = capsys.readouterr().err
    for part in expected:
        assert part in err, err
    assert sha256(staging_path(db)) == before


# --- Real extracts (../shared/data/real) ------------------------------------------------------


def test_real_ips_ecoles_loads_all_32091_rows(shared_real: Path, tmp_path: Path) -> None:
    path = shared_real / "ips_ecoles_france_2021_2022.csv"
    rows = read_rows(path)
    assert len(rows) == 32_091
    total = sum(number(r["IPS"]) for r in rows)
    assert load("fr-en-ips_ecoles", path, tmp_path / "w.duckdb") == 0
    [(n, staged_total, years)] = query(
        tmp_path / "w.duckdb", "select count(*), sum(ips), list(distinct school_year) from stg_ips"
    )
    assert n == 32_091 and years == ["2021-2022"]
    assert Decimal(str(staged_total)).quantize(Decimal("0.1")) == total


@pytest.mark.parametrize(
    ("dataset", "name", "rows"),
    [
        ("fr-en-ips-colleges-ap2023", "ips_colleges_france_2023.csv", 6_973),
        ("fr-en-ips_lycees", "ips_lycees_france_2016_2022.csv", 21_777),
    ],
)
def test_real_ips_colleges_and_lycees(shared_real: Path, tmp_path: Path, dataset: str, name: str, rows: int) -> None:
    path = shared_real / name
    expected = expected_ips(read_rows(path))
    assert len(expected) == rows
    assert load(dataset, path, tmp_path / "w.duckdb") == 0
    [(n, total)] = query(tmp_path / "w.duckdb", "select count(*), sum(ips) from stg_ips")
    assert n == rows
    assert Decimal(str(total)).quantize(Decimal("0.1")) == sum(expected.values())


@pytest.mark.parametrize(
    ("dataset", "name", "rows", "uai", "pupils"),
    [
        ("fr-en-ecoles-effectifs-nb_classes", "effectifs_ecoles_dep35.csv", 2_704, "Numéro de l'école",
         "Nombre total d'élèves"),
        ("fr-en-college-effectifs-niveau-sexe-lv", "effectifs_colleges_dep35.csv", 374, "Numéro du collège", 11),
        ("fr-en-lycee_gt-effectifs-niveau-sexe-lv", "effectifs_lycees_gt_france.csv", 7_506, "numero_lycee",
         "nombre_d_eleves"),
    ],
)  # fmt: skip
def test_real_pupil_counts(
    shared_real: Path, tmp_path: Path, dataset: str, name: str, rows: int, uai: str, pupils: str | int
) -> None:
    path = shared_real / name
    data = read_rows(path)
    column = list(data[0])[pupils] if isinstance(pupils, int) else pupils
    assert len(data) == rows
    total = sum(int(r[column]) for r in data)
    assert load(dataset, path, tmp_path / "w.duckdb") == 0
    assert query(tmp_path / "w.duckdb", "select count(*), sum(pupils) from stg_enrolment") == [(rows, total)]


def test_real_joins_ips_schools_and_pupils(shared_real: Path, tmp_path: Path) -> None:
    """Dép. 35: IPS écoles ↔ annuaire ↔ pupils, the joins SOURCES.md quotes."""
    db = tmp_path / "w.duckdb"
    assert load("fr-en-annuaire-education", shared_real / "annuaire_education_dep35_ille_et_vilaine.csv", db) == 0
    assert load("fr-en-ips_ecoles", shared_real / "ips_ecoles_france_2021_2022.csv", db) == 0
    assert load("fr-en-ecoles-effectifs-nb_classes", shared_real / "effectifs_ecoles_dep35.csv", db) == 0
    ips_35 = {r["UAI"] for r in read_rows(shared_real / "ips_ecoles_france_2021_2022.csv")
              if r["Code du département"] == "035"}  # fmt: skip
    annuaire = {r["Identifiant_de_l_etablissement"]
                for r in read_rows(shared_real / "annuaire_education_dep35_ille_et_vilaine.csv")}  # fmt: skip
    [(joined,)] = query(db, "select count(distinct i.uai) from stg_ips as i join stg_school as s using (uai) "
                        "where s.commune_code like '35%'")  # fmt: skip
    assert joined == len(ips_35 & annuaire) == 534
    pupils_2022 = query(db, "select count(distinct e.uai), count(distinct s.uai) from stg_enrolment as e "
                        "left join stg_school as s using (uai) where e.school_year = '2022-2023'")  # fmt: skip
    assert pupils_2022 == [(675, 675)]
