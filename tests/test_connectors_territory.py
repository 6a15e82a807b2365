"""Local-finance and geography-refresh connectors: OFGL, DGFiP balances, COG, populations, DGCL, académies.

Each dataset is loaded through the CLI (``python -m explorer load``) into a temporary staging
store; expected counts and sums come from the csv module or are hand-checked constants written
next to the fixture rows they come from (tests/data/connectors/README.md).
"""

from __future__ import annotations

import csv
import hashlib
import json
from decimal import Decimal
from pathlib import Path

import duckdb
import openpyxl
import pytest
from shapely import wkb

from explorer.cli.main import main
from explorer.connectors import all_connectors
from explorer.connectors.dgfip import commune_from_dgfip, counts_as_school_equipment
from explorer.connectors.files import read_table
from explorer.connectors.store import staging_path
from explorer.errors import SourceFileError

FIXTURES = Path(__file__).parent / "data" / "connectors"
OFGL_IDS = [
    f"ofgl-base-{base}{suffix}"
    for suffix in ("", "-consolidee")
    for base in ("communes", "gfp", "departements", "regions")
]
DGFIP_IDS = [f"balances-comptables-des-communes-en-{year}" for year in range(2019, 2026)]
GEO_IDS = ["insee-cog-communes", "insee-populations-legales", "dgcl-epci-composition", "fr-en-contour-academies-2020"]


def load(capsys: pytest.CaptureFixture[str], dataset: str, path: Path, db: Path) -> tuple[int, str, str]:
    rc = main(["load", dataset, str(path), "--db", str(db)])
    out, err = capsys.readouterr()
    return rc, out, err


def query(db: Path, sql: str, params: list[object] | None = None) -> list[tuple]:
    con = duckdb.connect(str(staging_path(db)), read_only=True)
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def fixture(dataset: str) -> Path:
    found = sorted(FIXTURES.glob(f"{dataset}.*"))
    assert found, f"no fixture for {dataset}"
    return found[0]


def csv_rows(path: Path, delimiter: str = ";", encoding: str = "utf-8-sig") -> list[dict[str, str]]:
    with open(path, encoding=encoding, newline="") as fh:
        return list(csv.DictReader(fh, delimiter=delimiter))


def test_every_dataset_is_registered_with_its_portal_and_has_a_fixture() -> None:
    connectors = all_connectors()
    for dataset in OFGL_IDS:
        assert connectors[dataset].portal == "ofgl"
    for dataset in DGFIP_IDS:
        assert connectors[dataset].portal == "economie"
    assert connectors["insee-cog-communes"].portal is None
    assert connectors["fr-en-contour-academies-2020"].portal == "education"
    for dataset in OFGL_IDS + DGFIP_IDS + GEO_IDS:
        fixture(dataset)


# --- OFGL -----------------------------------------------------------------------------------


def _ofgl_expected(path: Path) -> tuple[int, Decimal, Decimal | None]:
    """Rows staged, Σ montant (€) and Σ per-inhabitant, from the csv module alone."""
    rows = csv_rows(path)
    header = rows[0].keys()
    amount = "Montant" if "Montant" in header else "montant"
    per_hab = next((h for h in ("Montant en € par habitant", "euros_par_habitant") if h in header), None)
    kept = [r for r in rows if "Type de budget" not in header or r["Type de budget"] == "Budget principal"]
    total = sum((Decimal(r[amount]) for r in kept), Decimal(0))
    hab_total = sum((Decimal(r[per_hab]) for r in kept), Decimal(0)) if per_hab else None
    return len(kept) * (2 if per_hab else 1), total, hab_total


