"""Chart specs read as Vega-Lite JSON (``chart.to_dict()``): French month-and-year time axes,
legends that are never cut, no collapsed « 0 » axis, named lines on the yearly overlay."""

from __future__ import annotations

import numpy as np
import pandas as pd

from explorer.charts import axes
from explorer.charts import diagnostic as charts
from explorer.vocabulary import CATEGORY_LABELS, PROFILE_LABELS, SHORT_MONTHS


def _weekly(start: str, weeks: int) -> pd.DataFrame:
    days = pd.date_range(start, periods=weeks, freq="7D")
    return pd.concat(
        [
            pd.DataFrame({"week_start": days, "label": label, "per_pupil": 0.5, "holiday_week": False})
            for label in PROFILE_LABELS.values()
        ],
        ignore_index=True,
    )


def _series(n: int) -> pd.DataFrame:
    rows = [
        {"year": year, "code": f"{i:02d}", "name": f"Territoire {i:02d}", "value": float(i + year - 2019)}
        for i in range(1, n + 1)
        for year in range(2019, 2026)
    ]
    frame = pd.DataFrame(rows)
    frame.loc[(frame["code"] == "02") & (frame["year"] == 2025), "value"] = np.nan  # its line ends in 2024
    return frame


def test_month_labels_spell_the_french_month_and_the_year():
    expr = axes.month_label_expr()
    assert expr.endswith("[month(datum.value)] + ' ' + year(datum.value)")
    months = expr[expr.index("[") + 1 : expr.index("]")].split(", ")
    assert len(months) == 12 and months[8] == "'sept.'" and months[0] == "'janv.'"  # Vega's month() is 0-based
    assert [m.strip("'") for m in months] == list(SHORT_MONTHS)


def test_month_step_keeps_at_most_eight_ticks():
    two_school_years = pd.date_range("2023-09-04", "2025-07-01", freq="7D")  # 22 months
    assert axes.month_step(two_school_years) == 3
    assert axes.month_step(pd.date_range("2019-09-02", "2026-07-01", freq="7D")) == 12
    assert axes.month_step(pd.date_range("2024-09-02", "2025-01-01", freq="7D")) == 1


def test_weekly_chart_axis_shows_years_and_legend_is_not_cut():
    spec = charts.weekly_chart(_weekly("2023-09-04", 96)).to_dict()
    lines = spec["layer"][1]["encoding"]
    axis = lines["x"]["axis"]
    assert axis["labelExpr"] == axes.month_label_expr()
    assert axis["tickCount"] == {"interval": "month", "step": 3}
    legend = lines["color"]["legend"]
    assert legend["labelLimit"] == 0 and legend["symbolLimit"] == 0  # 0: no limit in Vega
    assert legend["columns"] == 1  # « Personnels (administration, vie scolaire, technique) » needs a row
    assert spec["height"] == 300 + 22 * 5  # four profiles and the title under the plot


def test_legend_columns_follow_the_longest_label():
    assert axes.legend_columns(["État", "Région", "Département", "EPCI", "Commune"]) == 5  # 11 chars: 90 // 15
    assert axes.legend_columns(list(PROFILE_LABELS.values())) == 1
    assert axes.legend_room(None, ["État", "Région"]) == 22
    assert axes.legend_room("Profil", list(PROFILE_LABELS.values())) == 22 * 5
    # under a chart in one of two columns: the six categories (22 chars at most) in 56 // 26 = 2
    # columns, 3 rows; 3 columns were cut at the right in Chromium
    categories = list(CATEGORY_LABELS.values())
    assert axes.legend_columns(categories) == 3
    assert axes.legend_columns(categories, axes.HALF_ROW_CHARS) == 2
    assert axes.legend_room(None, categories, axes.HALF_ROW_CHARS) == 22 * 3


def test_each_category_and_each_funder_has_its_own_colour():
    for labels in (list(CATEGORY_LABELS.values()), ["État", "Région", "Département", "EPCI", "Commune"]):
        frame = pd.DataFrame({"year": 2024, "label": labels, "item": labels, "per_pupil": 1.0, "invest_eur": 1.0})
        scale = charts.investment_chart(frame, "Par catégorie").to_dict()["encoding"]["color"]["scale"]
        assert scale["domain"] == labels
        assert len(set(scale["range"])) == len(labels)
    assert scale["range"] == ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#D55E00"]  # the PDF's funder colours


def test_an_all_zero_series_gets_a_real_axis_not_a_single_zero():
    assert axes.value_scale([0.0, 0.0, np.nan]).to_dict() == {"domain": [0, 1]}
    assert axes.value_scale([]).to_dict() == {"domain": [0, 1]}
    assert axes.value_scale([0.0, 2.5]).to_dict() == {"zero": True, "nice": True}
    frame = pd.DataFrame(
        {"year": [2024, 2024], "label": ["État", "Région"], "item": ["etat", "region"], "per_pupil": [0.0, 0.0]}
    ).assign(invest_eur=0.0)
    spec = charts.investment_chart(frame, "Par financeur").to_dict()
    assert spec["encoding"]["y"]["scale"] == {"domain": [0, 1]}


def test_overlay_names_each_line_at_its_end():
    spec = charts.overlay_chart(_series(4), "01", "visites").to_dict()
    assert len(spec["layer"]) == 3
    text = spec["layer"][2]
    assert text["mark"]["type"] == "text" and text["encoding"]["text"]["field"] == "name"
    ends = pd.DataFrame(spec["datasets"][text["data"]["name"]]).set_index("code")
    assert ends.loc["01", ["year", "name", "value"]].tolist() == [2025, "Territoire 01", 7.0]
    assert ends.loc["02", "year"] == 2024  # the last year with a value
    assert len(ends) == 4
    assert spec["padding"]["right"] == charts.NAME_WIDTH + 10


def test_overlay_of_many_territories_names_them_in_the_tooltip_only():
    spec = charts.overlay_chart(_series(charts.NAMED_LINES + 1), "01", "visites").to_dict()
    assert len(spec["layer"]) == 2
    tooltip = spec["encoding"]["tooltip"] if "encoding" in spec else spec["layer"][0]["encoding"]["tooltip"]
    assert tooltip[0] == {"field": "name", "title": "Territoire", "type": "nominal"}
