"""Page « Comparer » : territories of one level side by side, a peer group, yearly series.

Lays out widgets and calls ``explorer`` (rules in ``peers``, table and series in ``compare``).
State in the URL: ``territoire`` (the highlighted one), ``pairs`` (the compared territories;
absent = the peer group built by the rules), ``indicateur``, ``periode``.
"""

from __future__ import annotations

from dataclasses import replace

import streamlit as st

from explorer import vocabulary as voc
from explorer.analysis import peers
from explorer.charts import diagnostic as diagnostic_charts
from explorer.facts import indicators, secrecy
from explorer.facts.indicators import INDICATORS, format_value
from explorer.formatting import fr_number
from explorer.reports import xlsx
from explorer.reports.csv import OPEN_HINT, french_csv
from explorer.sheets import compare
from explorer.sheets import state as sheet_state
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
STATE = "comparer_state"
SERIES_INDICATORS = [i for i in INDICATORS if i != "pupils"]


def _show(state: sheet_state.SheetState, notes: list[str] | None = None) -> None:
    state, more = sheet_state.resolve(state, territories)
    st.session_state[STATE] = state
    st.session_state["comparer_notes"] = (notes or []) + more


def _pick(level: str, code: str) -> None:
    state: sheet_state.SheetState = st.session_state[STATE]
    _show(replace(state, territoire=(level, code), pairs=None))
    st.session_state["comparer_mode"] = "regles"


def _on_controls() -> None:
    state: sheet_state.SheetState = st.session_state[STATE]
    pairs = state.pairs
    if st.session_state.get("comparer_mode") == "choix":
        pairs = tuple(st.session_state.get("comparer_choix", ())) or None
    else:
        pairs = None
    _show(
        replace(
            state,
            indicateur=st.session_state["comparer_indicateur"],
            periode=tuple(st.session_state["comparer_periode"]),
            pairs=pairs,
        )
    )


if STATE not in st.session_state:
    parsed, url_notes = sheet_state.parse_state(st.query_params.to_dict())
    _show(parsed, url_notes)
    st.session_state["comparer_mode"] = "choix" if st.session_state[STATE].pairs else "regles"
state: sheet_state.SheetState = st.session_state[STATE]
level, code = state.territoire
same_level = territories[territories["level"] == level]
names = same_level.set_index("code")["name"]

st.title("Comparer")
st.markdown(
    "Mettez un territoire **face à des territoires du même niveau** : ceux que vous choisissez, ou un "
    "**groupe de pairs** construit par des règles (strate de population, densité, IPS, outre-mer, plus "
    "proches voisins sur des indicateurs). Le territoire choisi est mis en évidence."
)
for note in st.session_state.get("comparer_notes", []):
    st.warning(note, icon=":material/info:")

search_col, period_col = st.columns([2, 1])
with search_col:
    territory_search(territories, "comparer", _pick)
    st.markdown(f"Territoire mis en évidence : **{names.get(code, code)}** ({voc.LEVEL_NOUNS[level]} {code})")
period_col.select_slider(
    "Période (années civiles / rentrées)",
    options=list(range(indicators.PERIOD_BOUNDS[0], indicators.PERIOD_BOUNDS[1] + 1)),
    value=state.periode,
    key="comparer_periode",
    on_change=_on_controls,
)

mode = st.radio(
    "Territoires comparés",
    ["regles", "choix"],
    format_func={"regles": "Groupe de pairs construit par des règles", "choix": "Choix libre"}.get,
    key="comparer_mode",
    horizontal=True,
    on_change=_on_controls,
)
if mode == "choix":
    default = [c for c in (state.pairs or ()) if c in names.index]
    st.multiselect(
        f"{voc.LEVEL_PLURALS[level].capitalize()} à comparer",
        [c for c in names.index if c != code],
        default=default,
        format_func=lambda c: f"{names[c]} ({c})",
        key="comparer_choix",
        on_change=_on_controls,
    )
    frame = diagnostic_data.territories_for_peers(con, key, level, state.periode, ())
    group = peers.chosen_group(frame, level, code, list(state.pairs or ()))
else:
    rule_col, variable_col, k_col = st.columns([3, 3, 1])
    rules = rule_col.multiselect(
        "Règles (combinées)",
        list(peers.RULES),
        default=list(peers.DEFAULT_RULES),
        format_func=peers.RULES.get,
        key="comparer_regles",
    )
    variables: tuple[str, ...] = ()
    k = peers.DEFAULT_K
    if "voisins" in rules:
        variables = tuple(
            variable_col.multiselect(
                "Indicateurs des plus proches voisins",
                list(peers.NEIGHBOUR_VARIABLES),
                default=["invest_per_pupil", "ips", "log_population"],
                format_func=peers.variable_label,
                key="comparer_variables",
            )
        )
        k = k_col.number_input("Nombre de voisins", 1, 30, peers.DEFAULT_K, key="comparer_k")
    frame = diagnostic_data.territories_for_peers(con, key, level, state.periode, variables)
    if rules:
        group = peers.peer_group(frame, level, code, rules, variables, int(k))
    else:
        group = peers.default_peers(frame, level, code)
st.info(group.explanation, icon=":material/group:")

codes = (code, *group.codes)
if len(codes) < 2:
    st.warning("Aucun autre territoire dans le groupe : assouplissez les règles ou choisissez des territoires.")
    st.query_params.from_dict(replace(state, pairs=None).to_query())
    st.stop()

