"""Page « Diagnostic » : the territory sheet (fiche territoire) of one territory of any level.

Lays out widgets and calls ``explorer`` (figures in ``diagnostic``, exports in ``report``).
State in the URL: ``territoire``, ``pairs``, ``indicateur``, ``periode`` (``sheet_state``).
"""

from __future__ import annotations

from dataclasses import replace

import streamlit as st

from explorer import vocabulary as voc
from explorer.charts import diagnostic as diagnostic_charts
from explorer.facts import indicators
from explorer.facts.indicators import INDICATORS, format_value
from explorer.formatting import fr_number
from explorer.geo.territories import coded_name
from explorer.reports.sheet import FORMATS, file_name
from explorer.sheets import diagnostic as dg
from explorer.sheets import state as sheet_state
from explorer.sheets.published_facts import facts_table, published_facts
from explorer.vocabulary import SECRET_TEXT
from explorer.warehouse import catalog
from ui import data, diagnostic_data, map_cache
from ui.banner import source_footer
from ui.charts import chart_data
from ui.navigation import within_frame
from ui.territory_picker import territory_search

within_frame()

con = data.get_connection()
key = data.warehouse_key()
territories = map_cache.territories(con, key)
STATE = "diagnostic_state"
MIME = {
    "csv": "text/csv",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
}


def _show(state: sheet_state.SheetState, notes: list[str] | None = None) -> None:
    state, more = sheet_state.resolve(state, territories)
    st.session_state[STATE] = state
    st.session_state["diagnostic_notes"] = (notes or []) + more


def _pick(level: str, code: str) -> None:
    state: sheet_state.SheetState = st.session_state[STATE]
    _show(replace(state, territoire=(level, code), pairs=None))


def _on_period() -> None:
    state: sheet_state.SheetState = st.session_state[STATE]
    _show(replace(state, periode=tuple(st.session_state["diagnostic_periode"])))


def _on_indicator() -> None:
    state: sheet_state.SheetState = st.session_state[STATE]
    _show(replace(state, indicateur=st.session_state["diagnostic_indicateur"]))


if STATE not in st.session_state:
    parsed, url_notes = sheet_state.parse_state(st.query_params.to_dict())
    _show(parsed, url_notes)
state: sheet_state.SheetState = st.session_state[STATE]
level, code = state.territoire

st.title("Diagnostic")
st.markdown(
    "La **fiche d'un territoire** : combien y est investi dans le numérique éducatif, par qui et pour "
    "quoi, quels usages de l'ENT et des ressources numériques, comparés aux territoires parents, à la "
    "référence nationale et à des **territoires pairs** (de taille comparable)."
)
for note in st.session_state.get("diagnostic_notes", []):
    st.warning(note, icon=":material/info:")

search_col, period_col = st.columns([2, 1])
with search_col:
    territory_search(territories, "diagnostic", _pick)
period_col.select_slider(
    "Période (années civiles / rentrées)",
    options=list(range(indicators.PERIOD_BOUNDS[0], indicators.PERIOD_BOUNDS[1] + 1)),
    value=state.periode,
    key="diagnostic_periode",
    on_change=_on_period,
)

diag = diagnostic_data.diagnostic(con, key, level, code, state.periode, state.pairs)
table = dg.figure_table(diag).set_index("indicator")
own = diag.references[0].label
peers_ref = next(r for r in diag.references if r.role == "pairs")
country = next(r for r in diag.references if r.role == "france")
masked = diag.figures.pivot(index="indicator", columns="reference", values="masked")

st.header(diag.title)
parents = [r.label for r in diag.references if r.role == "parent"]
if parents:
    st.caption("Territoires parents : " + " › ".join(reversed(parents)))
st.info(dg.summary(diag), icon=":material/summarize:")
for warning in diag.warnings:
    if not warning.startswith("Données simulées"):  # the banner above already says it
        st.warning(warning, icon=":material/warning:")

