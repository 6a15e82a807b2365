"""Schools: the MENJ annuaire and the DEPP address/geolocation file → ``stg_school``.

Both list every UAI with its type, sector, commune and position; only écoles, collèges and
lycées are staged (services administratifs, médico-social, EREA, CIO… are counted and left
out). The kind comes from the nature code (``1xx`` école, ``300``–``339`` lycée, ``340``–``359``
collège) and, in the annuaire, from ``Type_etablissement`` when the nature code is missing.
"""

from __future__ import annotations

import pandas as pd

from explorer.connectors.base import Connector, Context
from explorer.connectors.files import to_number

_TYPE_KIND = {"ecole": "ecole", "college": "college", "lycee": "lycee"}


def kind_from_nature(code: object) -> str | None:
    """``151`` → ``ecole``, ``340`` → ``college``, ``306`` → ``lycee``; other natures → ``None``."""
    text = str(code or "").strip()
    if not text.isdigit():
        return None
    n = int(text)
    if 100 <= n < 200:
        return "ecole"
    if 300 <= n < 340:
        return "lycee"
    if 340 <= n < 360:  # 340 collège, 350 climatique, 352 spécialisé
        return "college"
    return None


def _kind_from_type(label: object) -> str | None:
    from explorer.connectors.files import normalise_header

    return _TYPE_KIND.get(normalise_header(label or ""))


def sector_of(label: object) -> str | None:
    text = str(label or "").strip().lower()
    if text.startswith("pu"):
        return "public"
    if text.startswith("pr"):
        return "prive"
    return text or None  # an unknown label reaches the contract, which names it


def _schools(rows: pd.DataFrame, ctx: Context, name_column: str) -> dict[str, pd.DataFrame]:
    kind = rows["nature_code"].map(kind_from_nature)
    if "type_etablissement" in rows:
        kind = kind.fillna(rows["type_etablissement"].map(_kind_from_type))
    keep = kind.notna()
    out = pd.DataFrame(
        {
            "uai": rows["uai"],
            "name": rows[name_column].fillna(rows["uai"]),
            "kind": kind,
            "nature": rows["nature_label"],
            "sector": rows["sector"].map(sector_of),
            "commune_code": rows["commune_code"],
            "lat": to_number(rows, "lat", ctx.file),
            "lon": to_number(rows, "lon", ctx.file),
        }
    )[keep]
    return {"stg_school": out}  # index kept: a contract error names the file's line


ANNUAIRE = Connector(
    dataset_id="fr-en-annuaire-education",
    label="Annuaire de l'éducation (écoles, collèges, lycées)",
    publisher="Ministère de l'Éducation nationale (DNE)",
    columns={
        "uai": ("identifiant_de_l_etablissement",),
        "name": ("nom_etablissement", "nom_de_l_etablissement"),
        "type_etablissement": ("type_d_etablissement",),
        "sector": ("statut_public_prive",),
        "commune_code": ("code_commune",),
        "nature_code": ("code_nature",),
        "nature_label": ("libelle_nature",),
        "lat": ("latitude",),
        "lon": ("longitude",),
    },
    required=("uai", "name", "sector", "commune_code"),
    transform=lambda rows, ctx: _schools(rows, ctx, "name"),
    tables=("stg_school",),
)

GEOLOCALISATION = Connector(
    dataset_id="fr-en-adresse-et-geolocalisation-etablissements-premier-et-second-degre",
    label="Adresse et géolocalisation des établissements du premier et du second degré",
    publisher="Ministère de l'Éducation nationale (DEPP)",
    columns={
        "uai": ("numero_uai", "code_etablissement"),
        "name": ("appellation_officielle",),
        "sector": ("secteur_public_prive_libe", "secteur_public_prive"),
        "commune_code": ("code_commune",),
        "nature_code": ("nature_uai", "code_nature"),
        "nature_label": ("nature_uai_libe", "nature"),
        "lat": ("latitude",),
        "lon": ("longitude",),
    },
    required=("uai", "sector", "commune_code", "nature_code"),
    transform=lambda rows, ctx: _schools(rows, ctx, "name"),
    tables=("stg_school",),
)

CONNECTORS = [ANNUAIRE, GEOLOCALISATION]
