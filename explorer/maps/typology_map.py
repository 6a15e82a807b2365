"""Map of typology classes: territories (outlines of ``territory_shape``) or schools (points).

Colours: the Okabe-Ito palette (distinguishable with the common colour-vision deficiencies),
extended by two colours of Paul Tol's palette for k = 9 and 10. No basemap (``map_style=None``):
the outlines are the map.
"""

from __future__ import annotations

from collections.abc import Mapping

import duckdb
import numpy as np
import pandas as pd
import pydeck as pdk
import shapely

from explorer.geo.territories import territory_index
from explorer.maps.shapes import place_insets
from explorer.warehouse.sqlfiles import read_sql

PALETTE = (
    "#E69F00",  # orange
    "#56B4E9",  # sky blue
    "#009E73",  # bluish green
    "#F0E442",  # yellow
    "#0072B2",  # blue
    "#D55E00",  # vermillion
    "#CC79A7",  # reddish purple
    "#000000",  # black
    "#882255",  # wine (Tol)
    "#999933",  # olive (Tol)
)
TOOLTIP = {"text": "{name} ({code})\nClasse {cluster} : {label}"}


def class_colour(cluster: int) -> str:
    """Hex colour of class ``cluster`` (1-based)."""
    return PALETTE[(cluster - 1) % len(PALETTE)]


def _rgb(hex_colour: str, alpha: int = 200) -> list[int]:
    return [int(hex_colour[i : i + 2], 16) for i in (1, 3, 5)] + [alpha]


def _polygons(geometry: shapely.Geometry) -> list[list[list[list[float]]]]:
    """Rings (exterior then holes) of each polygon part, coordinates rounded to ~10 m."""
    parts = geometry.geoms if hasattr(geometry, "geoms") else [geometry]
    out = []
    for part in parts:
        if part.geom_type != "Polygon" or part.is_empty:
            continue
        rings = [part.exterior, *part.interiors]
        out.append([np.round(np.asarray(r.coords)[:, :2], 4).tolist() for r in rings])
    return out


def _view(lon: pd.Series, lat: pd.Series) -> pdk.ViewState:
    """Centre on mainland France when it is there (overseas points would zoom the map out)."""
    mainland = (lon > -6) & (lon < 10) & (lat > 41) & (lat < 52)
    if mainland.any():
        lon, lat = lon[mainland], lat[mainland]
    span = max(float(lon.max() - lon.min()), float(lat.max() - lat.min()), 0.05)
    zoom = float(np.clip(np.log2(360 / span) - 0.2, 3, 12))
    return pdk.ViewState(longitude=float(lon.mean()), latitude=float(lat.mean()), zoom=zoom)


def class_map(
    con: duckdb.DuckDBPyConnection,
    level: str,
    classes: pd.DataFrame,
    height: int = 560,
    colours: Mapping[int, str] | None = None,
    tooltip: Mapping[str, str] | None = None,
) -> pdk.Deck:
    """Territories (or schools) coloured by class.

    Parameters
    ----------
    con : warehouse connection (``territory_shape``, ``school``).
    level : ``region``, ``academie``, ``departement``, ``epci``, ``commune`` or ``school``.
    classes : DataFrame ``code, name, cluster`` (1-based int), ``label``, and any column the
        ``tooltip`` names.
    colours : class → hex colour (default: the Okabe-Ito palette of :func:`class_colour`).
    tooltip : pydeck tooltip (default: the class and its label).
    """
    extra = [c for c in classes.columns if c not in ("code", "name", "cluster", "label")]
    frame = classes[["code", "name", "cluster", "label", *extra]].copy()
    frame["colour"] = [_rgb(colours[int(c)] if colours else class_colour(int(c))) for c in frame["cluster"]]
    if level == "school":
        points = con.execute(read_sql("queries/school_context")).df()[["code", "lat", "lon"]]
        frame = frame.merge(points, on="code", how="inner").dropna(subset=["lat", "lon"])
        layer = pdk.Layer(
            "ScatterplotLayer",
            data=frame,
            get_position=["lon", "lat"],
            get_fill_color="colour",
            get_radius=250,
            radius_min_pixels=2,
            radius_max_pixels=8,
            pickable=True,
        )
        view = _view(frame["lon"], frame["lat"])
    else:
        shapes = con.execute(read_sql("queries/territory_shapes"), {"level": level}).df()
        shapes = shapes[shapes["code"].isin(frame["code"])]
        geoms = shapely.from_wkb(shapes["geometry_wkb"].map(bytes).to_numpy())
        # Overseas territories drawn in their insets, beside metropolitan France, as on the Carte.
        index = territory_index(con)
        parents = index[index["level"] == level].set_index("code")["region_code"]
        regions = shapes["code"] if level == "region" else shapes["code"].map(parents)
        geoms = place_insets(geoms, regions.reset_index(drop=True))
        rows = []
        for code, geom in zip(shapes["code"], geoms, strict=True):
            rows += [{"code": code, "polygon": rings} for rings in _polygons(geom)]
        frame = frame.merge(pd.DataFrame(rows, columns=["code", "polygon"]), on="code", how="inner")
        layer = pdk.Layer(
            "PolygonLayer",
            data=frame,
            get_polygon="polygon",
            get_fill_color="colour",
            get_line_color=[255, 255, 255, 160],
            line_width_min_pixels=0.5,
            stroked=True,
            pickable=True,
        )
        centroids = shapely.centroid(geoms)
        view = _view(pd.Series(shapely.get_x(centroids)), pd.Series(shapely.get_y(centroids)))
    shown = dict(tooltip) if tooltip else TOOLTIP
    return pdk.Deck(layers=[layer], initial_view_state=view, map_style=None, tooltip=shown, height=height)
