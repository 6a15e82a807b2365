"""Geography refresh: INSEE COG, populations légales, DGCL EPCI composition, académie contours.

These connectors stage what each file has and nothing more; ``build --source real`` lays them
over the reference geography (for a code present in both, the non-null loaded columns replace
the reference ones). So a column the file lacks is left null here, never guessed:

* ``insee-cog-communes`` (INSEE « Code officiel géographique », ``v_commune_YYYY.csv``) →
  ``stg_commune`` (code, name = LIBELLE, departement_code = DEP). Only ``TYPECOM = COM`` rows:
  communes déléguées (COMD), associées (COMA) and municipal arrondissements (ARM) share their
  code space with communes and would shadow them;
* ``insee-populations-legales`` (``donnees_communes.csv``) → ``stg_commune`` with
  ``population`` = PMUN (population municipale);
* ``dgcl-epci-composition`` (DGCL « Liste et composition des EPCI à fiscalité propre »,
  workbook ``epcicomYYYY.xlsx``, first sheet ``EpcicomYYYY``, or its CSV) → ``stg_epci``
  (SIREN, raison sociale, nature juridique) and ``stg_commune`` (member communes with their
  EPCI and ``pmun_YYYY``);
* ``fr-en-contour-academies-2020`` (MENJ, GeoJSON) → ``stg_territory_shape`` at level
  ``academie`` (WGS84, as published).
"""

from __future__ import annotations

import pandas as pd

from explorer.connectors._codes import codes
from explorer.connectors._counts import to_count
from explorer.connectors._vintage import VintageConnector
from explorer.connectors.base import Connector, Context
from explorer.connectors.files import file_lines
from explorer.errors import SourceFileError


def _text(rows: pd.DataFrame, column: str, file: str, what: str) -> pd.Series:
    """Stripped text of ``column``; an empty cell raises an error naming its line."""
    out = rows[column].map(lambda v: str(v).strip() if v is not None else "")
    empty = out == ""
    if empty.any():
        idx = empty.idxmax()
        raise SourceFileError(
            f"{what} vide : chaque ligne doit en avoir un.", file=file, line=int(file_lines(rows)[idx]), column=column
        )
    return out.astype(object)


def _population(rows: pd.DataFrame, column: str, file: str) -> pd.Series:
    """Legal populations: whole, zero or more, and never empty."""
    return to_count(rows, column, file, allow_empty=False)


def _communes(
    rows: pd.DataFrame,
    ctx: Context,
    *,
    code: str,
    name: str,
    dep: str,
    epci: pd.Series | None = None,
    population: pd.Series | None = None,
) -> pd.DataFrame:
    """``stg_commune`` rows; columns the file does not have stay null."""
    codes_ = codes(rows, code, "commune", ctx.file)
    dup = codes_.duplicated(keep=False)
    if dup.any():
        first = codes_[dup].iloc[0]
        lines = [int(n) for n in file_lines(rows)[codes_ == first][:2]]
        raise SourceFileError(
            f"la commune {first} figure deux fois (lignes {lines[0]} et {lines[1]}) : une ligne par commune est "
            "attendue. Vérifiez que le fichier n'a pas été concaténé avec une autre version.",
            file=ctx.file,
            line=lines[1],
            column=code,
        )
    return pd.DataFrame(
        {
            "code": codes_,
            "name": _text(rows, name, ctx.file, "nom de commune"),
            "departement_code": codes(rows, dep, "departement", ctx.file),
            "epci_code": epci if epci is not None else None,
            "population": population if population is not None else pd.Series(pd.NA, index=rows.index, dtype="Int64"),
            "lat": None,
            "lon": None,
            "area_km2": None,
        },
        index=rows.index,
    ).reset_index(drop=True)


def cog_communes(rows: pd.DataFrame, ctx: Context) -> dict[str, pd.DataFrame]:
    """COG rows (``typecom``, ``com``, ``dep``, ``libelle``) → ``stg_commune`` for ``TYPECOM = COM``."""
    kept = rows[rows["typecom"].map(lambda v: str(v or "").strip().upper()) == "COM"]
    if kept.empty:
        raise SourceFileError(
            "aucune ligne « COM » dans la colonne TYPECOM : ce n'est pas le fichier des communes du COG.",
            file=ctx.file,
            column="typecom",
        )
    return {"stg_commune": _communes(kept, ctx, code="com", name="libelle", dep="dep")}


def legal_populations(rows: pd.DataFrame, ctx: Context) -> dict[str, pd.DataFrame]:
    """Populations légales (``com``, ``commune``, ``dep``, ``pmun``) → ``stg_commune`` with population."""
    population = _population(rows, "pmun", ctx.file)
    return {"stg_commune": _communes(rows, ctx, code="com", name="commune", dep="dep", population=population.values)}


