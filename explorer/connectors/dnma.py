"""ENT audience (DNMA, DNE): weekly visits and users per school → ``stg_usage``, ``stg_resource_use``.

The DNMA datasets are wide: one row per school and week (``debutsemaine``, a Monday), then
``visites_<x>``, ``utilisateurs_<x>``, ``duree_<x>`` per profile or service. The connectors
turn them long:

* ``fr-en-dnma-par-uai-profils`` → ``stg_usage``: profiles ``eleve``, ``parent``,
  ``enseignant`` and ``admin_vie_scol_tech`` (→ ``personnel``). ``globales`` is the
  all-profiles total and is not staged (it would count every visit twice). It is not exactly
  the sum of the four: nationally in 2025-2026, 649,492,449 global visits against 648,563,478
  for the four profiles, so the staged visits of a file add up to slightly less than its
  ``visites_globales``.
* ``fr-en-dnma-par-uai-services`` → ``stg_resource_use``: the digital-resource services
  (``manuel_numerique`` and the ``ressource_*`` families); the other services (messaging,
  timetable, marks…) are not resource use and are not staged.

An empty ``visites_<x>`` is a week not measured for that profile or service: no row is
staged (a missing value is not zero) and the count is printed. ``duree_*`` (text
``HH:MM:SS``) is not used. Visits and users must be whole numbers, zero or more; a week must
be an ISO date falling on a Monday; a UAI must be 7 digits and a letter: anything else is
refused with its line and column.

``fr-en-dnma-par-uai-appareils`` (visits by device, system and browser, all profiles
together) has no connector: it has no profile, so it does not fit ``stg_usage``, and it is
not a resource, so it does not fit ``stg_resource_use``; the data model has no device table.
``…-profils-appareils`` splits the same visits as ``…-profils`` by device: staging it would
count them twice.
"""

from __future__ import annotations

import pandas as pd

from explorer.connectors._codes import codes
from explorer.connectors._counts import to_count
from explorer.connectors.base import Connector, Context, warn_skipped
from explorer.connectors.files import file_lines
from explorer.errors import SourceFileError
from explorer.vocabulary import RESOURCES

PROFILES = {"eleve": "eleve", "parent": "parent", "enseignant": "enseignant", "admin_vie_scol_tech": "personnel"}
SERVICES = tuple(r for r in RESOURCES if r != "gar")


def _weeks(rows: pd.DataFrame, file: str) -> pd.Series:
    """``debutsemaine`` as dates; an unreadable date or a day other than Monday names its line."""
    # ISO dates only (the portal's exports; a timestamp keeps its date part): 01/02/2025 is ambiguous.
    text = rows["week"].map(lambda v: str(v or "").strip()[:10])
    weeks = pd.to_datetime(text, errors="coerce", format="%Y-%m-%d")
    unreadable = weeks.isna()
    not_monday = weeks.notna() & (weeks.dt.day_of_week != 0)
    for bad, what in (
        (unreadable, "illisible : attendu AAAA-MM-JJ (le lundi de la semaine)"),
        (not_monday, "n'est pas un lundi : la DNMA date chaque semaine de son lundi"),
    ):
        if bad.any():
            idx = bad.idxmax()
            raise SourceFileError(
                f"date de semaine « {str(rows.loc[idx, 'week'])[:40]} » {what} ({int(bad.sum())} ligne(s) "
                "concernée(s)). Corrigez ces lignes puis relancez le chargement.",
                file=file,
                line=int(file_lines(rows)[idx]),
                column="debutsemaine",
            )
    return weeks.dt.date


def _long(rows: pd.DataFrame, ctx: Context, names: dict[str, str], key: str) -> pd.DataFrame:
    """One row per school, week and profile (or resource) whose visits are given.

    Parameters
    ----------
    rows : the file's rows with canonical columns ``week``, ``uai``, ``visites_<x>`` and
        ``utilisateurs_<x>`` for each ``x`` of ``names`` (text cells).
    names : publisher's name → value of the ``key`` column (``admin_vie_scol_tech`` → ``personnel``).
    key : ``profile`` (``stg_usage``) or ``resource`` (``stg_resource_use``).

    Returns
    -------
    DataFrame with ``week_start`` (date), ``uai``, ``key``, ``visits`` and ``users`` (``Int64``).
    """
    weeks = _weeks(rows, ctx.file)
    uai = codes(rows, "uai", "uai", ctx.file)
    frames = []
    for source_name, value in names.items():
        visits = to_count(rows, f"visites_{source_name}", ctx.file)
        users = to_count(rows, f"utilisateurs_{source_name}", ctx.file)
        part = pd.DataFrame(
            {"week_start": weeks, "uai": uai, key: value, "visits": visits, "users": users},
            index=rows.index,
        )
        frames.append(part[visits.notna()])
    out = pd.concat(frames)
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
