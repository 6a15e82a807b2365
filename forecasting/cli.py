"""Command line: ``python -m forecasting project | backtest | run``."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import pandas as pd

from explorer.analysis.effects.investment import response
from explorer.errors import ExplorerError
from explorer.facts.indicators import TERRITORY_COLUMN
from explorer.vocabulary import PROFILES
from explorer.warehouse.db import connect, default_db_path
from forecasting import exports, series
from forecasting.batch import run_level
from forecasting.errors import ForecastError, ForecastTerritoryError
from forecasting.evaluation import backtest
from forecasting.projection import fit_territory, history_frame, project
from forecasting.scenario import load_scenarios
from forecasting.store import ForecastStore, default_store_path, warehouse_id


def parse_territory(text: str) -> tuple[str, str]:
    """``departement:35`` → ("departement", "35")."""
    level, sep, code = text.partition(":")
    if not sep or level not in TERRITORY_COLUMN or not code:
        raise ForecastTerritoryError(
            f"Territoire « {text} » mal écrit : NIVEAU:CODE attendu, par ex. departement:35 "
            f"(niveaux : {', '.join(TERRITORY_COLUMN)})."
        )
    return level, code


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m forecasting", description="Projections Prophet et scénarios")
    sub = parser.add_subparsers(dest="command", required=True)

    def common(p: argparse.ArgumentParser) -> None:
        p.add_argument("--db", type=Path, default=None, help="entrepôt DuckDB (défaut : $EXPLORER_DB ou data/…)")
        p.add_argument("--profile", choices=PROFILES, default=None, help="profil ENT (défaut : tous)")

    p = sub.add_parser("project", help="projeter un territoire : référence et scénarios, CSV")
    p.add_argument("--territory", required=True, help="NIVEAU:CODE, par ex. departement:35")
    p.add_argument(
        "--scenario", type=Path, action="append", default=[], help="fichier JSON : un scénario ou une liste (répétable)"
    )
    p.add_argument("--out", type=Path, required=True, help="fichier CSV écrit")
    p.add_argument("--no-store", action="store_true", help="ne pas lire ni écrire le magasin de prévisions")
    common(p)

    b = sub.add_parser("backtest", help="backtest glissant : MASE et sMAPE par territoire")
    b.add_argument("--level", required=True, choices=list(TERRITORY_COLUMN))
    b.add_argument("--limit", type=int, default=None, help="seulement les N premiers territoires (par code)")
    b.add_argument("--json", action="store_true", help="sortie JSON : [{territory, model, mase, smape}]")
    common(b)

    r = sub.add_parser("run", help="projeter tous les territoires d'un niveau en parallèle")
    r.add_argument("--level", required=True, choices=list(TERRITORY_COLUMN))
    r.add_argument(
        "--scenario", type=Path, action="append", default=[], help="fichier JSON : un scénario ou une liste (répétable)"
    )
    r.add_argument("--jobs", type=int, default=2, help="processus joblib (défaut : 2)")
    r.add_argument("--scheduler", default=None, help="adresse d'un ordonnanceur Dask, par ex. tcp://hôte:8786")
    r.add_argument("--limit", type=int, default=None, help="seulement les N premiers territoires (par code)")
    r.add_argument("--store", type=Path, default=None, help="magasin de prévisions (défaut : <db>.forecasts.duckdb)")
    common(r)
    return parser


def _project(args: argparse.Namespace) -> None:
    level, code = parse_territory(args.territory)
    scenarios = [s for path in args.scenario for s in load_scenarios(path)]
    db = args.db or default_db_path()
    con = connect(db, read_only=True)
    try:
        store = None if args.no_store else ForecastStore(default_store_path(db), warehouse_id(con))
        fit = fit_territory(con, level, code, args.profile, store=store)
        # the panel estimate of Investissement → usage, all profiles (it is estimated on the panel)
        resp = response(con, level, code) if scenarios else None
    finally:
        con.close()
    projection = project(fit, scenarios, resp)
    # the same weekly table as the page's export: French headers with units, `;`, decimal comma
    table = exports.weekly_table(projection)
    args.out.write_bytes(exports.spreadsheet_csv(table))
    print(f"{fit.label} : {len(table.frame)} lignes écrites dans {args.out} ({1 + len(scenarios)} scénario(s)).")


def backtest_level(db: Path, level: str, profile: str | None, limit: int | None) -> pd.DataFrame:
    """Backtest of every territory of ``level``: ``territory, model, mase, smape`` rows, with
    the overall mean per model under ``territory = "ensemble"``; territories whose history is
    too short are left out (and reported on stderr)."""
    con = connect(db, read_only=True)
    try:
        places = series.territories(con, level)
        weeks = series.weekly_series(con, level, None, profile)
    finally:
        con.close()
    if limit is not None:
        places = places.head(limit)
    frames = []
    for p in places.itertuples():
        own = weeks[weeks["code"] == p.code]
        try:
            series.check_enough_schools(own, f"{level}:{p.code}")
            scores = backtest(history_frame(own), p.holiday_zone)
        except ForecastError as exc:
            print(f"{level}:{p.code} ignoré — {exc}", file=sys.stderr)
            continue
        frames.append(scores.assign(territory=p.code))
    if not frames:
        raise ForecastError(f"Aucun territoire du niveau « {level} » n'a un historique assez long pour un backtest.")
    table = pd.concat(frames, ignore_index=True)
    overall = table.groupby("model", sort=False)[["mase", "smape"]].mean().reset_index().assign(territory="ensemble")
    return pd.concat([table, overall], ignore_index=True)[["territory", "model", "mase", "smape"]]


def _backtest(args: argparse.Namespace) -> None:
    table = backtest_level(args.db or default_db_path(), args.level, args.profile, args.limit)
    if args.json:
        print(json.dumps(table.to_dict(orient="records"), ensure_ascii=False, indent=1))
    else:
        print(table.to_string(index=False, float_format=lambda v: f"{v:.3f}"))


def _run(args: argparse.Namespace) -> None:
    scenarios = tuple(s for path in args.scenario for s in load_scenarios(path))
    db = args.db or default_db_path()
    result = run_level(
        db,
        args.level,
        args.profile,
        scenarios,
        n_jobs=args.jobs,
        scheduler=args.scheduler,
        limit=args.limit,
        store_path=args.store,
    )
    ok = result.summary["status"].eq("ok").sum()
    where = args.store or default_store_path(db)
    print(
        f"{ok} territoire(s) projeté(s) sur {len(result.summary)} en {result.seconds:.1f} s ; "
        + (
            f"résultats enregistrés dans {where}."
            if result.stored
            else "magasin de prévisions indisponible : rien enregistré."
        )
    )
    for row in result.summary[result.summary["status"] != "ok"].itertuples():
        print(f"  {row.code} ignoré — {row.message}")


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        {"project": _project, "backtest": _backtest, "run": _run}[args.command](args)
    except ExplorerError as exc:
        print(f"Erreur : {exc}", file=sys.stderr)
        return 2
    return 0
