"""``python -m explorer effects investment …`` and ``… effects programme …``."""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from explorer.analysis.effects.investment import LEVELS, investment_effects
from explorer.analysis.effects.panel import PROFILES
from explorer.analysis.effects.programmes import PROGRAMMES, programme_effect
from explorer.warehouse.db import connect, default_db_path


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``effects`` command and its two sub-commands."""
    e = subparsers.add_parser("effects", help="effets de l'investissement et des programmes (panel d'établissements)")
    sub = e.add_subparsers(dest="effects_command", required=True)
    i = sub.add_parser("investment", help="effet de +10 € par élève et par an pendant trois ans, par territoire (CSV)")
    i.add_argument("--level", required=True, choices=list(LEVELS), help="niveau des territoires")
    i.add_argument("--db", type=Path, default=None, help="fichier DuckDB (défaut : $EXPLORER_DB)")
    i.add_argument("--out", type=Path, required=True, help="CSV écrit : code,name,effect,lower,upper,supported")
    i.add_argument("--profile", default="tous", choices=list(PROFILES), help="profil des visites (défaut : tous)")
    p = sub.add_parser("programme", help="évaluation d'un programme (étude d'événement, JSON)")
    p.add_argument("programme", choices=list(PROGRAMMES), help="tne, snee ou hybridation")
    p.add_argument("--db", type=Path, default=None, help="fichier DuckDB (défaut : $EXPLORER_DB)")
    p.add_argument("--json", action="store_true", help="écrire l'objet JSON sur la sortie standard (défaut)")


def run(args: argparse.Namespace) -> None:
    """Run an ``effects`` sub-command (typed errors are printed by :func:`explorer.cli.main`)."""
    started = time.perf_counter()
    with connect(args.db or default_db_path(), read_only=True) as con:
        if args.effects_command == "investment":
            table = investment_effects(con, args.level, args.profile)
            table[["code", "name", "effect", "lower", "upper", "supported"]].to_csv(args.out, index=False)
            elapsed = time.perf_counter() - started
            print(
                f"Effet de l'investissement, niveau {args.level} : {len(table)} territoires, "
                f"{int(table['supported'].sum())} avec un effet établi (90 %), "
                f"{int(table['pooled_from_national'].sum())} à la valeur nationale faute de données ; "
                f"{elapsed:.1f} s",
                file=sys.stderr,
            )
            print(f"Écrit : {args.out}")
        else:
            result = programme_effect(con, args.programme)
            print(json.dumps(result.as_dict(), ensure_ascii=False))
