"""Page « Investissement → usage » : does usage go with earlier investment, territory by territory?"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from explorer import vocabulary as voc
from explorer.analysis import spend_use as su
from explorer.analysis.effects import reading
from explorer.analysis.effects.programmes import PROGRAMMES
from explorer.analysis.features import LEVEL_LABELS, VARIABLES
from explorer.analysis.typology_labels import NOUNS
from explorer.charts.effects import effects_chart, event_study_chart
from explorer.charts.typology import ABOVE, BELOW, WITHIN, spend_use_chart
from explorer.errors import ExplorerError
from explorer.formatting import format_frame, fr_eur, fr_number, fr_percent, fr_signed_percent
from explorer.maps.effects_map import effect_map, legend_lines
from explorer.maps.legend import legend_html
from explorer.warehouse import catalog
from ui import data, effects_data, typology_data
from ui.banner import require_parts, source_footer
from ui.charts import chart_data
from ui.navigation import within_frame

within_frame()

con = data.get_connection()
key = data.warehouse_key()
sources = data.sources_table(con, key)
source = catalog.citation(sources, ["investment", "usage", "enrolment", "ips", "territory"])

st.title("Investissement → usage")
st.markdown(
    "Les territoires qui ont davantage investi dans le numérique éducatif ont-ils, quelques années "
    "plus tard, davantage d'usages de l'ENT ? Chaque point est un territoire : en abscisse, ce qui a "
    "été dépensé par élève une année donnée ; en ordonnée, les visites de l'ENT par élève et par "
    "semaine de classe d'une année scolaire ultérieure (ou la même)."
)
require_parts(con, ("investissements", "usages", "effectifs"), "Le rapprochement investissement → usage", stop=True)
st.warning(
    "Il s'agit d'une **association** entre territoires, pas d'un effet : un lien positif ne prouve "
    "pas que la dépense a produit l'usage (les territoires qui investissent peuvent différer sur "
    "bien d'autres points), et l'absence de lien ne prouve pas qu'elle a été inutile.",
    icon=":material/balance:",
)
try:
    national = effects_data.effects_table(con, key, "national").iloc[0]
except ExplorerError as err:
    national = None
    st.warning(str(err), icon=":material/database_off:")
if national is not None:
    st.info(
        "**Ce qu'a produit l'investissement** (estimé sur le panel des établissements, plus bas sur cette page) : "
        + reading.investment_sentence(national["effect"], national["lower"], national["upper"], "en France"),
        icon=":material/insights:",
    )

level_col, year_col, lag_col = st.columns(3)
level = level_col.selectbox("Niveau", su.LEVELS, index=su.LEVELS.index("epci"), format_func=LEVEL_LABELS.get)
usage_year = year_col.selectbox(
    "Année scolaire des usages", [2025, 2024, 2023, 2022], format_func=lambda y: f"{y}-{y + 1}"
)
lag = lag_col.select_slider(
    "Décalage entre la dépense et l'usage",
    options=list(su.LAGS),
    value=1,
    format_func=lambda n: f"{n} an" if n < 2 else f"{n} ans",
)
result = typology_data.spend_use(con, key, level, usage_year, lag)
noun = NOUNS[level][0]
period_text = f"dépenses de {result.invest_year}, usages de l'année scolaire {usage_year}-{usage_year + 1}"
x_title = f"Investissement par élève en {result.invest_year} (€)"
y_title = f"Visites ENT par élève et par semaine, {usage_year}-{usage_year + 1}"

st.caption(
    f"{fr_number(result.adjusted.n)} {noun} ont toutes les valeurs ; {fr_number(result.excluded)} autres ayant "
    "des établissements sont écartés (aucun établissement mesuré, ou une valeur manquante)."
)

# --- Scatter -------------------------------------------------------------------------------
view = st.radio(
    "Affichage",
    ["observed", "adjusted"],
    format_func={
        "observed": "Valeurs observées (droite simple)",
        "adjusted": "À IPS et densité égaux (modèle ajusté)",
    }.get,
    horizontal=True,
)
adjusted = view == "adjusted"
points = result.data.copy()
if adjusted:
    points[su.Y_COLUMN] = su.adjusted_usage(result)
flags = dict(zip(result.outliers["code"], result.outliers["residual_z"], strict=True))
points["flag"] = [WITHIN if c not in flags else (ABOVE if flags[c] > 0 else BELOW) for c in points["code"]]
st.altair_chart(
    spend_use_chart(
        points, su.line_band(result, adjusted=adjusted), x_title, y_title + (" (ajustées)" if adjusted else "")
    ),
    width="stretch",
)
chart_data(points)
source_footer(
    "Droite des moindres carrés et sa bande de confiance à 95 %. "
    + (
        "Usages ramenés à l'IPS et à la densité moyens : l'écart d'un point à la droite est celui du modèle ajusté."
        if adjusted
        else "Points colorés : écart au modèle ajusté (IPS et densité) de plus de 2 écarts types."
    ),
    unit="€ par élève et par an ; visites par élève et par semaine de classe",
    period=period_text,
    source=source,
)

# --- Model ---------------------------------------------------------------------------------
st.subheader("Le modèle ajusté")
table = result.adjusted.table().set_index("term")
slope = table.loc[su.X_COLUMN]
st.markdown(
    "usage = constante + b × investissement par élève + c × IPS + d × log10(densité de population), "
    f"estimé sur {fr_number(result.adjusted.n)} {noun} (moindres carrés ordinaires ; "
    f"R² = {fr_number(result.adjusted.r2, 2)}, contre {fr_number(result.simple.r2, 2)} sans l'IPS ni la densité)."
)
st.markdown(
    f"**Lecture** : à IPS et densité égaux, 10 € de plus par élève en {result.invest_year} vont de pair avec "
    f"{fr_number(10 * slope['coef'], 2)} visite(s) de plus par élève et par semaine en "
    f"{usage_year}-{usage_year + 1} (intervalle de confiance à 95 % : {fr_number(10 * slope['low'], 2)} à "
    f"{fr_number(10 * slope['high'], 2)})."
    + (
        " L'intervalle contient 0 : les données ne montrent pas de lien net."
        if slope["low"] <= 0 <= slope["high"]
        else ""
    )
)
term_labels = {
    "constante": "Constante",
    su.X_COLUMN: "b : investissement (€ par élève)",
    "ips": "c : IPS",
    "log_density": "d : log10 densité (hab./km²)",
}
coefficients = pd.DataFrame(
    {
        "Terme": [term_labels[t] for t in table.index],
        "Coefficient": [fr_number(v, 4) for v in table["coef"]],
        "Erreur type": [fr_number(v, 4) for v in table["se"]],
        "Intervalle à 95 %": [
            f"{fr_number(lo, 4)} à {fr_number(hi, 4)}" for lo, hi in zip(table["low"], table["high"], strict=True)
        ],
        "p": [fr_number(v, 3) for v in table["p_value"]],
    }
)
with st.expander("Détail technique du modèle ajusté"):
    st.dataframe(coefficients, hide_index=True)
    source_footer(
        "Coefficients en visites par élève et par semaine par unité de la variable ; erreurs types des "
        "moindres carrés ordinaires ; p : probabilité d'un coefficient au moins aussi grand si le vrai était nul.",
        period=period_text,
        source=source,
    )

st.subheader("Selon le décalage")
lags = typology_data.lag_table(con, key, level, usage_year)
st.dataframe(
    pd.DataFrame(
        {
            "Décalage": [f"{n} an" if n < 2 else f"{n} ans" for n in lags["lag"]],
            "Dépenses de": lags["invest_year"].astype(str),
            "Territoires": [fr_number(v) for v in lags["n"]],
            "Pente simple (pour 10 €)": [fr_number(10 * v, 2) for v in lags["slope"]],
            "Pente ajustée (pour 10 €)": [fr_number(10 * v, 2) for v in lags["adjusted_slope"]],
            "Intervalle à 95 %": [
                f"{fr_number(10 * lo, 2)} à {fr_number(10 * hi, 2)}"
                for lo, hi in zip(lags["adjusted_low"], lags["adjusted_high"], strict=True)
            ],
            "R² (modèle ajusté)": [fr_number(v, 2) for v in lags["adjusted_r2"]],
        }
    ),
    hide_index=True,
)
source_footer(
    "Pentes : visites par élève et par semaine de plus pour 10 € de plus par élève.",
    period=f"usages de l'année scolaire {usage_year}-{usage_year + 1}",
    source=source,
)

# --- Outliers ------------------------------------------------------------------------------
st.subheader("Territoires loin de la droite")
st.markdown(
    "Territoires dont l'usage s'écarte de plus de 2 écarts types de ce que le modèle ajusté attend "
    "compte tenu de leur investissement, de leur IPS et de leur densité. Un écart n'est pas un "
    "jugement : il invite à regarder ce qui se passe sur place."
)
if result.outliers.empty:
    st.info("Aucun territoire ne s'écarte de plus de 2 écarts types.", icon=":material/info:")
else:
    outliers = result.outliers.rename(
        columns={
            "code": "Code",
            "name": "Territoire",
            su.X_COLUMN: f"Investissement {result.invest_year} (€ par élève)",
            su.Y_COLUMN: "Visites par élève et par semaine",
            "expected": "Visites attendues",
            "residual_z": "Écart (écarts types)",
            "wording": "Lecture",
        }
    )
    st.dataframe(
        format_frame(
            outliers,
            {
                f"Investissement {result.invest_year} (€ par élève)": fr_eur,
                "Visites par élève et par semaine": lambda v: fr_number(v, 2),
                "Visites attendues": lambda v: fr_number(v, 2),
                "Écart (écarts types)": lambda v: fr_number(v, 1),
            },
        ),
        hide_index=True,
    )
    source_footer(unit="€ par élève ; visites par élève et par semaine", period=period_text, source=source)
st.caption(
    f"Variables : {VARIABLES['ips'].label} ; {VARIABLES['log_density'].label}. "
    f"Part des territoires listés : {fr_percent(len(result.outliers) / result.adjusted.n)}."
)

# --- Estimated effect of investment (panel of schools) --------------------------------------
st.header("L'effet estimé de l'investissement")
st.markdown(reading.IDENTIFICATION)
panel_source = catalog.citation(sources, ["investment", "usage", "enrolment"])
panel_period = "exercices 2017 à 2025, années scolaires 2019-2020 à 2025-2026 (établissements mesurés)"
if national is None:
    st.stop()
st.markdown("**France** : " + reading.investment_sentence(national["effect"], national["lower"], national["upper"]))
effect_levels = ["departement", "academie", "region", "epci", "commune"]
effect_level = st.selectbox(
    "Effet par territoire : niveau", effect_levels, format_func=voc.LEVEL_LABELS.get, key="effets_niveau"
)
try:
    effects = effects_data.effects_table(con, key, effect_level)
except ExplorerError as err:
    st.warning(str(err), icon=":material/database_off:")
    st.stop()
plural = voc.LEVEL_PLURALS[effect_level]
own = effects[~effects["pooled_from_national"]]
st.markdown(
    f"{fr_number(len(effects))} {plural} estimés : {fr_number(int(own['supported'].sum()))} avec un effet établi "
    f"(intervalle à 90 % qui exclut 0), {fr_number(int((~effects['supported']).sum()))} sans effet établi, "
    f"{fr_number(int(effects['pooled_from_national'].sum()))} qui empruntent l'estimation nationale faute "
    "d'assez d'établissements mesurés. Chaque territoire emprunte d'autant plus à l'estimation nationale que ses "
    "propres données sont peu nombreuses (estimation partiellement mutualisée)."
)
st.pydeck_chart(effect_map(con, effect_level, effects, float(national["effect"])), height=520)
st.markdown(legend_html(legend_lines(effects, float(national["effect"]))), unsafe_allow_html=True)
st.altair_chart(effects_chart(effects), width="stretch")
table = reading.effects_display(effects)
with st.expander(f"Tableau : effet estimé par {voc.LEVEL_NOUNS[effect_level]}"):
    st.dataframe(table, hide_index=True, width="stretch")
source_footer(
    "Effets fixes établissement et année, erreurs types groupées, estimation partiellement mutualisée "
    "vers l'effet national (voir la documentation des effets).",
    unit=reading.INVESTMENT_UNIT,
    period=panel_period,
    source=panel_source,
)

st.header("Les programmes de l'État")
st.markdown(
    "Étude d'événement : les établissements atteints par un programme sont comparés, année par année "
    "avant et après son début, aux établissements du même type qu'il n'a pas atteints. Avant le début, "
    "les écarts doivent être proches de 0 : sinon, les deux groupes évoluaient déjà différemment."
)
name = st.radio(
    "Programme",
    list(PROGRAMMES),
    format_func=lambda p: PROGRAMMES[p].label,
    horizontal=True,
    key="effets_programme",
)
result_p = None
try:
    result_p = effects_data.programme(con, key, name)
except ExplorerError as err:
    st.info(str(err), icon=":material/info:")
if result_p is not None:
    st.markdown(
        reading.programme_sentence(result_p.att, result_p.lower, result_p.upper, result_p.treated, result_p.controls)
    )
    st.markdown(reading.pretrend_verdict(result_p.pre_trend_p))
    if result_p.event_study:
        st.altair_chart(event_study_chart(result_p.event_study), width="stretch")
        chart_data(
            pd.DataFrame(
                {
                    "Année relative au début": [e["period"] for e in result_p.event_study],
                    "Écart estimé": [fr_signed_percent(e["coef"]) for e in result_p.event_study],
                    "Intervalle à 90 %": [reading.interval(e["lower"], e["upper"]) for e in result_p.event_study],
                }
            )
        )
    source_footer(unit=reading.PROGRAMME_UNIT, period=panel_period, source=panel_source)
