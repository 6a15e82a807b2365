"""Axes, legends and scales the Altair charts share: French month-and-year time axes, legends
that never cut their labels, value scales that never collapse to a single « 0 » tick.

These do not rely on the French locale of :mod:`explorer.charts.theme` being active: a time
axis spells its months from :data:`explorer.vocabulary.SHORT_MONTHS` in a Vega expression.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from typing import Literal

import altair as alt
import pandas as pd

from explorer.vocabulary import SHORT_MONTHS

LegendOrient = Literal["top", "bottom", "left", "right"]
MONTH_STEPS = (1, 2, 3, 6, 12)
MAX_TIME_TICKS = 8
LEGEND_ROW_HEIGHT = 22
LEGEND_ROW_CHARS = 90  # about what a legend row holds under a full-width chart at Streamlit's font size
# Under a chart in one of two columns (Diagnostic's investment by funder and by category): the
# 7 categories in 3 columns were cut there (« ENT et lo… », « Maintena… »), 2 fit.
HALF_ROW_CHARS = 56


def month_label_expr() -> str:
    """Vega expression of a time tick: « sept. 2024 » (French month, and always the year)."""
    months = ", ".join(f"'{m}'" for m in SHORT_MONTHS)
    return f"[{months}][month(datum.value)] + ' ' + year(datum.value)"


def month_step(dates: Iterable[object]) -> int:
    """Months between two ticks, so that the span of ``dates`` gets at most 8 ticks."""
    values = pd.to_datetime(pd.Series(list(dates)), errors="coerce").dropna()
    if values.empty:
        return 3
    months = (values.max() - values.min()).days / 30.44
    return next((s for s in MONTH_STEPS if months / s <= MAX_TIME_TICKS), 12)


def month_axis(title: str, dates: Iterable[object]) -> alt.Axis:
    """A time axis labelled « sept. 2024 », « déc. 2024 »… (a tick every 1, 2, 3, 6 or 12 months)."""
    return alt.Axis(
        title=title,
        labelExpr=month_label_expr(),
        tickCount={"interval": "month", "step": month_step(dates)},
        labelAngle=0,
        labelOverlap=True,
    )


def legend_columns(labels: Sequence[str], row_chars: int = LEGEND_ROW_CHARS) -> int:
    """As many legend columns as the longest label leaves room for in a row of ``row_chars``
    characters (one for very long labels)."""
    longest = max((len(str(label)) for label in labels), default=1)
    return max(1, min(len(labels) or 1, row_chars // (longest + 4)))


def legend(
    title: str | None, labels: Sequence[str], orient: LegendOrient = "bottom", row_chars: int = LEGEND_ROW_CHARS
) -> alt.Legend:
    """A legend whose labels are never cut (« R… »): no length limit, every entry shown, in
    :func:`legend_columns` columns (``row_chars``: :data:`HALF_ROW_CHARS` for a chart in one of
    two columns). Give the chart :func:`legend_room` more height."""
    columns = legend_columns(labels, row_chars)
    return alt.Legend(title=title, orient=orient, columns=columns, labelLimit=0, symbolLimit=0)


def legend_room(title: str | None, labels: Sequence[str], row_chars: int = LEGEND_ROW_CHARS) -> int:
    """Pixels a bottom :func:`legend` takes: Streamlit fits the whole chart, legend included, in
    its height, so without them the plot itself would shrink to a sliver."""
    rows = math.ceil(max(len(labels), 1) / legend_columns(labels, row_chars)) + (1 if title else 0)
    return LEGEND_ROW_HEIGHT * rows


def value_scale(values: Iterable[float]) -> alt.Scale:
    """A quantitative scale from zero. When every value is zero or missing, Vega's domain would be
    [0, 0] with one « 0 » tick: the domain is then [0, 1]."""
    numbers = [float(v) for v in values if v is not None and not math.isnan(float(v))]
    if all(n == 0 for n in numbers):
        return alt.Scale(domain=[0, 1])
    return alt.Scale(zero=True, nice=True)
