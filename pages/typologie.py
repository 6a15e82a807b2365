"""Page « Typologie » : which territories look alike (classes on standardised variables)."""

from __future__ import annotations

import streamlit as st

from explorer.analysis.features import (
    DEFAULT_VARIABLES,
    LEVEL_LABELS,
    LEVELS,
    REASON_MISSING,
    REASON_NO_SCHOOL,
    VARIABLES,
    available_variables,
)
from explorer.analysis.typology import K_RANGE, METHOD_LABELS, METHODS
from explorer.analysis.typology_labels import NOUNS, THRESHOLD
from explorer.analysis.typology_report import class_table, export_table, profile_display, stability_sentence
from explorer.charts.typology import MAX_PCA_POINTS, class_legend, loadings_chart, pca_chart, silhouette_chart
from explorer.facts import secrecy
from explorer.formatting import format_frame, fr_number
from explorer.maps.legend import legend_html
from explorer.reports.csv import OPEN_HINT, french_csv
from explorer.vocabulary import SECRET_TEXT
from explorer.warehouse import catalog
from ui import data, typology_data
from ui.banner import require_parts, source_footer
from ui.navigation import within_frame

within_frame()

con = data.get_connection()
key = data.warehouse_key()
sources = data.sources_table(con, key)
source = catalog.citation(sources, ["investment", "usage", "enrolment", "ips", "territory"])

st.title("Typologie")
st.markdown(
    "Quels territoires ressemblent au vôtre ? La typologie range les territoires en **classes** "
    "de profils proches à partir des variables choisies (investissement par élève, usages de "
    "l'ENT, IPS, densité de population…). Les variables sont **standardisées** (ramenées à une "
    "moyenne de 0 et un écart type de 1) pour peser autant les unes que les autres. C'est une "
    "exploration statistique : les classes décrivent des ressemblances, pas des causes."
)
require_parts(
    con, ("investissements", "usages", "effectifs", "ips"), "La typologie avec ses variables par défaut", stop=False
)

# --- Choices --------------------------------------------------------------------------------
level_col, method_col, period_col = st.columns(3)
level = level_col.selectbox("Niveau", LEVELS, index=LEVELS.index("epci"), format_func=LEVEL_LABELS.get)
method = method_col.radio("Méthode", METHODS, format_func=METHOD_LABELS.get)
first, last = period_col.select_slider("Période", options=list(range(2019, 2026)), value=(2021, 2025))
choices = available_variables(level)
variables = st.multiselect(
    "Variables",
    choices,
    default=[v for v in DEFAULT_VARIABLES if v in choices],
    format_func=lambda v: VARIABLES[v].short,
)
auto_k = st.toggle("Nombre de classes choisi par la règle (silhouette, taille des classes)", value=True)
k = None if auto_k else st.slider("Nombre de classes", K_RANGE[0], K_RANGE[1], 4)
if len(variables) < 2:
    st.info("Choisissez au moins deux variables.", icon=":material/info:")
    st.stop()

period = (first, last)
period_text = f"dépenses {first} à {last}, années scolaires {first}-{first + 1} à {last}-{last + 1}"
report = typology_data.typology(con, key, level, tuple(variables), period, method, k)
model = report.model
features = report.features
noun = NOUNS[level][0]

# --- Territories analysed ----------------------------------------------------------------------
counts = features.exclusion_counts()
st.subheader("Territoires analysés")
total = len(features.data) + len(features.partial) + len(features.excluded)
st.markdown(
    f"**{fr_number(len(features.data) + len(features.partial))} {noun} classés** sur {fr_number(total)}, "
    f"dont {fr_number(len(features.partial))} sur une partie des variables (usage non mesuré, par "
    "exemple : ils rejoignent la classe la plus proche sur les variables qu'ils ont). Écartés : "
    f"{fr_number(counts[REASON_NO_SCHOOL])} sans établissement, "
    + (
        f"{fr_number(counts[SECRET_TEXT])} sous secret statistique (valeur calculée sur "
        f"{secrecy.setting().rule_text()}), "
        if secrecy.setting().on
        else ""
    )
    + f"{fr_number(counts[REASON_MISSING])} avec une valeur manquante (par exemple aucun établissement "
    "mesuré et moins de la moitié des variables). **Règle** : les classes sont calculées sur les "
    "territoires qui ont toutes les variables ; ceux qui en ont au moins la moitié sont rattachés à la "
    "classe dont le centre est le plus proche sur leurs variables ; aucune valeur n'est inventée."
)
if level == "school" and secrecy.setting().on:
    st.info(
        "Au niveau des établissements, les valeurs d'un établissement ne sont jamais affichées ni "
        "exportées (secret statistique) : seules sa classe et les moyennes des classes le sont.",
        icon=":material/lock:",
    )

