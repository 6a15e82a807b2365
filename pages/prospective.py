"""Page « Prospective » : Prophet's reference projection of ENT use, and investment scenarios
through the panel's estimated response (the figure of Investissement → usage)."""

from __future__ import annotations

import json

import pandas as pd
import streamlit as st

from explorer import vocabulary as voc
from explorer.formatting import fr_date
from explorer.reports.csv import french_csv
from forecasting.model import HORIZON_END
from forecasting.plots import projection_chart
from forecasting.projection import project
from forecasting.scenario import loads_scenarios, scenario_from_rows, scenarios_table
from forecasting.tables import (
    NO_EFFECT_WARNING,
    backtest_table,
    differences_table,
    effect_sentence,
    horizon_sentence,
    paths_table,
    response_supported,
)
from ui import data, effects_data, forecast
from ui.banner import require_parts, source_footer
from ui.errors import shown_as_error
from ui.navigation import within_frame

SOURCE = "Mesure d'audience des ENT (établissements mesurés) ; investissements rattachés aux établissements"
DEFAULT_CHANGES = pd.DataFrame(
    [
        {
            "from_year": 2027,
            "to_year": 2030,
            "funder_level": "departement",
            "category": "equipement",
            "delta_eur_per_pupil": 40.0,
        }
    ]
)

within_frame()

con = data.get_connection()
key = data.warehouse_key()
saved = st.session_state.setdefault("prospective_scenarios", {})

st.title("Prospective")
st.markdown(
    "Projection jusqu'à l'année scolaire 2030-2031 des **visites ENT par élève et par semaine** "
    "(élèves des établissements mesurés), selon que l'investissement numérique par élève suit sa "
    "tendance (**référence** : moyenne des trois derniers exercices) ou un **scénario** que vous "
    "décrivez. La référence est projetée par un modèle Prophet du territoire (tendance, vacances "
    "scolaires de la zone, confinement de 2020, extension du parc mesuré) ; un scénario lui applique "
    "l'effet de l'investissement estimé sur le panel des établissements, le même que sur la page "
    "*Investissement → usage* (voir `docs/forecasting.md`)."
)
require_parts(con, ("usages", "effectifs"), "La projection des visites ENT par élève", stop=True)

# --- Territory ----------------------------------------------------------------------------
level_col, place_col, profile_col = st.columns([1, 2, 1])
levels = ["departement", "academie", "region", "epci", "commune"]
level = level_col.selectbox("Niveau", levels, format_func=voc.LEVEL_LABELS.get)
places = forecast.territories(con, key, level)
code = place_col.selectbox(
    "Territoire",
    places["code"].tolist(),
    format_func=dict(zip(places["code"], places["name"] + " (" + places["code"] + ")", strict=True)).get,
)
profile = profile_col.selectbox(
    "Profil", [None, *voc.PROFILES], format_func=lambda p: "Tous les profils" if p is None else voc.PROFILE_LABELS[p]
)

# --- Scenarios ----------------------------------------------------------------------------
st.header("Scénarios d'investissement")
st.markdown(
    "Chaque ligne ajoute un montant **par élève et par an** (négatif pour une baisse) aux exercices "
    "indiqués, pour un financeur et une catégorie ; un programme ponctuel (type SNEE) est une ligne "
    "d'une seule année. L'effet estimé porte sur l'investissement total : financeur et catégorie sont "
    "enregistrés avec le scénario mais ne changent pas l'effet appliqué. Un euro dépensé pendant "
    "l'exercice Y compte à partir de l'année scolaire qui commence en septembre Y+1."
)
name = st.text_input("Nom du scénario", value="plus40")
rows = st.data_editor(
    DEFAULT_CHANGES,
    num_rows="dynamic",
    hide_index=True,
    key="prospective_changes",
    column_config={
        "from_year": st.column_config.NumberColumn("De (exercice)", min_value=2000, max_value=2040, step=1),
        "to_year": st.column_config.NumberColumn("À (exercice)", min_value=2000, max_value=2040, step=1),
        "funder_level": st.column_config.SelectboxColumn("Financeur", options=list(voc.FUNDER_LEVELS)),
        "category": st.column_config.SelectboxColumn("Catégorie", options=list(voc.CATEGORIES)),
        "delta_eur_per_pupil": st.column_config.NumberColumn("€ par élève et par an", format="%.0f"),
    },
)
current = None
with shown_as_error():
    current = scenario_from_rows(name, rows)
save_col, upload_col = st.columns(2)
save_col.button(
    "Enregistrer ce scénario",
    icon=":material/save:",
    disabled=current is None,
    # A callback, not ``if st.button``: it runs before the script, so the save survives a rerun.
    on_click=saved.__setitem__,
    args=(current.name, current) if current is not None else ("", None),
)
upload = upload_col.file_uploader(
    "Importer des scénarios (JSON : un scénario ou une liste, 20 Mo au plus)", type=["json"]
)
if upload is not None:
    with shown_as_error():
        saved.update({s.name: s for s in loads_scenarios(upload.getvalue())})