# --- Side-by-side table ------------------------------------------------------------------
table = diagnostic_data.comparison(con, key, level, codes, state.periode)
period_text = f"{state.periode[0]}-{state.periode[1]}"
st.subheader(f"Côte à côte, {period_text}")
shown = compare.display_frame(table, code)
config = {
    "Population": st.column_config.NumberColumn("Population (hab.)", format="localized"),
    "Élèves": st.column_config.NumberColumn("Élèves", format="localized"),
}
display_formats = compare.display_formats()
for column in compare.COLUMNS:
    label = compare.column_label(column)
    number_format, unit = display_formats[label]
    config[label] = st.column_config.NumberColumn(label, help=unit, format=number_format)
    config[compare.rank_label(column)] = st.column_config.NumberColumn("Rang", format="%d")
st.dataframe(shown, hide_index=True, width="stretch", column_config=config)
masked_any = compare.masked_labels(table)
st.caption(
    "Cliquez sur un en-tête pour trier. Rang 1 = valeur la plus haute parmi les territoires comparés. "
    "▶ : territoire mis en évidence. "
    + (
        f"Cellules vides sous {SECRET_TEXT} ({secrecy.setting().rule_text()}) : {', '.join(masked_any)}. "
        if masked_any
        else ""
    )
    + f"Colonne « {compare.FRAGILE_HEADER} » : valeurs sur peu d'élèves ou une petite part des élèves mesurés, "
    "à lire avec prudence."
)
source_footer(
    "Investissement par habitant : Σ dépenses de la période ÷ population ÷ nombre d'années.",
    period=period_text,
    source=catalog.citation(data.sources_table(con, key), ["investment", "usage", "enrolment", "ips", "territory"]),
)

st.subheader("Qui a payé, pour quoi")
st.markdown(
    "Investissement par élève et par an de chaque territoire, **par financeur** (État, région, département, "
    "EPCI, commune) et **par catégorie** (équipement, réseau, ENT et logiciels, ressources, formation, "
    "maintenance) : les deux découpages du même total."
)
breakdown_config = {
    compare.breakdown_label(c): st.column_config.NumberColumn(compare.breakdown_label(c), format="%.0f €")
    for c in compare.BREAKDOWN
}
st.dataframe(compare.breakdown_display(table, code), hide_index=True, width="stretch", column_config=breakdown_config)
source_footer(
    unit="€ par élève et par an",
    period=period_text,
    source=catalog.citation(data.sources_table(con, key), ["investment", "enrolment"]),
)

# --- Yearly series overlay ---------------------------------------------------------------------
st.subheader("Évolution année par année")
st.selectbox(
    "Indicateur",
    SERIES_INDICATORS,
    index=SERIES_INDICATORS.index(state.indicateur) if state.indicateur in SERIES_INDICATORS else 0,
    format_func=lambda i: INDICATORS[i].label,
    key="comparer_indicateur",
    on_change=_on_controls,
)
indicator = INDICATORS[st.session_state.get("comparer_indicateur", state.indicateur)]
series = diagnostic_data.yearly(con, key, level, codes, indicator.id)
if indicator.unit.startswith("%"):
    series = series.assign(value=series["value"] * 100)
st.altair_chart(diagnostic_charts.overlay_chart(series, code, indicator.unit), width="stretch")
chart_data(series)
chosen_values = series[series["code"] == code]
last = chosen_values.dropna(subset=["value"]).tail(1)
if len(last):
    value = last["value"].iloc[0] / (100 if indicator.unit.startswith("%") else 1)
    st.caption(f"{names.get(code, code)}, {int(last['year'].iloc[0])} : {format_value(indicator, value)}.")
source_footer(
    f"En orange épais : {names.get(code, code)} ; en gris : les territoires comparés. "
    f"Chaque point est l'indicateur d'une seule année. Formule : {indicator.formula}.",
    unit=indicator.unit,
    period="année par année",
    source=indicator.source,
)

# --- Exports -------------------------------------------------------------------------------------
st.subheader("Exporter")
exported = compare.export_frame(table, code)
formats = compare.xlsx_formats()
notes = compare.export_notes(group.explanation, period_text)
left, middle, right = st.columns(3)
stem = f"comparaison_{level}_{code}_{period_text}"
left.download_button(
    "Tableau (CSV)",
    data=french_csv(compare.export_frame(table, code, percent=True)),
    file_name=f"{stem}.csv",
    mime="text/csv",
    icon=":material/download:",
    on_click="ignore",
    key="comparer_csv",
)
middle.download_button(
    "Tableau (XLSX)",
    data=lambda: xlsx.table_xlsx(exported, f"Comparaison — {names.get(code, code)}, {period_text}", formats, notes),
    file_name=f"{stem}.xlsx",
    mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    icon=":material/download:",
    on_click="ignore",
    key="comparer_xlsx",
)
right.download_button(
    "Fiche PDF du territoire, avec ces pairs",
    data=lambda: diagnostic_data.export(con, key, level, code, state.periode, tuple(group.codes) or None, "pdf"),
    file_name=f"fiche_{level}_{code}_{period_text}.pdf",
    mime="application/pdf",
    icon=":material/picture_as_pdf:",
    on_click="ignore",
    key="comparer_pdf",
)
st.caption(f"{fr_number(len(codes))} territoires comparés. CSV : parts en %. {OPEN_HINT}")

# The compared territories go into the URL: a shared link shows the same comparison.
st.query_params.from_dict(replace(state, pairs=tuple(group.codes) or None).to_query())
