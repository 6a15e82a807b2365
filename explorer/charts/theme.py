"""French number and date formats for every Altair chart of the app (Vega's d3 locale).

Registered as the active Altair theme when ``streamlit_app.py`` imports this module;
Streamlit keeps a non-default active theme, so axes and tooltips read ``1 234,5`` and
« janv. 2024 » instead of ``1,234.5`` and "Jan 2024".
"""

from __future__ import annotations

from typing import TypeVar

import altair as alt

from explorer.vocabulary import MONTHS, SHORT_MONTHS

FRENCH_LOCALE = {
    "number": {
        "decimal": ",",
        "thousands": "\u202f",
        "grouping": [3],
        "currency": ["", "\u00a0€"],
        "percent": "\u202f%",
    },
    "time": {
        "dateTime": "%A %e %B %Y à %X",
        "date": "%d/%m/%Y",
        "time": "%H:%M:%S",
        "periods": ["AM", "PM"],
        "days": ["dimanche", "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi"],
        "shortDays": ["dim.", "lun.", "mar.", "mer.", "jeu.", "ven.", "sam."],
        "months": list(MONTHS),
        "shortMonths": list(SHORT_MONTHS),
    },
}
THEME = "explorateur"
ChartT = TypeVar("ChartT", alt.Chart, alt.LayerChart, alt.HConcatChart, alt.VConcatChart, alt.FacetChart)


@alt.theme.register(THEME, enable=True)
def explorateur_theme() -> alt.theme.ThemeConfig:
    """The locale, and no English accessible names: sizes and colours stay Streamlit's.

    Vega writes an English description on every axis (« X-axis titled 'Année' for a discrete
    scale… ») and every mark (« line mark », ``€ par élève: 16,4130357143; code: 22011``), which
    a screen reader reads out, point by point. ``aria: false`` hides them; each chart says what
    it shows in French instead (:func:`described`), and its figures are in the table beside it.
    """
    return {"config": {"locale": FRENCH_LOCALE, "aria": False, "mark": {"aria": False}}}  # type: ignore[typeddict-item]


def described(chart: ChartT, text: str) -> ChartT:
    """``chart`` with its French description, the accessible name a screen reader gives it."""
    return chart.properties(description=text)
