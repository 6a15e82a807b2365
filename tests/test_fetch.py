"""``fetch`` against a real HTTP server on 127.0.0.1 serving the fixtures of tests/data/connectors.

Expected rows are computed here with the csv module from the fixture files; the server counts
the requests it gets, which proves cache hits, retries and refetches.
"""

from __future__ import annotations

import csv
import hashlib
import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

from explorer import connectors
from explorer.connectors.fetch import RetryPolicy, export_request, fetch, fetch_and_load
from explorer.connectors.store import staging_path
from explorer.errors import FetchError
from tests.ods_server import FIXTURES, OdsServer, fixture_rows

FAST = RetryPolicy(attempts=4, base_delay=0.01, timeout=5, chunk=512)
ANNUAIRE = "fr-en-annuaire-education"
GEOLOC = "fr-en-adresse-et-geolocalisation-etablissements-premier-et-second-degre"
SCHOOL_TYPES = {"Ecole", "Collège", "Lycée"}  # the annuaire's Type_etablissement of écoles/collèges/lycées


@pytest.fixture
def ods() -> Iterator[OdsServer]:
    with OdsServer() as server:
        yield server


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def annuaire_schools(where_commune: str | None = None) -> dict[str, tuple[str, str]]:
    """UAI → (name, commune) of the fixture's écoles, collèges and lycées, read with csv."""
    with open(FIXTURES / f"{ANNUAIRE}.csv", encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh, delimiter=";"))
    return {
        r["Identifiant_de_l_etablissement"]: (r["Nom_etablissement"], r["Code_commune"])
        for r in rows
        if r["Type_etablissement"] in SCHOOL_TYPES and (where_commune is None or r["Code_commune"] == where_commune)
    }


def staged_schools(db: Path, source: str = ANNUAIRE) -> dict[str, tuple[str, str]]:
    con = duckdb.connect(str(staging_path(db)), read_only=True)
    try:
        rows = con.execute("select uai, name, commune_code from stg_school where source = ?", [source]).fetchall()
    finally:
        con.close()
    return {uai: (name, commune) for uai, name, commune in rows}