# --- Headline figures --------------------------------------------------------------------
st.subheader(f"Chiffres clés, {diag.period_text}")
cols = st.columns(4)
for col, indicator_id in zip(cols * 2, dg.HEADLINE, strict=False):
    indicator = INDICATORS[indicator_id]
    value = table.at[indicator_id, own]
    # The number in the metric, its unit in the label (a long unit would be cut off).
    shown = SECRET_TEXT if table.at[indicator_id, "masked"] else format_value(indicator, value, unit=False)
    gap = table.at[indicator_id, "gap_peers"]
    delta = None if indicator_id in dg.COUNTS else dg.difference_text(gap, table.at[indicator_id, "gap_kind"])
    col.metric(
        f"{indicator.label} ({indicator.unit})",
        shown,
        # Streamlit reads the sign from a leading ASCII hyphen (it would draw ↑ for « −4 »).
        delta=None if delta in (None, "n.d.") else f"{delta.replace('−', '-')} vs pairs",
        delta_color="off",
        help=f"{indicator.formula}. Source : {indicator.source}.",
    )
source_footer(
    "Écarts aux pairs : variation relative pour les ratios, en points pour les parts et l'IPS.",
    period=diag.period_text,
    source=catalog.citation(data.sources_table(con, key), ["investment", "usage", "enrolment", "ips"]),
)

with st.expander(f"Groupe de pairs : {len(diag.peers.codes)} {voc.LEVEL_PLURALS[level]}", expanded=False):
    st.markdown(diag.peers.explanation)
    st.caption(
        "Valeur des pairs : sommes de tous les pairs, puis le ratio (valeur du groupe, pas une moyenne). "
        "Pour choisir d'autres pairs : page Comparer, ou le paramètre d'adresse « pairs »."
    )

# --- All figures against the references ------------------------------------------------------
st.subheader("Toutes les valeurs comparées")
rows = []
for indicator_id, row in table.iterrows():
    indicator = INDICATORS[indicator_id]
    line = {"Rubrique": row["section"], "Indicateur": indicator.label}
    for ref in diag.references:
        line[ref.label] = (
            SECRET_TEXT if masked.at[indicator_id, ref.label] else format_value(indicator, row[ref.label], unit=False)
        )
    line["Écart aux pairs"] = dg.difference_text(row["gap_peers"], row["gap_kind"])
    line[f"Écart à : {country.label}"] = dg.difference_text(row["gap_france"], row["gap_kind"])
    line["Lecture"] = row["reading"]
    line["Unité"] = indicator.unit
    rows.append(line)
st.dataframe(rows, hide_index=True, width="stretch", height=420)
source_footer("Formules et sources : page Données (dictionnaire des données).", period=diag.period_text)

# --- One indicator, year by year, against the peers ------------------------------------------
st.subheader("Un indicateur année par année, face aux pairs")
series_ids = [i for i in INDICATORS if i not in dg.COUNTS]
st.selectbox(
    "Indicateur",
    series_ids,
    index=series_ids.index(state.indicateur) if state.indicateur in series_ids else 0,
    format_func=lambda i: INDICATORS[i].label,
    key="diagnostic_indicateur",
    on_change=_on_indicator,
)
focus = INDICATORS[st.session_state.get("diagnostic_indicateur", state.indicateur)]
if focus.id in table.index:
    st.markdown(f"**{focus.label}**, {diag.period_text} : {table.at[focus.id, 'reading']}.")
yearly = diagnostic_data.yearly(con, key, level, (code, *diag.peers.codes), focus.id)
if focus.unit.startswith("%"):
    yearly = yearly.assign(value=yearly["value"] * 100)
st.altair_chart(diagnostic_charts.overlay_chart(yearly, code, focus.unit), width="stretch")
chart_data(yearly)
source_footer(
    f"En orange épais : {diag.name} ; en gris : chacun de ses pairs. Formule : {focus.formula}.",
    unit=focus.unit,
    period="année par année",
    source=focus.source,
)