k_col, silhouette_col, stability_col = st.columns(3)
k_col.metric(
    "Classes",
    fr_number(report.k),
    help=(
        f"Règle : de {K_RANGE[0]} à {K_RANGE[1]} classes, la meilleure silhouette parmi les nombres de classes "
        f"dont la plus petite compte au moins {model.min_class_size_} territoires."
        if auto_k
        else "Nombre choisi."
    ),
)
silhouette_col.metric(
    "Silhouette",
    fr_number(model.silhouette_, 2),
    help="De -1 à 1 : plus elle est haute, mieux les classes sont séparées (au-delà de 0,5 : nettement).",
)
stability_col.metric("Stabilité", fr_number(model.stability_, 2), help="De 0 (hasard) à 1 (mêmes classes).")
st.caption(stability_sentence(model.stability_, len(model.stability_runs_)))
st.altair_chart(silhouette_chart(model.silhouette_curve_, report.k), width="stretch")
with st.expander("Données du graphique : silhouette par nombre de classes"):
    st.dataframe(
        format_frame(
            model.silhouette_curve_.rename(
                columns={
                    "k": "Nombre de classes",
                    "silhouette": "Silhouette moyenne",
                    "smallest_class": "Plus petite classe (territoires)",
                    "eligible": "Admis par la règle",
                }
            ),
            {"Silhouette moyenne": lambda v: fr_number(v, 3), "Admis par la règle": lambda v: "oui" if v else "non"},
        ),
        hide_index=True,
    )
source_footer(
    "La silhouette mesure si chaque territoire est plus proche de sa classe que de la classe voisine ; "
    "le point orange est le nombre de classes retenu."
    + (
        f" Calculée sur un échantillon tiré au hasard de {fr_number(model.silhouette_sample)} territoires."
        if len(features.data) > model.silhouette_sample
        else ""
    )
    + (
        f" Méthode de Ward : arbre construit sur un échantillon de {fr_number(model.ward_max_rows)} territoires, "
        "les autres rejoignant la classe dont le centre est le plus proche."
        if method == "ward" and len(features.data) > model.ward_max_rows
        else ""
    ),
    unit="silhouette moyenne (sans unité, de -1 à 1)",
    period=period_text,
    source=source,
)

# --- Profiles ------------------------------------------------------------------------------
st.subheader("Profil des classes")
st.dataframe(profile_display(report), hide_index=True)
source_footer(
    "Moyennes simples des territoires de chaque classe ; la ligne « Ensemble » est la moyenne de tous "
    f"les territoires analysés. Libellés : une variable est citée quand la moyenne de la classe s'écarte de "
    f"plus de {fr_number(THRESHOLD, 1)} écart type de celle de l'ensemble (au plus trois, des plus marquées aux "
    "moins marquées) ; la densité donne « rurales » ou « urbaines ».",
    unit="unités de chaque colonne",
    period=period_text,
    source=source,
)

# --- Map -----------------------------------------------------------------------------------
st.subheader("Carte des classes")
st.pydeck_chart(typology_data.typology_map(con, key, level, tuple(variables), period, method, k))
# The key under the map, in HTML: an Altair key beside it cut the long class labels.
counts = class_table(report)["cluster"].value_counts()
st.markdown(legend_html(class_legend(report.labels, counts)), unsafe_allow_html=True)
source_footer(
    "Seuls les territoires classés sont dessinés.",
    unit="classe",
    period=period_text,
    source=source,
)

# --- PCA -----------------------------------------------------------------------------------
st.subheader("Vue d'ensemble : plan principal")
st.markdown(
    "Chaque point est un territoire, placé sur les deux axes qui résument le mieux ses variables "
    "(analyse en composantes principales). Les flèches montrent comment chaque variable est liée aux "
    "axes : deux flèches proches désignent des variables qui vont de pair."
)
codes = features.data
clusters = model.labels_ + 1
scatter_col, loadings_col = st.columns(2)
scatter_col.altair_chart(
    pca_chart(
        model.pca_.coordinates,
        None if level == "school" and secrecy.setting().on else codes["name"],
        clusters,
        report.labels,
        model.pca_.explained,
    ),
    width="stretch",
)
loadings_col.altair_chart(
    loadings_chart(model.pca_.loadings, {v: VARIABLES[v].short.split(" (")[0] for v in report.variables}),
    width="stretch",
)
with st.expander("Données du graphique : corrélation de chaque variable avec les axes"):
    loadings = model.pca_.loadings.rename(columns={"pc1": "Axe 1", "pc2": "Axe 2"})
    loadings.index = [VARIABLES[v].short for v in loadings.index]
    st.dataframe(
        format_frame(
            loadings.rename_axis("Variable").reset_index(), {c: lambda v: fr_number(v, 2) for c in ("Axe 1", "Axe 2")}
        ),
        hide_index=True,
    )
source_footer(
    f"Les deux axes résument {fr_number(sum(model.pca_.explained) * 100, 0)} % de la variance des variables "
    "standardisées."
    + (
        f" {fr_number(MAX_PCA_POINTS)} territoires tirés au hasard sont dessinés."
        if len(features.data) > MAX_PCA_POINTS
        else ""
    ),
    unit="coordonnées sans unité ; corrélations de -1 à 1",
    period=period_text,
    source=source,
)

# --- Export --------------------------------------------------------------------------------
st.subheader("Télécharger")
st.download_button(
    "Classe de chaque territoire (CSV)",
    french_csv(export_table(report)),
    file_name=f"typologie_{level}_{first}-{last}.csv",
    mime="text/csv",
    icon=":material/download:",
)
st.caption(
    "Fichier CSV pour tableur (séparateur « ; », virgule décimale, UTF-8) : code, nom, classe, libellé"
    + (
        " (sans les valeurs, secret statistique). "
        if level == "school" and secrecy.setting().on
        else " et valeurs des variables (parts en %). "
    )
    + OPEN_HINT
)