def epci_composition(rows: pd.DataFrame, ctx: Context) -> dict[str, pd.DataFrame]:
    """DGCL rows (one per member commune) → ``stg_epci`` (one per SIREN) and ``stg_commune``.

    Parameters
    ----------
    rows : canonical text columns ``siren``, ``raison_sociale``, ``nature_juridique``,
        ``dep_com``, ``insee``, ``nom_membre``, ``pmun`` (``pmun_YYYY`` in the file).
    ctx : the load context.
    """
    siren = codes(rows, "siren", "epci", ctx.file)
    epci = pd.DataFrame(
        {
            "code": siren,
            "name": _text(rows, "raison_sociale", ctx.file, "raison sociale"),
            "kind": rows["nature_juridique"].map(lambda v: str(v).strip().upper() if v else None),
        }
    ).drop_duplicates("code")
    population = _population(rows, "pmun", ctx.file) if rows["pmun"].notna().any() else None
    communes = _communes(
        rows,
        ctx,
        code="insee",
        name="nom_membre",
        dep="dep_com",
        epci=siren.values,
        population=population.values if population is not None else None,
    )
    return {"stg_epci": epci.reset_index(drop=True), "stg_commune": communes}


def academie_shapes(rows: pd.DataFrame, ctx: Context) -> dict[str, pd.DataFrame]:
    """GeoJSON features (``code_academie``, ``geometry_wkb``) → ``stg_territory_shape``."""
    missing = rows["geometry_wkb"].isna()
    if missing.any():
        idx = missing.idxmax()
        raise SourceFileError(
            f"l'académie {rows['code_academie'][idx]} n'a pas de géométrie : "
            "exportez le jeu au format GeoJSON complet.",
            file=ctx.file,
            line=int(file_lines(rows)[idx]),
            column="geometry",
        )
    out = pd.DataFrame(
        {
            "level": "academie",
            "code": codes(rows, "code_academie", "academie", ctx.file),
            "geometry_wkb": rows["geometry_wkb"],
        }
    )
    return {"stg_territory_shape": out.reset_index(drop=True)}


COG_COMMUNES = Connector(
    dataset_id="insee-cog-communes",
    label="Code officiel géographique : communes (INSEE)",
    publisher="Institut national de la statistique et des études économiques (INSEE)",
    columns={"typecom": (), "com": (), "dep": (), "libelle": ()},
    required=("typecom", "com", "dep", "libelle"),
    transform=cog_communes,
    tables=("stg_commune",),
    portal=None,
    url="https://www.insee.fr/fr/information/8740222",
)

LEGAL_POPULATIONS = Connector(
    dataset_id="insee-populations-legales",
    label="Populations légales des communes (INSEE)",
    publisher="Institut national de la statistique et des études économiques (INSEE)",
    columns={"com": ("codgeo",), "commune": ("libgeo", "nom_commune"), "dep": (), "pmun": ()},
    required=("com", "commune", "dep", "pmun"),
    transform=legal_populations,
    tables=("stg_commune",),
    portal=None,
    url="https://www.insee.fr/fr/statistiques/8680726?sommaire=8681011",
    sums=(("stg_commune", "population"),),
)

EPCI_COMPOSITION = VintageConnector(
    dataset_id="dgcl-epci-composition",
    label="Liste et composition des EPCI à fiscalité propre (DGCL)",
    publisher="Direction générale des collectivités locales (DGCL, DESL)",
    columns={
        "siren": (),
        "raison_sociale": (),
        "nature_juridique": (),
        "dep_com": (),
        "insee": (),
        "nom_membre": (),
        "pmun": (),
    },
    required=("siren", "raison_sociale", "dep_com", "insee", "nom_membre"),
    transform=epci_composition,
    tables=("stg_epci", "stg_commune"),
    portal=None,
    url="https://www.collectivites-locales.gouv.fr/institutions/liste-et-composition-des-epci-fiscalite-propre",
    sums=(("stg_commune", "population"),),
)

ACADEMIE_SHAPES = Connector(
    dataset_id="fr-en-contour-academies-2020",
    label="Contours géographiques des académies (2020)",
    publisher="Ministère de l'Éducation nationale",
    columns={"code_academie": (), "geometry_wkb": ()},
    required=("code_academie", "geometry_wkb"),
    transform=academie_shapes,
    tables=("stg_territory_shape",),
    portal="education",
    export_params={"format": "geojson"},
)

CONNECTORS = [COG_COMMUNES, LEGAL_POPULATIONS, EPCI_COMPOSITION, ACADEMIE_SHAPES]
