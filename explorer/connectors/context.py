"""School context: IPS (DEPP) → ``stg_ips`` and pupil counts (DEPP) → ``stg_enrolment``.

IPS: six datasets, two methods. The DEPP changed the method in 2022 (``…-ap2022`` for
écoles, ``…-ap2023`` for collèges and lycées); the data model keeps each value under its own
school year and the build prefers the new-method dataset when both give the same year, but a
trend must not chain the two methods (see docs/indicators.md). Lycées publish an IPS per
track: the whole-school ``ips_ensemble_gt_pro`` is used, else the general/technological one,
else the vocational one. Rows without an IPS are not staged (a missing value is not zero) and
are counted in a warning.

Pupils: one file per kind of school; the total of the school (``Nombre total d'élèves``,
``Nombre d'élèves total``, ``nombre_d_eleves``) for each rentrée.
"""

from __future__ import annotations

import re

import pandas as pd

from explorer.connectors.base import Connector, Context, warn_skipped
from explorer.connectors.files import to_number
from explorer.errors import SourceFileError

_YEAR = re.compile(r"^(\d{4})(?:\s*[-/]\s*(\d{2}|\d{4}))?$")


def school_year(value: object, ctx: Context, line: int) -> str:
    """``2023`` → ``2023-2024``; ``2021-2022`` and ``2021-22`` → ``2021-2022``."""
    text = str(value or "").strip()
    match = _YEAR.match(text)
    if not match:
        raise SourceFileError(
            f"rentrée « {text[:40]} » non reconnue : attendu une année (2023) ou une année scolaire (2023-2024).",
            file=ctx.file,
            line=line,
            column="rentree_scolaire",
        )
    start = int(match.group(1))
    return f"{start}-{start + 1}"


def _school_years(rows: pd.DataFrame, ctx: Context) -> pd.Series:
    return pd.Series([school_year(v, ctx, int(i) + 2) for i, v in rows["rentree"].items()], index=rows.index)


def _ips(rows: pd.DataFrame, ctx: Context) -> dict[str, pd.DataFrame]:
    ips = to_number(rows, "ips", ctx.file)
    for fallback in ("ips_voie_gt", "ips_voie_pro"):
        if fallback in rows and rows[fallback].notna().any():
            ips = ips.fillna(to_number(rows, fallback, ctx.file))
    keep = ips.notna()
    warn_skipped(ctx, int((~keep).sum()), "IPS non renseigné (valeur absente, pas zéro)")
    out = pd.DataFrame({"uai": rows["uai"], "school_year": _school_years(rows, ctx), "ips": ips})
    return {"stg_ips": out[keep]}  # index kept: a contract error names the file line


def _enrolment(rows: pd.DataFrame, ctx: Context) -> dict[str, pd.DataFrame]:
    pupils = to_number(rows, "pupils", ctx.file)
    keep = pupils.notna()
    warn_skipped(ctx, int((~keep).sum()), "nombre d'élèves non renseigné")
    out = pd.DataFrame({"uai": rows["uai"], "school_year": _school_years(rows, ctx), "pupils": pupils.astype("Int64")})
    return {"stg_enrolment": out[keep]}  # index kept: a contract error names the file line


_IPS_COLUMNS = {
    "rentree": ("rentree_scolaire",),
    "uai": ("uai", "code_uai"),
    "ips": ("ips", "ips_ensemble_gt_pro", "indice_de_position_sociale"),
}
_IPS_LYCEE_COLUMNS = {
    "rentree": ("rentree_scolaire",),
    "uai": ("uai", "code_uai"),
    "ips": ("ips_ensemble_gt_pro", "ips_etab", "ips"),
    "ips_voie_gt": ("ips_voie_gt",),
    "ips_voie_pro": ("ips_voie_pro",),
}
_IPS = [
    ("fr-en-ips_ecoles", "IPS des écoles (méthode antérieure à 2022)", _IPS_COLUMNS),
    ("fr-en-ips-ecoles-ap2022", "IPS des écoles à partir de 2022", _IPS_COLUMNS),
    ("fr-en-ips_colleges", "IPS des collèges (méthode antérieure à 2023)", _IPS_COLUMNS),
    ("fr-en-ips-colleges-ap2023", "IPS des collèges à partir de 2023", _IPS_COLUMNS),
    ("fr-en-ips_lycees", "IPS des lycées (méthode antérieure à 2023)", _IPS_LYCEE_COLUMNS),
    ("fr-en-ips-lycees-ap2023", "IPS des lycées à partir de 2023", _IPS_LYCEE_COLUMNS),
]
_PUPILS_COLLEGE_LABEL = (
    "nombre_d_eleves_total_nombre_d_eleves_dans_les_formations_du_1er_cycle_du_2nd_degre_et_non_du_nombre_"
    "total_d_eleves_inscrits_dans_l_etablissement_les_dima_et_les_dispositifs_relais_sont_exclus"
)
_ENROLMENT = [
    (
        "fr-en-ecoles-effectifs-nb_classes",
        "Effectifs d'élèves par niveau et nombre de classes par école",
        {
            "rentree": ("rentree_scolaire",),
            "uai": ("numero_de_l_ecole", "numero_ecole", "uai"),
            "pupils": ("nombre_total_d_eleves", "nombre_total_eleves"),
        },
    ),
    (
        "fr-en-college-effectifs-niveau-sexe-lv",
        "Effectifs d'élèves par niveau, sexe et langue vivante : collèges",
        {
            "rentree": ("rentree_scolaire",),
            "uai": ("numero_du_college", "numero_college", "uai"),
            "pupils": ("nombre_d_eleves_total", _PUPILS_COLLEGE_LABEL),
        },
    ),
    (
        "fr-en-lycee_gt-effectifs-niveau-sexe-lv",
        "Effectifs d'élèves par niveau, sexe et langue vivante : lycées généraux et technologiques",
        {
            "rentree": ("rentree_scolaire",),
            "uai": ("numero_lycee", "numero_du_lycee", "uai"),
            "pupils": ("nombre_d_eleves", "nombre_d_eleves_total"),
        },
    ),
    (
        "fr-en-lycee_pro-effectifs-niveau-sexe-lv",
        "Effectifs d'élèves par niveau, sexe et langue vivante : lycées professionnels",
        {
            "rentree": ("rentree_scolaire",),
            "uai": ("numero_lycee", "numero_du_lycee", "uai"),
            "pupils": ("nombre_d_eleves", "nombre_d_eleves_total"),
        },
    ),
]

CONNECTORS = [
    *(
        Connector(
            dataset_id=dataset_id,
            label=label,
            publisher="Ministère de l'Éducation nationale (DEPP)",
            columns=columns,
            required=("rentree", "uai", "ips"),
            transform=_ips,
            tables=("stg_ips",),
        )
        for dataset_id, label, columns in _IPS
    ),
    *(
        Connector(
            dataset_id=dataset_id,
            label=label,
            publisher="Ministère de l'Éducation nationale (DEPP)",
            columns=columns,
            required=("rentree", "uai", "pupils"),
            transform=_enrolment,
            tables=("stg_enrolment",),
            sums=(("stg_enrolment", "pupils"),),
        )
        for dataset_id, label, columns in _ENROLMENT
    ),
]