def test_plain_fetch_stages_the_fixture_rows(ods: OdsServer, tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    result = fetch_and_load(db, connectors.get(ANNUAIRE), None, tmp_path / "cache", ods.base_url, FAST)
    expected = annuaire_schools()
    assert len(expected) == 12  # 15 lines: 12 schools + IME, CIO and a circonscription (left out)
    assert result.rows == {"stg_school": 12}
    assert staged_schools(db) == expected
    export = [r for r in ods.state.requests if r.kind == "export"]
    assert len(export) == 1 and export[0].params == {"delimiter": ";"}
    [sidecar] = (tmp_path / "cache").glob("*.json")
    meta = json.loads(sidecar.read_text())
    assert meta["sha256"] == sha256(FIXTURES / f"{ANNUAIRE}.csv")  # no where: the bytes as served
    assert meta["rows"] == 15 and meta["size"] == (FIXTURES / f"{ANNUAIRE}.csv").stat().st_size


def test_where_is_sent_to_both_endpoints_and_filters(ods: OdsServer, tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    where = "code_commune='35288'"  # Saint-Malo: 1 lycée and the CIO in the fixture
    fetch_and_load(db, connectors.get(ANNUAIRE), where, tmp_path / "cache", ods.base_url, FAST)
    assert {r.params.get("where") for r in ods.state.requests} == {where}
    assert staged_schools(db) == annuaire_schools("35288")
    assert len(annuaire_schools("35288")) == 1


def test_503_then_200_succeeds_after_a_retry(ods: OdsServer, tmp_path: Path) -> None:
    ods.state.faults["export"] = ["503"]
    ods.state.faults["records"] = ["429"]
    result = fetch_and_load(tmp_path / "w.duckdb", connectors.get(ANNUAIRE), None, tmp_path / "c", ods.base_url, FAST)
    assert result.rows == {"stg_school": 12}
    assert ods.state.count("export") == 2 and ods.state.count("records") == 2


def test_retries_give_up_with_a_french_message(ods: OdsServer, tmp_path: Path) -> None:
    ods.state.faults["export"] = ["500"] * 4
    with pytest.raises(FetchError, match="échec après 4 tentatives"):
        fetch(connectors.get(ANNUAIRE), None, tmp_path / "c", ods.base_url, FAST)
    assert ods.state.count("export") == 4
    assert list((tmp_path / "c").iterdir()) == []  # no .part left behind


def test_404_fails_at_once_in_french(ods: OdsServer, tmp_path: Path) -> None:
    ods.state.faults["records"] = ["404"]
    with pytest.raises(FetchError, match="jeu introuvable sur le portail"):
        fetch(connectors.get(ANNUAIRE), None, tmp_path / "c", ods.base_url, FAST)
    assert ods.state.count("records") == 1  # no retry on a 404


def test_bad_where_is_a_french_400(ods: OdsServer, tmp_path: Path) -> None:
    with pytest.raises(FetchError, match="filtre --where « code_commune in"):
        fetch(connectors.get(ANNUAIRE), "code_commune in ('35288')", tmp_path / "c", ods.base_url, FAST)


def test_unreachable_portal_is_a_french_error(tmp_path: Path) -> None:
    with OdsServer() as server:
        base = server.base_url
    with pytest.raises(FetchError, match="échec après 2 tentatives"):
        fetch(connectors.get(ANNUAIRE), None, tmp_path / "c", base, RetryPolicy(attempts=2, base_delay=0.01, timeout=2))


@pytest.mark.parametrize("ranges", [True, False], ids=["resume-with-range", "restart"])
def test_connection_dropped_mid_body(ods: OdsServer, tmp_path: Path, ranges: bool) -> None:
    ods.state.no_ranges = not ranges
    ods.state.faults["export"] = ["drop"]
    db = tmp_path / "w.duckdb"
    fetch_and_load(db, connectors.get(ANNUAIRE), None, tmp_path / "c", ods.base_url, FAST)
    exports = [r for r in ods.state.requests if r.kind == "export"]
    assert len(exports) == 2
    size = (FIXTURES / f"{ANNUAIRE}.csv").stat().st_size
    resumed = exports[1].headers.get("Range")
    if ranges:  # the bytes before the cut (whole chunks of 512) are kept, the rest is asked for
        assert resumed is not None and 0 < int(resumed.removeprefix("bytes=").rstrip("-")) <= size // 2
    else:
        assert resumed is None
    assert staged_schools(db) == annuaire_schools()
    [data] = [p for p in (tmp_path / "c").iterdir() if p.suffix == ".csv"]
    assert sha256(data) == sha256(FIXTURES / f"{ANNUAIRE}.csv")


def test_cache_hit_makes_no_export_request(ods: OdsServer, tmp_path: Path) -> None:
    connector = connectors.get(ANNUAIRE)
    first = fetch(connector, None, tmp_path / "c", ods.base_url, FAST)
    second = fetch(connector, None, tmp_path / "c", ods.base_url, FAST)
    assert second.path == first.path and ods.state.count("export") == 1
    assert ods.state.count("records") == 2  # the count is still checked against the portal
    other = fetch(connector, "code_commune='35288'", tmp_path / "c", ods.base_url, FAST)
    assert other.path != first.path and ods.state.count("export") == 2  # another where, another key


@pytest.mark.parametrize("damage", ["content", "sidecar-missing", "sidecar-invalid"])
def test_corrupted_cache_is_refetched(ods: OdsServer, tmp_path: Path, damage: str) -> None:
    connector = connectors.get(ANNUAIRE)
    entry = fetch(connector, None, tmp_path / "c", ods.base_url, FAST)
    sidecar = entry.path.with_name(entry.path.name + ".json")
    if damage == "content":
        data = bytearray(entry.path.read_bytes())
        data[200] ^= 0x01  # same size, one bit flipped
        entry.path.write_bytes(bytes(data))
    elif damage == "sidecar-missing":
        sidecar.unlink()
    else:
        sidecar.write_text("{not json")
    db = tmp_path / "w.duckdb"
    fetch_and_load(db, connector, None, tmp_path / "c", ods.base_url, FAST)
    assert ods.state.count("export") == 2
    assert sha256(entry.path) == sha256(FIXTURES / f"{ANNUAIRE}.csv")
    assert staged_schools(db) == annuaire_schools()


def test_part_file_is_never_a_cache_hit(ods: OdsServer, tmp_path: Path) -> None:
    connector = connectors.get(ANNUAIRE)
    entry = fetch(connector, None, tmp_path / "c", ods.base_url, FAST)
    part = entry.path.with_name(entry.path.name + ".part")
    entry.path.rename(part)  # as if a run had been killed before the final rename
    fetch(connector, None, tmp_path / "c", ods.base_url, FAST)
    assert ods.state.count("export") == 2 and not part.exists()


def test_row_count_mismatch_refuses_and_leaves_the_store_alone(ods: OdsServer, tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    fetch_and_load(db, connectors.get(GEOLOC), None, tmp_path / "c", ods.base_url, FAST)
    before = sha256(staging_path(db))
    ods.state.count_offset = 1
    with pytest.raises(FetchError, match="15 lignes de données, l'API en annonce 16"):
        fetch_and_load(db, connectors.get(ANNUAIRE), None, tmp_path / "c", ods.base_url, FAST)
    assert sha256(staging_path(db)) == before
    assert not [p for p in (tmp_path / "c").iterdir() if ANNUAIRE in p.name]  # nothing cached


def test_dataset_without_portal_is_refused_in_french() -> None:
    from dataclasses import replace

    offline = replace(connectors.get(ANNUAIRE), portal=None)
    with pytest.raises(FetchError, match="pas publié sur un portail Opendatasoft"):
        export_request(offline, None, None)


def test_cli_fetch(ods: OdsServer, tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "explorer",
            "fetch",
            GEOLOC,
            "--db",
            str(db),
            "--cache",
            str(tmp_path / "c"),
            "--base-url",
            ods.base_url,
        ],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=Path(__file__).parents[1],
    )
    assert run.returncode == 0, run.stderr
    assert "stg_school" in run.stdout and "12 lignes" in run.stdout


PORTAL_CONNECTORS = [c for c in connectors.all_connectors().values() if c.portal is not None]


@pytest.mark.parametrize("connector", PORTAL_CONNECTORS, ids=lambda c: c.dataset_id)
def test_every_portal_connector_fetches_its_fixture(ods: OdsServer, tmp_path: Path, connector: object) -> None:
    from explorer.connectors.base import Connector
    from explorer.connectors.fetch import export_format

    assert isinstance(connector, Connector)
    found = sorted(FIXTURES.glob(f"{connector.dataset_id}.*"))
    fmt = export_format(connector)
    fixture = FIXTURES / f"{connector.dataset_id}.{fmt}"
    assert fixture.is_file(), (
        f"{connector.dataset_id} is fetched as exports/{fmt} but {fixture.name} is missing from tests/data/connectors"
        + (f" (found {[p.name for p in found]}: set export_params={{'format': ...}})" if found else "")
    )
    db = tmp_path / "w.duckdb"
    result = fetch_and_load(db, connector, None, tmp_path / "c", ods.base_url, FAST)
    assert sum(result.rows.values()) > 0
    con = duckdb.connect(str(staging_path(db)), read_only=True)
    try:
        [(sha, file_name)] = con.execute(
            "select sha256, file_name from load_log where dataset_id = ?", [connector.dataset_id]
        ).fetchall()
    finally:
        con.close()
    assert sha == sha256(fixture)  # the bytes staged are the fixture's, whatever the format
    assert file_name.startswith(connector.dataset_id)
    assert fixture_rows(fixture) > 0
