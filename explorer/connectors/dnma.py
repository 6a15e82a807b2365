"""ENT audience (DNMA, DNE): weekly visits and users per school → ``stg_usage``, ``stg_resource_use``.

The DNMA datasets are wide: one row per school and week (``debutsemaine``, a Monday), then
``visites_<x>``, ``utilisateurs_<x>``, ``duree_<x>`` per profile or service. The connectors
turn them long:

* ``fr-en-dnma-par-uai-profils`` → ``stg_usage``: profiles ``eleve``, ``parent``,
  ``enseignant`` and ``admin_vie_scol_tech`` (→ ``personnel``). ``globales`` is their total
  and is not staged.
* ``fr-en-dnma-par-uai-services`` → ``stg_resource_use``: the digital-resource services
  (``manuel_numerique`` and the ``ressource_*`` families); the other services (messaging,
  timetable, marks…) are not resource use and are not staged.

An empty ``visites_<x>`` is a week not measured for that profile or service: no row is
staged (a missing value is not zero). ``duree_*`` (text ``HH:MM:SS``) is not used. The
``…-appareils`` datasets (devices, systems, browsers) have no table in the data model and
no connector.
"""

from __future__ import annotations

import pandas as pd

from explorer.connectors.base import Connector, Context, warn_skipped
from explorer.connectors.files import to_number
from explorer.vocabulary import RESOURCES

PROFILES = {"eleve": "eleve", "parent": "parent", "enseignant": "enseignant", "admin_vie_scol_tech": "personnel"}
SERVICES = tuple(r for r in RESOURCES if r != "gar")


def _long(rows: pd.DataFrame, ctx: Context, names: dict[str, str], key: str) -> pd.DataFrame:
    # ISO dates only (the portal's exports; a timestamp keeps its date part): 01/02/2025 is ambiguous.
    weeks = pd.to_datetime(rows["week"].map(lambda v: str(v or "")[:10]), errors="coerce", format="%Y-%m-%d").dt.date
    frames = []
    for source_name, value in names.items():
        visits = to_number(rows, f"visites_{source_name}", ctx.file)
        users = to_number(rows, f"utilisateurs_{source_name}", ctx.file)
        part = pd.DataFrame(
            {"week_start": weeks, "uai": rows["uai"], key: value, "visits": visits, "users": users},
            index=rows.index,
        )
        frames.append(part[visits.notna()])
    out = pd.concat(frames)
    bad_week = out["week_start"].isna()
    if bad_week.any():
        from explorer.errors import SourceFileError

        line = int(out.index[bad_week.to_numpy()][0]) + 2
        raise SourceFileError(
            f"date de semaine « {rows.loc[out.index[bad_week.to_numpy()][0], 'week']} » illisible : "
            "attendu AAAA-MM-JJ (le lundi de la semaine).",
            file=ctx.file,
            line=line,
            column="debutsemaine",
        )
    empty = len(rows) * len(names) - len(out)
    warn_skipped(ctx, empty, "mesures vides (semaine non mesurée pour ce profil ou ce service, pas zéro)")
    out["visits"] = out["visits"].astype("Int64")
    out["users"] = out["users"].astype("Int64")
    return out  # index (source_row) kept: a contract error names the file line


def _columns(names: tuple[str, ...]) -> dict[str, tuple[str, ...]]:
    columns: dict[str, tuple[str, ...]] = {"week": ("debutsemaine", "debut_semaine"), "uai": ("uai",)}
    for name in names:
        columns[f"visites_{name}"] = ()
        columns[f"utilisateurs_{name}"] = ()
    return columns


PROFILS = Connector(
    dataset_id="fr-en-dnma-par-uai-profils",
    label="Mesure d'audience des ENT (DNMA) par établissement et profil",
    publisher="Ministère de l'Éducation nationale (DNE)",
    columns=_columns(tuple(PROFILES)),
    required=("week", "uai", *(f"visites_{p}" for p in PROFILES)),
    transform=lambda rows, ctx: {"stg_usage": _long(rows, ctx, PROFILES, "profile")},
    tables=("stg_usage",),
    sums=(("stg_usage", "visits"),),
)

SERVICES_CONNECTOR = Connector(
    dataset_id="fr-en-dnma-par-uai-services",
    label="Mesure d'audience des ENT (DNMA) par établissement et service : ressources numériques",
    publisher="Ministère de l'Éducation nationale (DNE)",
    columns=_columns(SERVICES),
    required=("week", "uai", "visites_manuel_numerique"),
    transform=lambda rows, ctx: {"stg_resource_use": _long(rows, ctx, {s: s for s in SERVICES}, "resource")},
    tables=("stg_resource_use",),
    sums=(("stg_resource_use", "visits"),),
)

CONNECTORS = [PROFILS, SERVICES_CONNECTOR]
