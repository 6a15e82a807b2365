"""Closed vocabularies of the data model (the values a column may take)."""

from __future__ import annotations

LEVELS = ("region", "academie", "departement", "epci", "commune")
# The school table's column holding each level's territory code.
LEVEL_COLUMNS = {level: f"{level}_code" for level in LEVELS}
SCHOOL_KINDS = ("ecole", "college", "lycee")
SECTORS = ("public", "prive")
FUNDER_LEVELS = ("etat", "region", "departement", "epci", "commune")
CATEGORIES = ("equipement", "reseau", "ent_logiciels", "ressources", "formation", "maintenance")
PROFILES = ("eleve", "parent", "enseignant", "personnel")
RESOURCES = (
    "manuel_numerique",
    "ressource_multimedia",
    "ressource_documentaire",
    "ressource_orientation",
    "ressource_production",
    "ressource_accompagnement_entrainement",
    "ressource_reference_dictionnaire",
    "gar",
)
HOLIDAY_ZONES = ("A", "B", "C", "Corse", "Outre-mer")
OVERSEAS_REGIONS = ("01", "02", "03", "04", "06")

# French labels for the UI and the data dictionary.
LEVEL_LABELS = {
    "region": "Région",
    "academie": "Académie",
    "departement": "Département",
    "epci": "EPCI",
    "commune": "Commune",
}
# The words of each level in a sentence, and the agreement of the words that follow.
LEVEL_NOUNS = {
    "region": "région",
    "academie": "académie",
    "departement": "département",
    "epci": "EPCI",
    "commune": "commune",
    "etablissement": "établissement",
}
LEVEL_PLURALS = {
    "region": "régions",
    "academie": "académies",
    "departement": "départements",
    "epci": "EPCI",
    "commune": "communes",
    "etablissement": "établissements",
}
FEMININE_LEVELS = frozenset({"region", "academie", "commune"})
SCHOOL_LABEL = "Établissement"
KIND_LABELS = {"ecole": "École", "college": "Collège", "lycee": "Lycée"}
KIND_PLURALS = {"ecole": "écoles", "college": "collèges", "lycee": "lycées"}
SECTOR_LABELS = {"public": "public", "prive": "privé sous contrat"}
PROGRAMME_LABELS = {
    "droit_commun": "hors programme national",
    "SNEE": "SNEE (socle numérique dans les écoles élémentaires)",
    "TNE": "TNE (territoires numériques éducatifs)",
    "hybridation_lycees": "hybridation des lycées",
}
FUNDER_LABELS = {"etat": "État", **{level: LEVEL_LABELS[level] for level in FUNDER_LEVELS if level != "etat"}}
CATEGORY_LABELS = {
    "equipement": "Équipement",
    "reseau": "Réseau et connectivité",
    "ent_logiciels": "ENT et logiciels",
    "ressources": "Ressources numériques",
    "formation": "Formation",
    "maintenance": "Maintenance",
}
PROFILE_LABELS = {
    "eleve": "Élèves",
    "parent": "Parents",
    "enseignant": "Enseignants",
    "personnel": "Personnels (administration, vie scolaire, technique)",
}

# What a masked value (fewer than 5 schools or 11 users) reads, on screen and in every export.
SECRET_TEXT = "secret statistique"
# What a usage figure reads where no school is measured by the ENT audience.
NOT_MEASURED = "non mesuré"

# French month names, full and abbreviated (dates on screen, charts' d3 locale). Parsers
# that meet them without accents derive their own spelling from these.
MONTHS = (
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
)
SHORT_MONTHS = ("janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.", "nov.", "déc.")

# One colour per funder level, on screen (Altair) and in the PDF (matplotlib): Okabe-Ito,
# colour-blind safe. In vocabulary order; the category chart cycles through the same palette.
FUNDER_COLOURS = {
    "etat": "#0072B2",
    "region": "#E69F00",
    "departement": "#009E73",
    "epci": "#CC79A7",
    "commune": "#D55E00",
}
RESOURCE_LABELS = {
    "manuel_numerique": "manuels numériques",
    "ressource_multimedia": "ressources multimédia",
    "ressource_documentaire": "ressources documentaires",
    "ressource_orientation": "ressources d'orientation",
    "ressource_production": "outils de production",
    "ressource_accompagnement_entrainement": "accompagnement et entraînement",
    "ressource_reference_dictionnaire": "références et dictionnaires",
    "gar": "GAR (gestionnaire d'accès aux ressources)",
}

# Which schools each funder equips (the competence join, docs/data-model.md): the commune or
# its EPCI the écoles, the département the collèges, the région the lycées; the State co-funds
# every kind through its programmes.
FUNDER_KINDS = {
    "etat": ("ecole", "college", "lycee"),
    "region": ("lycee",),
    "departement": ("college",),
    "epci": ("ecole",),
    "commune": ("ecole",),
}
FUNDER_SCHOOLS_TEXT = {
    "etat": "écoles, collèges et lycées",
    "region": "lycées publics",
    "departement": "collèges publics",
    "epci": "écoles publiques",
    "commune": "écoles publiques",
}
# « payés par le département », « payés par l'État » …
FUNDER_BY = {
    "etat": "par l'État",
    "region": "par la région",
    "departement": "par le département",
    "epci": "par l'EPCI",
    "commune": "par la commune",
}
# Which pupils a scenario's amount is counted per: every pupil of the territory (the unit of
# the investment per pupil the projection reads), or the pupils of the schools the funder equips.
PUPIL_BASES = ("territoire", "concernes")
FUNDER_PUPIL_NOUN = {
    "etat": "élève",
    "region": "lycéen du public",
    "departement": "collégien du public",
    "epci": "élève d'école publique",
    "commune": "élève d'école publique",
}
