"""Does the effects engine recover the demo generator's truth, and claim nothing in the null world?

    python bench/recovery.py --workdir /tmp/fx --worlds 20260901 20260901:none 11

Each world is ``SEED`` (the simulated effects) or ``SEED:none`` (the null world); its warehouse
``<workdir>/<scope>_<seed>_<effects>.duckdb`` is built when missing (one build at a time) and
reused otherwise. Printed per world and estimator:

- investment, per département: bias (mean estimate − true effect, in points of %), coverage of
  the 90 % intervals, Spearman rank correlation with the generator's strengths, supported
  negative effects, départements estimated, and (null world) the share claiming an effect and
  the most claims in one académie; the time of ``effects investment --level departement``;
- TNE: ATT, its 90 % interval, whether it covers the truth (+15 %, or 0 in the null world).

The true effect of a département is the generator's own response to +10 €/pupil/yr over three
years (+30 € of stock) in the estimator's unit, at the département's mean stock C̄ of its last
measured school year (``mean_stock_eur``): ``(1 + s·log1p((C̄ + 30)/150)) / (1 + s·log1p(C̄/150)) − 1``.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
from scipy.stats import spearmanr

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from explorer import demo
from explorer.analysis.effects import investment as ei
from explorer.analysis.effects.programmes import programme_effect
from explorer.geo.geography import departement_academie
from explorer.warehouse.build import build
from explorer.warehouse.scope import parse_scope


def true_effects(table, strengths):
    """The generator's effect of +30 € of stock per département, at the stock the estimate is read at."""
    s = table["code"].map(strengths).to_numpy(float)
    c = table["mean_stock_eur"].to_numpy(float)
    ratio = (1 + s * np.log1p((c + 30) / 150)) / (1 + s * np.log1p(c / 150)) - 1
    return pd.Series(ratio, index=table["code"].to_numpy())


def world(workdir: Path, scope: str, spec: str) -> tuple[Path, int, str]:
    seed_text, _, effects = spec.partition(":")
    effects = effects or "demo"
    path = workdir / f"{scope.replace(':', '_')}_{seed_text}_{effects}.duckdb"
    if not path.exists():
        started = time.perf_counter()
        build(path, scope=parse_scope(scope), seed=int(seed_text), effects=effects)
        print(f"construit {path} en {time.perf_counter() - started:.0f} s", flush=True)
    return path, int(seed_text), effects


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/effects-bench"))
    parser.add_argument("--scope", default="national")
    parser.add_argument("--worlds", nargs="+", default=["20260901", "20260901:none"])
    args = parser.parse_args()
    args.workdir.mkdir(parents=True, exist_ok=True)
    academie = departement_academie().set_index("departement_code")["academie_code"]
    for spec in args.worlds:
        path, seed, effects = world(args.workdir, args.scope, spec)
        strengths = demo.truth(seed)[0].set_index("departement")["strength"] * (effects != "none")
        con = duckdb.connect(str(path), read_only=True)
        started = time.perf_counter()
        table = ei.investment_effects(con, "departement")
        elapsed = time.perf_counter() - started
        truth = true_effects(table, strengths)
        table["true"] = table["code"].map(truth)
        table["strength"] = table["code"].map(strengths)
        covered = ((table["lower"] <= table["true"]) & (table["true"] <= table["upper"])).mean()
        bias = (table["effect"] - table["true"]).mean()
        claims = table[table["supported"]]
        per_academie = claims["code"].map(academie).value_counts().max() if len(claims) else 0
        print(f"\n== monde {spec} ({args.scope}) : {path}")
        print(
            f"investissement / département : {len(table)} estimés, biais {100 * bias:+.3f} pt, "
            f"couverture 90 % {100 * covered:.0f} %, vrai effet moyen {100 * table['true'].mean():.2f} %, "
            f"estimé moyen {100 * table['effect'].mean():.2f} %"
        )
        if effects != "none":
            rho = spearmanr(table["effect"], table["strength"]).statistic
            negative = int((table["upper"] < 0).sum())
            print(f"  Spearman avec les forces du générateur {rho:.3f} ; effets négatifs établis {negative}")
        print(
            f"  effets établis {len(claims)} ({100 * len(claims) / len(table):.0f} %), au plus {per_academie} "
            f"par académie ; durée {elapsed:.1f} s"
        )
        national = ei.investment_effects(con, "national").iloc[0]
        print(
            f"investissement / national : {100 * national['effect']:+.2f} % "
            f"[{100 * national['lower']:+.2f} ; {100 * national['upper']:+.2f}] "
            f"(vrai moyen des départements {100 * truth.mean():.2f} %)"
        )
        tne = programme_effect(con, "tne")
        target = 0.0 if effects == "none" else demo.truth(seed)[1]["tne"] - 1
        print(
            f"TNE : ATT {100 * tne.att:+.1f} % [{100 * tne.lower:+.1f} ; {100 * tne.upper:+.1f}], vrai "
            f"{100 * target:+.0f} %, couvert {tne.lower <= target <= tne.upper}, "
            f"biais {100 * (tne.att - target):+.1f} pt, "
            f"pré-tendance p = {tne.pre_trend_p:.3f}, {tne.treated} traités / {tne.controls} témoins"
        )
        con.close()


if __name__ == "__main__":
    main()
