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
SCHOOL_LAYERS = {"ecole": "ecoles", "college": "colleges", "lycee": "lycees"}  # drawn in this order
FRAME_LAYER = "cadres-outre-mer"
MAP_HEIGHT = 620
MAP_WIDTH = 800  # narrowest usual width of the map in pixels: views are fitted to it
MISSING_TEXT = "pas de donnée"
# Okabe-Ito colours (colour-blind safe) for the kinds of schools, dark outline on top.
KIND_COLOURS = {"ecole": (230, 159, 0), "college": (213, 94, 0), "lycee": (204, 121, 167)}
BASEMAP_STYLE = "light"  # Carto's light basemap, drawn only when reachable
TOOLTIP = {
    "html": "<b>{n}</b> <span style='opacity:.75'>({c})</span><br/>{v}<br/><span style='opacity:.8'>{d}</span>",
    "style": {"backgroundColor": "#161616", "color": "white", "fontSize": "13px", "maxWidth": "360px"},
}


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
    territories : DataFrame ``code, name, value, masked, mask_reason, schools, measured_schools``
        (``fragility`` too when known: it follows the value in the tooltip)
        aligned with ``polygons`` and ``classes.index``.
    """
    rows: list[dict[str, object]] = []
    fragility = territories["fragility"] if "fragility" in territories else pd.Series("", index=territories.index)
    for i, (code, name, value, schools, measured, fragile) in enumerate(
        zip(
            territories["code"],
            territories["name"],
            territories["value"],
            territories["schools"],
            territories["measured_schools"],
            fragility.fillna(""),
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


def school_rows(schools: pd.DataFrame, metres_per_pixel: float) -> dict[str, list[dict[str, object]]]:
    """Rows of the school layers (one layer per kind): a point per school sized by its pupils.

    Only facts the ministry publishes school by school are shown (kind, sector, pupils, IPS,
    whether its ENT is measured): indicators of one school would break statistical secrecy.
    """
    rows: dict[str, list[dict[str, object]]] = {kind: [] for kind in SCHOOL_LAYERS}
    for s in schools.itertuples(index=False):
        if pd.isna(s.lat) or pd.isna(s.lon):
            continue
        pupils = 0 if pd.isna(s.pupils) else int(s.pupils)
        radius = metres_per_pixel * 2.5 * math.sqrt(max(pupils, 25) / 100)
        public = s.sector == "public"
        if s.kind == "ecole":
            value = "École publique" if public else "École privée"
        else:
            value = f"{KIND_LABELS.get(s.kind, s.kind)} {'public' if public else 'privé'}"
        value += f" · {fr_number(pupils)} élèves" if pupils else ""
        detail = f"IPS {fr_number(s.ips, 1)}" if not pd.isna(s.ips) else "IPS n.d."
        detail += " · ENT mesuré" if s.measured else " · ENT non mesuré"
        rows.setdefault(s.kind, []).append(
            {
                "c": s.uai,
                "n": s.name,
                "v": value,
                "d": detail,
                "q": [round(float(s.lon), 4), round(float(s.lat), 4)],  # 4 decimals: ≈ 10 m
                "r": round(radius),
            }
        )
    return rows


def make_deck(
    territory_data: list[dict[str, object]],
    school_data: dict[str, list[dict[str, object]]] | None,
    view: pdk.ViewState,
    *,
    frames: list[dict[str, Any]] | None = None,
    basemap: bool = False,
    outline_pixels: float = 0.5,
) -> CompactDeck:
    """The deck: territories (pickable), then schools and overseas inset frames if any."""
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
            auto_highlight=True,
            highlight_color=[255, 255, 0, 160],
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
        layers.append(
            pdk.Layer(
                "ScatterplotLayer",
                id=layer_id,
                data=school_data[kind],
                get_position="q",
                get_radius="r",
                radius_units=pdk.types.String("meters"),
                radius_min_pixels=2,
                radius_max_pixels=18,
                get_fill_color=list(KIND_COLOURS[kind]),
                get_line_color=[40, 40, 40],
                line_width_min_pixels=0.6,
                stroked=True,
                pickable=True,
                auto_highlight=True,
            )
        )
    return CompactDeck(
        layers=layers,
        initial_view_state=view,
        map_style=BASEMAP_STYLE if basemap else None,
        map_provider="carto" if basemap else None,
        tooltip=TOOLTIP,
    )


def legend(classes: Classes, indicator: Indicator, masked_count: int, missing_count: int) -> pd.DataFrame:
    """Legend lines: colour (``#rrggbb``), French label, number of territories."""
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
                "pas de donnée (aucun établissement, ou aucun établissement mesuré pour un usage)",
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


def metres_per_pixel(bounds: tuple[float, float, float, float]) -> float:
    """Ground metres per screen pixel when ``bounds`` fill the map."""
    lat = (bounds[1] + bounds[3]) / 2
    return map_shapes.view_tolerance(bounds, MAP_WIDTH) * 111_320 * math.cos(math.radians(lat))


def masked_and_missing(classes: Classes) -> tuple[int, int]:
    """How many territories are masked (secret) and how many have no value."""
    return int(np.sum(classes.index == -1)), int(np.sum(classes.index == -2))


@dataclass(frozen=True)
class MapResult:
    """What the Carte page draws: the deck, its legend and the ranked table of territories."""

    deck: CompactDeck
    legend: pd.DataFrame
    table: pd.DataFrame
    classes: Classes
    territories: int
    schools: int


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
    insets: bool = False,
    basemap: bool = False,
) -> MapResult:
    """Join the drawn territories with their values and shapes, classify, build the deck.

    Parameters
    ----------
    drawn : territories drawn (``code, name, region_code``), from ``map_view.inside``.
    values : indicator table of their level (``code, value, masked, schools, measured_schools``).
    geometry : ``code, polygons`` from ``map_shapes.prepare``.
    """
    table = (
        drawn[["code", "name"]]
        .merge(values.drop(columns=["name"]), on="code", how="left")
        .merge(geometry, on="code", how="inner")
    )
    table["masked"] = table["masked"].fillna(False).astype(bool)
    for column in ("schools", "measured_schools"):
        table[column] = table[column].fillna(0).astype(int)
    classes = classify(table["value"], table["masked"], method, k, diverging=indicator.diverging)
    rows = territory_rows(table, table["polygons"].tolist(), classes, indicator)
    outline = 0.6 if len(table) <= 2000 else 0.0
    overseas = sorted(set(drawn["region_code"].map(map_shapes.OVERSEAS_REGION_DEPARTEMENT).dropna()))
    points = school_rows(schools, metres_per_pixel(bounds)) if schools is not None else None
    deck = make_deck(
        rows,
        points,
        fit_view(bounds),
        frames=map_shapes.inset_frames(overseas) if insets and overseas else None,
        basemap=basemap,
        outline_pixels=outline,
    )
    masked, missing = masked_and_missing(classes)
    ranked = table.drop(columns=["polygons"]).assign(classe=classes.index)
    ranked["rang"] = ranked["value"].rank(ascending=False, method="min").astype("Int64")
    ranked = ranked.sort_values(["rang", "name"], na_position="last").reset_index(drop=True)
    return MapResult(
        deck=deck,
        legend=legend(classes, indicator, masked, missing),
        table=ranked,
        classes=classes,
        territories=len(table),
        schools=0 if points is None else sum(len(rows) for rows in points.values()),
    )


BASEMAP_PROBE = "https://basemaps.cartocdn.com/gl/positron-gl-style/style.json"


def basemap_reachable(url: str = BASEMAP_PROBE, timeout: float = 1.5) -> bool:
    """Whether the basemap style answers from here (the map draws without it otherwise)."""
    try:
        with urllib.request.urlopen(urllib.request.Request(url, method="HEAD"), timeout=timeout) as response:
            return 200 <= response.status < 400
    except (OSError, ValueError):
        return False
