"""Page « Accueil » : what the tool answers, for whom, and where to start."""

from __future__ import annotations

import streamlit as st

from explorer.formatting import fr_number
from ui import data
from ui.navigation import within_frame

within_frame()

con = data.get_connection()
key = data.warehouse_key()
summary = data.summary(con, key)

st.title("Explorateur investissements × usages numériques")
st.markdown(
    "L'État, les régions, les départements, les communes et leurs intercommunalités dépensent "
    "chaque année des centaines de millions d'euros pour l'équipement numérique des écoles, "
    "collèges et lycées, leurs réseaux, leurs espaces numériques de travail (ENT) et leurs "
    "ressources. Cet outil rapproche, **territoire par territoire**, ces investissements "
    "(qui a payé, pour quels établissements, pour quoi) des **usages pédagogiques** mesurés "
    "(connexions à l'ENT par profil, accès aux ressources numériques), en tenant compte du "
    "contexte (élèves, indice de position sociale)."
)

schools_col, pupils_col, communes_col = st.columns(3)
schools_col.metric("Établissements", fr_number(summary.schools))
pupils_col.metric(f"Élèves en {summary.last_school_year or 'n.d.'}", fr_number(summary.pupils))
communes_col.metric("Communes", fr_number(summary.communes))
st.caption(f"Périmètre de l'entrepôt : {data.scope_label(con, key)}. Détail des sources : page Données.")

st.header("Par où commencer")
st.page_link(
    "pages/carte.py",
    label="Carte : où en est chaque territoire ?",
    icon=":material/map:",
    help="Des régions jusqu'aux établissements : investissement par élève, usages, couverture, IPS.",
)
st.markdown(
    "Choisissez un indicateur (investissement par élève, visites ENT par élève et par semaine, "
    "accès aux ressources, part d'élèves actifs…) et cliquez sur un territoire pour descendre "
    "d'un niveau. Chaque vue a son adresse : copiez-la pour la partager."
)
st.page_link(
    "pages/diagnostic.py",
    label="Diagnostic : la fiche d'un territoire",
    icon=":material/assignment:",
)
st.markdown(
    "Chiffres clés d'un territoire comparés à ses territoires parents, à la France et à ses pairs, "
    "avec une synthèse en français et une fiche PDF pour les élus."
)
st.page_link(
    "pages/comparer.py",
    label="Comparer : des territoires côte à côte",
    icon=":material/compare_arrows:",
)
st.markdown(
    "Un groupe de pairs (strate de population, densité, IPS, outre-mer, plus proches voisins) ou "
    "votre propre sélection, classés sur chaque indicateur ; exports CSV, XLSX et PDF."
)
st.page_link(
    "pages/typologie.py",
    label="Typologie : quels territoires se ressemblent ?",
    icon=":material/hub:",
)
st.markdown(
    "Des classes de territoires proches par leurs investissements, leurs usages, leur IPS et leur "
    "densité, avec un libellé en clair pour chaque classe."
)
st.page_link(
    "pages/investissement_usage.py",
    label="Investissement → usage : où l'argent s'est-il traduit en usages ?",
    icon=":material/trending_up:",
)
st.markdown(
    "L'usage par élève rapproché de l'investissement par élève des années précédentes, les "
    "territoires loin de la tendance."
)
st.page_link(
    "pages/prospective.py",
    label="Prospective : que donnerait un autre plan d'investissement ?",
    icon=":material/timeline:",
)
st.markdown(
    "Projection des usages de l'ENT jusqu'en 2030 avec leur marge d'incertitude, et comparaison de "
    "scénarios d'investissement (par exemple +40 € par collégien et par an à partir de 2027)."
)
st.page_link(
    "pages/donnees.py",
    label="Données : sources, millésimes, couverture et dictionnaire",
    icon=":material/database:",
)
st.markdown(
    "D'où viennent les chiffres, quelle part des établissements est mesurée chaque année, ce "
    "que signifie chaque colonne."
)

st.header("Règles de lecture")
st.markdown(
    "- Les comparaisons se font **par élève** (ou par élève et par semaine de classe), jamais "
    "sur des totaux bruts : les territoires n'ont ni la même taille ni la même part "
    "d'établissements mesurés.\n"
    "- Tous les chiffres sont publics et montrés à chaque niveau, l'école comprise. Un chiffre sur un "
    "petit dénominateur porte la mention **chiffre fragile** (« effectif faible », « sur 18 % des "
    "élèves mesurés ») : un seul achat ou une seule classe peut le faire varier.\n"
    "- Un rapprochement entre dépenses et usages montre une **association**, pas une cause."
)
