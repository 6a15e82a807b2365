"""Page « Prospective » : Prophet's reference projection of ENT use, and investment scenarios
through the panel's estimated response (the figure of Investissement → usage)."""

from __future__ import annotations

from functools import partial
from pathlib import Path

import streamlit as st

from explorer import vocabulary as voc
from explorer.formatting import fr_date
from forecasting import saved as saved_actions
from forecasting.exports import definition_table, scenarios_json, spreadsheet_csv, weekly_table, workbook, yearly_table
from forecasting.model import HORIZON_END
from forecasting.plots import projection_chart
from forecasting.projection import project
from forecasting.pupils import pupils_sentence
from forecasting.saved import SAVED_FILE, read_saved
from forecasting.scenario import (
    LAST_BUDGET_YEAR,
    Change,
    Scenario,
    change_from_form,
    check_years,
    describe,
    lag_sentence,
    scenario_of,
)
from forecasting.tables import (
    NO_EFFECT_WARNING,
    backtest_table,
    differences_table,
    effect_sentence,
    horizon_sentence,
    paths_table,
    response_supported,
    saved_table,
)
from ui import data, effects_data, forecast, workspace
from ui.banner import require_parts, source_footer
from ui.errors import noted, show_note, shown_as_error
from ui.navigation import within_frame

SOURCE = "Mesure d'audience des ENT (établissements mesurés) ; investissements rattachés aux établissements"
NOTICE_KEY = "prospective_notice"  # the confirmation of the last save, rename or delete
LINES_KEY = "prospective_lines"  # the current scenario's lines kept before the form's one
DIRECTIONS = {True: "Hausse", False: "Baisse"}


def add_line(change: Change) -> str:
    """Keep the line described in the form as one more line of the current scenario."""
    st.session_state[LINES_KEY] = [*st.session_state.get(LINES_KEY, []), change]
    return f"Ligne ajoutée au scénario : {describe(change)}. Décrivez la suivante."


def clear_lines() -> str:
    st.session_state[LINES_KEY] = []
    return "Les autres lignes du scénario sont retirées : il ne compte plus que la ligne du formulaire."


def rename_from_widget(path: Path, old: str, key: str) -> str:
    """Rename the saved scenario ``old`` to the name typed in the text input ``key``."""
    return saved_actions.rename_saved(path, old, st.session_state[key])


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
show_note(NOTICE_KEY)

name = st.text_input("Nom du scénario", value="plus40", max_chars=60)
funder_col, category_col = st.columns(2)
funder = funder_col.selectbox(
    "Payé par", voc.FUNDER_LEVELS, index=voc.FUNDER_LEVELS.index("departement"), format_func=voc.FUNDER_LABELS.get
)
category = category_col.selectbox("Catégorie de dépense", voc.CATEGORIES, format_func=voc.CATEGORY_LABELS.get)
st.markdown(
    f"Payés {voc.FUNDER_BY[funder]} : **{voc.FUNDER_SCHOOLS_TEXT[funder]}** (les établissements dont il a la charge)."
)
amount_col, pupils_col, direction_col = st.columns([2, 2, 1])
amount = amount_col.number_input("Montant (€ par élève et par an)", value=40, step=5)
pupils = pupils_col.radio(
    "Montant compté par",
    ["concernes", "territoire"],
    format_func=lambda basis: voc.FUNDER_PUPIL_NOUN[funder] if basis == "concernes" else "élève du territoire",
    horizontal=True,
)
increase = direction_col.radio("Sens", [True, False], format_func=DIRECTIONS.get, horizontal=True)
first_col, last_col = st.columns(2)
first = first_col.number_input(
    "Premier exercice", value=max(2027, first_allowed), step=1, help=f"Au plus tôt {first_allowed}."
)
last = last_col.number_input("Dernier exercice", value=2030, step=1, help=f"Au plus tard {LAST_BUDGET_YEAR}.")

lines: list[Change] = st.session_state.setdefault(LINES_KEY, [])
current = None
change = None
with shown_as_error():
    change = change_from_form(
        amount=amount,
        increase=increase,
        first=first,
        last=last,
        funder=funder,
        category=category,
        first_allowed=first_allowed,
        pupils=pupils,
    )
    current = scenario_of(name, [*lines, change])
    spread = pupils_sentence(funder, fit.funded_shares or {}, amount) if pupils == "concernes" else None
    st.info(f"{describe(change)}. {spread + ' ' if spread else ''}{lag_sentence(change)}", icon=":material/schedule:")

if lines:
    st.markdown(
        f"**Ce scénario compte aussi {len(lines)} autre{'s' if len(lines) > 1 else ''} "
        f"ligne{'s' if len(lines) > 1 else ''}** :\n" + "\n".join(f"- {describe(line)}" for line in lines)
    )
add_col, clear_col = st.columns(2)
add_col.button(
    "Ajouter une autre ligne à ce scénario",
    icon=":material/add:",
    disabled=change is None,
    help="La ligne décrite ci-dessus est gardée ; décrivez ensuite la suivante (un programme ponctuel, une baisse…).",
    on_click=noted,
    args=(NOTICE_KEY, add_line, change),
)
clear_col.button(
    "Retirer les autres lignes",
    icon=":material/playlist_remove:",
    disabled=not lines,
    on_click=noted,
    args=(NOTICE_KEY, clear_lines),
)

save_col, upload_col = st.columns(2)
save_col.button(
    "Enregistrer ce scénario",
    icon=":material/save:",
    disabled=current is None,
    on_click=noted,
    args=(NOTICE_KEY, saved_actions.save, saved_path, current),
)
upload = upload_col.file_uploader(
    "Importer des scénarios (JSON : un scénario ou une liste, 20 Mo au plus)", type=["json"]
)
upload_col.button(
    "Importer ces scénarios",
    icon=":material/upload:",
    disabled=upload is None,
    on_click=noted,
    args=(NOTICE_KEY, saved_actions.import_file, saved_path, upload.getvalue() if upload else b""),
)

saved: dict[str, Scenario] = {}
with shown_as_error():
    saved = read_saved(saved_path)
if saved:
    workspace.remember()
    st.subheader("Scénarios enregistrés")
    st.table(saved_table(list(saved.values())), hide_index=True)
    compared = st.multiselect("Scénarios enregistrés à comparer", list(saved), default=list(saved))
    with st.expander("Renommer ou supprimer un scénario enregistré"):
        target = st.selectbox("Scénario enregistré", list(saved))
        rename_key = f"prospective_rename_{target}"
        st.text_input("Nouveau nom", value=target, max_chars=60, key=rename_key)
        st.button(
            "Renommer",
            icon=":material/edit:",
            on_click=noted,
            args=(NOTICE_KEY, rename_from_widget, saved_path, target, rename_key),
        )
        confirmed = st.checkbox(f"Je confirme la suppression du scénario « {target} »", key=f"prospective_del_{target}")
        st.button(
            "Supprimer",
            icon=":material/delete:",
            disabled=not confirmed,
            on_click=noted,
            args=(NOTICE_KEY, saved_actions.delete_saved, saved_path, target),
        )
else:
    # No empty (hence disabled, greyed) list: say what to do instead.
    compared = []
    st.caption("Aucun scénario enregistré : enregistrez le scénario courant pour le comparer à un autre.")
st.caption(workspace.SCENARIOS_NOTICE if workspace.logged_in() else workspace.SESSION_SCENARIOS_NOTICE)
scenarios: dict[str, Scenario] = {}
for candidate in [saved[n] for n in compared] + ([current] if current else []):
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