@pytest.mark.parametrize("dataset", OFGL_IDS)
def test_ofgl_fixture_rows_and_sums_match_the_csv_module(
    dataset: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = fixture(dataset)
    rc, out, err = load(capsys, dataset, path, tmp_path / "w.duckdb")
    assert rc == 0, err
    n, total, hab_total = _ofgl_expected(path)
    assert query(tmp_path / "w.duckdb", "select count(*) from stg_territory_fact")[0][0] == n
    staged = dict(query(tmp_path / "w.duckdb", "select unit, sum(value) from stg_territory_fact group by unit"))
    assert staged["€"] == pytest.approx(float(total), abs=1e-6)
    if hab_total is None:
        assert "€/hab" not in staged
    else:
        assert staged["€/hab"] == pytest.approx(float(hab_total), abs=1e-6)
    assert f"{n:,}".replace(",", "\u202f") in out


def test_ofgl_communes_keeps_the_budget_principal_hand_checked(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "w.duckdb"
    assert load(capsys, "ofgl-base-communes", fixture("ofgl-base-communes"), db)[0] == 0
    rows = query(db, "select level, code, period, indicator, value, unit from stg_territory_fact order by all")
    # 4 « Budget principal » lines of 6 (the annexes RESTAURATION SCOLAIRE and PORT DE PLAISANCE are left out),
    # headers of vintage 2023 (« Code Insee 2023 Commune ») read like the 2024 ones.
    assert rows == [
        ("commune", "2A004", "2023", "Dépenses d'équipement", 23456789.01, "€"),
        ("commune", "2A004", "2023", "Dépenses d'équipement (€/hab)", 320.02, "€/hab"),
        ("commune", "2A004", "2023", "Epargne nette", -1234567.5, "€"),
        ("commune", "2A004", "2023", "Epargne nette (€/hab)", -16.84, "€/hab"),
        ("commune", "35238", "2023", "Dépenses d'équipement", 61234567.89, "€"),
        ("commune", "35238", "2023", "Dépenses d'équipement (€/hab)", 272.83, "€/hab"),
        ("commune", "35238", "2023", "Frais de personnel", 180000000.5, "€"),
        ("commune", "35238", "2023", "Frais de personnel (€/hab)", 801.99, "€/hab"),
    ]


def test_ofgl_codes_are_normalised_per_level(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "w.duckdb"
    for dataset in ("ofgl-base-departements", "ofgl-base-regions-consolidee", "ofgl-base-gfp"):
        assert load(capsys, dataset, fixture(dataset), db)[0] == 0
    codes = query(db, "select distinct level, code from stg_territory_fact order by all")
    # '035' → '35', '971' stays; région '1' → '01'; EPCI by SIREN
    assert codes == [
        ("departement", "35"),
        ("departement", "971"),
        ("epci", "200018653"),
        ("epci", "243500139"),
        ("region", "01"),
        ("region", "53"),
    ]


def _copy_with(src: Path, dst: Path, old: str, new: str, encoding: str = "utf-8") -> Path:
    text = src.read_text(encoding=encoding)
    assert text.count(old) >= 1
    dst.write_text(text.replace(old, new, 1), encoding=encoding, newline="")
    return dst


@pytest.mark.parametrize(
    ("old", "new", "line", "column", "value"),
    [
        ("61234567.89", "abc", 2, "montant", "abc"),  # first data line (header = line 1)
        (
            ";35238;Rennes;Commune;213502388;35238;21350238800017;RENNES;Budget principal;M57;Frais",
            ";3523800;Rennes;Commune;213502388;35238;21350238800017;RENNES;Budget principal;M57;Frais",
            3,
            "com_code",
            "3523800",
        ),
    ],
)
def test_ofgl_malformed_value_names_line_and_column_and_changes_nothing(
    old: str, new: str, line: int, column: str, value: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "w.duckdb"
    assert load(capsys, "ofgl-base-communes", fixture("ofgl-base-communes"), db)[0] == 0
    before = sha256(staging_path(db))
    bad = _copy_with(fixture("ofgl-base-communes"), tmp_path / "bad.csv", old, new)
    rc, _, err = load(capsys, "ofgl-base-communes", bad, db)
    assert rc == 2
    assert f"ligne {line}" in err and f"colonne « {column} »" in err and value in err and "bad.csv" in err
    assert sha256(staging_path(db)) == before


def test_ofgl_duplicate_agregat_without_budget_type_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    src = fixture("ofgl-base-communes-consolidee")
    lines = src.read_text(encoding="utf-8").splitlines()
    bad = tmp_path / "doublon.csv"
    # Same commune, exercice and agrégat with another amount: not an identical line (the reader
    # refuses those earlier), a conflicting one.
    conflicting = lines[1].replace("63000000.25", "64000000.25")
    assert conflicting != lines[1]
    bad.write_text("\n".join([*lines, conflicting]) + "\n", encoding="utf-8")
    rc, _, err = load(capsys, "ofgl-base-communes-consolidee", bad, tmp_path / "w.duckdb")
    assert rc == 2
    assert "figure deux fois pour 35238 en 2022 (lignes 2 et 6)" in err
    assert not staging_path(tmp_path / "w.duckdb").exists()


def test_ofgl_file_with_only_annexes_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = fixture("ofgl-base-regions")
    bad = tmp_path / "annexes.csv"
    bad.write_text(src.read_text(encoding="utf-8-sig").replace("Budget principal", "Budget annexe"), encoding="utf-8")
    rc, _, err = load(capsys, "ofgl-base-regions", bad, tmp_path / "w.duckdb")
    assert rc == 2 and "aucune ligne « Budget principal »" in err and "type_de_budget" in err


# --- DGFiP balances ---------------------------------------------------------------------------


def test_school_equipment_rule_on_toy_lines() -> None:
    assert counts_as_school_equipment("21831", None)  # school-specific account, no function
    assert counts_as_school_equipment("21831", "213")
    assert not counts_as_school_equipment("21831", "020")  # filled with a non-school function
    assert counts_as_school_equipment("2183", "21")
    assert counts_as_school_equipment("2183", "902")  # chapter « enseignement » of a budget voted by function
    assert not counts_as_school_equipment("2183", "")  # office IT of the town hall cannot be told apart
    assert not counts_as_school_equipment("21838", None)
    assert counts_as_school_equipment("21838", "212")
    assert not counts_as_school_equipment("2184", "21")  # furniture


def test_commune_code_from_ndept_and_insee() -> None:
    assert commune_from_dgfip("013", "055") == "13055"
    assert commune_from_dgfip("02A", "004") == "2A004"
    assert commune_from_dgfip("971", "101") == "97101"
    assert commune_from_dgfip("035", "238") == "35238"
    assert commune_from_dgfip("035", "1234567") is None


@pytest.mark.parametrize("year", range(2019, 2026))
def test_dgfip_balance_hand_checked(year: int, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    dataset = f"balances-comptables-des-communes-en-{year}"
    db = tmp_path / "w.duckdb"
    rc, out, err = load(capsys, dataset, fixture(dataset), db)
    assert rc == 0, err
    rows = query(
        db,
        "select year, funder_level, funder_code, programme, category, uai, amount_eur from stg_investment order by 3",
    )
    # Rennes: 21831 fn 213 (12 500,50 − 500,50 ordre) + 21838 fn 212 (2 000,25); 2183 fn 020 and 21838 without
    # function are out. Ajaccio: 21831 without function (4 321,09); its annexe (CBUDG 2) is out. Marseille: 2183
    # fn 902 (7 777,77). Les Abymes: 2183 fn 21 is only ordre (1 000 − 1 000), 2184 is furniture → no row.
    assert rows == [
        (year, "commune", "13055", "droit_commun", "equipement", None, 7777.77),
        (year, "commune", "2A004", "droit_commun", "equipement", None, 4321.09),
        (year, "commune", "35238", "droit_commun", "equipement", None, 14000.25),
    ]
    assert "26\u202f099,11" in out


@pytest.mark.parametrize(
    ("old", "new", "line", "column", "dataset"),
    [
        ("12 500,50", "abc", 2, "obnetdeb", "balances-comptables-des-communes-en-2024"),
        ("035;RENNES;238;1", "035;RENNES;1234567;1", 2, "insee", "balances-comptables-des-communes-en-2024"),
        # file unchanged, offered under the 2023 id: its exercice 2024 is refused
        ("2024;21350238800017", "2024;21350238800017", 2, "exer", "balances-comptables-des-communes-en-2023"),
    ],
)
def test_dgfip_malformed_lines_name_line_and_column(
    old: str, new: str, line: int, column: str, dataset: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "w.duckdb"
    assert load(capsys, "ofgl-base-regions", fixture("ofgl-base-regions"), db)[0] == 0
    before = sha256(staging_path(db))
    src = fixture("balances-comptables-des-communes-en-2024")
    bad = _copy_with(src, tmp_path / "balance.csv", old, new, encoding="latin-1")
    rc, _, err = load(capsys, dataset, bad, db)
    assert rc == 2
    assert f"ligne {line}" in err and f"colonne « {column} »" in err
    assert sha256(staging_path(db)) == before


# --- Geography refresh ------------------------------------------------------------------------


def test_cog_keeps_communes_only(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "w.duckdb"
    rows = csv_rows(fixture("insee-cog-communes"), delimiter=",")
    assert load(capsys, "insee-cog-communes", fixture("insee-cog-communes"), db)[0] == 0
    staged = query(db, "select code, name, departement_code, epci_code, population from stg_commune order by 1")
    assert [r[0] for r in staged] == sorted(r["COM"] for r in rows if r["TYPECOM"] == "COM")
    assert len(staged) == 7  # of 10 lines: the COMD Arbignieu (01015), the ARM Paris 1er and a COMA are out
    assert ("01015", "Arboys en Bugey", "01", None, None) in staged
    assert ("97101", "Les Abymes", "971", None, None) in staged


def test_populations_sum_pmun(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "w.duckdb"
    rows = csv_rows(fixture("insee-populations-legales"))
    assert load(capsys, "insee-populations-legales", fixture("insee-populations-legales"), db)[0] == 0
    n, total = query(db, "select count(*), sum(population) from stg_commune")[0]
    assert (n, total) == (len(rows), sum(int(r["PMUN"]) for r in rows)) == (6, 374_949)


def _epcicom_xlsx(csv_path: Path, xlsx: Path) -> Path:
    """The DGCL workbook layout: sheet EpcicomYYYY, numbers as numbers, codes as text."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Epcicom2025"
    numeric = {"siren", "nb_membres", "total_pop_tot", "total_pop_mun", "siren_membre", "ptot_2025", "pmun_2025"}
    with open(csv_path, encoding="utf-8", newline="") as fh:
        reader = csv.reader(fh, delimiter=";")
        header = next(reader)
        sheet.append(header)
        for row in reader:
            sheet.append([int(v) if h in numeric else v for h, v in zip(header, row, strict=True)])
    book.save(xlsx)
    return xlsx


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_dgcl_epci_and_member_communes(kind: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = fixture("dgcl-epci-composition")
    path = src if kind == "csv" else _epcicom_xlsx(src, tmp_path / "epcicom2025.xlsx")
    db = tmp_path / "w.duckdb"
    rc, _, err = load(capsys, "dgcl-epci-composition", path, db)
    assert rc == 0, err
    rows = csv_rows(src)
    assert query(db, "select code, name, kind from stg_epci order by 1") == [
        ("200018653", "CA CAP Excellence", "CA"),
        ("242010056", "CA du Pays Ajaccien", "CA"),
        ("243500139", "Rennes Métropole", "METRO"),
    ]
    staged = query(db, "select code, name, departement_code, epci_code, population from stg_commune order by 1")
    assert staged == sorted((r["insee"], r["nom_membre"], r["dep_com"], r["siren"], int(r["pmun_2025"])) for r in rows)
    assert sum(r[4] for r in staged) == 400_402


def test_read_table_turns_a_feature_collection_into_rows(tmp_path: Path) -> None:
    frame = read_table(fixture("fr-en-contour-academies-2020"))
    assert list(frame["code_academie"]) == ["27", "32"]
    assert frame["name"].tolist() == ["Corse", "Guadeloupe"]
    assert isinstance(frame["geometry_wkb"].iloc[0], bytes)
    assert json.loads(frame["geo_point_2d"].iloc[0])["lat"] == pytest.approx(42.1, abs=0.2)
    not_geojson = tmp_path / "x.json"
    not_geojson.write_text('{"results": []}', encoding="utf-8")
    with pytest.raises(SourceFileError, match="FeatureCollection"):
        read_table(not_geojson)
    truncated = tmp_path / "tronque.geojson"
    truncated.write_bytes(fixture("fr-en-contour-academies-2020").read_bytes()[:500])
    with pytest.raises(SourceFileError, match="JSON illisible"):
        read_table(truncated)


def test_academie_shapes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "w.duckdb"
    assert load(capsys, "fr-en-contour-academies-2020", fixture("fr-en-contour-academies-2020"), db)[0] == 0
    rows = query(db, "select level, code, geometry_wkb from stg_territory_shape order by code")
    assert [(r[0], r[1]) for r in rows] == [("academie", "27"), ("academie", "32")]
    corse = wkb.loads(bytes(rows[0][2]))
    lon_min, lat_min, lon_max, lat_max = corse.bounds  # WGS84 degrees: Corse lies within 8.5–9.6 E, 41.3–43.1 N
    assert 8.4 < lon_min < lon_max < 9.7 and 41.3 < lat_min < lat_max < 43.1


def test_academie_without_geometry_names_the_feature(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = json.loads(fixture("fr-en-contour-academies-2020").read_text(encoding="utf-8"))
    data["features"][1]["geometry"] = None
    bad = tmp_path / "academies.geojson"
    bad.write_text(json.dumps(data), encoding="utf-8")
    rc, _, err = load(capsys, "fr-en-contour-academies-2020", bad, tmp_path / "w.duckdb")
    assert rc == 2 and "ligne 2" in err and "académie 32" in err


@pytest.mark.parametrize(
    ("dataset", "old", "new", "column"),
    [
        ("insee-cog-communes", "COM,35238,", "COM,3523800,", "com"),
        ("insee-populations-legales", ";Rennes;230890;", ";Rennes;abc;", "pmun"),
        ("dgcl-epci-composition", ";35;35024;", ";35;3502400;", "insee"),
    ],
)
def test_geography_malformed_values_change_nothing(
    dataset: str, old: str, new: str, column: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "w.duckdb"
    assert load(capsys, dataset, fixture(dataset), db)[0] == 0
    before = sha256(staging_path(db))
    src = fixture(dataset)
    bad = _copy_with(src, tmp_path / src.name, old, new)
    text_lines = bad.read_text(encoding="utf-8").splitlines()
    line = next(i for i, t in enumerate(text_lines, start=1) if new in t)
    rc, _, err = load(capsys, dataset, bad, db)
    assert rc == 2
    assert f"ligne {line}" in err and f"colonne « {column} »" in err
    assert sha256(staging_path(db)) == before


# --- Real extracts (../shared/data/real) ---------------------------------------------------------


def test_real_ofgl_guadeloupe(shared_real: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = shared_real / "ofgl_base_communes_2024_guadeloupe.csv"
    rows = csv_rows(path)
    assert len(rows) == 2505
    kept = [r for r in rows if r["Type de budget"] == "Budget principal"]
    with_hab = [r for r in kept if r["Montant en € par habitant"]]
    total = sum((Decimal(r["Montant"]) for r in kept), Decimal(0))
    communes = {r["Code Insee 2024 Commune"] for r in rows}
    db = tmp_path / "w.duckdb"
    rc, _, err = load(capsys, "ofgl-base-communes", path, db)
    assert rc == 0, err
    n, staged_total = query(db, "select count(*), sum(value) filter (where unit = '€') from stg_territory_fact")[0]
    assert n == len(kept) + len(with_hab) == 3102
    assert staged_total == pytest.approx(float(total), abs=1e-3)
    staged_codes = {r[0] for r in query(db, "select distinct code from stg_territory_fact")}
    assert staged_codes == communes
    assert len(staged_codes) == 32 and all(c.startswith("971") for c in staged_codes)


def test_real_cog_and_populations(shared_real: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "w.duckdb"
    cog = shared_real / "insee_cog2026_communes.csv"
    assert load(capsys, "insee-cog-communes", cog, db)[0] == 0
    expected = sum(1 for r in csv_rows(cog, delimiter=",") if r["TYPECOM"] == "COM")
    assert query(db, "select count(*) from stg_commune where source = 'insee-cog-communes'")[0][0] == expected == 34_875
    pop = shared_real / "insee_population_legale_communes.csv"
    rows = csv_rows(pop)
    assert load(capsys, "insee-populations-legales", pop, db)[0] == 0
    n, total = query(
        db, "select count(*), sum(population) from stg_commune where source = 'insee-populations-legales'"
    )[0]
    assert (n, total) == (len(rows), sum(int(r["PMUN"]) for r in rows))
    assert n == 34_900


def test_real_dgcl_workbook(shared_real: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rows = csv_rows(shared_real / "dgcl_epcicom2025_composition_epci.csv")
    db = tmp_path / "w.duckdb"
    rc, _, err = load(capsys, "dgcl-epci-composition", shared_real / "dgcl_epcicom2025_composition_epci.xlsx", db)
    assert rc == 0, err
    assert query(db, "select count(*) from stg_epci")[0][0] == len({r["siren"] for r in rows}) == 1255
    n, total = query(db, "select count(*), sum(population) from stg_commune")[0]
    assert (n, total) == (len(rows), sum(int(r["pmun_2025"]) for r in rows))
    assert n == 34_871


def test_real_academie_contours(shared_real: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = shared_real / "geo_academies_contours_2020.geojson"
    codes = sorted(f["properties"]["code_academie"] for f in json.loads(path.read_text(encoding="utf-8"))["features"])
    db = tmp_path / "w.duckdb"
    assert load(capsys, "fr-en-contour-academies-2020", path, db)[0] == 0
    assert [r[0] for r in query(db, "select code from stg_territory_shape order by code")] == codes
    assert len(codes) == 30


def test_ofgl_reconciliation_total_is_the_euro_amounts_only(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The printed total is Σ Montant of the kept rows: € and €/hab are never added."""
    path = FIXTURES / "ofgl-base-communes.csv"
    with open(path, encoding="utf-8-sig", newline="") as fh:
        rows = [r for r in csv.DictReader(fh, delimiter=";") if r["Type de budget"] == "Budget principal"]
    total = sum(float(r["Montant"].replace(",", ".")) for r in rows)
    assert main(["load", "ofgl-base-communes", str(path), "--db", str(tmp_path / "w.duckdb")]) == 0
    out = capsys.readouterr().out
    expected = f"{total:,.2f}".replace(",", "\u202f").replace(".", ",")
    assert "somme stg_territory_fact.value (€)" in out and expected in out
