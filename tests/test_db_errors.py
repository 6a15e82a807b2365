"""A file that is not a warehouse, given to any command or to the app, gets a French message naming
the file and what to do — never a DuckDB traceback."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from explorer.errors import NotAWarehouseError
from explorer.warehouse.db import connect, connect_snapshot

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def text_file(tmp_path: Path) -> Path:
    path = tmp_path / "notes.txt"
    path.write_text("pas une base\n", encoding="utf-8")
    return path


@pytest.fixture
def forecasts_store(tmp_path: Path) -> Path:
    path = tmp_path / "warehouse.duckdb.forecasts.duckdb"
    con = duckdb.connect(str(path))
    con.execute("create table models (level varchar)")
    con.close()
    return path


@pytest.mark.parametrize("opener", [connect, connect_snapshot])
def test_a_text_file_is_named_and_refused(opener, text_file):
    with pytest.raises(NotAWarehouseError, match=r"« notes\.txt » n'est pas un entrepôt .* pas une base DuckDB"):
        opener(text_file)


@pytest.mark.parametrize("opener", [connect, connect_snapshot])
def test_the_forecasts_store_is_recognised(opener, forecasts_store):
    with pytest.raises(NotAWarehouseError, match="magasin des prévisions"):
        opener(forecasts_store)


@pytest.mark.parametrize(
    "command",
    [
        ["-m", "explorer", "typology", "--level", "departement", "--out", "x.csv"],
        ["-m", "explorer", "report", "--territory", "departement:35", "--format", "csv", "--out", "x.csv"],
        ["-m", "explorer", "effects", "investment", "--level", "departement", "--out", "x.csv"],
        ["-m", "forecasting", "backtest", "--level", "departement", "--limit", "1"],
    ],
)
def test_commands_say_it_in_french(command, forecasts_store, tmp_path):
    done = subprocess.run(
        [sys.executable, *command, "--db", str(forecasts_store)],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert done.returncode != 0
    assert "Traceback" not in done.stderr
    assert "n'est pas un entrepôt" in done.stderr or "pas un entrepôt" in done.stderr
