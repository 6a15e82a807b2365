"""Page « Diagnostic » : the territory sheet (fiche territoire) of one territory of any level.

Lays out widgets and calls ``explorer`` (figures in ``diagnostic``, exports in ``report``).
State in the URL: ``territoire``, ``pairs``, ``indicateur``, ``periode`` (``sheet_state``).
"""

from __future__ import annotations

from dataclasses import replace

import streamlit as st

from explorer import vocabulary as voc
from explorer.charts import diagnostic as diagnostic_charts
from explorer.facts import indicators, secrecy
from explorer.facts.indicators import INDICATORS, value_text
from explorer.formatting import fr_number
from explorer.geo.territories import coded_name, display_name
from explorer.reports.sheet import FORMATS, file_name
from explorer.sheets import diagnostic as dg
from explorer.sheets import state as sheet_state
from explorer.sheets.published_facts import facts_table, published_facts
from explorer.warehouse import catalog
from ui import data, diagnostic_data, forecast, map_cache
from ui.banner import source_footer
from ui.charts import chart_data
from ui.navigation import PROSPECTIVE_PAGE, within_frame
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


def _school_known(uai: str) -> bool:
    return diagnostic_data.school_exists(con, key, uai)


def _show(state: sheet_state.SheetState, notes: list[str] | None = None) -> None:
    state, more = sheet_state.resolve(state, territories, _school_known)
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
    "La **fiche d'un territoire ou d'un établissement** : combien y est investi dans le numérique "
    "éducatif, par qui et pour quoi, quels usages de l'ENT et des ressources numériques, comparés aux "
    "territoires parents, à la référence nationale et à des **pairs** (territoires de taille comparable ; "
    "pour un établissement, ceux de son type dans son département)."
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
is_school = level == dg.SCHOOL
peers_short = f"{dg.kind_plural(diag.school['kind'])} du dép." if is_school else "pairs"

st.header(diag.title)
if is_school:
    st.caption(
        f"{voc.KIND_LABELS.get(diag.school['kind'], 'Établissement')}, secteur "
        f"{voc.SECTOR_LABELS.get(diag.school['sector'], diag.school['sector'])}, "
        f"{diag.school['commune_name']} ({diag.school['departement_name']}). Comparé à sa commune, aux "
        f"{dg.kind_plural(diag.school['kind'])} de son département et à "
        f"{country.label.lower() if country.label != 'France entière' else 'la France entière'}."
    )
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
headline = [i for i in dg.HEADLINE if not (is_school and i == "coverage_share")]  # one school: 0 or 100 %
for col, indicator_id in zip(cols * 2, headline, strict=False):
    indicator = INDICATORS[indicator_id]
    value = table.at[indicator_id, own]
    # The number in the metric, its unit in the label (which wraps: ui/chrome.STYLE).
    shown = value_text(indicator, value, table.at[indicator_id, "masked"])
    fragile = table.at[indicator_id, "fragility"]
    if fragile:  # the flag sits on the figure itself
        shown = f"{shown} ⚠"
    gap = table.at[indicator_id, "gap_peers"]
    delta = None if indicator_id in dg.COUNTS else dg.difference_text(gap, table.at[indicator_id, "gap_kind"])
    col.metric(
        indicator.label
        if indicator.unit.lower() == indicator.label.lower()
        # « (indice, moyenne ≈ 100) », not « (indice (moyenne ≈ 100)) »
        else f"{indicator.label} ({indicator.unit.replace(' (', ', ').replace(')', '')})",
        shown,
        # Streamlit reads the sign from a leading ASCII hyphen (it would draw ↑ for « −4 »).
        delta=None if delta in (None, "n.d.") else f"{delta.replace('−', '-')} vs {peers_short}",
        delta_color="off",
        # no arrow for a gap that reads « au même niveau » (« +0 % » drew ↑)
        delta_arrow="off" if indicator_id not in dg.COUNTS and dg.same_level(indicator, gap) else "auto",
        help=(f"Chiffre fragile : {fragile}. " if fragile else "")
        + f"{indicator.formula}. Source : {indicator.source}.",
    )
    if fragile:
        col.caption(f"⚠ Chiffre fragile : {fragile}")
source_footer(
    "Écarts aux pairs : variation relative pour les ratios, en points pour les parts et l'IPS.",
    period=diag.period_text,
    source=catalog.citation(data.sources_table(con, key), ["investment", "usage", "enrolment", "ips"]),
)

peer_title = (
    f"Comparaison : {peers_ref.label[0].lower()}{peers_ref.label[1:]}, {fr_number(len(diag.peers.codes))} autres"
    if is_school
    else f"Groupe de pairs : {len(diag.peers.codes)} {voc.LEVEL_PLURALS[level]}"
)
with st.expander(peer_title, expanded=False):
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
        line[ref.label] = value_text(indicator, row[ref.label], masked.at[indicator_id, ref.label])
    line[f"Écart : {peers_ref.label}" if is_school else "Écart aux pairs"] = dg.difference_text(
        row["gap_peers"], row["gap_kind"]
    )
    line[f"Écart à : {country.label}"] = dg.difference_text(row["gap_france"], row["gap_kind"])
    line["Lecture"] = row["reading"]
    line["Chiffre fragile"] = row["fragility"]
    line["Unité"] = indicator.unit
    rows.append(line)
st.dataframe(rows, hide_index=True, width="stretch", height=420)
source_footer("Formules et sources : page Données (dictionnaire des données).", period=diag.period_text)

