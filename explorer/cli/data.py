"""Data-in commands: ``load``, ``fetch``, ``datasets``; ``import-budget``, ``remove-budget``, ``budgets``."""

from __future__ import annotations

import argparse
from pathlib import Path

from explorer import connectors
from explorer.connectors.store import LoadResult, load_file, loaded
from explorer.formatting import fr_number
from explorer.warehouse.budget import importer as budget
from explorer.warehouse.db import default_db_path

COMMANDS = ("load", "fetch", "datasets", "import-budget", "remove-budget", "budgets")


def _fr(n: float) -> str:
    """Whole numbers without decimals, amounts with two (« 8 474 013 824,89 »)."""
    return fr_number(n, 0 if float(n).is_integer() else 2)


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
    ib = sub.add_parser("import-budget", help="importer le budget numérique d'une collectivité (modèle data/templates)")
    ib.add_argument("file", type=Path, help="fichier CSV ou XLSX au format du modèle budget_numerique")
    ib.add_argument("--db", type=Path, default=None, help=db_help)
    ib.add_argument("--label", default=None, help="libellé de l'import (défaut : le nom du fichier)")
    rb = sub.add_parser("remove-budget", help="retirer un import budgétaire (voir « budgets »)")
    rb.add_argument("import_id", metavar="ID", help="identifiant de l'import, par ex. 3f2a9c01be-20261129")
    rb.add_argument("--db", type=Path, default=None, help=db_help)
    bl = sub.add_parser("budgets", help="lister les imports budgétaires de l'entrepôt")
    bl.add_argument("--db", type=Path, default=None, help=db_help)


def print_load(result: LoadResult) -> None:
    """The reconciliation lines a user checks against the publisher's figures."""
    print(f"Jeu chargé : {result.dataset_id}")
    for table, n in result.rows.items():
        print(f"  {table:<20} {_fr(n):>14} lignes")
    for name, total in result.totals:
        print(f"  somme {name:<30} {_fr(total):>18}")
    print(f"Zone de préparation : {result.store}")
    print("Construisez l'entrepôt avec « python -m explorer build --source real » pour voir ces données.")


def print_budgets(db: Path) -> None:
    imports = budget.list_imports(db)
    if imports.empty:
        print(f"Aucun import budgétaire dans {db}.")
        return
    print(f"Imports budgétaires de {db} :")
    for row in imports.itertuples():
        print(f"  {row.id}  {_fr(row.rows):>8} lignes  {_fr(row.total):>18} €  {row.imported_at}  {row.label}")


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
    elif args.command == "import-budget":
        print("\n".join(budget.import_budget(db, args.file, args.label).describe()))
        print(f"Entrepôt mis à jour : {db}")
    elif args.command == "remove-budget":
        removed = budget.remove_budget(db, args.import_id)
        print(f"Import {args.import_id} retiré : {_fr(removed)} ligne(s) ; entrepôt mis à jour : {db}")
    elif args.command == "budgets":
        print_budgets(db)
