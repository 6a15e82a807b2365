"""Altair figures of the Diagnostic and Comparer pages (French titles and tooltips)."""

from __future__ import annotations

import altair as alt
import pandas as pd

from explorer.charts.axes import HALF_ROW_CHARS, legend, legend_room, month_axis, value_scale
from explorer.charts.theme import described
from explorer.formatting import fr_number
from explorer.vocabulary import FUNDER_COLOURS

DATA = "Les chiffres sont dans « Données du graphique », sous le graphique."
# Funders in vocabulary order (the PDF's colours too), then the rest of the Okabe-Ito palette: the
# six categories get six colours (with the funders' five, Maintenance was drawn in Équipement's blue).
PALETTE = [*FUNDER_COLOURS.values(), "#56B4E9", "#F0E442", "#000000"]
HIGHLIGHT = "#D55E00"


def _years(years: pd.Series) -> str:
    """« , de 2017 à 2025 » for the years a chart shows (nothing when it shows none)."""
    if years.empty:
        return ""
    first, last = int(years.min()), int(years.max())
    return f", en {first}" if first == last else f", de {first} à {last}"


def investment_chart(frame: pd.DataFrame, title: str, height: int = 280) -> alt.Chart:
    """Stacked bars per budget year. ``frame``: :func:`explorer.sheets.diagnostic.investment_by_year`."""
    data = frame.assign(
        text=[f"{fr_number(v, 1)} €" for v in frame["per_pupil"]],
        total=[f"{fr_number(v)} €" for v in frame["invest_eur"]],
    ).dropna(subset=["per_pupil"])
    order = list(dict.fromkeys(frame["label"]))
    text = (
        f"Barres empilées « {title} » : investissement numérique en € par élève, par année budgétaire"
        f"{_years(data['year'])}, une part par {'financeur' if 'financeur' in title else 'catégorie'}. {DATA}"
    )
    chart = (
        alt.Chart(data, height=height + legend_room(None, order, HALF_ROW_CHARS), title=title)
        .mark_bar()
        .encode(
            x=alt.X("year:O", title="Année budgétaire", axis=alt.Axis(labelAngle=0)),
            y=alt.Y("per_pupil:Q", title="€ par élève", stack="zero", scale=value_scale(data["per_pupil"])),
            color=alt.Color(
                "label:N",
                sort=order,
                scale=alt.Scale(domain=order, range=(PALETTE * 2)[: len(order)]),  # cycles beyond 8 parts
                legend=legend(None, order, row_chars=HALF_ROW_CHARS),
            ),
            order=alt.Order("item:N"),
            tooltip=[
                alt.Tooltip("year:O", title="Année"),
                alt.Tooltip("label:N", title="Part"),
                alt.Tooltip("text:N", title="€ par élève"),
                alt.Tooltip("total:N", title="Montant total"),
            ],
        )
    )
    return described(chart, text)


def weekly_chart(weekly: pd.DataFrame, height: int = 300) -> alt.LayerChart:
    """Weekly ENT visits per pupil by profile; holiday weeks are grey bands; ticks « sept. 2024 »."""
    data = weekly.dropna(subset=["per_pupil"]).assign(text=[fr_number(v, 3) for v in weekly["per_pupil"].dropna()])
    holidays = (
        weekly[weekly["holiday_week"]]
        .drop_duplicates("week_start")
        .assign(end=lambda f: f["week_start"] + pd.Timedelta(days=7))
    )
    bands = (
        alt.Chart(holidays)
        .mark_rect(color="#E0E0E0", opacity=0.7)
        .encode(
            x=alt.X("week_start:T"), x2="end:T", tooltip=[alt.Tooltip("week_start:T", title="Vacances, semaine du")]
        )
    )
    profiles = list(dict.fromkeys(data["label"]))
    lines = (
        alt.Chart(data)
        .mark_line(strokeWidth=1.2)
        .encode(
            x=alt.X(
                "week_start:T",
                axis=month_axis("Semaine (bandes grises : vacances scolaires de la zone)", weekly["week_start"]),
            ),
            y=alt.Y("per_pupil:Q", title="visites par élève et par semaine", scale=value_scale(data["per_pupil"])),
            color=alt.Color("label:N", legend=legend("Profil", profiles)),
            tooltip=[
                alt.Tooltip("week_start:T", title="Semaine du", format="%d/%m/%Y"),
                alt.Tooltip("label:N", title="Profil"),
                alt.Tooltip("text:N", title="Visites par élève"),
            ],
        )
    )
    chart = alt.LayerChart(layer=[bands, lines]).properties(height=height + legend_room("Profil", profiles))
    text = (
        "Courbes : visites de l'ENT par élève et par semaine, une par profil, semaine par semaine ; "
        f"les bandes grises sont les vacances scolaires. {DATA}"
    )
    return described(chart, text)


