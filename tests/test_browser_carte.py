"""The Carte page in a real browser: the map draws, a click drills down, the breadcrumb goes back."""

from __future__ import annotations

import io
import time
import urllib.parse
from pathlib import Path

import duckdb
import pytest
import shapely
from PIL import Image

from explorer.geo.territories import territory_index
from explorer.maps import classes as map_classes
from explorer.maps import deck as map_deck
from explorer.maps import shapes as map_shapes
from explorer.maps import state as map_state
from tests.browser import chromium_page, lnglat_to_pixel, streamlit_server

pytestmark = pytest.mark.browser
CHART = "[data-testid='stDeckGlJsonChart']"


@pytest.fixture(scope="module")
def server(rennes_db: Path):
    with streamlit_server(rennes_db) as base:
        yield base


def departement_view(db: Path) -> tuple[dict[str, float], tuple[float, float]]:
    """The initial view of the national départements map, and a point inside Ille-et-Vilaine."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        territories = territory_index(con)
        drawn = map_state.inside(territories, map_state.MapState(niveau="departement"))
        shapes = map_shapes.load_shapes(con, "departement", drawn["code"].tolist(), overview=True)
    finally:
        con.close()
    regions = shapes["code"].map(drawn.set_index("code")["region_code"])
    _, bounds = map_shapes.prepare(shapes, regions, insets=True)
    view = map_deck.fit_view(bounds)
    inside = shapely.point_on_surface(shapes.set_index("code").at["35", "geometry"])
    return {"longitude": view.longitude, "latitude": view.latitude, "zoom": view.zoom}, (inside.x, inside.y)


def chart_png(page) -> Image.Image:
    return Image.open(io.BytesIO(page.locator(CHART).screenshot())).convert("RGB")


def painted(image: Image.Image) -> list[tuple[int, int, int]]:
    """The pixels that are neither white nor near-white (the shapes, not the background)."""
    return [p for p in image.get_flattened_data() if p != (255, 255, 255) and min(p) < 245]


def drawn_chart_png(page, timeout_s: float = 60) -> Image.Image:  # type: ignore[no-untyped-def]
    """The map once deck.gl has drawn it: screenshots are polled until two in a row are the same
    and not blank (the canvas offers no "drawn" event the page could wait for)."""
    deadline = time.monotonic() + timeout_s
    previous = chart_png(page)
    while True:
        image = chart_png(page)
        if image.tobytes() == previous.tobytes() and painted(image):
            return image
        if time.monotonic() > deadline:
            return image  # the assertions below say what is wrong with it
        previous = image


def test_map_draws_drills_down_on_click_and_goes_back(server, rennes_db):
    view, (lon, lat) = departement_view(rennes_db)
    with chromium_page() as page:
        page.goto(f"{server}/carte?niveau=departement&indicateur=invest_per_pupil&periode=2021-2025")
        page.get_by_text("Investissement par élève et par an — France entière").wait_for(timeout=60_000)
        page.locator(f"{CHART} canvas").first.wait_for(timeout=30_000)

        # The canvas is not blank: the four départements are painted in class colours.
        image = drawn_chart_png(page)
        pixels = list(image.get_flattened_data())
        shapes = painted(image)
        assert len(shapes) / len(pixels) > 0.2
        fills = {map_deck.hex_colour(c) for c in map(tuple, shapes)}
        palette = {map_deck.hex_colour(c) for c in map_classes.palette(4)}
        assert len(fills & palette) >= 3

        # A click inside Ille-et-Vilaine opens its communes.
        box = page.locator(CHART).bounding_box()
        x, y = lnglat_to_pixel(lon, lat, view, box["width"], box["height"])
        page.mouse.click(box["x"] + x, box["y"] + y)
        page.get_by_text("Investissement par élève et par an — Ille-et-Vilaine").wait_for(timeout=60_000)
        page.wait_for_url(lambda url: "territoire=departement%3A35" in url, timeout=30_000)
        query = urllib.parse.parse_qs(urllib.parse.urlparse(page.url).query)
        assert query["territoire"] == ["departement:35"]
        assert query["niveau"] == ["commune"]

        # The breadcrumb goes back up to the région (its only académie is skipped).
        page.get_by_role("button", name="Bretagne ›").click()
        page.get_by_text("Investissement par élève et par an — Bretagne").wait_for(timeout=60_000)
        page.wait_for_url(lambda url: "territoire=region%3A53" in url, timeout=30_000)
        query = urllib.parse.parse_qs(urllib.parse.urlparse(page.url).query)
        assert query["territoire"] == ["region:53"]
        assert query["niveau"] == ["departement"]


def commune_view(db: Path) -> tuple[str, str, dict[str, float], tuple[float, float]]:
    """A commune with one école and one collège, the view of its Établissements map, and the
    collège's UAI and position (the first such commune by code, as in ``test_app_carte``)."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        commune, uai, lon, lat = con.execute(
            "with two as (select commune_code from school group by 1 having count(*) = 2 "
            "and count(distinct kind) = 2 and bool_and(kind in ('ecole', 'college'))) "
            "select commune_code, uai, lon, lat from school where kind = 'college' "
            "and commune_code in (select commune_code from two) order by commune_code limit 1"
        ).fetchone()
        shapes = map_shapes.load_shapes(con, "commune", [commune], overview=False)
    finally:
        con.close()
    _, bounds = map_shapes.prepare(shapes, shapes["code"].map(lambda _: None), insets=False)
    view = map_deck.fit_view(bounds)
    return commune, uai, {"longitude": view.longitude, "latitude": view.latitude, "zoom": view.zoom}, (lon, lat)


