"""Benchmark of real data in: ``load`` of each real extract, then ``build --source real``.

Run: ``.venv/bin/python bench/connectors.py [--shared ../shared/data/real] [--repeat 3]``.
Each extract is loaded into a fresh staging store ``--repeat`` times (in-process, without
Python start-up); the build then runs on the store holding all of them. Prints medians, rows
and throughput. Also times a synthetic DNMA profiles file of ``--dnma-rows`` rows (no
row-level DNMA extract exists), the size of an académie's year of weekly audience.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from explorer import connectors
from explorer.connectors.store import load_file, staging_path
from explorer.warehouse.build import build
from explorer.warehouse.scope import parse_scope

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "scripts"))
from real_from_extracts import EXTRACTS


def dnma_file(path: Path, rows: int) -> None:
    """Synthetic DNMA profiles export: ``rows`` school-weeks with the documented columns."""
    rng = random.Random(0)
    profiles = ["globales", "eleve", "parent", "enseignant", "admin_vie_scol_tech"]
    header = ["debutsemaine", "uai"] + [f"{m}_{p}" for p in profiles for m in ("visites", "utilisateurs", "duree")]
    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, delimiter=";")
        writer.writerow(header)
        for i in range(rows):
            week = (dt.date(2025, 9, 1) + dt.timedelta(weeks=i // 10000)).isoformat()  # Mondays
            uai = f"035{i % 10000:04d}A"
            cells = [week, uai]
            for _ in profiles:
                v = rng.randint(0, 5000)
                cells += [v, rng.randint(0, v), "00:10:00"]
            writer.writerow(cells)


def median_load(dataset: str, path: Path, repeat: int) -> tuple[float, int]:
    times, rows = [], 0
    for _ in range(repeat):
        with tempfile.TemporaryDirectory() as tmp:
            db = Path(tmp) / "w.duckdb"
            start = time.perf_counter()
            result = load_file(db, connectors.get(dataset), path)
            times.append(time.perf_counter() - start)
            rows = sum(result.rows.values())
    return statistics.median(times), rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=Path(__file__).resolve().parents[2] / "shared" / "data" / "real")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--dnma-rows", type=int, default=100_000)
    args = parser.parse_args()
    print(f"{'jeu':<75} {'lignes':>10} {'médiane':>9} {'lignes/s':>10}")
    with tempfile.TemporaryDirectory() as tmp:
        big = Path(tmp) / "dnma.csv"
        dnma_file(big, args.dnma_rows)
        cases = [(d, args.shared / f) for d, f in EXTRACTS if (args.shared / f).exists()]
        cases.append(("fr-en-dnma-par-uai-profils", big))
        for dataset, path in cases:
            seconds, rows = median_load(dataset, path, args.repeat)
            print(f"{dataset + ' (' + path.name + ')':<75.75} {rows:>10,} {seconds:>8.2f}s {rows / seconds:>10,.0f}")
        db = Path(tmp) / "real.duckdb"
        for dataset, path in cases[:-1]:
            load_file(db, connectors.get(dataset), path)
        times = []
        for _ in range(args.repeat):
            start = time.perf_counter()
            build(db, "real", parse_scope("national"))
            times.append(time.perf_counter() - start)
        size = db.stat().st_size / 1e6
        store = staging_path(db).stat().st_size / 1e6
        print(
            f"\nbuild --source real (national, {len(cases) - 1} extraits) : médiane {statistics.median(times):.1f} s "
            f"(min {min(times):.1f}, max {max(times):.1f}) ; entrepôt {size:.0f} Mo, "
            f"zone de préparation {store:.1f} Mo"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
