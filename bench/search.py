"""Benchmark of the search box (territories and schools) on a national warehouse.

Run: ``.venv/bin/python bench/search.py --db data/warehouse.duckdb [--repeat 20]`` (opened
read-only). Prints the time to build the index once (what the page caches per warehouse
version) and, for each query a user types (a name, a UAI, a school and its commune, a
one-letter start, a word found nowhere), the median time of :func:`explorer.geo.search.search`
over ``--repeat`` runs, with the number of rows searched and of results.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

# Run as a script (``python bench/search.py``): make the repository's packages importable.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from explorer.geo.search import school_directory, search, search_index
from explorer.geo.territories import territory_index
from explorer.warehouse.db import connect

BUDGET_S = 0.2  # a search answers while the user types
QUERIES = ("rennes", "ecole jules ferry rennes", "0350001l", "saint etienne", "l", "zzzz introuvable")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default="data/warehouse.duckdb")
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    con = connect(args.db, read_only=True)
    start = time.perf_counter()
    index = search_index(territory_index(con), school_directory(con))
    built = time.perf_counter() - start
    print(
        f"index: {len(index)} lignes ({(index['level'] == 'etablissement').sum()} établissements), "
        f"construit en {built:.2f} s (une fois par version de l'entrepôt)"
    )
    medians = []
    for query in QUERIES:
        times = []
        for _ in range(args.repeat):
            start = time.perf_counter()
            found = search(index, query)
            times.append(time.perf_counter() - start)
        median = statistics.median(times)
        medians.append(median)
        first = found["label"].iloc[0] if len(found) else "-"
        print(f"{query!r:30} médiane {median * 1000:7.1f} ms  ({len(found)} résultat(s), 1er : {first})")
    worst = max(medians)
    print(f"pire médiane {worst * 1000:.1f} ms, budget {BUDGET_S * 1000:.0f} ms : {worst / BUDGET_S:.0%} du budget")


if __name__ == "__main__":
    main()