if saved:
    compared = st.multiselect("Scénarios enregistrés à comparer", sorted(saved), default=sorted(saved))
else:
    # No empty (hence disabled, greyed) list: say what to do instead.
    compared = []
    st.caption("Aucun scénario enregistré : enregistrez le scénario courant pour le comparer à un autre.")
scenarios = {s.name: s for s in [saved[n] for n in compared] + ([current] if current else [])}

# --- Projection ---------------------------------------------------------------------------
fit = forecast.territory_fit(key, level, code, profile)
response = None
with shown_as_error():
    # the cached panel estimate, so that this page and Investissement → usage show one figure
    response = effects_data.territory_response(con, key, level, code)
projection = project(fit, list(scenarios.values()) if response is not None else [], response)
last_week = fit.history["ds"].max().date()
period = f"observé jusqu'à la semaine du {fr_date(last_week)}, projeté jusqu'au {fr_date(HORIZON_END.date())}"
st.header(f"Projection : {fit.label}")
st.altair_chart(projection_chart(projection), width="stretch")
st.markdown(horizon_sentence(projection))
source_footer(
    "Bandes : intervalle à 90 % de Prophet (tendance et bruit) pour la référence ; pour un scénario, "
    "ces bornes multipliées par celles de l'effet estimé (les deux incertitudes). Trait pointillé : "
    "fin de l'horizon évalué par le backtest.",
    unit="visites ENT par élève et par semaine (élèves des établissements mesurés)",
    period=period,
    source=SOURCE,
)

st.subheader("Investissement par élève retenu")
st.table(paths_table(projection), hide_index=True)
source_footer(
    "Référence : moyenne des trois derniers exercices connus, prolongée ; un scénario y ajoute ses "
    "changements. L'écart au chemin de référence s'accumule, exercice après exercice, dans l'effet "
    "appliqué à chaque année scolaire.",
    unit="€ par élève et par an, tous financeurs et catégories",
    period=f"exercices {int(fit.annual.index.max()) - 3} à 2031",
    source="Investissements rattachés aux établissements (dépenses non rattachées réparties au prorata des élèves)",
)

st.subheader("Effet estimé de l'investissement")
if response is not None:
    st.markdown(effect_sentence(response))
    if not response_supported(response):
        st.warning(NO_EFFECT_WARNING, icon=":material/warning:")
    source_footer(
        "Régression sur le panel établissement × année scolaire (effets fixes établissement et année), "
        "estimation du territoire rapprochée de la moyenne des territoires ; tous profils d'usagers.",
        unit="% de visites ENT par élève",
        period="années scolaires mesurées",
        source=SOURCE,
    )

st.subheader("Écarts au scénario de référence, par année scolaire")
if response is None and scenarios:
    st.info(
        "L'effet de l'investissement n'est pas estimé à ce niveau (message ci-dessus) : les scénarios ne "
        "sont pas chiffrés. Choisissez un niveau plus fin, par exemple le département.",
        icon=":material/info:",
    )
elif projection.differences.empty:
    st.info("Enregistrez ou décrivez un scénario pour voir ses écarts à la référence.", icon=":material/info:")
else:
    st.table(differences_table(projection), hide_index=True)
    source_footer(
        "Moyenne des semaines de l'année scolaire, vacances comprises ; écart = référence × effet "
        "attendu de l'année, intervalle tiré de celui de l'effet estimé sur le panel.",
        unit="visites ENT par élève et par semaine",
        period="années scolaires 2026-2027 à 2030-2031",
        source=SOURCE,
    )

json_col, csv_col, def_col = st.columns(3)
json_col.download_button(
    "Scénarios (JSON)",
    json.dumps([s.to_dict() for s in scenarios.values()], ensure_ascii=False, indent=2),
    file_name="scenarios.json",
    mime="application/json",
)
csv_col.download_button(
    "Projections (CSV)",
    french_csv(projection.csv_frame()),
    file_name=f"projections_{level}_{code}.csv",
    mime="text/csv",
)
def_col.download_button(
    "Scénarios (CSV)",
    french_csv(scenarios_table(list(scenarios.values()))),
    file_name="scenarios.csv",
    mime="text/csv",
)

# --- Backtest -----------------------------------------------------------------------------
st.header("Fiabilité : backtest glissant")
st.markdown(
    "Le modèle de référence est réajusté à plusieurs dates passées (tous les six mois, après au "
    "moins une année scolaire d'historique) puis comparé à ce qui a été observé l'année suivante, "
    "sur les semaines dont la valeur un an plus tôt est connue ; il faut deux années scolaires "
    "d'historique. **MASE** : erreur moyenne rapportée à celle de la prévision naïve « même "
    "semaine un an plus tôt » (moins de 1 = mieux que cette prévision) ; **sMAPE** : erreur "
    "relative symétrique moyenne."
)
with shown_as_error():
    scores = forecast.territory_backtest(key, level, code, profile)
    st.table(backtest_table(scores), hide_index=True)
    source_footer(unit="MASE (sans unité), sMAPE (%)", period="horizon de 52 semaines", source=SOURCE)
