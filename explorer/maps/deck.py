"""The pydeck map of the Carte page: choropleth, schools, overseas insets, legend.

Everything sent to the browser is built here, compactly: one row per territory part
(``PolygonLayer`` with flat coordinates), short property names (``c`` code, ``n`` name,
``v`` value as read, ``d`` detail, ``f`` fill colour, ``p`` polygon), and JSON without the
indentation pydeck adds by default (:class:`CompactDeck`): the national commune map weighs
≈ 5 MB instead of ≈ 15 MB.
"""

from __future__ import annotations

import json
import math
import urllib.request
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import pydeck as pdk
from pydeck.bindings.json_tools import default_serialize

from explorer.facts import secrecy
from explorer.facts.indicators import Indicator, format_value
from explorer.formatting import fr_number
from explorer.maps import shapes as map_shapes
from explorer.maps.classes import Classes, classify
from explorer.vocabulary import KIND_LABELS, SECRET_TEXT

TERRITORY_LAYER = "territoires"
# Drawn in this order: the largest marks first, so that an école beside a lycée stays on top,
# visible and clickable (deck.gl picks the topmost object under the pointer).
SCHOOL_LAYERS = {"lycee": "lycees", "college": "colleges", "ecole": "ecoles"}
FRAME_LAYER = "cadres-outre-mer"
MAP_HEIGHT = 620
MAP_WIDTH = 800  # narrowest usual width of the map in pixels: views are fitted to it
MISSING_TEXT = "pas de donnée"
# Okabe-Ito colours (colour-blind safe) for the kinds of schools when their fill does not
# carry a value (the communes of a département or an EPCI are coloured instead).
KIND_COLOURS = {"ecole": (230, 159, 0), "college": (213, 94, 0), "lycee": (204, 121, 167)}


@dataclass(frozen=True)
class Mark:
    """How one kind of school is drawn: radius and outline in screen pixels, outline colour."""

    radius: float
    outline: float
    line: tuple[int, int, int]
    label: str  # the legend's words for it


# The kind of a school reads from its mark whatever its fill: size and outline grow with the
# level (école, collège, lycée), at a size that stays clickable at every zoom.
MARKS = {
    "ecole": Mark(5.0, 1.0, (70, 70, 70), "petit rond, liseré fin"),
    "college": Mark(7.5, 2.5, (20, 20, 20), "rond moyen, liseré épais"),
    "lycee": Mark(10.0, 4.0, (20, 20, 20), "grand rond, liseré très épais"),
}


def mark_scale(schools: int) -> float:
    """How much the marks shrink when many schools share the map (a département's ~1,000 would
    hide its communes at full size): full size up to 100 schools, then 60 %, then 45 % over 500."""
    if schools <= 100:
        return 1.0
    return 0.6 if schools <= 500 else 0.45


def mark_caption(kind: str) -> str:
    """The legend's words for a kind of school and its mark: « collège (rond moyen, liseré épais) »."""
    return f"{KIND_LABELS[kind].lower()} ({MARKS[kind].label})"


# The territory under the schools when the schools carry the colours: a neutral background.
BACKGROUND_COLOUR = (246, 246, 244)
BASEMAP_STYLE = "light"  # Carto's light basemap, drawn only when reachable
_TOOLTIP_HTML = "<b>{n}</b> <span style='opacity:.75'>({c})</span><br/>{v}<br/><span style='opacity:.8'>{d}</span>"
TOOLTIP = {
    "html": _TOOLTIP_HTML,
    "style": {"backgroundColor": "#161616", "color": "white", "fontSize": "13px", "maxWidth": "360px"},
}
# With schools on the map, two more lines (``i`` investment, ``u`` ENT use): empty divs (no
# height) for the territories. Streamlit leaves a field absent from a row as its literal name.
SCHOOL_TOOLTIP = {**TOOLTIP, "html": _TOOLTIP_HTML + "<div>{i}</div><div>{u}</div>"}


class CompactDeck(pdk.Deck):
    """A ``pydeck.Deck`` serialised without whitespace (what Streamlit sends to the browser)."""

    def to_json(self) -> str:
        """pydeck's serialisation (same keys, same order) with compact separators."""
        return json.dumps(self, sort_keys=True, default=default_serialize, separators=(",", ":"), ensure_ascii=False)


