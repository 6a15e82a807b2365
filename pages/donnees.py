"""Page « Données » : what the warehouse holds, where it comes from, what every column means."""

from __future__ import annotations

import streamlit as st

from explorer.formatting import format_frame, fr_date, fr_number, fr_yes_no
from explorer.reports.csv import french_csv
from explorer.warehouse import catalog
from ui import budget_upload, data
from ui.banner import source_footer
from ui.charts import coverage_chart
from ui.navigation import within_frame

within_frame()

con = data.get_connection()
key = data.warehouse_key()
summary = data.summary(con, key)
sources = data.sources_table(con, key)
scope = data.scope_label(con, key)

st.title("Données")
st.markdown(
    "Toutes les pages lisent un même entrepôt de données. Il réunit, pour chaque école, "
    "collège et lycée du périmètre, **ses territoires** (commune, EPCI, département, "
    "académie, région) et **la collectivité qui finance son équipement** (la commune ou son "
    "intercommunalité pour une école, le département pour un collège, la région pour un "
    "lycée) ; **les effectifs d'élèves** et **l'indice de position sociale** ; **les "
    "investissements numériques** de l'État et des collectivités, par programme et par "
    "nature de dépense ; **les usages hebdomadaires de l'ENT** (espace numérique de "
    "travail) et des ressources numériques, par profil ; **le calendrier scolaire** de "
    "chaque zone. Cette page dit d'où viennent ces données, combien de lignes elles "
    "comptent, quelle part des établissements est mesurée chaque année et ce que veut dire "
    "chaque colonne."
)

# --- Headline figures --------------------------------------------------------------------
st.subheader(f"En bref : {scope}")
schools_col, pupils_col, communes_col, period_col = st.columns(4)
schools_col.metric(
    "Établissements",
    fr_number(summary.schools),
    help="Écoles, collèges et lycées publics et privés du périmètre.",
)
pupils_col.metric(
    f"Élèves en {summary.last_school_year or 'n.d.'}",
    fr_number(summary.pupils),
    help="Effectifs à la rentrée de la dernière année scolaire de l'entrepôt.",
)
communes_col.metric(
    "Communes",
    fr_number(summary.communes),
    help="Communes du périmètre (code officiel géographique 2026).",
)
first, last = summary.first_week, summary.last_week
period_col.metric(
    "Période des usages ENT",
    f"{first.year} → {last.year}" if first and last else "n.d.",
    help="Première et dernière semaines de mesure des usages de l'ENT.",
)
source_footer(
    unit="établissements, élèves, communes",
    period=(
        f"élèves de l'année {summary.last_school_year} ; usages du {fr_date(first)} "
        f"au {fr_date(last)} ({fr_number(summary.usage_weeks)} semaines)"
    ),
    source=catalog.citation(sources, ["school", "enrolment", "territory", "usage"]),
)

# --- Sources and vintages ----------------------------------------------------------------
st.header("Sources et millésimes")
st.markdown(
    "Chaque table de l'entrepôt indique la source de chacune de ses lignes. Les données "
    "marquées « simulées » viennent du générateur de démonstration."
)
st.table(
    format_frame(sources, {"Lignes": fr_number, "Simulées": fr_yes_no}),
    hide_index=True,
)

# --- Parts of the data: real, simulated or missing ----------------------------------------
st.subheader("Parties des données")
st.table(
    [
        {
            "Partie": part.label[0].upper() + part.label[1:],
            "Statut": part.status_label,
            "Jeux de données": ", ".join(part.datasets) or "—",
        }
        for part in data.data_parts(con, key)
    ],
    hide_index=True,
)
st.caption(
    "« absent » : rien n'a été chargé pour cette partie ; les indicateurs qui en dépendent restent vides. "
    "Chargez les jeux officiels avec « python -m explorer load » ou « fetch », puis "
    "« python -m explorer build --source real » (voir docs/connectors.md)."
)

# --- A collectivité's own budget (private workspace) -------------------------------------
budget_upload.render()

# --- Row counts ----------------------------------------------------------------------------
st.header("Nombre de lignes par table")
counts = data.row_counts(con, key)
st.dataframe(
    format_frame(counts, {"Lignes": fr_number}),
    hide_index=True,
    column_config={
        "Table": st.column_config.TextColumn(width="medium"),
        "Contenu": st.column_config.TextColumn(width="large"),
        "Lignes": st.column_config.TextColumn(alignment="right", width="small"),
    },
    height="content",
)

# --- Coverage of the usage data ------------------------------------------------------------
st.header("Couverture des mesures d'usage de l'ENT")
coverage = data.coverage_by_year(con, key)
years = coverage["Année scolaire"]
period = f"années scolaires {years.min()} à {years.max()}" if len(years) else "n.d."
usage_source = catalog.citation(sources, ["usage", "enrolment"])
st.markdown(
    "Un établissement est **mesuré** une année scolaire quand l'entrepôt contient au moins "
    "une semaine d'usage de son ENT ; la part mesurée le rapporte aux établissements ayant "
    "des élèves cette année-là."
)
st.altair_chart(coverage_chart(coverage), width="stretch")
source_footer(unit="% des établissements ayant des élèves", period=period, source=usage_source)
st.table(catalog.coverage_table(coverage), hide_index=True)
source_footer(
    "Chaque case : part mesurée (établissements mesurés / établissements ayant des élèves).",
    period=period,
    source=usage_source,
)
st.info(
    "L'ensemble des établissements mesurés grandit d'une année à l'autre : un total brut "
    "de visites peut augmenter seulement parce que davantage d'établissements sont "
    "mesurés. Ne comparez donc pas des totaux bruts d'une année sur l'autre ; rapportez-les "
    "au nombre d'établissements mesurés ou d'élèves.",
    icon=":material/info:",
)

# --- Data dictionary ---------------------------------------------------------------------
st.header("Dictionnaire des données")
st.markdown(
    "Signification, unité et valeurs admises de chaque colonne de chaque table. Les codes "
    "(UAI, INSEE, SIREN) sont toujours du texte : « 01 » n'est pas « 1 »."
)
dictionary = catalog.data_dictionary()
st.download_button(
    "Dictionnaire des données (CSV)",
    french_csv(dictionary),
    file_name="dictionnaire_des_donnees.csv",
    mime="text/csv",
    icon=":material/download:",
    on_click="ignore",
    key="donnees_dictionary_csv",
)
rows_by_table = dict(zip(counts["Table"], counts["Lignes"], strict=True))
for table, doc in catalog.DATA_DICTIONARY.items():
    rows = rows_by_table.get(table)
    suffix = f" · {fr_number(rows)} lignes" if rows is not None else ""
    with st.expander(f"{doc.label}{suffix}"):
        st.markdown(doc.description)
        st.caption(f"Nom de la table dans l'entrepôt : {table}")
        columns = dictionary.loc[dictionary["Table"] == table].drop(columns="Table")
        st.table(columns, hide_index=True)
