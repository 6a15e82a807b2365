"""Command line: ``python -m explorer build …`` (other commands arrive with their issues)."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from explorer.build import DEFAULT_SEED, build, parse_scope, stderr_progress
from explorer.db import default_db_path
from explorer.errors import ExplorerError


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m explorer", description="Explorateur investissements × usages numériques"
    )
    sub = parser.add_subparsers(dest="command", required=True)
    b = sub.add_parser("build", help="construire l'entrepôt DuckDB")
    b.add_argument(
        "--source",
        default="demo",
        choices=["demo"],
        help="source des données (demo : données simulées)",
    )
    b.add_argument(
        "--db",
        type=Path,
        default=None,
        help="fichier DuckDB (défaut : $EXPLORER_DB ou data/warehouse.duckdb)",
    )
    b.add_argument(
        "--scope",
        default="national",
        help="national (défaut) ou academie:CODE, par ex. academie:14",
    )
    b.add_argument(
        "--seed",
        type=int,
        default=DEFAULT_SEED,
        help="graine du générateur (mêmes graines, mêmes tables)",
    )
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        if args.command == "build":
            db = args.db or default_db_path()
            started = time.perf_counter()
            counts = build(db, args.source, parse_scope(args.scope), args.seed, stderr_progress())
            elapsed = time.perf_counter() - started
            print(f"Entrepôt construit : {db} en {elapsed:.1f} s")
            for table, n in counts.items():
                print(f"  {table:<14} {n:>12,}".replace(",", "\u202f"))
    except ExplorerError as exc:
        print(f"Erreur : {exc}", file=sys.stderr)
        return 2
    return 0