def fit_view(
    bounds: tuple[float, float, float, float], width: int = MAP_WIDTH, height: int = MAP_HEIGHT
) -> pdk.ViewState:
    """The view centred on ``bounds`` (minx, miny, maxx, maxy) at the zoom that shows it all."""
    minx, miny, maxx, maxy = bounds

    def merc_y(lat: float) -> float:
        return math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))

    span_x = max(maxx - minx, 1e-3) / 360.0
    span_y = max(merc_y(maxy) - merc_y(miny), 1e-5) / (2 * math.pi)
    # deck.gl draws the whole world 512 px wide at zoom 0.
    zoom = math.log2(min(width / (512 * span_x), height / (512 * span_y))) - 0.1
    lat_c = math.degrees(2 * math.atan(math.exp((merc_y(miny) + merc_y(maxy)) / 2)) - math.pi / 2)
    return pdk.ViewState(
        longitude=round((minx + maxx) / 2, 4), latitude=round(lat_c, 4), zoom=round(max(0.0, min(zoom, 15.0)), 2)
    )


def territory_rows(
    territories: pd.DataFrame, polygons: list[list[object]], classes: Classes, indicator: Indicator
) -> list[dict[str, object]]:
    """Rows of the territory layer: one per polygon part, every part with its territory's properties.

    Parameters
    ----------
    territories : DataFrame ``code, name, value, masked, schools, measured_schools, fragility``
        (the flags follow the value in the tooltip)
        aligned with ``polygons`` and ``classes.index``.
    """
    rows: list[dict[str, object]] = []
    for i, (code, name, value, schools, measured, fragile) in enumerate(
        zip(
            territories["code"],
            territories["name"],
            territories["value"],
            territories["schools"],
            territories["measured_schools"],
            territories["fragility"],
            strict=True,
        )
    ):
        cls = int(classes.index[i])
        if cls == -1:
            text = SECRET_TEXT
        elif cls < 0:
            text = MISSING_TEXT
        else:
            text = format_value(indicator, value) + (f" ({fragile})" if fragile else "")
        basis = measured if indicator.family in ("usage", "resource") else schools
        detail = f"{fr_number(basis)} établissement{'s' if basis > 1 else ''}"
        if indicator.family in ("usage", "resource"):
            detail += " mesuré" + ("s" if basis > 1 else "")
        colour = list(classes.colour_of(cls))
        for polygon in polygons[i]:
            rows.append({"c": code, "n": name, "v": text, "d": detail, "f": colour, "p": polygon})
    return rows


def school_rows(schools: pd.DataFrame, classes: Classes | None = None) -> dict[str, list[dict[str, object]]]:
    """Rows of the school layers (one layer per kind), from :func:`explorer.maps.schools.with_figures`.

    With ``classes`` (aligned with ``schools``), each school is filled with the colour of its
    own value's class (``f``); without, the layer's kind colour fills them all. The lines of
    its own investment and use (``i``, ``u``) are sent when ``schools`` has them: only at the
    Établissements level, so that a département's 2,000 schools stay within the payload budget.
    """
    figures = "invest_text" in schools.columns
    rows: dict[str, list[dict[str, object]]] = {kind: [] for kind in SCHOOL_LAYERS}
    for i, s in enumerate(schools.itertuples(index=False)):
        if pd.isna(s.lat) or pd.isna(s.lon):
            continue
        row: dict[str, object] = {
            "c": s.uai,
            "n": s.name,
            "v": s.kind_text,
            "d": s.detail_text,
            "q": [round(float(s.lon), 5), round(float(s.lat), 5)],  # 5 decimals: ≈ 1 m
        }
        if figures:
            row.update(i=s.invest_text, u=s.usage_text)
        if classes is not None:
            row["f"] = list(classes.colour_of(int(classes.index[i])))
        rows.setdefault(s.kind, []).append(row)
    return rows


