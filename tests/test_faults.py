"""Faults: a build killed mid-way (SIGKILL) leaves the previous warehouse intact and usable."""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import duckdb

from tests.conftest import TEST_SEED

ROOT = Path(__file__).resolve().parents[1]


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def start_build(db: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "explorer", "build", "--source", "demo", "--db", str(db), "--scope", "academie:14",
         "--seed", str(TEST_SEED)],
        cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip


def test_a_killed_build_leaves_the_previous_warehouse_and_the_next_build_recovers(rennes_db, tmp_path):
    db = tmp_path / "warehouse.duckdb"
    shutil.copy(rennes_db, db)
    before = sha256(db)
    schools = duckdb.connect(str(db), read_only=True).execute("select count(*) from school").fetchone()[0]

    # Kill the build while it loads the staging tables, well before the final swap.
    build = start_build(db)
    for line in build.stderr:
        if "Contrôle et chargement" in line:
            break
    os.kill(build.pid, signal.SIGKILL)
    build.wait(timeout=30)
    assert build.returncode == -signal.SIGKILL

    assert sha256(db) == before  # not one byte changed
    con = duckdb.connect(str(db), read_only=True)
    assert con.execute("select count(*) from school").fetchone()[0] == schools
    con.close()
    assert (tmp_path / "warehouse.duckdb.building").exists()  # the half-written file, never swapped in

    # The next build needs no manual step: the lock died with the process, the leftover is removed.
    again = start_build(db)
    _, err = again.communicate(timeout=300)
    assert again.returncode == 0, err
    assert not (tmp_path / "warehouse.duckdb.building").exists()
    con = duckdb.connect(str(db), read_only=True)
    assert con.execute("select count(*) from school").fetchone()[0] == schools
    con.close()
