"""Data-in commands: ``load``, ``fetch``, ``datasets``."""

from __future__ import annotations

import argparse
from pathlib import Path

from explorer import connectors
from explorer.connectors.store import LoadResult, load_file, loaded
from explorer.db import default_db_path

COMMANDS = ("load", "fetch", "datasets")


def _fr(n: float) -> str:
    text = f"{n:,.2f}" if n != int(n) else f"{int(n):,}"
    return text.replace(",", "\u202f").replace(".", ",")


def add_parsers(sub: argparse._SubParsersAction) -> None:
    db_help = "fichier DuckDB de l'entrepôt (défaut : $EXPLORER_DB ou data/warehouse.duckdb)"
    ld = sub.add_parser("load", help="charger un jeu officiel depuis un fichier (CSV, Parquet, XLSX)")
    ld.add_argument("dataset", help="identifiant du jeu (voir « python -m explorer datasets »)")
    ld.add_argument("file", type=Path, help="fichier tel que publié (export CSV « ; » ou « , », Parquet, XLSX)")
    ld.add_argument("--db", type=Path, default=None, help=db_help)
    fe = sub.add_parser("fetch", help="télécharger un jeu officiel (API Opendatasoft v2.1) puis le charger")
    fe.add_argument("dataset", help="identifiant du jeu (voir « python -m explorer datasets »)")
    fe.add_argument("--db", type=Path, default=None, help=db_help)
    fe.add_argument("--where", default=None, help="filtre ODSQL, par ex. \"code_departement='035'\"")
    fe.add_argument("--cache", type=Path, default=None, help="dossier du cache (défaut : data/cache)")
    fe.add_argument("--base-url", default=None, help="racine de l'API (défaut : le portail de l'éditeur)")
    ds = sub.add_parser("datasets", help="lister les jeux officiels pris en charge et ceux déjà chargés")
    ds.add_argument("--db", type=Path, default=None, help=db_help)


def print_load(result: LoadResult) -> None:
    """The reconciliation lines a user checks against the publisher's figures."""
    print(f"Jeu chargé : {result.dataset_id}")
    for table, n in result.rows.items():
        print(f"  {table:<20} {_fr(n):>14} lignes")
    for name, total in result.totals:
        print(f"  somme {name:<30} {_fr(total):>18}")
    print(f"Zone de préparation : {result.store}")
    print("Construisez l'entrepôt avec « python -m explorer build --source real » pour voir ces données.")


def dispatch(args: argparse.Namespace) -> None:
    db = args.db if getattr(args, "db", None) else default_db_path()
    if args.command == "datasets":
        for dataset_id, c in connectors.all_connectors().items():
            print(f"{dataset_id:<80} {', '.join(c.tables):<30} {c.label}")
        done = loaded(db)
        if len(done):
            print(f"\nDéjà chargés dans {db} :")
            for row in done.itertuples():
                print(f"  {row.dataset_id} ({row.file_name}, {_fr(row.rows)} lignes, {row.loaded_at})")
    elif args.command == "load":
        print_load(load_file(db, connectors.get(args.dataset), args.file))
    elif args.command == "fetch":
        from explorer.connectors.fetch import fetch_and_load

        print_load(fetch_and_load(db, connectors.get(args.dataset), args.where, args.cache, args.base_url))
