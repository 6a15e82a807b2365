"""What the warehouse holds: build facts, sources, row counts, coverage and data dictionary.

Every function takes an open DuckDB connection and returns plain Python values or pandas
DataFrames with French column headers, ready for the « Données » page (or a notebook).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import duckdb
import pandas as pd

from explorer import vocabulary as voc
from explorer.formatting import fr_number, fr_percent
from explorer.warehouse.sqlfiles import read_sql

# ---------------------------------------------------------------------------------------
# Data dictionary
# ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ColumnDoc:
    """Meaning of one column: what it says, in which unit, which values it may take."""

    meaning: str
    unit: str = ""
    values: str = ""


@dataclass(frozen=True)
class TableDoc:
    """Meaning of one mart table: a French label, what one row is, its columns."""

    label: str
    description: str
    columns: Mapping[str, ColumnDoc] = field(default_factory=dict)


def _choices(labels: Mapping[str, str]) -> str:
    """``{"ecole": "École"}`` → ``"ecole (École)"``, the codes as stored, then their label."""
    return ", ".join(f"{code} ({label})" for code, label in labels.items())


def _codes(codes: tuple[str, ...]) -> str:
    return ", ".join(codes)


_UAI = ColumnDoc("Identifiant de l'établissement (UAI)", "", "texte de 8 caractères : 7 chiffres et 1 lettre")
_SOURCE = ColumnDoc("Source des lignes (voir la table sources)", "", "code de source, p. ex. demo")
_SCHOOL_YEAR = ColumnDoc("Année scolaire", "", "« AAAA-AAAA », année de la rentrée d'abord (p. ex. 2025-2026)")
_WEEK_START = ColumnDoc("Premier jour de la semaine mesurée", "date", "toujours un lundi")
_HOLIDAY_ZONE = ColumnDoc("Zone de vacances scolaires", "", _codes(voc.HOLIDAY_ZONES))
_LAT = ColumnDoc("Latitude", "degrés (WGS84)")
_LON = ColumnDoc("Longitude", "degrés (WGS84)")
_REGION = ColumnDoc("Code INSEE de la région", "", "'11' … '94' ; '01' à '06' pour l'outre-mer")
_ACADEMIE = ColumnDoc("Code MENJ de l'académie", "", "'01' Paris … '70' Normandie")
_DEPARTEMENT = ColumnDoc("Code INSEE du département", "", "'01' … '95', '2A', '2B', '971' … '976'")
_EPCI = ColumnDoc("SIREN de l'EPCI (intercommunalité)", "", "9 chiffres ; vide hors EPCI")
_COMMUNE = ColumnDoc("Code INSEE de la commune", "", "5 caractères (COG 2026)")
_VISITS = ColumnDoc("Nombre de visites dans la semaine", "visites", "entier ≥ 0")
_USERS = ColumnDoc(
    "Nombre d'utilisateurs dans la semaine ; additionner les semaines ne compte pas des personnes distinctes",
    "utilisateurs",
    "entier ≥ 0 ; vide si non publié",
)

DATA_DICTIONARY: dict[str, TableDoc] = {
    "territory": TableDoc(
        "Territoires",
        "Une ligne par territoire de chaque niveau (région, académie, département, EPCI, "
        "commune) avec ses territoires parents, sa population et sa zone de vacances.",
        {
            "level": ColumnDoc("Niveau du territoire", "", _choices(voc.LEVEL_LABELS)),
            "code": ColumnDoc(
                "Code officiel du territoire",
                "",
                "INSEE (région, département, commune), MENJ (académie), SIREN (EPCI)",
            ),
            "name": ColumnDoc("Nom du territoire"),
            "region_code": _REGION,
            "academie_code": ColumnDoc(
                "Code MENJ de l'académie", "", "'01' Paris … '70' Normandie ; vide pour une région"
            ),
            "departement_code": ColumnDoc(
                "Code INSEE du département",
                "",
                "'01' … '95', '2A', '2B', '971' … '976' ; vide au-dessus du département",
            ),
            "epci_code": ColumnDoc("SIREN de l'EPCI", "", "renseigné pour un EPCI et ses communes membres"),
            "population": ColumnDoc(
                "Population municipale (somme des communes membres dont elle est connue)",
                "habitants",
                "vide si inconnue : une population manquante n'est pas nulle",
            ),
            "population_complete": ColumnDoc(
                "La population de toutes les communes membres est-elle connue ?",
                "",
                "vrai / faux",
            ),
            "commune_count": ColumnDoc("Nombre de communes membres", "communes", "entier ≥ 1"),
            "area_km2": ColumnDoc("Superficie, calculée sur les contours (à quelques % près)", "km²"),
            "lat": ColumnDoc(
                "Latitude du point représentatif (commune) ou moyenne de celles des communes membres",
                "degrés (WGS84)",
            ),
            "lon": ColumnDoc(
                "Longitude du point représentatif (commune) ou moyenne de celles des communes membres",
                "degrés (WGS84)",
            ),
            "holiday_zone": _HOLIDAY_ZONE,
            "is_overseas": ColumnDoc("Territoire d'outre-mer (DROM)", "", "vrai / faux"),
        },
    ),
    "territory_shape": TableDoc(
        "Contours des territoires",
        "Une ligne par territoire : son contour, simplifié selon le niveau, pour les cartes.",
        {
            "level": ColumnDoc("Niveau du territoire", "", _choices(voc.LEVEL_LABELS)),
            "code": ColumnDoc("Code officiel du territoire (comme dans territory)"),
            "geometry_wkb": ColumnDoc("Contour au format WKB", "coordonnées WGS84 (EPSG:4326)", "binaire"),
        },
    ),
    "territory_shape_overview": TableDoc(
        "Contours allégés pour les cartes nationales",
        "Une ligne par territoire : le contour de territory_shape simplifié à 0,01° (environ "
        "1 km, un pixel d'une carte de la France entière) et arrondi au millième de degré, "
        "pour que la carte nationale des communes reste légère.",
        {
            "level": ColumnDoc("Niveau du territoire", "", _choices(voc.LEVEL_LABELS)),
            "code": ColumnDoc("Code officiel du territoire (comme dans territory)"),
            "geometry_wkb": ColumnDoc("Contour allégé au format WKB", "coordonnées WGS84 (EPSG:4326)", "binaire"),
        },
    ),
    "school": TableDoc(
        "Établissements",
        "Une ligne par école, collège ou lycée, avec ses territoires et la collectivité qui "
        "finance son équipement (école → commune ou EPCI, collège → département, "
        "lycée → région).",
        {
            "uai": _UAI,
            "name": ColumnDoc("Nom de l'établissement"),
            "kind": ColumnDoc("Type d'établissement", "", _choices(voc.KIND_LABELS)),
            "nature": ColumnDoc(
                "Nature détaillée",
                "",
                "p. ex. École maternelle, École élémentaire, École primaire, Collège, LEGT, LP, LPO",
            ),
            "sector": ColumnDoc("Secteur", "", "public, prive (privé)"),
            "commune_code": _COMMUNE,
            "epci_code": _EPCI,
            "departement_code": _DEPARTEMENT,
            "academie_code": _ACADEMIE,
            "region_code": _REGION,
            "lat": _LAT,
            "lon": _LON,
            "payer_level": ColumnDoc(
                "Niveau de la collectivité qui finance bâtiments, équipement et ENT",
                "",
                "commune ou epci (écoles), departement (collèges), region (lycées)",
            ),
            "payer_code": ColumnDoc(
                "Code de cette collectivité", "", "INSEE (commune, département, région), SIREN (EPCI)"
            ),
            "source": _SOURCE,
        },
    ),
    "enrolment": TableDoc(
        "Effectifs d'élèves",
        "Une ligne par établissement et année scolaire : le nombre d'élèves à la rentrée.",
        {
            "uai": _UAI,
            "school_year": _SCHOOL_YEAR,
            "pupils": ColumnDoc("Nombre d'élèves", "élèves", "entier ≥ 0"),
            "source": _SOURCE,
        },
    ),
    "ips": TableDoc(
        "Indice de position sociale (IPS)",
        "Une ligne par établissement et année scolaire : l'IPS publié par la DEPP. La "
        "méthode a changé en 2022 : ne pas mélanger les millésimes dans une même tendance.",
        {
            "uai": _UAI,
            "school_year": _SCHOOL_YEAR,
            "ips": ColumnDoc(
                "Indice de position sociale", "indice (moyenne nationale ≈ 100)", "plus haut = plus favorisé"
            ),
            "source": _SOURCE,
        },
    ),
    "investment": TableDoc(
        "Investissements numériques",
        "Une ligne par dépense : qui a payé (financeur), dans quel programme, pour quoi "
        "(catégorie) et, quand elle est connue, pour quel établissement.",
        {
            "year": ColumnDoc("Exercice budgétaire", "année civile"),
            "funder_level": ColumnDoc("Niveau du financeur", "", _choices(voc.FUNDER_LABELS)),
            "funder_code": ColumnDoc(
                "Code du financeur", "", "'FR' pour l'État ; sinon code du territoire (SIREN pour un EPCI)"
            ),
            "programme": ColumnDoc(
                "Programme de financement",
                "",
                "droit_commun, SNEE (socle numérique des écoles), hybridation_lycees, TNE "
                "(territoires numériques éducatifs), …",
            ),
            "category": ColumnDoc("Nature de la dépense", "", _choices(voc.CATEGORY_LABELS)),
            "uai": ColumnDoc(
                "UAI de l'établissement bénéficiaire", "", "vide si la dépense n'est pas rattachée à un établissement"
            ),
            "amount_eur": ColumnDoc(
                "Montant de la dépense", "euros courants", "un montant absent n'est pas un montant nul"
            ),
            "source": _SOURCE,
            "beneficiary_level": ColumnDoc(
                "Niveau du territoire bénéficiaire d'une dépense non rattachée à un établissement",
                "",
                _choices(voc.LEVEL_LABELS) + " ; vide : les établissements dont le financeur a la charge",
            ),
            "beneficiary_code": ColumnDoc(
                "Code du territoire bénéficiaire (commune d'une convention SNEE, région d'une convention "
                "d'hybridation…)",
                "",
                "code INSEE, SIREN pour un EPCI",
            ),
        },
    ),
    "usage": TableDoc(
        "Usages de l'ENT",
        "Une ligne par semaine, établissement et profil : l'audience de l'espace numérique de travail (mesure DNMA).",
        {
            "week_start": _WEEK_START,
            "uai": _UAI,
            "profile": ColumnDoc("Profil des utilisateurs", "", _choices(voc.PROFILE_LABELS)),
            "visits": _VISITS,
            "users": _USERS,
            "source": _SOURCE,
        },
    ),
    "resource_use": TableDoc(
        "Usages des ressources numériques",
        "Une ligne par semaine, établissement et type de ressource consultée depuis l'ENT.",
        {
            "week_start": _WEEK_START,
            "uai": _UAI,
            "resource": ColumnDoc("Type de ressource", "", _codes(voc.RESOURCES)),
            "visits": _VISITS,
            "users": _USERS,
            "source": _SOURCE,
        },
    ),
    "calendar_week": TableDoc(
        "Calendrier scolaire",
        "Une ligne par semaine et zone de vacances : part de jours de classe, vacances, confinement, année scolaire.",
        {
            "week_start": _WEEK_START,
            "holiday_zone": _HOLIDAY_ZONE,
            "school_day_share": ColumnDoc(
                "Part des 5 jours ouvrés de la semaine qui sont des jours de classe",
                "part (0 à 1)",
                "0 = semaine de vacances, 1 = semaine complète",
            ),
            "holiday_week": ColumnDoc("Semaine entièrement en vacances", "", "vrai / faux"),
            "lockdown_week": ColumnDoc(
                "Semaine du confinement du printemps 2020 (16 mars au 10 mai 2020)", "", "vrai / faux"
            ),
            "rentree_year": ColumnDoc("Année de la rentrée de l'année scolaire", "année", "p. ex. 2025 pour 2025-2026"),
            "school_year": _SCHOOL_YEAR,
        },
    ),
    "coverage": TableDoc(
        "Couverture des mesures d'usage",
        "Une ligne par année scolaire et type d'établissement : combien d'établissements "
        "ayant des élèves ont au moins une semaine d'usage de l'ENT mesurée.",
        {
            "school_year": _SCHOOL_YEAR,
            "kind": ColumnDoc("Type d'établissement", "", _choices(voc.KIND_LABELS)),
            "schools": ColumnDoc("Établissements ayant des élèves cette année-là", "établissements", "entier ≥ 0"),
            "measured_schools": ColumnDoc(
                "Établissements avec au moins une semaine d'usage mesurée",
                "établissements",
                "entier ≥ 0",
            ),
            "coverage_share": ColumnDoc("Part des établissements mesurés (measured_schools / schools)", "part (0 à 1)"),
        },
    ),
    "school_year": TableDoc(
        "Établissements par année scolaire",
        "Une ligne par établissement et année scolaire : les dénominateurs des indicateurs "
        "(élèves, IPS, établissement mesuré ou non, semaines de classe).",
        {
            "uai": _UAI,
            "school_year": _SCHOOL_YEAR,
            "rentree_year": ColumnDoc("Année de la rentrée", "année", "p. ex. 2025 pour 2025-2026"),
            "pupils": ColumnDoc("Nombre d'élèves à la rentrée", "élèves", "entier ≥ 0"),
            "ips": ColumnDoc(
                "Indice de position sociale de l'année",
                "indice (moyenne nationale ≈ 100)",
                "vide si non publié",
            ),
            "measured": ColumnDoc(
                "L'établissement a au moins une semaine d'usage de l'ENT mesurée cette année-là",
                "",
                "vrai / faux",
            ),
            "school_weeks": ColumnDoc(
                "Semaines de classe de l'année dans la zone de vacances de l'établissement, "
                "chaque semaine comptée pour sa part de jours de classe (3 jours sur 5 = 0,6)",
                "semaines",
                "≥ 0",
            ),
        },
    ),
    "usage_school_year": TableDoc(
        "Usages de l'ENT par année scolaire",
        "Une ligne par établissement, année scolaire et profil : les usages hebdomadaires "
        "de l'ENT additionnés sur l'année.",
        {
            "uai": _UAI,
            "school_year": _SCHOOL_YEAR,
            "profile": ColumnDoc("Profil des utilisateurs", "", _choices(voc.PROFILE_LABELS)),
            "visits": ColumnDoc("Visites de l'année", "visites", "entier ≥ 0"),
            "user_weeks": ColumnDoc(
                "Somme des utilisateurs hebdomadaires : des utilisateurs-semaines, pas des personnes distinctes",
                "utilisateurs-semaines",
                "entier ≥ 0 ; vide si non publié",
            ),
            "school_user_weeks": ColumnDoc(
                "Même somme, limitée aux semaines ayant au moins un jour de classe dans la zone de l'établissement",
                "utilisateurs-semaines",
                "entier ≥ 0 ; vide si non publié",
            ),
            "school_weeks_counted": ColumnDoc(
                "Semaines mesurées ayant au moins un jour de classe dans la zone",
                "semaines",
                "entier ≥ 0",
            ),
        },
    ),
    "resource_school_year": TableDoc(
        "Usages des ressources numériques par année scolaire",
        "Une ligne par établissement, année scolaire et type de ressource : les usages "
        "hebdomadaires additionnés sur l'année.",
        {
            "uai": _UAI,
            "school_year": _SCHOOL_YEAR,
            "resource": ColumnDoc("Type de ressource", "", _codes(voc.RESOURCES)),
            "visits": ColumnDoc("Visites de l'année", "visites", "entier ≥ 0"),
            "user_weeks": ColumnDoc(
                "Somme des utilisateurs hebdomadaires : des utilisateurs-semaines, pas des personnes distinctes",
                "utilisateurs-semaines",
                "entier ≥ 0 ; vide si non publié",
            ),
        },
    ),
    "investment_school": TableDoc(
        "Investissements par établissement",
        "Chaque euro investi, rattaché à un établissement. Une dépense qui ne l'est pas "
        "(p. ex. des licences ENT achetées pour tous les collèges d'un département) est "
        "répartie entre les établissements dont le financeur a la charge, au prorata de "
        "leurs élèves ; celle de l'État, entre tous les établissements.",
        {
            "year": ColumnDoc("Exercice budgétaire", "année civile"),
            "funder_level": ColumnDoc("Niveau du financeur", "", _choices(voc.FUNDER_LABELS)),
            "funder_code": ColumnDoc(
                "Code du financeur", "", "'FR' pour l'État ; sinon code du territoire (SIREN pour un EPCI)"
            ),
            "programme": ColumnDoc("Programme de financement", "", "droit_commun, SNEE, hybridation_lycees, TNE, …"),
            "category": ColumnDoc("Nature de la dépense", "", _choices(voc.CATEGORY_LABELS)),
            "uai": _UAI,
            "amount_eur": ColumnDoc(
                "Montant attribué à l'établissement (sa part quand la dépense est répartie)",
                "euros courants",
            ),
            "allocated": ColumnDoc(
                "Part d'une dépense répartie au prorata des élèves (vrai) ou dépense "
                "rattachée à l'établissement par la source (faux)",
                "",
                "vrai / faux",
            ),
        },
    ),
    "territory_fact": TableDoc(
        "Agrégats publiés par territoire",
        "Valeurs publiées par territoire et période, telles que l'éditeur les donne : comptes des "
        "collectivités (OFGL), déploiement des Territoires numériques éducatifs, accès au GAR par "
        "académie… Une valeur absente n'est pas zéro ; deux sources ne s'additionnent pas.",
        {
            "level": ColumnDoc("Niveau du territoire", "", _choices(voc.LEVEL_LABELS)),
            "code": ColumnDoc("Code du territoire", "", "code INSEE, SIREN pour un EPCI, code MENJ pour une académie"),
            "period": ColumnDoc("Période", "", "exercice (AAAA), année scolaire (AAAA-AAAA) ou mois (AAAA-MM)"),
            "indicator": ColumnDoc("Indicateur, libellé de l'éditeur", "", "p. ex. Dépenses d'équipement"),
            "value": ColumnDoc("Valeur", "voir unit"),
            "unit": ColumnDoc("Unité de la valeur", "", "€, €/hab, élèves, accès…"),
            "source": ColumnDoc("Jeu de données d'origine"),
        },
    ),
    "sources": TableDoc(
        "Sources",
        "Une ligne par table et source : d'où viennent les lignes, leur millésime, leur licence.",
        {
            "table_name": ColumnDoc(
                "Table de l'entrepôt",
                "",
                ", ".join(
                    (
                        "territory",
                        "territory_shape",
                        "school",
                        "enrolment",
                        "ips",
                        "investment",
                        "usage",
                        "resource_use",
                        "calendar_week",
                    )
                ),
            ),
            "source": ColumnDoc("Code de la source (colonne source des tables)"),
            "row_count": ColumnDoc("Nombre de lignes venant de cette source", "lignes"),
            "label": ColumnDoc("Intitulé de la source"),
            "publisher": ColumnDoc("Producteur"),
            "dataset_id": ColumnDoc("Identifiant du jeu de données chez le producteur"),
            "vintage": ColumnDoc("Millésime ou période couverte"),
            "url": ColumnDoc("Adresse de la source", "URL"),
            "licence": ColumnDoc("Licence de réutilisation"),
            "is_simulated": ColumnDoc("Données simulées (démonstration)", "", "vrai / faux"),
            "loaded_at": ColumnDoc("Date et heure du chargement", "horodatage (UTC)"),
        },
    ),
    "build_info": TableDoc(
        "Construction de l'entrepôt",
        "Paires clé / valeur décrivant la construction de l'entrepôt.",
        {
            "key": ColumnDoc("Clé", "", "source, scope, seed, built_at, is_simulated, schema_version"),
            "value": ColumnDoc("Valeur", "texte"),
        },
    ),
}

# The allow-list of table names that may be interpolated into SQL.
MART_TABLES: tuple[str, ...] = tuple(DATA_DICTIONARY)

DICTIONARY_COLUMNS = ["Table", "Colonne", "Signification", "Unité", "Valeurs admises"]


def data_dictionary() -> pd.DataFrame:
    """Every mart column with its French meaning, unit and allowed values.

    Returns
    -------
    DataFrame with columns Table, Colonne, Signification, Unité, Valeurs admises (all
    str, « — » when there is nothing to say), in warehouse order.
    """
    rows = [
        (table, column, doc.meaning, doc.unit or "—", doc.values or "—")
        for table, table_doc in DATA_DICTIONARY.items()
        for column, doc in table_doc.columns.items()
    ]
    return pd.DataFrame(rows, columns=DICTIONARY_COLUMNS)


def table_label(table: str) -> str:
    """French label of a mart table (its name when unknown)."""
    doc = DATA_DICTIONARY.get(table)
    return doc.label if doc else table


# ---------------------------------------------------------------------------------------
# Warehouse facts
# ---------------------------------------------------------------------------------------


def existing_tables(con: duckdb.DuckDBPyConnection) -> set[str]:
    """Names of the tables of the warehouse's main schema."""
    rows = con.execute(read_sql("queries/main_tables"), ["main"]).fetchall()
    return {name for (name,) in rows}