# --- Series ----------------------------------------------------------------------------------
st.subheader("Évolutions")
left, right = st.columns(2)
by_funder = dg.investment_by_year(diag, "funder_level")
by_category = dg.investment_by_year(diag, "category")
with left:
    st.altair_chart(diagnostic_charts.investment_chart(by_funder, "Par financeur"), width="stretch")
    chart_data(by_funder)
with right:
    st.altair_chart(diagnostic_charts.investment_chart(by_category, "Par catégorie de dépense"), width="stretch")
    chart_data(by_category)
source_footer(
    "Années sous secret statistique non dessinées.",
    unit="€ par élève (élèves de l'année scolaire qui commence l'année de la dépense)",
    period="toutes les années de l'entrepôt",
    source=INDICATORS["invest_per_pupil"].source,
)
weekly = dg.weekly_usage(diag)
if weekly.select_dtypes("number").notna().to_numpy().any():
    st.altair_chart(diagnostic_charts.weekly_chart(weekly), width="stretch")
    chart_data(weekly)
else:
    st.caption("Usage hebdomadaire de l'ENT : aucune semaine mesurée pour ce territoire dans cet entrepôt.")
source_footer(
    "Élèves des établissements mesurés l'année scolaire de la semaine ; semaines de moins de 5 établissements "
    "ou de 11 utilisateurs non dessinées.",
    unit="visites ENT par élève et par semaine, par profil",
    period="semaines depuis le 2 septembre 2019",
    source=INDICATORS["ent_visits_per_pupil_week"].source,
)
resources = dg.resources_by_year(diag)
if resources["per_pupil"].notna().any():
    st.altair_chart(diagnostic_charts.resources_chart(resources), width="stretch")
    chart_data(resources)
    source_footer(
        unit="accès par élève et par an (élèves des établissements mesurés)",
        period="années scolaires",
        source=INDICATORS["resource_per_pupil"].source,
    )
coverage = diag.coverage_years
if len(coverage) and coverage["schools"].min() >= dg.MIN_SCHOOLS:
    st.caption(
        "Établissements mesurés par année scolaire : "
        + " · ".join(
            f"{r.school_year} : {fr_number(r.measured_schools)} sur {fr_number(r.schools)}"
            for r in coverage.itertuples()
        )
    )

# --- Published aggregates (local finance, TNE, GAR) -------------------------------------------
facts = published_facts(con, level, code)
if len(facts):
    st.subheader("Agrégats publiés pour ce territoire")
    st.caption(
        "Valeurs telles que l'éditeur les publie (comptes des collectivités, programmes de l'État…) : "
        "elles ne sont ni additionnées entre sources, ni rapportées aux élèves."
    )
    st.dataframe(facts_table(facts), hide_index=True, width="stretch", height=min(420, 38 + 35 * len(facts)))
    source_footer(
        unit="celle de chaque ligne",
        period=", ".join(sorted(set(facts["period"]), reverse=True)),
        source=", ".join(sorted(set(facts["source_label"].fillna(facts["source"])))),
    )

# --- Exports -------------------------------------------------------------------------------------
st.subheader("Exporter la fiche")
st.caption(
    "CSV pour Excel en français (UTF-8 avec BOM, « ; », virgule décimale), classeur XLSX (colonnes formatées, "
    "feuille « Sources et définitions »), fiche PDF d'une ou deux pages. Les valeurs sous secret "
    "statistique y restent masquées."
)
buttons = st.columns(len(FORMATS))
for col, fmt in zip(buttons, FORMATS, strict=True):
    col.download_button(
        f"Télécharger ({fmt.upper()})",
        data=lambda fmt=fmt: diagnostic_data.export(con, key, level, code, state.periode, state.pairs, fmt),
        file_name=file_name(diag, fmt),
        mime=MIME[fmt],
        key=f"diagnostic_export_{fmt}",
        icon=":material/download:",
        on_click="ignore",
    )
st.caption(
    f"En ligne de commande : `python -m explorer report --territory {level}:{code} --format pdf --db ENTREPOT "
    f"--out {file_name(diag, 'pdf')}`"
)
st.caption(f"Fiche : {coded_name(level, code, diag.name)}.")

st.query_params.from_dict(state.to_query())
