"""Altair figures of the Typologie and Investissement → usage pages (French labels and tooltips).

Vega-Lite field names stay plain identifiers (an apostrophe in a field name blanks a chart
silently); French goes into titles and pre-formatted tooltip columns.
"""

from __future__ import annotations

import altair as alt
import numpy as np
import pandas as pd

from explorer.charts.axes import legend, legend_room
from explorer.charts.theme import described
from explorer.formatting import fr_number
from explorer.maps.typology_map import class_colour

WITHIN = "moins de 2 écarts types"
ABOVE = "au-dessus de la droite"
BELOW = "au-dessous de la droite"


def silhouette_chart(curve: pd.DataFrame, chosen_k: int, height: int = 260) -> alt.LayerChart:
    """Silhouette for each k of the scan, the retained k marked.

    Parameters
    ----------
    curve : ``k`` (int), ``silhouette`` (float) — :attr:`explorer.analysis.typology.Typology.silhouette_curve_`.
    """
    frame = curve.assign(
        silhouette_text=[fr_number(v, 3) for v in curve["silhouette"]],
        chosen=curve["k"] == chosen_k,
    )
    base = alt.Chart(frame, height=height).encode(
        x=alt.X("k:O", title="Nombre de classes (k)", axis=alt.Axis(labelAngle=0)),
        y=alt.Y("silhouette:Q", title="Silhouette moyenne"),
        tooltip=[alt.Tooltip("k:O", title="k"), alt.Tooltip("silhouette_text:N", title="Silhouette")],
    )
    line = base.mark_line(color="#0072B2")
    points = base.mark_point(filled=True, size=80).encode(
        color=alt.Color(
            "chosen:N",
            scale=alt.Scale(domain=[True, False], range=["#D55E00", "#0072B2"]),
            legend=None,
        )
    )
    text = (
        f"Courbe : silhouette moyenne pour {len(frame)} nombres de classes, de {int(frame['k'].min())} à "
        f"{int(frame['k'].max())} ; le nombre retenu, {chosen_k}, est marqué en orange. Les chiffres sont dans "
        "« Données du graphique : silhouette par nombre de classes », sous le graphique."
    )
    return described(line + points, text)


def _class_scale(labels: dict[int, str]) -> alt.Scale:
    names = [f"{c + 1}. {text}" for c, text in sorted(labels.items())]
    return alt.Scale(domain=names, range=[class_colour(c + 1) for c in sorted(labels)])


MAX_PCA_POINTS = 5000


def pca_chart(
    coordinates: pd.DataFrame,
    names: pd.Series | None,
    clusters: np.ndarray,
    labels: dict[int, str],
    explained: tuple[float, float],
    height: int = 380,
) -> alt.Chart:
    """Territories on the first two principal components, coloured by class.

    Parameters
    ----------
    coordinates : ``pc1, pc2`` floats. names : territory names for the tooltips, or None to
        leave them out (schools: a point and its name would nearly give one school's figures).
    clusters : 1-based classes. labels : class (0-based) → label.
    explained : share of variance of each component.
    At most :data:`MAX_PCA_POINTS` points are drawn (a fixed random sample beyond).
    """
    frame = pd.DataFrame(
        {
            "pc1": coordinates["pc1"].to_numpy(),
            "pc2": coordinates["pc2"].to_numpy(),
            "name": names.to_numpy() if names is not None else "",
            "cls": [f"{c}. {labels[c - 1]}" for c in clusters],
        }
    )
    if len(frame) > MAX_PCA_POINTS:
        frame = frame.sample(MAX_PCA_POINTS, random_state=0)
    tooltip = [alt.Tooltip("cls:N", title="Classe")]
    if names is not None:
        tooltip.insert(0, alt.Tooltip("name:N", title="Territoire"))
    classes = [f"{c + 1}. {label}" for c, label in sorted(labels.items())]
    text = (
        f"Nuage de {fr_number(len(frame))} points, un par territoire"
        f"{' (échantillon)' if len(coordinates) > len(frame) else ''}, "
        f"sur les deux premiers axes de l'analyse en composantes principales, colorés par classe : "
        f"{' ; '.join(classes)}. Les chiffres de chaque classe sont dans « Profil des classes », la classe de "
        "chaque territoire dans le fichier « Classe de chaque territoire (CSV) »."
    )
    chart = (
        alt.Chart(frame, height=height + legend_room("Classe", classes))
        .mark_circle(size=40, opacity=0.75)
        .encode(
            x=alt.X("pc1:Q", title=f"Axe 1 ({fr_number(explained[0] * 100, 0)} % de la variance)"),
            y=alt.Y("pc2:Q", title=f"Axe 2 ({fr_number(explained[1] * 100, 0)} % de la variance)"),
            color=alt.Color("cls:N", scale=_class_scale(labels), legend=legend("Classe", classes)),
            tooltip=tooltip,
        )
    )
    return described(chart, text)


