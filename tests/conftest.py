"""Shared fixtures: small seeded warehouses built once per test session."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from explorer.facts import secrecy
from explorer.facts.secrecy import Secrecy
from explorer.warehouse.build import build
from explorer.warehouse.scope import parse_scope

SHARED_REAL = Path(__file__).resolve().parents[2] / "shared" / "data" / "real"
TEST_SEED = 7


@pytest.fixture(scope="session")
def rennes_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Demo warehouse of académie 14 (Rennes: 22, 29, 35, 56), seed 7."""
    path = tmp_path_factory.mktemp("rennes") / "warehouse.duckdb"
    build(path, scope=parse_scope("academie:14"), seed=TEST_SEED)
    return path


@pytest.fixture(scope="session")
def rennes(rennes_db: Path) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect(str(rennes_db), read_only=True)
    yield con
    con.close()


@pytest.fixture(scope="session")
def national_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """National demo warehouse (about 45 s): used by the tests marked slow."""
    path = tmp_path_factory.mktemp("national") / "warehouse.duckdb"
    build(path, seed=TEST_SEED)
    return path


@pytest.fixture(scope="session")
def national(national_db: Path) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect(str(national_db), read_only=True)
    yield con
    con.close()


@pytest.fixture(scope="session")
def shared_real() -> Path:
    """The real extracts of ../shared/data/real, or a skip when absent."""
    if not SHARED_REAL.is_dir():
        pytest.skip("../shared/data/real absent : tests sur données réelles ignorés")
    return SHARED_REAL


@pytest.fixture(scope="session")
def rennes_null_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The null world of académie 14, seed 7: same draws, no investment or programme effect."""
    path = tmp_path_factory.mktemp("rennes_null") / "warehouse.duckdb"
    build(path, scope=parse_scope("academie:14"), seed=TEST_SEED, effects="none")
    return path


@pytest.fixture(scope="session")
def rennes_null(rennes_null_db: Path) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect(str(rennes_null_db), read_only=True)
    yield con
    con.close()


@pytest.fixture
def secrecy_on(monkeypatch: pytest.MonkeyPatch) -> Secrecy:
    """The masking thresholds of a deployment that loads non-public data: 5 schools, 11 users
    (the default is no masking: the figures the tool shows are public)."""
    monkeypatch.setenv(secrecy.ENV_MIN_SCHOOLS, "5")
    monkeypatch.setenv(secrecy.ENV_MIN_USERS, "11")
    return secrecy.setting()


@pytest.fixture(scope="session")
def one_school_commune(rennes: duckdb.DuckDBPyConnection) -> str:
    """The first commune of the Rennes warehouse with a single school (a mayor's usual case)."""
    (code,) = rennes.execute(
        "select commune_code from school group by 1 having count(*) = 1 order by 1 limit 1"
    ).fetchone()
    return code


@pytest.fixture
def downloads(monkeypatch: pytest.MonkeyPatch) -> dict[str, object]:
    """The deferred download callables the pages register in AppTest, by file name (latest run
    wins; a test calls one to read the file a user would download)."""
    from streamlit.runtime.media_file_manager import MediaFileManager

    seen: dict[str, object] = {}
    original = MediaFileManager.add_deferred

    def recording(self, data_callable, mimetype, coordinates, file_name=None, **kwargs):
        seen[file_name] = data_callable
        return original(self, data_callable, mimetype, coordinates, file_name, **kwargs)

    monkeypatch.setattr(MediaFileManager, "add_deferred", recording)
    return seen