def build_info(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """The ``build_info`` key/value pairs (empty when the warehouse has none)."""
    if "build_info" not in existing_tables(con):
        return {}
    return dict(con.execute(read_sql("queries/build_info")).fetchall())


def is_simulated(con: duckdb.DuckDBPyConnection) -> bool:
    """True when the build says so or when any source of the warehouse is simulated."""
    if build_info(con).get("is_simulated", "").strip().lower() == "true":
        return True
    if "sources" not in existing_tables(con):
        return False
    row = con.execute(read_sql("queries/any_simulated")).fetchone()
    return bool(row and row[0])


def scope_label(con: duckdb.DuckDBPyConnection) -> str:
    """Build scope in French: « France entière » or « Académie de Rennes (14) »."""
    scope = build_info(con).get("scope", "")
    if scope == "national":
        return "France entière"
    kind, _, code = scope.partition(":")
    if kind != "academie" or not code:
        return scope or "inconnu"
    row = con.execute(read_sql("queries/territory_name"), ["academie", code]).fetchone()
    return f"Académie de {row[0]} ({code})" if row else f"Académie {code}"


def built_at(con: duckdb.DuckDBPyConnection) -> dt.datetime | None:
    """When the warehouse was built (timezone-aware), or None when unrecorded."""
    text = build_info(con).get("built_at")
    return dt.datetime.fromisoformat(text) if text else None


@dataclass(frozen=True)
class Summary:
    """Headline figures of the warehouse."""

    schools: int
    last_school_year: str | None
    pupils: int | None
    communes: int
    first_week: dt.date | None
    last_week: dt.date | None
    usage_weeks: int


def summary(con: duckdb.DuckDBPyConnection) -> Summary:
    """Schools, pupils of the last school year, communes and the period of the usage data."""
    row = con.execute(read_sql("queries/warehouse_summary")).fetchone()
    assert row is not None  # an aggregate over scalar subqueries always yields one row
    schools, year, pupils, communes, first, last, weeks = row
    return Summary(
        schools=int(schools),
        last_school_year=year,
        pupils=None if pupils is None else int(pupils),
        communes=int(communes),
        first_week=first,
        last_week=last,
        usage_weeks=int(weeks),
    )


SOURCES_COLUMNS = {
    "table_name": "Table",
    "table_label": "Contenu",
    "source_label": "Source",
    "publisher": "Producteur",
    "dataset_id": "Jeu de données",
    "vintage": "Millésime",
    "licence": "Licence",
    "row_count": "Lignes",
    "is_simulated": "Simulées",
}


def sources_table(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Sources and vintages of every mart table (mart ``sources``).

    Returns
    -------
    DataFrame with columns Table (str, technical name), Contenu (str, French label),
    Source, Producteur, Jeu de données, Millésime, Licence (str or None), Lignes (int64),
    Simulées (bool); tables in warehouse order.
    """
    frame = con.execute(read_sql("queries/sources_table")).df()
    frame["table_label"] = frame["table_name"].map(table_label)
    rank = {name: i for i, name in enumerate(MART_TABLES)}
    frame["order"] = [rank.get(name, len(rank)) for name in frame["table_name"]]
    frame = frame.sort_values(["order", "source_label"], kind="stable")
    frame["row_count"] = frame["row_count"].astype("int64")
    frame["is_simulated"] = frame["is_simulated"].astype(bool)
    return frame[list(SOURCES_COLUMNS)].rename(columns=SOURCES_COLUMNS).reset_index(drop=True)


def row_counts(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Row count of every mart table present in the warehouse.

    Returns
    -------
    DataFrame with columns Table (str), Contenu (str), Lignes (int64), in warehouse order.
    """
    present = existing_tables(con)
    rows = []
    for table in MART_TABLES:
        if table not in present:
            continue
        sql = read_sql("queries/table_rows", {"table": MART_TABLES}, table=table)
        (count,) = con.execute(sql).fetchone()  # type: ignore[misc]
        rows.append((table, table_label(table), int(count)))
    frame = pd.DataFrame(rows, columns=["Table", "Contenu", "Lignes"])
    return frame.astype({"Lignes": "int64"})


ALL_KINDS = "Ensemble"
COVERAGE_COLUMNS = {
    "school_year": "Année scolaire",
    "kind": "Type d'établissement",
    "schools": "Établissements",
    "measured_schools": "Établissements mesurés",
    "coverage_share": "Part mesurée",
}


def coverage_by_year(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Coverage of the usage data per school year and kind, with each year's total.

    Returns
    -------
    DataFrame with columns Année scolaire (str), Type d'établissement (str: École,
    Collège, Lycée, then Ensemble for the year's total), Établissements (int64),
    Établissements mesurés (int64), Part mesurée (float, share 0–1 of measured schools).
    """
    frame = con.execute(read_sql("queries/coverage_by_year")).df()
    # The year's total (kind null) comes after the kinds, which keep the vocabulary's order.
    kind = frame["kind"].astype(object).where(frame["kind"].notna(), None)
    rank = {code: i for i, code in enumerate(voc.SCHOOL_KINDS)}
    frame["order"] = [len(rank) + 1 if k is None else rank.get(k, len(rank)) for k in kind]
    frame["kind"] = [ALL_KINDS if k is None else voc.KIND_LABELS.get(k, k) for k in kind]
    frame = frame.sort_values(["school_year", "order"], kind="stable").drop(columns="order")
    frame = frame.astype({"schools": "int64", "measured_schools": "int64"})
    return frame.rename(columns=COVERAGE_COLUMNS).reset_index(drop=True)


def citation(sources: pd.DataFrame, tables: Iterable[str]) -> str:
    """Source line for a figure drawn from ``tables``: producer, dataset, vintage.

    Parameters
    ----------
    sources : the output of :func:`sources_table`.
    tables : mart table names the figure reads.

    Returns
    -------
    « Producteur, jeu de données, millésime » per distinct source, joined by « ; », each
    followed by « données simulées » when it is simulated.
    """
    rows = sources[sources["Table"].isin(list(tables))]
    parts: list[str] = []
    for _, row in rows.iterrows():
        fields = [row["Producteur"] if not pd.isna(row["Producteur"]) else row["Source"]]
        fields += [row[c] for c in ("Jeu de données", "Millésime") if not pd.isna(row[c])]
        if row["Simulées"]:
            fields.append("données simulées")
        text = ", ".join(str(f) for f in fields)
        if text not in parts:
            parts.append(text)
    return " ; ".join(parts) if parts else "source non renseignée"


def coverage_table(coverage: pd.DataFrame) -> pd.DataFrame:
    """Compact display of the coverage: one row per school year, one column per kind.

    Parameters
    ----------
    coverage : the output of :func:`coverage_by_year`.

    Returns
    -------
    DataFrame of str with columns Année scolaire, then École, Collège, Lycée, Ensemble
    (those present); each cell reads « 40,7 % (1 032 / 2 537) »: the measured share, then
    measured schools over schools with pupils.
    """
    cells = coverage.assign(
        cell=[
            f"{fr_percent(share)} ({fr_number(measured)} / {fr_number(schools)})"
            for share, measured, schools in zip(
                coverage["Part mesurée"],
                coverage["Établissements mesurés"],
                coverage["Établissements"],
                strict=True,
            )
        ]
    )
    wide = cells.pivot(index="Année scolaire", columns="Type d'établissement", values="cell")
    kinds = [label for label in (*voc.KIND_LABELS.values(), ALL_KINDS) if label in wide.columns]
    return wide[kinds].rename_axis(columns=None).reset_index()