def make_deck(
    territory_data: list[dict[str, object]],
    school_data: dict[str, list[dict[str, object]]] | None,
    view: pdk.ViewState,
    *,
    frames: list[dict[str, Any]] | None = None,
    basemap: bool = False,
    outline_pixels: float = 0.5,
    marks: float = 1.0,
) -> CompactDeck:
    """The deck: territories (pickable), then overseas inset frames and schools (pickable) if any.

    School rows with an ``f`` field are filled with it (their own value's class), others with
    their kind's colour; ``marks`` scales their :data:`MARKS` (:func:`mark_scale`).

    No layer is highlighted under the pointer (deck.gl's ``auto_highlight``): each new highlight
    redraws the whole map, ~0.7 s in software WebGL (Chromium without a GPU: virtualised
    desktops, the tests), and a click pressed during that redraw outlasts deck.gl's 250 ms tap
    and is lost (2 clicks in 8 on a school of a département's map, 0 in 10 without). The
    tooltip says what is under the pointer.
    """
    layers = [
        pdk.Layer(
            "PolygonLayer",
            id=TERRITORY_LAYER,
            data=territory_data,
            get_polygon="p",
            position_format=pdk.types.String("XY"),  # a literal, not an accessor expression
            get_fill_color="f",
            get_line_color=[255, 255, 255],
            line_width_min_pixels=outline_pixels,
            stroked=outline_pixels > 0,
            filled=True,
            pickable=True,
            # The outlines are not pickable: drawn in the picking pass, they made a pick cost
            # ~370 ms for 1,200 communes in software WebGL (~12 ms without), and a press that
            # long was not taken for a click: clicks were lost on the bigger maps.
            _sub_layer_props={"stroke": {"pickable": False}},
        )
    ]
    if frames:
        layers.append(
            pdk.Layer(
                "PathLayer",
                id=FRAME_LAYER,
                data=frames,
                get_path="path",
                get_color=[120, 120, 120],
                width_min_pixels=1,
                pickable=False,
            )
        )
        layers.append(
            pdk.Layer(
                "TextLayer",
                id=FRAME_LAYER + "-noms",
                data=[{"n": f["n"], "t": f["path"][3]} for f in frames],  # top-left corner
                get_position="t",
                get_text="n",
                get_size=11,
                get_color=[60, 60, 60],
                get_text_anchor=pdk.types.String("start"),
                get_alignment_baseline=pdk.types.String("bottom"),
                character_set=pdk.types.String("auto"),  # accents (La Réunion)
                font_family=pdk.types.String("'Source Sans Pro', 'DejaVu Sans', sans-serif"),
                pickable=False,
            )
        )
    for kind, layer_id in SCHOOL_LAYERS.items():
        if not school_data or not school_data.get(kind):
            continue
        mark = MARKS[kind]
        coloured = "f" in school_data[kind][0]
        layers.append(
            pdk.Layer(
                "ScatterplotLayer",
                id=layer_id,
                data=school_data[kind],
                get_position="q",
                get_radius=round(mark.radius * marks, 2),
                radius_units=pdk.types.String("pixels"),
                get_fill_color="f" if coloured else list(KIND_COLOURS[kind]),
                get_line_color=list(mark.line),
                get_line_width=round(mark.outline * marks, 2),
                line_width_units=pdk.types.String("pixels"),
                stroked=True,
                pickable=True,
            )
        )
    return CompactDeck(
        layers=layers,
        initial_view_state=view,
        map_style=BASEMAP_STYLE if basemap else None,
        map_provider="carto" if basemap else None,
        tooltip=SCHOOL_TOOLTIP if any("i" in r for rows in (school_data or {}).values() for r in rows[:1]) else TOOLTIP,
    )


MISSING_LEGEND = "pas de donnée (aucun établissement, ou aucun établissement mesuré pour un usage)"
MISSING_SCHOOL_LEGEND = "pas de donnée (sans élèves sur la période, ou ENT non mesuré pour un usage)"


def legend(
    classes: Classes, indicator: Indicator, masked_count: int, missing_count: int, missing_text: str = MISSING_LEGEND
) -> pd.DataFrame:
    """Legend lines: colour (``#rrggbb``), French label, number of territories (or schools)."""
    lines = []
    lower = classes.lower
    for i, upper in enumerate(classes.breaks):
        first = "de " if i == 0 else "plus de "
        label = f"{first}{format_value(indicator, lower, unit=False)} à {format_value(indicator, upper, unit=False)}"
        lines.append((hex_colour(classes.colours[i]), label, classes.counts[i]))
        lower = upper
    if masked_count:
        lines.append(
            (
                hex_colour(classes.colour_of(-1)),
                f"{SECRET_TEXT} ({secrecy.setting().rule_text()})",
                masked_count,
            )
        )
    if missing_count:
        lines.append(
            (
                hex_colour(classes.colour_of(-2)),
                missing_text,
                missing_count,
            )
        )
    return pd.DataFrame(lines, columns=["colour", "label", "count"])


def hex_colour(rgb: tuple[int, int, int]) -> str:
    """``#rrggbb`` of an RGB triple."""
    return "#{:02x}{:02x}{:02x}".format(*rgb)


def payload_bytes(deck: pdk.Deck) -> int:
    """Size in bytes of the map specification sent to the browser (UTF-8 JSON)."""
    return len(deck.to_json().encode("utf-8"))


def masked_and_missing(classes: Classes) -> tuple[int, int]:
    """How many territories are masked (secret) and how many have no value."""
    return int(np.sum(classes.index == -1)), int(np.sum(classes.index == -2))