# --- A school: who paid what for it ----------------------------------------------------------
if is_school:
    st.subheader("Qui a payé quoi pour cet établissement")
    funding = diag.funding if diag.funding is not None else dg.school_funding(con, code)
    if funding.empty:
        st.caption("Aucune dépense rattachée à cet établissement dans l'entrepôt.")
    else:
        st.dataframe(
            dg.funding_display(funding),
            hide_index=True,
            width="stretch",
            height=min(420, 38 + 35 * len(funding)),
            column_config={
                "Année budgétaire": st.column_config.NumberColumn(format="%d"),
                "Montant (€)": st.column_config.NumberColumn(format="localized"),
                "Par élève (€ par élève)": st.column_config.NumberColumn(format="localized"),
            },
        )
        source_footer(
            "Dépenses rattachées à l'établissement, et sa part (au prorata des élèves) des dépenses non "
            "rattachées de ses financeurs. Programmes : SNEE, TNE, hybridation des lycées ; les autres "
            "dépenses sont hors programme national.",
            unit="€, et € par élève de l'année scolaire qui commence l'année de la dépense",
            period="toutes les années de l'entrepôt",
            source=INDICATORS["invest_per_pupil"].source,
        )

# --- One indicator, year by year, against the peers ------------------------------------------
if not is_school:
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
    "Années sous secret statistique non dessinées." if secrecy.setting().on else "",
    unit="€ par élève (élèves de l'année scolaire qui commence l'année de la dépense)",
    period="toutes les années de l'entrepôt",
    source=INDICATORS["invest_per_pupil"].source,
)
weekly = dg.weekly_usage(diag)
if weekly.select_dtypes("number").notna().to_numpy().any():
    st.altair_chart(diagnostic_charts.weekly_chart(weekly), width="stretch")
    chart_data(weekly)
else:
    where = "cet établissement" if is_school else "ce territoire"
    st.caption(f"Usage hebdomadaire de l'ENT : aucune semaine mesurée pour {where} dans cet entrepôt.")
source_footer(
    "Élèves des établissements mesurés l'année scolaire de la semaine"
    + (f" ; semaines sur {secrecy.setting().rule_text()} non dessinées." if secrecy.setting().on else "."),
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
if not is_school and len(coverage) and coverage["schools"].min() >= secrecy.setting().min_schools:
    st.caption(
        "Établissements mesurés par année scolaire : "
        + " · ".join(
            f"{r.school_year} : {fr_number(r.measured_schools)} sur {fr_number(r.schools)}"
            for r in coverage.itertuples()
        )
    )

# --- The territory's schools -------------------------------------------------------------------
if not is_school:
    schools = diagnostic_data.schools(con, key, level, code, state.periode)
    st.subheader(f"Les établissements du territoire ({fr_number(len(schools))})")
    st.caption(
        "Chaque établissement avec ses propres chiffres sur la période ; cliquez sur un en-tête pour trier, "
        "sur « Fiche » pour ouvrir la fiche de l'établissement."
    )
    st.dataframe(
        dg.schools_display(schools, state.periode),
        hide_index=True,
        width="stretch",
        height=min(420, 38 + 35 * max(len(schools), 1)),
        column_config={
            "Fiche": st.column_config.LinkColumn("Fiche", display_text="Ouvrir la fiche"),
            "Élèves": st.column_config.NumberColumn(format="localized"),
            "IPS": st.column_config.NumberColumn(format="localized"),
            "Investissement (€ par élève et par an)": st.column_config.NumberColumn(format="localized"),
            "Visites ENT (par élève et par semaine)": st.column_config.NumberColumn(format="localized"),
        },
    )
    source_footer(
        "Élèves de la dernière année scolaire de la période ; usage vide : établissement non mesuré.",
        unit="€ par élève et par an ; visites par élève et par semaine de classe",
        period=diag.period_text,
        source=f"{INDICATORS['invest_per_pupil'].source} ; {INDICATORS['ent_visits_per_pupil_week'].source}",
    )

# --- Published aggregates (local finance, TNE, GAR) -------------------------------------------
facts = published_facts(con, level, code) if not is_school else None
if facts is not None and len(facts):
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

# --- Onward: what more investment would produce -------------------------------------------------
# a school has no weekly series of its own: its commune is projected
projected = (
    ("commune", diag.school["commune_code"], diag.school["commune_name"]) if is_school else (level, code, diag.name)
)
if forecast.refusal(con, key, *projected) is None:
    st.subheader("Et si l'investissement changeait ?")
    st.markdown(
        "La page **Prospective** projette les visites ENT par élève "
        f"{'de sa commune' if is_school else 'de ce territoire'} jusqu'à l'année scolaire 2030-2031 et y "
        "applique un scénario d'investissement que vous décrivez : qui paie, combien par élève et par an, "
        "sur quels exercices."
    )
    st.page_link(
        PROSPECTIVE_PAGE,
        label=f"Prospective : {display_name(projected[0], projected[2])}",
        icon=":material/trending_up:",
        query_params={"territoire": f"{projected[0]}:{projected[1]}"},
    )

# --- Exports -------------------------------------------------------------------------------------
st.subheader("Exporter la fiche")
st.caption(
    "CSV pour Excel en français (UTF-8 avec BOM, « ; », virgule décimale), classeur XLSX (colonnes formatées, "
    "feuille « Sources et définitions »), fiche PDF d'une ou deux pages. Les chiffres fragiles y portent "
    "leur mention (colonne « Chiffre fragile »)."
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
st.caption(f"Fiche : {coded_name(level, code, diag.name)}.")

st.query_params.from_dict(state.to_query())
