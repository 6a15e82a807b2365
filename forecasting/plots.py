"""Altair figures of projections: observed weeks, baseline and scenarios with their bands."""

from __future__ import annotations

import altair as alt
import pandas as pd

from explorer.charts.theme import described
from explorer.formatting import fr_date, fr_number
from forecasting.projection import Projection
from forecasting.scenario import BASELINE

BASELINE_LABEL = "Référence (investissement dans la tendance)"
OBSERVED_LABEL = "Observé"
# Observed in dark grey, the baseline in blue, then one colour per scenario.
COLOURS = ["#3B3B3B", "#4C78A8", "#E45756", "#F58518", "#54A24B", "#B279A2", "#9D755D", "#72B7B2"]


def scenario_label(name: str) -> str:
    return BASELINE_LABEL if name == BASELINE else f"Scénario « {name} »"


def projection_chart(projection: Projection, history_weeks: int = 104, height: int = 360) -> alt.LayerChart:
    """Weekly visits per pupil: the last ``history_weeks`` observed, then every scenario's
    projection with its interval as a shaded band, and a dashed rule where the backtest's
    horizon ends (further on, the projection is not evaluated)."""
    hist = projection.fit.history.tail(history_weeks)
    observed = pd.DataFrame(
        {"date": hist["ds"], "series": OBSERVED_LABEL, "value": hist["y"], "lower": hist["y"], "upper": hist["y"]}
    )
    fc = projection.forecast
    projected = pd.DataFrame(
        {
            "date": fc["date"],
            "series": [scenario_label(s) for s in fc["scenario"]],
            "value": fc["yhat"],
            "lower": fc["yhat_lower"],
            "upper": fc["yhat_upper"],
        }
    )
    # Vega-Lite field names stay plain identifiers; French goes into titles and text fields.
    frame = pd.concat([observed, projected], ignore_index=True)
    frame["date_text"] = [fr_date(d.date()) for d in frame["date"]]
    frame["value_text"] = [fr_number(v, 2) for v in frame["value"]]
    frame["interval_text"] = [
        f"{fr_number(lo, 2)} à {fr_number(hi, 2)}" for lo, hi in zip(frame["lower"], frame["upper"], strict=True)
    ]
    order = [OBSERVED_LABEL, *dict.fromkeys(projected["series"])]
    colour = alt.Color(
        "series:N",
        sort=order,
        scale=alt.Scale(domain=order, range=(COLOURS * len(order))[: len(order)]),
        legend=alt.Legend(title=None, orient="top", labelLimit=0),
    )
    # Years only on the axis: Vega-Lite's month names would be English.
    x = alt.X("date:T", title="Semaine", axis=alt.Axis(format="%Y", tickCount="year"))
    base = alt.Chart(frame, height=height).encode(x=x)
    band = (
        base.transform_filter(alt.datum.series != OBSERVED_LABEL)
        .mark_area(opacity=0.18)
        .encode(y=alt.Y("lower:Q", title="Visites ENT par élève et par semaine"), y2="upper:Q", color=colour)
    )
    line = base.mark_line(strokeWidth=1.4).encode(
        y="value:Q",
        color=colour,
        tooltip=[
            alt.Tooltip("series:N", title="Série"),
            alt.Tooltip("date_text:N", title="Semaine du"),
            alt.Tooltip("value_text:N", title="Visites par élève"),
            alt.Tooltip("interval_text:N", title="Intervalle"),
        ],
    )
    until = projection.fit.backtested_until
    limit = pd.DataFrame(
        {"date": [until], "label": [f"Horizon évalué par le backtest : jusqu'au {fr_date(until.date())}"]}
    )
    rule = (
        alt.Chart(limit)
        .mark_rule(strokeDash=[4, 4], color="#3B3B3B")
        .encode(x="date:T", tooltip=[alt.Tooltip("label:N", title="Backtest")])
    )
    text = (
        f"Courbes hebdomadaires des visites ENT par élève : observé du {fr_date(hist['ds'].min().date())} au "
        f"{fr_date(hist['ds'].max().date())}, puis projeté jusqu'au {fr_date(fc['date'].max().date())} pour "
        f"{' ; '.join(order[1:])}, chacun avec sa bande d'incertitude. Les écarts par année scolaire sont dans le "
        "tableau « Écarts au scénario de référence », plus bas."
    )
    return described(alt.LayerChart(layer=[band, line, rule]), text)
