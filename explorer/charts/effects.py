"""Altair figures of the estimated effects: territories' effects with their intervals, event studies.

Effects are fractions (0.02 = +2 %); the charts show percentages with French tooltips.
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from explorer.charts.axes import legend, legend_room
from explorer.charts.theme import described
from explorer.formatting import fr_signed_percent

SUPPORTED = "établi (l'intervalle exclut 0)"
NOT_SUPPORTED = "non établi (l'intervalle contient 0)"
STATUSES = [SUPPORTED, NOT_SUPPORTED]
MIN_ROWS_PX = 120  # px of the rows of a chart of a few territories
GUIDES_PX = 90  # px of the x axis (labels, title) and of the space above the legend, measured in Chromium


LABEL_LIMIT = 220  # px: a longer territory name ends with « … » (whole in the tooltip)
CHAR_PX = 6.6  # px per character of an axis label at Vega's 10 px font, accents and capitals included


def _pct(value: float) -> str:
    return fr_signed_percent(value, 1)


def effects_chart(effects: pd.DataFrame, height_per_row: int = 19) -> alt.LayerChart:
    """Each territory's effect and its 90 % interval, sorted, one row per territory.

    Parameters
    ----------
    effects : ``code, name, effect, lower, upper, supported`` (fractions; bool).
    """
    frame = effects.sort_values("effect", ascending=False).assign(
        status=lambda f: f["supported"].map({True: SUPPORTED, False: NOT_SUPPORTED}),
        effect_text=lambda f: f["effect"].map(_pct),
        interval_text=lambda f: [f"{_pct(lo)} à {_pct(hi)}" for lo, hi in zip(f["lower"], f["upper"], strict=True)],
    )
    order = frame["name"].tolist()
    # Vega measures the names before the page's font is drawn and reserved too little room for
    # the longest (« Alpes-de-Haute-Provence » lost its first 30 px): room for every name.
    room = min(LABEL_LIMIT, round(CHAR_PX * max((len(n) for n in order), default=1)) + 8)
    y = alt.Y("name:N", sort=order, title=None, axis=alt.Axis(labelLimit=LABEL_LIMIT, minExtent=room))
    colour = alt.Color(
        "status:N",
        scale=alt.Scale(domain=STATUSES, range=["#0072B2", "#9D9D9D"]),
        legend=legend("Effet", STATUSES),
    )
    tooltip = [
        alt.Tooltip("name:N", title="Territoire"),
        alt.Tooltip("effect_text:N", title="Effet estimé"),
        alt.Tooltip("interval_text:N", title="Intervalle à 90 %"),
    ]
    base = alt.Chart(frame)
    rules = base.mark_rule(strokeWidth=1.5).encode(
        x=alt.X("lower:Q", title="Effet sur les visites ENT par élève (%)", axis=alt.Axis(format="+.1%")),
        x2="upper:Q",
        y=y,
        color=colour,
        tooltip=tooltip,
    )
    points = base.mark_point(filled=True, size=40).encode(x="effect:Q", y=y, color=colour, tooltip=tooltip)
    zero = alt.Chart(pd.DataFrame({"x": [0.0]})).mark_rule(color="#3A3A3A", strokeDash=[4, 3]).encode(x="x:Q")
    # Streamlit fits the axis and the legend in the chart's height too: with only the rows', four
    # départements were drawn on a 15 px strip, their names over each other.
    rows = max(MIN_ROWS_PX, height_per_row * len(frame))
    chart = alt.LayerChart(layer=[rules, points, zero]).properties(
        height=rows + GUIDES_PX + legend_room("Effet", STATUSES)
    )
    supported = int(frame["supported"].sum())
    text = (
        f"Effet estimé de l'investissement sur les visites ENT par élève, pour {len(frame)} territoires classés du "
        f"plus fort au plus faible, chacun avec son intervalle à 90 % ; {supported} ont un effet établi "
        "(intervalle qui exclut 0). Les chiffres sont dans le tableau qui suit le graphique."
    )
    return described(chart, text)


def event_study_chart(event_study: list[dict[str, float]], height: int = 300) -> alt.LayerChart:
    """Coefficients of an event study by year relative to the start, with their 90 % intervals.

    Parameters
    ----------
    event_study : ``{period, coef, lower, upper}`` dicts (``period`` in school years from the
        start; −1 is the reference year, 0 the first year of the programme; fractions of use).
    """
    frame = pd.DataFrame(event_study, columns=["period", "coef", "lower", "upper"])
    frame = frame.assign(
        phase=lambda f: f["period"].map(lambda p: "avant le début" if p < 0 else "après le début"),
        coef_text=lambda f: f["coef"].map(_pct),
        interval_text=lambda f: [f"{_pct(lo)} à {_pct(hi)}" for lo, hi in zip(f["lower"], f["upper"], strict=True)],
    )
    x = alt.X("period:Q", title="Années scolaires depuis le début du programme (−1 : année de référence)")
    x = x.axis(format="d", tickMinStep=1)
    colour = alt.Color(
        "phase:N",
        scale=alt.Scale(domain=["avant le début", "après le début"], range=["#9D9D9D", "#0072B2"]),
        legend=alt.Legend(title="Période", orient="bottom"),
    )
    tooltip = [
        alt.Tooltip("period:Q", title="Année relative"),
        alt.Tooltip("coef_text:N", title="Écart estimé"),
        alt.Tooltip("interval_text:N", title="Intervalle à 90 %"),
    ]
    base = alt.Chart(frame)
    bars = base.mark_rule(strokeWidth=2).encode(
        x=x,
        y=alt.Y(
            "lower:Q",
            title="Écart des visites ENT (%)",  # per pupil: the unit line under the chart says it
            axis=alt.Axis(format="+.0%", tickCount=6),
            scale=alt.Scale(zero=True, nice=True, padding=12),
        ),
        y2="upper:Q",
        color=colour,
        tooltip=tooltip,
    )
    points = base.mark_point(filled=True, size=60).encode(x="period:Q", y="coef:Q", color=colour, tooltip=tooltip)
    zero = alt.Chart(pd.DataFrame({"y": [0.0]})).mark_rule(color="#3A3A3A", strokeDash=[4, 3]).encode(y="y:Q")
    chart = alt.LayerChart(layer=[bars, points, zero]).properties(height=height)
    text = (
        "Étude d'événement : écart estimé des visites ENT par élève, année scolaire par année scolaire avant et "
        "après le début du programme (année de référence : l'année précédant le début), chacun avec son "
        "intervalle à 90 %. Les chiffres sont dans « Données du graphique », sous le graphique."
    )
    return described(chart, text)