def loadings_chart(loadings: pd.DataFrame, variable_labels: dict[str, str], height: int = 380) -> alt.LayerChart:
    """Correlation of each variable with the two axes, as arrows from the origin.

    Parameters
    ----------
    loadings : indexed by variable id, ``pc1, pc2`` in [-1, 1].
    variable_labels : variable id → short French label.
    """
    frame = pd.DataFrame(
        {
            "pc1": loadings["pc1"].to_numpy(),
            "pc2": loadings["pc2"].to_numpy(),
            "zero": 0.0,
            "variable": [variable_labels[v] for v in loadings.index],
            "pc1_text": [fr_number(v, 2) for v in loadings["pc1"]],
            "pc2_text": [fr_number(v, 2) for v in loadings["pc2"]],
        }
    )
    scale = alt.Scale(domain=[-1.05, 1.05])
    base = alt.Chart(frame, height=height)
    arrows = base.mark_rule(color="#0072B2", strokeWidth=2).encode(
        x=alt.X("zero:Q", scale=scale, title="Corrélation avec l'axe 1"),
        y=alt.Y("zero:Q", scale=scale, title="Corrélation avec l'axe 2"),
        x2="pc1:Q",
        y2="pc2:Q",
        tooltip=[
            alt.Tooltip("variable:N", title="Variable"),
            alt.Tooltip("pc1_text:N", title="Axe 1"),
            alt.Tooltip("pc2_text:N", title="Axe 2"),
        ],
    )
    text = base.mark_text(align="left", dx=4, fontSize=11).encode(x="pc1:Q", y="pc2:Q", text="variable:N")
    description = (
        "Flèches : corrélation de chaque variable avec les deux premiers axes, de -1 à 1. Les chiffres sont "
        "dans « Données du graphique : corrélation de chaque variable avec les axes », sous les graphiques."
    )
    return described(arrows + text, description)


def spend_use_chart(
    data: pd.DataFrame, band: pd.DataFrame, x_title: str, y_title: str, height: int = 420
) -> alt.LayerChart:
    """Usage against investment per territory, the fitted line and its 95 % confidence band.

    Parameters
    ----------
    data : ``name, invest_per_pupil, ent_visits_per_pupil_week``, optional ``flag``
        (:data:`WITHIN`, :data:`ABOVE` or :data:`BELOW`).
    band : ``invest_per_pupil, fit, low, high`` on a grid of investment values.
    """
    points_frame = pd.DataFrame(
        {
            "x": data["invest_per_pupil"].to_numpy(),
            "y": data["ent_visits_per_pupil_week"].to_numpy(),
            "name": data["name"].to_numpy(),
            "x_text": [fr_number(v, 0) + " €" for v in data["invest_per_pupil"]],
            "y_text": [fr_number(v, 2) for v in data["ent_visits_per_pupil_week"]],
            "flag": data["flag"].to_numpy() if "flag" in data else WITHIN,
        }
    )
    band_frame = pd.DataFrame(
        {"x": band["invest_per_pupil"], "fit": band["fit"], "low": band["low"], "high": band["high"]}
    )
    x = alt.X("x:Q", title=x_title)
    area = alt.Chart(band_frame).mark_area(opacity=0.25, color="#0072B2").encode(x=x, y="low:Q", y2="high:Q")
    line = alt.Chart(band_frame).mark_line(color="#0072B2").encode(x=x, y="fit:Q")
    points = (
        alt.Chart(points_frame, height=height + legend_room("Écart à la droite ajustée", [WITHIN, ABOVE, BELOW]))
        .mark_circle(size=45, opacity=0.7)
        .encode(
            x=x,
            y=alt.Y("y:Q", title=y_title),
            color=alt.Color(
                "flag:N",
                scale=alt.Scale(
                    domain=[WITHIN, ABOVE, BELOW],
                    range=["#999999", "#009E73", "#D55E00"],
                ),
                legend=legend("Écart à la droite ajustée", [WITHIN, ABOVE, BELOW]),
            ),
            tooltip=[
                alt.Tooltip("name:N", title="Territoire"),
                alt.Tooltip("x_text:N", title="Investissement par élève"),
                alt.Tooltip("y_text:N", title="Visites par élève et par semaine"),
            ],
        )
    )
    description = (
        f"Nuage de {fr_number(len(points_frame))} points, un par territoire : {y_title} selon "
        f"{x_title.lower()}, avec la droite ajustée et sa bande de confiance à 95 % ; en vert les territoires "
        "nettement au-dessus de la droite, en orange ceux nettement au-dessous. Les chiffres sont dans "
        "« Données du graphique », sous le graphique."
    )
    return described(points + area + line, description)


def class_legend(labels: dict[int, str], counts: pd.Series) -> pd.DataFrame:
    """Lines of the class map's key (``colour``, ``label``, ``count``) for
    :func:`explorer.maps.legend.legend_html`: long class names wrap there instead of being cut.

    ``counts``: number of territories per class number (1..k).
    """
    return pd.DataFrame(
        {
            "colour": [class_colour(c + 1) for c in sorted(labels)],
            "label": [f"{c + 1}. {labels[c]}" for c in sorted(labels)],
            "count": [int(counts.get(c + 1, 0)) for c in sorted(labels)],
        }
    )
