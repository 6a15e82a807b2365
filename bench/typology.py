"""Benchmark of the typology: features load, then clustering + silhouette scan (k = 2..10) + PCA.

Run: ``.venv/bin/python bench/typology.py --db data/warehouse.duckdb [--repeat 3]`` (the
warehouse is opened read-only). Prints medians over the repeats, per case:

- ``commune``: the commune level as the page computes it (communes with every variable,
  statistical secrecy applied: about 1 200 of the 34 875 communes in the national demo);
- ``school``: the school level (about 30 000 measured schools);
- ``commune×35k``: the commune feature matrix resampled to 34 875 rows (one per commune,
  drawn with replacement, jittered by 1 % of a standard deviation), i.e. the issue's size
  « ~35 000 rows » even though secrecy leaves fewer communes.

The budget (issue 6) is 5 s for clustering + silhouette scan + PCA; the stability score
(10 bootstrap refits) is timed apart.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

# Run as a script (``python bench/typology.py``): make the repository's packages importable.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from explorer.analysis.features import DEFAULT_VARIABLES, load_features
from explorer.analysis.typology import Typology
from explorer.warehouse.db import connect

BUDGET_S = 5.0
COMMUNES = 34_875


def timed(fn, repeat: int) -> tuple[float, object]:
    times, out = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), out


def bench_matrix(name: str, X: pd.DataFrame, repeat: int, load_s: float | None) -> None:
    for method in ("kmeans", "ward"):
        fit_s, model = timed(lambda m=method: Typology(method=m, n_resamples=0).fit(X), repeat)
        stab_s, _ = timed(lambda m=method: Typology(method=m, n_resamples=10).fit(X), 1)
        load = f"load={load_s:.2f}s " if load_s is not None else ""
        print(
            f"{name:<12} method={method:<6} rows={len(X):>6} {load}"
            f"fit+silhouette+pca={fit_s:.2f}s ratio_to_5s={fit_s / BUDGET_S:.2f} "
            f"with_stability={stab_s:.2f}s k={model.n_clusters_} silhouette={model.silhouette_:.3f}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", type=Path, default=Path("data/warehouse.duckdb"))
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    con = connect(args.db, read_only=True)
    variables = list(DEFAULT_VARIABLES)
    print(f"variables={','.join(variables)} period=2021-2025 repeats={args.repeat} (medians)")
    for level in ("commune", "school"):
        load_s, features = timed(lambda lv=level: load_features(con, lv, variables), args.repeat)
        bench_matrix(level, features.data[variables], args.repeat, load_s)
        if level == "commune":
            base = features.data[variables].to_numpy()
            rng = np.random.default_rng(0)
            rows = base[rng.integers(0, len(base), COMMUNES)]
            rows = rows + rng.normal(scale=0.01, size=rows.shape) * base.std(axis=0)
            bench_matrix("commune×35k", pd.DataFrame(rows, columns=variables), args.repeat, None)
    con.close()


if __name__ == "__main__":
    main()
