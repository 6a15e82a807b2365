"""Faults: ``python -m explorer load`` killed with SIGKILL mid-way leaves the staging store
byte-for-byte as it was, and the next load succeeds with no manual step.

The file is generated here (not committed): the annuaire fixture's first line repeated with
unique UAIs, large enough for the load to take a few seconds.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from explorer import connectors
from explorer.connectors.store import file_sha256 as sha256
from explorer.connectors.store import load_file, staging_path

ROOT = Path(__file__).resolve().parents[1]
FIXTURE = ROOT / "tests" / "data" / "connectors" / "fr-en-annuaire-education.csv"
ANNUAIRE = "fr-en-annuaire-education"
ROWS = 120_000


def has_open(pid: int, path: Path) -> bool:
    """Whether process ``pid`` holds ``path`` open (Linux: its ``/proc/<pid>/fd`` links)."""
    target = str(path.resolve())
    try:
        fds = list(Path(f"/proc/{pid}/fd").iterdir())
    except OSError:
        return False
    for fd in fds:
        try:
            if os.readlink(fd) == target:
                return True
        except OSError:  # closed between the listing and the read
            continue
    return False


def big_annuaire(path: Path, rows: int, prefix: str) -> Path:
    """``rows`` écoles: the fixture's first line with UAI 0000000A, 0000001A… and a tagged name."""
    header, first = FIXTURE.read_bytes().split(b"\r\n")[:2]
    fields = first.split(b";")
    with open(path, "wb") as fh:
        fh.write(header + b"\r\n")
        for i in range(rows):
            fields[0] = f"{i:07d}A".encode()
            fields[1] = f"{prefix} {i}".encode()
            fh.write(b";".join(fields) + b"\r\n")
    return path


def store_rows(db: Path) -> tuple[int, int]:
    con = duckdb.connect(str(staging_path(db)), read_only=True)
    try:
        row = con.execute(
            "select count(*), count(*) filter (where name like 'nouveau %') from stg_school where source = ?",
            [ANNUAIRE],
        ).fetchone()
    finally:
        con.close()
    assert row is not None
    return int(row[0]), int(row[1])


@pytest.mark.parametrize("when", ["reading", "writing"])
def test_a_killed_load_leaves_the_store_and_the_next_load_recovers(tmp_path: Path, when: str) -> None:
    if not Path("/proc/self/fd").is_dir():
        pytest.skip("/proc absent : le test repère la lecture du fichier par /proc/<pid>/fd (Linux)")
    db = tmp_path / "w.duckdb"
    load_file(db, connectors.get(ANNUAIRE), big_annuaire(tmp_path / "ancien.csv", ROWS // 2, "ancien"))
    store = staging_path(db)
    before = sha256(store)
    assert store_rows(db) == (ROWS // 2, 0)
    new = big_annuaire(tmp_path / "nouveau.csv", ROWS, "nouveau")
    loading = store.with_name(store.name + ".loading")

    started = time.monotonic()
    proc = subprocess.Popen(
        [sys.executable, "-m", "explorer", "load", ANNUAIRE, str(new), "--db", str(db)],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    # Events, not durations: 'reading' is when the process has the new CSV open (parsing it,
    # nothing written yet); 'writing' is when the copy of the store exists and the rows are
    # going into it, before the swap.
    while time.monotonic() - started < 120 and proc.poll() is None:
        if when == "writing" and loading.exists():
            break
        if when == "reading" and has_open(proc.pid, new):
            break
        time.sleep(0.002)
    assert proc.poll() is None, f"the load ended before it could be killed: {proc.stderr.read() if proc.stderr else ''}"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL

    if when == "writing":
        assert loading.exists()  # killed with the half-written copy on disk, never swapped in
    else:
        assert not loading.exists(), "killed after the copy of the store began: not while reading"
    assert sha256(store) == before  # not one byte changed
    assert store_rows(db) == (ROWS // 2, 0)

    again = subprocess.run(
        [sys.executable, "-m", "explorer", "load", ANNUAIRE, str(new), "--db", str(db)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert again.returncode == 0, again.stderr
    assert store_rows(db) == (ROWS, ROWS)
    assert not loading.exists() and not loading.with_name(loading.name + ".wal").exists()
