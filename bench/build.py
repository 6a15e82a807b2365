"""Benchmark of the demo build: national and académie de Rennes (academie:14).

Run: ``.venv/bin/python bench/build.py [--repeat N]``. Prints, per scope, the median and
range of the wall time over N runs, the warehouse size and the main row counts, then the
ratio to the issue's budgets (national ≤ 60 s and ≤ 1 GB, academie:14 ≤ 10 s). Each run is a
separate process so that caches of one run do not help the next.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import duckdb

BUDGET_S = {"national": 60.0, "academie:14": 10.0}
BUDGET_BYTES = 1_000_000_000


def run_once(scope: str, db: Path) -> float:
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "explorer", "build", "--source", "demo", "--db", str(db), "--scope", scope],
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--scopes", nargs="*", default=list(BUDGET_S))
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        for scope in args.scopes:
            db = Path(tmp) / f"{scope.replace(':', '_')}.duckdb"
            times = [run_once(scope, db) for _ in range(args.repeat)]
            size = db.stat().st_size
            con = duckdb.connect(str(db), read_only=True)
            counts = {
                t: con.execute(f"select count(*) from {t}").fetchone()[0]  # type: ignore[index]
                for t in ("school", "investment", "usage", "resource_use")
            }
            con.close()
            median = statistics.median(times)
            print(f"scope={scope}")
            print(f"  runs={args.repeat} median={median:.1f}s min={min(times):.1f}s max={max(times):.1f}s")
            print(f"  budget={BUDGET_S.get(scope, float('nan')):.0f}s ratio={median / BUDGET_S.get(scope, median):.2f}")
            print(f"  size={size / 1e6:.0f}MB ratio_to_1GB={size / BUDGET_BYTES:.2f}")
            print("  rows " + " ".join(f"{k}={v:,}" for k, v in counts.items()))


if __name__ == "__main__":
    main()
