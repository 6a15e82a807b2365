"""Benchmark of the Diagnostic sheets: a school's, a one-school commune's and a département's.

Run: ``.venv/bin/python bench/sheets.py --db data/warehouse.duckdb [--repeat 3]`` (the warehouse
is opened read-only). Prints, per sheet, the median over the repeats of
:func:`explorer.sheets.diagnostic.diagnose` (every indicator against every reference, the
series, and for a school who paid what): alone (each level's facts read for the sheet), then
as the app runs it after another sheet of the period (the levels' facts shared, as
``ui.diagnostic_data.level_facts`` keeps them); then of the list of a territory's schools.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

# Run as a script (``python bench/sheets.py``): make the repository's packages importable.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from explorer import vocabulary as voc
from explorer.sheets import diagnostic as dg
from explorer.warehouse.db import connect

PERIOD = (2021, 2025)


def median_seconds(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, default=Path("data/warehouse.duckdb"))
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    con = connect(args.db, read_only=True)
    commune, uai = con.execute(
        "select commune_code, min(uai) from school group by 1 having count(*) = 1 order by 1 limit 1"
    ).fetchone()
    departement = con.execute("select departement_code from school where uai = ?", [uai]).fetchone()[0]
    cases = {
        f"établissement {uai}": (dg.SCHOOL, uai),
        f"commune {commune} (1 école)": ("commune", commune),
        f"département {departement}": ("departement", departement),
    }
    shared = dg.facts_memo(con, PERIOD)
    for level in ("school", *voc.LEVELS):
        shared(level)  # filled as by earlier sheets of the period
    print(f"{'fiche':32} {'seule (s)':>10} {'après une autre (s)':>20} {'liste des établissements (s)':>30}")
    for label, (level, code) in cases.items():
        alone = median_seconds(lambda level=level, code=code: dg.diagnose(con, level, code, PERIOD), args.repeat)
        after = median_seconds(
            lambda level=level, code=code: dg.diagnose(con, level, code, PERIOD, facts_of=shared), args.repeat
        )
        listing = (
            median_seconds(lambda level=level, code=code: dg.territory_schools(con, level, code, PERIOD), args.repeat)
            if level != dg.SCHOOL
            else float("nan")
        )
        print(f"{label:32} {alone:10.2f} {after:20.2f} {listing:30.2f}")


if __name__ == "__main__":
    main()
