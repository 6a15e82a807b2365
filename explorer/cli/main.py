"""Command line: ``python -m explorer build …``, ``… typology …``, ``… report …``, and the data-in
commands of :mod:`explorer.cli.data` (``load``, ``fetch``, ``import-budget``…)."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from explorer.analysis.effects import cli as effects_cli
from explorer.analysis.features import DEFAULT_VARIABLES, LEVELS
from explorer.analysis.typology import METHODS
from explorer.analysis.typology_report import BASIS_FULL, class_table, run_typology
from explorer.cli import data as cli_data
from explorer.errors import ExplorerError, ReportError
from explorer.facts.indicators import parse_period
from explorer.geo.search import parse_territory
from explorer.reports.sheet import FORMATS, render
from explorer.sheets.diagnostic import diagnose
from explorer.warehouse.build import build
from explorer.warehouse.build_demo import DEFAULT_SEED
from explorer.warehouse.db import connect, default_db_path
from explorer.warehouse.marts import stderr_progress
from explorer.warehouse.scope import parse_scope


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m explorer", description="Explorateur investissements × usages numériques"
    )
    sub = parser.add_subparsers(dest="command", required=True)
    b = sub.add_parser("build", help="construire l'entrepôt DuckDB")
    b.add_argument(
        "--source",
        default="demo",
        choices=["demo", "real"],
        help="source des données (demo : données simulées ; real : jeux chargés avec load/fetch)",
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
    b.add_argument(
        "--effects",
        default="demo",
        choices=["demo", "none"],
        help="demo : effets simulés (investissement, programmes) ; none : monde nul (mêmes tirages, aucun effet)",
    )
    t = sub.add_parser("typology", help="typologie des territoires (classes et variables en CSV)")
    t.add_argument("--level", required=True, choices=list(LEVELS), help="niveau des territoires")
    t.add_argument("--db", type=Path, default=None, help="fichier DuckDB (défaut : $EXPLORER_DB)")
    t.add_argument("--out", type=Path, required=True, help="fichier CSV écrit (code,cluster puis les variables)")
    t.add_argument(
        "--k",
        type=int,
        default=None,
        help="nombre de classes (défaut : meilleure silhouette de 3 à 8, aucune classe sous 3 territoires "
        "ni 2 %% du total)",
    )
    t.add_argument("--method", default="kmeans", choices=list(METHODS), help="k-moyennes (défaut) ou Ward")
    t.add_argument(
        "--variables",
        default=",".join(DEFAULT_VARIABLES),
        help=f"identifiants séparés par des virgules (défaut : {','.join(DEFAULT_VARIABLES)})",
    )
    t.add_argument("--period", default=None, help="période AAAA-AAAA (défaut : 2021-2025)")
    t.add_argument("--seed", type=int, default=0, help="graine (random_state) de la typologie")
    r = sub.add_parser("report", help="fiche territoire (PDF, XLSX ou CSV)")
    r.add_argument("--territory", required=True, help="NIVEAU:CODE, par ex. departement:35 ou commune:35238")
    r.add_argument("--format", required=True, choices=list(FORMATS), help="pdf, xlsx ou csv")
    r.add_argument("--db", type=Path, default=None, help="fichier DuckDB (défaut : $EXPLORER_DB)")
    r.add_argument("--out", type=Path, required=True, help="fichier écrit")
    r.add_argument("--period", default=None, help="période AAAA-AAAA (défaut : 2021-2025)")
    r.add_argument(
        "--peers",
        default=None,
        help="codes des pairs séparés par des virgules (défaut : même strate de population et même statut outre-mer)",
    )
    cli_data.add_parsers(sub)
    effects_cli.add_parser(sub)
    return parser


def _report(args: argparse.Namespace) -> None:
    level, code = parse_territory(args.territory)
    peers = [c.strip() for c in args.peers.split(",") if c.strip()] if args.peers else None
    started = time.perf_counter()
    with connect(args.db or default_db_path(), read_only=True) as con:
        diag = diagnose(con, level, code, parse_period(args.period), peers)
        content = render(con, diag, args.format)
    try:
        args.out.write_bytes(content)
    except OSError as exc:
        raise ReportError(f"Impossible d'écrire « {args.out} » : {exc.strerror}. Choisissez un autre chemin.") from exc
    elapsed = time.perf_counter() - started
    print(f"Fiche {diag.title}, période {diag.period_text}, {len(diag.peers.codes)} pairs")
    size = f"{len(content):,}".replace(",", "\u202f")
    print(f"Écrit : {args.out} ({size} octets, {elapsed:.1f} s)")


def _typology(args: argparse.Namespace) -> None:
    variables = [v.strip() for v in args.variables.split(",") if v.strip()]
    with connect(args.db or default_db_path(), read_only=True) as con:
        report = run_typology(con, args.level, variables, parse_period(args.period), args.method, args.k, args.seed)
    table = class_table(report).drop(columns=["name", "label"])
    table.to_csv(args.out, index=False)
    model = report.model
    partial = int((table["basis"] != BASIS_FULL).sum())
    left_out = len(report.features.excluded)
    print(
        f"Typologie : niveau {args.level}, méthode {args.method}, {len(table)} territoires classés "
        f"(dont {partial} sur une partie des variables), {left_out} écartés"
    )
    print(f"k = {report.k}")
    print(f"silhouette = {model.silhouette_:.3f}")
    print(f"stabilité (indice de Rand ajusté moyen) = {model.stability_:.3f}")
    print(f"Écrit : {args.out}")


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        if args.command == "build":
            db = args.db or default_db_path()
            started = time.perf_counter()
            counts = build(db, args.source, parse_scope(args.scope), args.seed, stderr_progress(), args.effects)
            elapsed = time.perf_counter() - started
            print(f"Entrepôt construit : {db} en {elapsed:.1f} s")
            for table, n in counts.items():
                print(f"  {table:<14} {n:>12,}".replace(",", "\u202f"))
        elif args.command == "typology":
            _typology(args)
        elif args.command == "report":
            _report(args)
        elif args.command == "effects":
            effects_cli.run(args)
        elif args.command in cli_data.COMMANDS:
            cli_data.dispatch(args)
    except ExplorerError as exc:
        print(f"Erreur : {exc}", file=sys.stderr)
        return 2
    return 0
