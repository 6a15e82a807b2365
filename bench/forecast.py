"""Forecasting benchmark: one territory scenario, and every département projected in parallel.

Usage: ``python bench/forecast.py --db data/warehouse.duckdb [--repeats 5] [--jobs 2]``.
The warehouse is opened read-only; models and projections go to a temporary store (never
the store beside the warehouse), so every figure is a fresh fit.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from explorer.analysis.effects.investment import response
from explorer.warehouse.db import connect
from forecasting.batch import run_level
from forecasting.projection import fit_territory, project
from forecasting.scenario import load_scenarios

TARGET_ONE = 2.0
TARGET_ALL = 30.0
# the README's example scenario: +40 € per pupil and per year 2027-2030, département, equipment
(PLUS40,) = load_scenarios(Path(__file__).resolve().parents[1] / "data" / "scenarios" / "plus40.json")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", type=Path, default=Path("data/warehouse.duckdb"))
    parser.add_argument("--territory", default="35", help="code du département mesuré")
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args()

    con = connect(args.db, read_only=True)
    # the panel response is estimated once per warehouse (cached by the page): not timed here
    resp = response(con, "departement", args.territory)
    times = []
    for _ in range(args.repeats):
        started = time.perf_counter()
        fit = fit_territory(con, "departement", args.territory)  # no store: a fresh fit each time
        project(fit, [PLUS40], resp)
        times.append(time.perf_counter() - started)
    con.close()
    one = statistics.median(times)
    print(
        f"Un territoire (département {args.territory}, lecture + ajustement + référence et scénario) : "
        f"médiane {one:.2f} s sur {args.repeats} essais (min {min(times):.2f}, max {max(times):.2f}) ; "
        f"cible {TARGET_ONE:.0f} s, ratio {one / TARGET_ONE:.2f}"
    )
    with tempfile.TemporaryDirectory() as tmp:
        result = run_level(
            args.db,
            "departement",
            scenarios=(PLUS40,),
            n_jobs=args.jobs,
            store_path=Path(tmp) / "store.duckdb",
            progress=False,
        )
    ok = int(result.summary["status"].eq("ok").sum())
    print(
        f"Tous les départements ({ok} projetés sur {len(result.summary)}, {args.jobs} processus, référence et "
        f"scénario, enregistrement compris) : {result.seconds:.1f} s ; cible {TARGET_ALL:.0f} s, "
        f"ratio {result.seconds / TARGET_ALL:.2f}"
    )


if __name__ == "__main__":
    main()
