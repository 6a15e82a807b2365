"""School context: IPS (DEPP) → ``stg_ips`` and pupil counts (DEPP) → ``stg_enrolment``.

IPS: six datasets, two methods. The DEPP changed the method in 2022 (``…-ap2022`` for
écoles, ``…-ap2023`` for collèges and lycées); the data model keeps each value under its own
school year and the build prefers the new-method dataset when both give the same year, but a
trend must not chain the two methods (see docs/indicators.md). Lycées publish an IPS per
track: the whole-school ``ips_ensemble_gt_pro`` (``ips_etab`` in ``…-ap2023``) is used, else
the general/technological one, else the vocational one. Rows without an IPS are not staged (a
missing value is not zero) and are counted in a warning: empty cells, and ``NS`` (« non
significatif »), which the new-method files write instead of a value the DEPP does not publish
(e.g. école ``0590445N`` in the real ``fr-en-ips-ecoles-ap2022`` export). The school-year column is
« Rentrée scolaire » / ``rentree_scolaire`` in most exports, « Année scolaire » in the labels
export of ``fr-en-ips-colleges-ap2023``.

Pupils: one file per kind of school; the total of the school (``Nombre total d'élèves``,
``Nombre d'élèves total``, ``nombre_d_eleves``) for each rentrée.
"""

from __future__ import annotations

import re

import pandas as pd

from explorer.connectors._codes import codes
from explorer.connectors._counts import to_count
from explorer.connectors.base import Connector, Context, warn_skipped
from explorer.connectors.files import to_number
from explorer.errors import SourceFileError

_YEAR = re.compile(r"^(\d{4})(?:\s*[-/]\s*(\d{2}|\d{4}))?$")
# The portal types the pupils' « rentree_scolaire » as a date of year precision: some exports
# write the rentrée 2024 as 2024-01-01 (with or without a time).
_YEAR_AS_DATE = re.compile(r"^(\d{4})-01-01(?:[T ]00:00(?::00)?(?:\.0+)?(?:Z|[+-]\d{2}:?\d{2})?)?$")
# What the DEPP writes instead of an IPS it does not publish (« non significatif »).
NOT_PUBLISHED = "NS"


def school_year(value: object, ctx: Context, line: int) -> str:
    """``2023``, ``2023-01-01`` → ``2023-2024``; ``2021-2022``, ``2021-22`` → ``2021-2022``; ``2021-2023`` refused."""
    text = str(value or "").strip()
    as_date = _YEAR_AS_DATE.match(text)
    if as_date:
        return f"{int(as_date.group(1))}-{int(as_date.group(1)) + 1}"
    match = _YEAR.match(text)
    if match and match.group(2):
        start, end = int(match.group(1)), match.group(2)
        if int(end) != (start + 1 if len(end) == 4 else (start + 1) % 100):
            match = None  # two years that do not follow each other: not a school year
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


def _not_published(rows: pd.DataFrame, column: str) -> pd.Series:
    return rows[column].map(lambda v: str(v or "").strip().upper() == NOT_PUBLISHED)


def _ips_values(rows: pd.DataFrame, column: str, file: str) -> pd.Series:
    """The IPS of ``column``, ``NS`` read as no value (only that code: ``abc`` is still refused)."""
    published = rows[[column]].copy()
    published.loc[_not_published(rows, column), column] = None
    return to_number(published, column, file)


def _staged(rows: pd.DataFrame, ctx: Context, keep: pd.Series, column: str, values: pd.Series) -> pd.DataFrame:
    """Rows kept, with their UAI and school year checked (an error names the line)."""
    kept = rows[keep]
    return pd.DataFrame(
        {"uai": codes(kept, "uai", "uai", ctx.file), "school_year": _school_years(kept, ctx), column: values[keep]}
    )  # index (source_row) kept: a contract error names the file line


def _ips(rows: pd.DataFrame, ctx: Context) -> dict[str, pd.DataFrame]:
    ips = _ips_values(rows, "ips", ctx.file)
    not_significant = _not_published(rows, "ips")
    for fallback in ("ips_voie_gt", "ips_voie_pro"):
        if fallback in rows and rows[fallback].notna().any():
            ips = ips.fillna(_ips_values(rows, fallback, ctx.file))
    keep = ips.notna()
    warn_skipped(ctx, int((~keep & not_significant).sum()), "IPS « NS » (non significatif, non publié par la DEPP)")
    warn_skipped(ctx, int((~keep & ~not_significant).sum()), "IPS non renseigné (valeur absente, pas zéro)")
    return {"stg_ips": _staged(rows, ctx, keep, "ips", ips)}


def _enrolment(rows: pd.DataFrame, ctx: Context) -> dict[str, pd.DataFrame]:
    pupils = to_count(rows, "pupils", ctx.file)
    keep = pupils.notna()
    warn_skipped(ctx, int((~keep).sum()), "nombre d'élèves non renseigné (valeur absente, pas zéro)")
    return {"stg_enrolment": _staged(rows, ctx, keep, "pupils", pupils)}


_IPS_COLUMNS = {
    "rentree": ("rentree_scolaire", "annee_scolaire"),
    "uai": ("uai", "code_uai"),
    "ips": ("ips", "ips_ensemble_gt_pro", "indice_de_position_sociale"),
}
_IPS_LYCEE_COLUMNS = {
    "rentree": ("rentree_scolaire", "annee_scolaire"),
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
            "pupils": ("nombre_eleves_total", "nombre_d_eleves_total", _PUPILS_COLLEGE_LABEL),
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
