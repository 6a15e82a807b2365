"""Page « Prospective » : Prophet's reference projection of ENT use, and investment scenarios
through the panel's estimated response (the figure of Investissement → usage)."""

from __future__ import annotations

from functools import partial

import streamlit as st

from explorer import vocabulary as voc
from explorer.formatting import fr_date
from explorer.sheets import state as sheet_state
from forecasting.exports import definition_table, scenarios_json, spreadsheet_csv, weekly_table, workbook, yearly_table
from forecasting.model import HORIZON_END
from forecasting.plots import projection_chart
from forecasting.projection import project
from forecasting.saved import SAVED_FILE
from forecasting.scenario import (
    Scenario,
    check_years,
)
from forecasting.tables import (
    NO_EFFECT_WARNING,
    backtest_table,
    differences_table,
    effect_sentence,
    horizon_sentence,
    paths_table,
    response_supported,
)
from ui import data, effects_data, forecast, scenario_editor, workspace
from ui.banner import require_parts, source_footer
from ui.errors import show_note, shown_as_error
from ui.navigation import within_frame

LEVEL_KEY, PLACE_KEY = "prospective_level", "prospective_place"
NOTES_KEY = "prospective_url_notes"  # what the address asked for and could not be projected
SOURCE = "Mesure d'audience des ENT (établissements mesurés) ; investissements rattachés aux établissements"

within_frame()

con = data.get_connection()
key = data.warehouse_key()

st.title("Prospective")
st.markdown(
    "Projection jusqu'à l'année scolaire 2030-2031 des **visites ENT par élève et par semaine** "
    "(élèves des établissements mesurés), selon que l'investissement numérique par élève suit sa "
    "tendance (**référence** : moyenne des trois derniers exercices) ou un **scénario** que vous "
    "décrivez. La référence est projetée par un modèle Prophet du territoire (tendance, vacances "
    "scolaires de la zone, confinement de 2020, extension du parc mesuré) ; un scénario lui applique "
    "l'effet de l'investissement estimé sur le panel des établissements, le même que sur la page "
    "*Investissement → usage*. Les bandes du graphique combinent les deux incertitudes, celle de la "
    "tendance et celle de l'effet estimé."
)
require_parts(con, ("usages", "effectifs"), "La projection des visites ENT par élève", stop=True)

# --- Territory ----------------------------------------------------------------------------
level_col, place_col, profile_col = st.columns([1, 2, 1])
levels = ["departement", "academie", "region", "epci", "commune"]
if LEVEL_KEY not in st.session_state:  # the page's first run: a sheet's link or a shared address
    chosen, st.session_state[NOTES_KEY] = sheet_state.projected_territory(
        st.query_params.get("territoire"), levels, lambda lvl: forecast.territories(con, key, lvl)["code"].tolist()
    )
    if chosen:
        st.session_state[LEVEL_KEY], st.session_state[PLACE_KEY] = chosen
for note in st.session_state.get(NOTES_KEY, []):
    st.warning(note, icon=":material/info:")


def _picked() -> None:
    st.session_state[NOTES_KEY] = []  # the address's territory is replaced by the user's choice


def _level_picked() -> None:
    _picked()
    st.session_state.pop(PLACE_KEY, None)  # a code of the former level: the new level's first place


level = level_col.selectbox("Niveau", levels, format_func=voc.LEVEL_LABELS.get, key=LEVEL_KEY, on_change=_level_picked)
places = forecast.territories(con, key, level)
code = place_col.selectbox(
    "Territoire",
    places["code"].tolist(),
    format_func=dict(zip(places["code"], places["name"] + " (" + places["code"] + ")", strict=True)).get,
    key=PLACE_KEY,
    on_change=_picked,
)
st.query_params["territoire"] = f"{level}:{code}"  # the address names the projected territory
profile = profile_col.selectbox(
    "Profil", [None, *voc.PROFILES], format_func=lambda p: "Tous les profils" if p is None else voc.PROFILE_LABELS[p]
)

# --- Scenarios ----------------------------------------------------------------------------
fit = forecast.territory_fit(key, level, code, profile)
first_allowed = int(fit.annual.index.max()) + 1
saved_path = workspace.file_path(SAVED_FILE)

st.header("Scénarios d'investissement")
st.markdown(
    "Décrivez un changement de l'investissement numérique : qui paie et pour quoi, un montant **par "
    "élève et par an** (compté par élève des établissements du financeur, « par collégien », ou par "
    "élève du territoire) et les exercices budgétaires concernés. La projection le répartit sur tous les "
    "élèves du territoire, l'unité de l'investissement par élève du tableau plus bas. L'effet estimé "
    "porte sur l'investissement total : le financeur et la catégorie sont enregistrés avec le scénario "
    "mais ne changent pas l'effet appliqué."
)
show_note(scenario_editor.NOTICE_KEY)
current = scenario_editor.current_scenario(fit, first_allowed)
compared = scenario_editor.saved_scenarios(saved_path, current, first_allowed)
scenarios: dict[str, Scenario] = {}
for candidate in [*compared, *([current] if current else [])]:
    with shown_as_error():
        scenarios[candidate.name] = check_years(candidate, first_allowed)

# --- Projection ---------------------------------------------------------------------------
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

st.subheader("Exports")
st.markdown(
    "Pour un tableur réglé en français : CSV séparés par des points-virgules, à virgule décimale, "
    "pourcentages en pourcentages ; le classeur Excel reprend les trois tableaux avec leurs formats "
    "(pourcentages, euros, codes en texte). Le fichier JSON se réimporte ci-dessus."
)
definition = definition_table(list(scenarios.values()))
yearly, weekly = yearly_table(projection), weekly_table(projection)
slug = f"{level}_{code}"
def_col, year_col, week_col = st.columns(3)
def_col.download_button(
    "Définition des scénarios (CSV)",
    partial(spreadsheet_csv, definition),
    file_name="scenarios_definition.csv",
    mime="text/csv",
    disabled=not scenarios,
)
year_col.download_button(
    "Projection par année scolaire (CSV)",
    partial(spreadsheet_csv, yearly),
    file_name=f"projection_annuelle_{slug}.csv",
    mime="text/csv",
    disabled=projection.differences.empty,
)
week_col.download_button(
    "Projection par semaine (CSV)",
    partial(spreadsheet_csv, weekly),
    file_name=f"projection_hebdomadaire_{slug}.csv",
    mime="text/csv",
)
xlsx_col, json_col, _ = st.columns(3)
xlsx_col.download_button(
    "Classeur Excel (XLSX)",
    partial(
        workbook,
        {"Définition": definition, "Par année scolaire": yearly, "Par semaine": weekly},
        f"Prospective — {fit.label}",
    ),
    file_name=f"prospective_{slug}.xlsx",
    mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
)
json_col.download_button(
    "Scénarios (JSON, à réimporter)",
    partial(scenarios_json, list(scenarios.values())),
    file_name="scenarios.json",
    mime="application/json",
    disabled=not scenarios,
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