def is_sheet_of(url: str, uai: str) -> bool:
    """Whether ``url`` is the Diagnostic sheet of school ``uai`` (?territoire=etablissement:UAI)."""
    parsed = urllib.parse.urlparse(url)
    return parsed.path.endswith("/diagnostic") and urllib.parse.parse_qs(parsed.query).get("territoire") == [
        f"etablissement:{uai}"
    ]


def school_on_map(page, url: str, view: dict[str, float], lon: float, lat: float) -> tuple[float, float]:
    """Open the Carte at ``url``, wait for the map to be drawn, and return the page pixel of (lon, lat)."""
    page.goto(url)
    page.locator(f"{CHART} canvas").first.wait_for(timeout=60_000)
    drawn_chart_png(page)
    box = page.locator(CHART).bounding_box()
    x, y = lnglat_to_pixel(lon, lat, view, box["width"], box["height"])
    return box["x"] + x, box["y"] + y


def test_a_click_on_a_school_opens_its_sheet(server, rennes_db):
    commune, uai, view, (lon, lat) = commune_view(rennes_db)

    with chromium_page() as page:
        x, y = school_on_map(page, f"{server}/carte?niveau=etablissement&territoire=commune:{commune}", view, lon, lat)

        # Hovering the collège shows its own figures, with units and period.
        page.mouse.move(x, y)
        tooltip = page.locator(".deck-tooltip")
        tooltip.get_by_text("Investissement :").wait_for(timeout=30_000)
        text = tooltip.inner_text()
        assert uai in text and "Collège" in text
        assert "€ par élève et par an (2021-2025)" in text and "Usage de l'ENT :" in text

        # A click opens its sheet: the Diagnostic at ?territoire=etablissement:UAI.
        with page.expect_event("framenavigated", predicate=lambda frame: is_sheet_of(frame.url, uai), timeout=60_000):
            page.mouse.click(x, y)
        page.get_by_role("heading", name="Diagnostic", exact=True).first.wait_for(timeout=60_000)


def isolated_school(db: Path, departement: str) -> tuple[str, tuple[float, float], dict[str, float]]:
    """The school of ``departement`` farthest from any other (its mark alone under the pointer),
    and the view of the département's communes map."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        schools = con.execute(
            "select uai, lon, lat from school where departement_code = ? and lat is not null", [departement]
        ).df()
        territories = territory_index(con)
        drawn = map_state.inside(
            territories, map_state.MapState(niveau="commune", territoire=("departement", departement))
        )
        shapes = map_shapes.load_shapes(con, "commune", drawn["code"].tolist(), overview=False)
    finally:
        con.close()
    _, bounds = map_shapes.prepare(shapes, shapes["code"].map(drawn.set_index("code")["region_code"]), insets=False)
    view = map_deck.fit_view(bounds)
    points = shapely.points(schools["lon"].to_numpy(), schools["lat"].to_numpy())
    tree = shapely.STRtree(points)
    _, distances = tree.query_nearest(points, exclusive=True, return_distance=True)
    best = int(distances.argmax())
    row = schools.iloc[best]
    return (
        str(row["uai"]),
        (float(row["lon"]), float(row["lat"])),
        {
            "longitude": view.longitude,
            "latitude": view.latitude,
            "zoom": view.zoom,
        },
    )


# Before the territory outlines were made unpickable, this click was lost (and so was a click on
# a commune): the pick on pointer-down cost ~370 ms in this software WebGL.
def test_a_click_on_a_school_over_the_communes_of_a_departement_opens_its_sheet(server, rennes_db):
    uai, (lon, lat), view = isolated_school(rennes_db, "35")

    with chromium_page() as page:
        x, y = school_on_map(page, f"{server}/carte?niveau=commune&territoire=departement:35", view, lon, lat)
        page.mouse.move(x, y)
        page.locator(".deck-tooltip").get_by_text(uai).wait_for(timeout=30_000)
        with page.expect_event("framenavigated", predicate=lambda frame: is_sheet_of(frame.url, uai), timeout=60_000):
            page.mouse.click(x, y)
        page.get_by_role("heading", name="Diagnostic", exact=True).first.wait_for(timeout=60_000)