def resources_chart(frame: pd.DataFrame, height: int = 280) -> alt.Chart:
    """Resource accesses per pupil by family and school year."""
    data = frame.dropna(subset=["per_pupil"]).assign(text=lambda f: [fr_number(v, 2) for v in f["per_pupil"]])
    families = list(dict.fromkeys(data["label"]))
    text = (
        "Courbes : accès aux ressources numériques par élève et par an, une par famille de ressources "
        f"({', '.join(families)}), par année scolaire. {DATA}"
    )
    chart = (
        alt.Chart(data, height=height + legend_room("Famille", families))
        .mark_line(point=True)
        .encode(
            x=alt.X("school_year:O", title="Année scolaire", axis=alt.Axis(labelAngle=0)),
            y=alt.Y("per_pupil:Q", title="accès par élève et par an", scale=value_scale(data["per_pupil"])),
            color=alt.Color("label:N", legend=legend("Famille", families)),
            tooltip=[
                alt.Tooltip("school_year:O", title="Année scolaire"),
                alt.Tooltip("label:N", title="Famille"),
                alt.Tooltip("text:N", title="Accès par élève"),
            ],
        )
    )
    return described(chart, text)


NAME_WIDTH = 160  # px: a longer name ends with « … » (whole in the tooltip)
NAMED_LINES = 12  # up to this many territories, each line is named at its end; beyond, in the tooltip only


def overlay_chart(series: pd.DataFrame, highlight: str, unit: str, height: int = 320) -> alt.LayerChart:
    """Yearly series of several territories; ``highlight`` (a code) drawn thick and coloured.

    Each line is named: by a label at its last point when there are at most :data:`NAMED_LINES`
    territories, and always in the tooltip.

    Parameters
    ----------
    series : ``year (int), code, name, value (float, NaN when missing)``, as
        :func:`explorer.sheets.compare.yearly_series`.
    """
    data = series.dropna(subset=["value"]).assign(
        chosen=lambda f: f["code"] == highlight, text=lambda f: [fr_number(v, 2) for v in f["value"]]
    )
    chosen_names = data.loc[data["chosen"], "name"]
    others_count = data.loc[~data["chosen"], "code"].nunique()
    text = (
        f"Courbes par année, en {unit} : "
        f"{chosen_names.iloc[0] if len(chosen_names) else 'le territoire choisi'} en trait épais orange"
        f"{f', {others_count} autres territoires en gris' if others_count else ''}"
        f"{_years(data['year'])}. {DATA}"
    )
    base = alt.Chart(data).encode(
        x=alt.X("year:O", title="Année", axis=alt.Axis(labelAngle=0)),
        y=alt.Y("value:Q", title=unit, scale=value_scale(data["value"])),
        detail="code:N",
        tooltip=[
            alt.Tooltip("name:N", title="Territoire"),
            alt.Tooltip("year:O", title="Année"),
            alt.Tooltip("text:N", title=unit),
        ],
    )
    others = base.transform_filter("!datum.chosen").mark_line(
        color="#9D9D9D", strokeWidth=1, point=alt.OverlayMarkDef(color="#9D9D9D", size=20)
    )
    chosen = base.transform_filter("datum.chosen").mark_line(
        color=HIGHLIGHT, strokeWidth=3.5, point=alt.OverlayMarkDef(color=HIGHLIGHT, size=60)
    )
    if data["code"].nunique() > NAMED_LINES:
        return described(alt.LayerChart(layer=[others, chosen]).properties(height=height), text)
    ends = data.sort_values("year").groupby("code", as_index=False).tail(1)
    names = (
        alt.Chart(ends)
        .mark_text(align="left", dx=7, fontSize=11, limit=NAME_WIDTH)
        .encode(
            x="year:O",
            y="value:Q",
            text="name:N",
            color=alt.condition("datum.chosen", alt.value(HIGHLIGHT), alt.value("#6F6F6F")),
            tooltip=[alt.Tooltip("name:N", title="Territoire")],
        )
    )
    # Room on the right for the names at the lines' ends (Vega does not reserve it for text marks).
    padding = {"left": 5, "top": 5, "bottom": 5, "right": NAME_WIDTH + 10}
    return described(alt.LayerChart(layer=[others, chosen, names]).properties(height=height, padding=padding), text)