@dataclass(frozen=True)
class MapResult:
    """What the Carte page draws: the deck, its legend and the ranked table.

    The table ranks the territories, or the schools when they carry the colours
    (``coloured_by_school``): then it has the school columns ``kind`` and ``commune`` too.
    """

    deck: CompactDeck
    legend: pd.DataFrame
    table: pd.DataFrame
    classes: Classes
    territories: int
    schools: int
    coloured_by_school: bool = False


def assemble(
    drawn: pd.DataFrame,
    values: pd.DataFrame,
    geometry: pd.DataFrame,
    bounds: tuple[float, float, float, float],
    indicator: Indicator,
    *,
    method: str = "quantiles",
    k: int = 5,
    schools: pd.DataFrame | None = None,
    colour_schools: bool = False,
    insets: bool = False,
    basemap: bool = False,
) -> MapResult:
    """Join the drawn territories with their values and shapes, classify, build the deck.

    Parameters
    ----------
    drawn : territories drawn (``code, name, region_code``), from ``map_view.inside``.
    values : indicator table of their level (``code, value, masked, schools, measured_schools``).
    geometry : ``code, polygons`` from ``map_shapes.prepare``.
    schools : schools drawn on top, from :func:`explorer.maps.schools.with_figures`.
    colour_schools : classes and colours come from the schools' own values (the
        Établissements level); the territories are drawn as a neutral background.
    """
    table = (
        drawn[["code", "name"]]
        .merge(values.drop(columns=["name"]), on="code", how="left")
        .merge(geometry, on="code", how="inner")
    )
    table["masked"] = table["masked"].fillna(False).astype(bool)
    table["fragility"] = table["fragility"].fillna("")
    for column in ("schools", "measured_schools"):
        table[column] = table[column].fillna(0).astype(int)
    by_school = colour_schools and schools is not None
    points: dict[str, list[dict[str, object]]] | None
    if by_school:
        assert schools is not None
        placed = schools[schools["lat"].notna() & schools["lon"].notna()].reset_index(drop=True)
        classes = classify(placed["value"], placed["masked"], method, k, diverging=indicator.diverging)
        territory_classes = classify(table["value"], table["masked"], method, k, diverging=indicator.diverging)
        rows = territory_rows(table, table["polygons"].tolist(), territory_classes, indicator)
        for row in rows:
            row["f"] = list(BACKGROUND_COLOUR)
        points = school_rows(placed, classes)
    else:
        classes = classify(table["value"], table["masked"], method, k, diverging=indicator.diverging)
        rows = territory_rows(table, table["polygons"].tolist(), classes, indicator)
        points = None if schools is None else school_rows(schools)
    if points and any("i" in r for kind_rows in points.values() for r in kind_rows[:1]):
        for row in rows:
            row.update(i="", u="")
    outline = 0.6 if len(table) <= 2000 else 0.0
    drawn_schools = 0 if points is None else sum(len(rows) for rows in points.values())
    overseas = sorted(set(drawn["region_code"].map(map_shapes.OVERSEAS_REGION_DEPARTEMENT).dropna()))
    deck = make_deck(
        rows,
        points,
        fit_view(bounds),
        frames=map_shapes.inset_frames(overseas) if insets and overseas else None,
        basemap=basemap,
        outline_pixels=outline,
        marks=mark_scale(drawn_schools),
    )
    masked, missing = masked_and_missing(classes)
    if by_school:
        ranked = placed.rename(columns={"uai": "code"}).assign(
            classe=classes.index, schools=1, measured_schools=placed["measured"].astype(int)
        )
        key = legend(classes, indicator, masked, missing, MISSING_SCHOOL_LEGEND)
    else:
        ranked = table.drop(columns=["polygons"]).assign(classe=classes.index)
        key = legend(classes, indicator, masked, missing)
    ranked["rang"] = ranked["value"].rank(ascending=False, method="min").astype("Int64")
    ranked = ranked.sort_values(["rang", "name"], na_position="last").reset_index(drop=True)
    return MapResult(
        deck=deck,
        legend=key,
        table=ranked,
        classes=classes,
        territories=len(table),
        schools=drawn_schools,
        coloured_by_school=by_school,
    )


BASEMAP_PROBE = "https://basemaps.cartocdn.com/gl/positron-gl-style/style.json"


def basemap_reachable(url: str = BASEMAP_PROBE, timeout: float = 1.5) -> bool:
    """Whether the basemap style answers from here (the map draws without it otherwise)."""
    try:
        with urllib.request.urlopen(urllib.request.Request(url, method="HEAD"), timeout=timeout) as response:
            return 200 <= response.status < 400
    except (OSError, ValueError):
        return False
