"""Build a real-data warehouse from the extracts of ``../shared/data/real`` (``make real-extracts``).

Loads each extract with ``python -m explorer load`` (the same path as a user's file), prints
the reconciliation totals, then runs ``build --source real``. Nothing simulated is added:
the app then says, page by page, which parts are real and which are missing (ENT usage has
no row-level extract, for instance).

    python scripts/real_from_extracts.py --shared ../shared/data/real --db data/real.duckdb
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from explorer.cli.main import main as cli  # noqa: E402
from explorer.connectors.store import staging_path  # noqa: E402

# (dataset id, file name in the shared folder)
EXTRACTS = [
    ("fr-en-annuaire-education", "annuaire_education_dep35_ille_et_vilaine.csv"),
    (
        "fr-en-adresse-et-geolocalisation-etablissements-premier-et-second-degre",
        "geoloc_etablissements_france_colleges.csv",
    ),
    ("fr-en-ips_ecoles", "ips_ecoles_france_2021_2022.csv"),
    ("fr-en-ips-colleges-ap2023", "ips_colleges_france_2023.csv"),
    ("fr-en-ips_lycees", "ips_lycees_france_2016_2022.csv"),
    ("fr-en-ecoles-effectifs-nb_classes", "effectifs_ecoles_dep35.csv"),
    ("fr-en-college-effectifs-niveau-sexe-lv", "effectifs_colleges_dep35.csv"),
    ("fr-en-lycee_gt-effectifs-niveau-sexe-lv", "effectifs_lycees_gt_france.csv"),
    ("ofgl-base-communes", "ofgl_base_communes_2024_guadeloupe.csv"),
    ("fr-en-hybridation_lycees_par_collectivite", "transcribed_hybridation_lycees_par_collectivite.csv"),
]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared" / "data" / "real")
    parser.add_argument("--db", type=Path, default=ROOT / "data" / "real.duckdb")
    args = parser.parse_args()
    if not args.shared.is_dir():
        print(f"Dossier des extraits introuvable : {args.shared}", file=sys.stderr)
        return 2
    staging_path(args.db).unlink(missing_ok=True)  # start from an empty staging store
    started = time.perf_counter()
    for dataset, name in EXTRACTS:
        print(f"\n$ python -m explorer load {dataset} {name}")
        if cli(["load", dataset, str(args.shared / name), "--db", str(args.db)]) != 0:
            return 2
    print("\n$ python -m explorer build --source real")
    code = cli(["build", "--source", "real", "--db", str(args.db)])
    print(f"\n{time.perf_counter() - started:.1f} s au total ; lancez l'application avec EXPLORER_DB={args.db}")
    return code


if __name__ == "__main__":
    sys.exit(main())
