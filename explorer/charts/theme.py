"""French number and date formats for every Altair chart of the app (Vega's d3 locale).

Registered as the active Altair theme when ``streamlit_app.py`` imports this module;
Streamlit keeps a non-default active theme, so axes and tooltips read ``1 234,5`` and
« janv. 2024 » instead of ``1,234.5`` and "Jan 2024".
"""

from __future__ import annotations

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


@alt.theme.register(THEME, enable=True)
def explorateur_theme() -> alt.theme.ThemeConfig:
    """Only the locale: sizes and colours stay Streamlit's."""
    return {"config": {"locale": FRENCH_LOCALE}}  # type: ignore[typeddict-item]
