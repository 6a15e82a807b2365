"""Published aggregates of digital-education programmes: TNE per département, GAR per académie.

Both go to ``stg_territory_fact`` as they are published (no per-school figure exists):

- Territoires numériques éducatifs (Réseau Canopé / DNE), 12 départements, monthly:
  ``fr-en-tne_suivi_deploiement_solutions_numeriques_dept`` (pupils and teachers equipped
  with a digital solution) and
  ``fr-en-tne_personnels_formes_par_departement_secteur_type_etablissement`` (staff trained,
  cumulative; schema **inferred**, see ``TNE_PERSONNELS``). Period ``YYYY-MM``.
  Corse arrives as numéro ``20`` / « Corse »: the TNE territory is Corse-du-Sud (the training
  dataset names it so), hence ``2A``.
- GAR (gestionnaire d'accès aux ressources), school year 2024-2025, one row per académie:
  accédants, accès, affectations. The « Autres » row (no académie) is left out and counted.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import pandas as pd

from explorer import vocabulary as voc
from explorer.connectors.base import Connector, Context
from explorer.connectors.files import normalise_header, to_number
from explorer.connectors.programmes import warn_skipped
from explorer.errors import SourceFileError
from explorer.geo.geography import academies, departement_academie

# Month names as publishers write them, accents dropped (« fevrier », « aout »), from the one list.
_MONTHS = {normalise_header(name): i + 1 for i, name in enumerate(voc.MONTHS)}
_PUBLISHER_TNE = "Réseau Canopé / ministère de l'Éducation nationale (DNE)"
_PUBLISHER_GAR = "Ministère de l'Éducation nationale (DNE)"
GAR_PERIOD = "2024-2025"


def departement_code(number: object, name: object) -> str | None:
    """``'1'`` → ``'01'``, ``'035'`` → ``'35'``, ``'20'`` or « Corse » → ``'2A'``; ``None`` if not one of the 101."""
    text = str(number or "").strip().upper()
    if text in ("20", "020") or (not text and normalise_header(name) == "corse"):
        return "2A"
    if len(text) == 3 and text.startswith("0"):
        text = text[1:]
    if len(text) == 1 and text.isdigit():
        text = "0" + text
    return text if text in set(departement_academie()["departement_code"]) else None


def month_period(date: object, year: object, month: object) -> str | None:
    """``'2025-06-30'`` → ``'2025-06'``; else from year and month (``6``, ``'06'``, ``'juin'``)."""
    match = re.match(r"^\s*([0-9]{4})-([0-9]{2})", str(date or ""))
    if match and 1 <= int(match.group(2)) <= 12:
        return f"{match.group(1)}-{match.group(2)}"
    match = re.match(r"^\s*([0-9]{2})/([0-9]{2})/([0-9]{4})", str(date or ""))
    if match and 1 <= int(match.group(2)) <= 12:
        return f"{match.group(3)}-{match.group(2)}"
    y = str(year or "").strip()
    m = str(month or "").strip()
    n = int(m) if m.isdigit() else _MONTHS.get(normalise_header(m))
    if re.fullmatch(r"[0-9]{4}", y) and n is not None and 1 <= n <= 12:
        return f"{y}-{n:02d}"
    return None


def _departements_and_periods(rows: pd.DataFrame, ctx: Context) -> pd.DataFrame:
    """``code`` and ``period`` of every row, or a line/column error."""
    codes, periods = [], []
    for idx, row in rows.iterrows():
        line = int(idx) + 2
        code = departement_code(row["numero_du_departement"], row["departement"])
        if code is None:
            raise SourceFileError(
                f"numéro de département « {str(row['numero_du_departement'] or '')[:20]} » invalide "
                "(attendu 01…95, 2A, 2B, 971…976).",
                file=ctx.file,
                line=line,
                column="numero_du_departement",
            )
        period = month_period(row["date_des_donnees"], row["annee"], row["mois_des_donnees"])
        if period is None:
            raise SourceFileError(
                "période illisible : attendu une date « AAAA-MM-JJ » dans date_des_donnees, ou une année "
                f"et un mois (reçu « {row['date_des_donnees']} », « {row['annee']} », « {row['mois_des_donnees']} »).",
                file=ctx.file,
                line=line,
                column="date_des_donnees",
            )
        codes.append(code)
        periods.append(period)
    return pd.DataFrame({"code": codes, "period": periods}, index=rows.index)


def _facts(keys: pd.DataFrame, value: pd.Series, level: str, indicator: str, unit: str) -> pd.DataFrame:
    """Sum ``value`` per (code, period); a group with a missing value stays missing (not zero)."""
    frame = keys.assign(value=value.astype("Float64"))
    grouped = frame.groupby(["code", "period"], sort=True)["value"]
    total = grouped.sum(min_count=1).where(~grouped.apply(lambda s: s.isna().any()))
    out = total.reset_index()
    return out.assign(level=level, indicator=indicator, unit=unit).astype({"value": float})


def stage_tne_deploiement(rows: pd.DataFrame, ctx: Context) -> dict[str, pd.DataFrame]:
    """Pupils and teachers with a TNE digital solution, per département and month.

    Parameters
    ----------
    rows : canonical columns of ``TNE_DEPLOIEMENT`` (strings): ``numero_du_departement``,
        ``departement``, ``annee``, ``mois_des_donnees``, ``date_des_donnees``,
        ``nombre_d_eleves``, ``nombre_d_enseignants``.
    ctx : the load's context.

    Returns
    -------
    ``{"stg_territory_fact": rows}`` at level ``departement``, period ``YYYY-MM``.
    """
    keys = _departements_and_periods(rows, ctx)
    parts = [
        _facts(keys, to_number(rows, "nombre_d_eleves", ctx.file), "departement",
               "Élèves bénéficiaires d'une solution numérique (TNE)", "élèves"),
        _facts(keys, to_number(rows, "nombre_d_enseignants", ctx.file), "departement",
               "Enseignants bénéficiaires d'une solution numérique (TNE)", "enseignants"),
    ]  # fmt: skip
    return {"stg_territory_fact": pd.concat(parts, ignore_index=True)}


def stage_tne_personnels(rows: pd.DataFrame, ctx: Context) -> dict[str, pd.DataFrame]:
    """Staff trained in the TNE programme, per département and month (all sectors and types).

    Parameters
    ----------
    rows : canonical columns of ``TNE_PERSONNELS`` (inferred schema): the département and
        period columns of the deployment dataset, ``secteur``, ``type_etablissement`` and the
        measure ``nombre_de_personnels_formes``. One row per (département, month, secteur,
        type): they are summed per département and month.
    ctx : the load's context.

    Returns
    -------
    ``{"stg_territory_fact": rows}`` at level ``departement``, indicator « Personnels formés
    (TNE) », unit ``personnes``, period ``YYYY-MM`` (cumulative counts as published).
    """
    keys = _departements_and_periods(rows, ctx)
    value = to_number(rows, "nombre_de_personnels_formes", ctx.file)
    return {"stg_territory_fact": _facts(keys, value, "departement", "Personnels formés (TNE)", "personnes")}


def _gar(measure: str, indicator: str, unit: str) -> Callable[[pd.DataFrame, Context], dict[str, pd.DataFrame]]:
    def stage_gar(rows: pd.DataFrame, ctx: Context) -> dict[str, pd.DataFrame]:
        known = set(academies()["code"])
        code = rows["code_academie"].map(lambda v: str(v or "").strip().zfill(2) if v else "")
        other = (code == "") | rows["libelle_aca"].map(lambda v: normalise_header(v) == "autres")
        warn_skipped(ctx, int(other.sum()), "ligne « Autres » (sans académie)")
        kept = rows[~other]
        unknown = ~code[~other].isin(known)
        if unknown.any():
            idx = unknown.idxmax()
            raise SourceFileError(
                f"code académie « {rows.at[idx, 'code_academie']} » inconnu (attendu un des 30 codes MENJ, "
                "01 Paris … 70 Normandie).",
                file=ctx.file,
                line=int(idx) + 2,
                column="code_academie",
            )
        value = to_number(kept, measure, ctx.file)
        period = kept["annee_scolaire"].map(lambda v: str(v).strip() if v else GAR_PERIOD)
        out = pd.DataFrame(
            {
                "level": "academie",
                "code": code[~other],
                "period": period,
                "indicator": indicator,
                "value": value.astype(float),
                "unit": unit,
            }
        )
        return {"stg_territory_fact": out.reset_index(drop=True)}

    stage_gar.__doc__ = f"GAR per académie → ``stg_territory_fact`` « {indicator} » ({unit})."
    return stage_gar


_TNE_KEYS = {
    "annee": ("annee_des_donnees",),
    "mois_des_donnees": ("mois",),
    "numero_du_departement": ("code_departement", "numero_departement", "code_du_departement"),
    "departement": ("nom_du_departement", "libelle_departement"),
    "date_des_donnees": ("date",),
}
_GAR_KEYS = {
    "libelle_aca": ("academie", "libelle_academie"),
    "libelle_aca_majuscules": (),
    "libelle_region_2016": (),
    "code_academie": ("code_aca",),
    "code_region_2016": (),
    "annee_scolaire": ("annee",),
}

TNE_DEPLOIEMENT = Connector(
    dataset_id="fr-en-tne_suivi_deploiement_solutions_numeriques_dept",
    label="Territoires numériques éducatifs : déploiement des solutions numériques par département",
    publisher=_PUBLISHER_TNE,
    columns={**_TNE_KEYS, "nombre_d_eleves": (), "nombre_d_enseignants": ()},
    required=("numero_du_departement", "nombre_d_eleves"),
    transform=stage_tne_deploiement,
    tables=("stg_territory_fact",),
    sums=(("stg_territory_fact", "value", "élèves"), ("stg_territory_fact", "value", "enseignants")),
)

# Inferred schema: the portal documents only the title; the columns follow the deployment
# dataset of the same publisher plus the two breakdowns named in the title.
TNE_PERSONNELS = Connector(
    dataset_id="fr-en-tne_personnels_formes_par_departement_secteur_type_etablissement",
    label="Territoires numériques éducatifs : personnels formés par département, secteur et type d'établissement",
    publisher=_PUBLISHER_TNE,
    columns={
        **_TNE_KEYS,
        "secteur": ("secteur_d_enseignement",),
        "type_etablissement": ("type_d_etablissement",),
        "nombre_de_personnels_formes": (
            "nombre_personnels_formes",
            "personnels_formes",
            "nombre_total_de_participants",
            "nombre_de_participants",
            "nombre_total_de_participants_aux_formations",
        ),
    },
    required=("numero_du_departement", "nombre_de_personnels_formes"),
    transform=stage_tne_personnels,
    tables=("stg_territory_fact",),
    sums=(("stg_territory_fact", "value", "personnes"),),
)


def _gar_connector(dataset_id: str, measure: str, aliases: tuple[str, ...], indicator: str, unit: str) -> Connector:
    return Connector(
        dataset_id=dataset_id,
        label=f"GAR (ressources numériques) : {unit} par académie, {GAR_PERIOD}",
        publisher=_PUBLISHER_GAR,
        columns={**_GAR_KEYS, measure: aliases},
        required=("libelle_aca", "code_academie", measure),
        transform=_gar(measure, indicator, unit),
        tables=("stg_territory_fact",),
        sums=(("stg_territory_fact", "value", unit),),
    )


GAR_ACCEDANTS = _gar_connector(
    "fr-en-gar-accedants_academie2024-2025",
    "nombre_d_accedants",
    ("accedants", "nb_accedants", "nombre_accedants"),
    "Accédants aux ressources du GAR",
    "accédants",
)
GAR_ACCES = _gar_connector(
    "fr-en-gar-acces_academie",
    "nombre_d_acces",
    ("acces", "nb_acces", "nombre_acces"),
    "Accès aux ressources du GAR",
    "accès",
)
GAR_AFFECTATIONS = _gar_connector(
    "fr-en-gar-affectations_academie2024-2025",
    "nombre_d_affectations",
    ("affectations", "nb_affectations", "nombre_affectations"),
    "Affectations de ressources du GAR",
    "affectations",
)

CONNECTORS = [TNE_DEPLOIEMENT, TNE_PERSONNELS, GAR_ACCEDANTS, GAR_ACCES, GAR_AFFECTATIONS]
