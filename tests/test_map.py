"""The map's building blocks: classes, shapes, navigation, deck rows (hand-checkable cases)."""

from __future__ import annotations

import itertools
import json

import numpy as np
import pandas as pd
import pytest
import shapely

from explorer.errors import ClassificationError
from explorer.facts.indicators import INDICATORS
from explorer.geo.territories import territory_index
from explorer.maps import classes as map_classes
from explorer.maps import deck as map_deck
from explorer.maps import legend as map_legend
from explorer.maps import ranking as map_ranking
from explorer.maps import shapes as map_shapes
from explorer.maps import state as map_state


def luminance(rgb: tuple[int, int, int]) -> float:
    r, g, b = rgb
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


# --- Classes ---------------------------------------------------------------------------------
def test_quantiles_split_ten_values_into_five_pairs():
    values = pd.Series([10, 1, 9, 2, 8, 3, 7, 4, 6, 5], dtype=float)
    classes = map_classes.classify(values, method="quantiles", k=5)
    assert classes.index.tolist() == [4, 0, 4, 0, 3, 1, 3, 1, 2, 2]
    assert classes.counts == (2, 2, 2, 2, 2)
    assert classes.lower == 1.0
    assert classes.breaks[-1] == 10.0


def test_equal_intervals_break_at_equal_steps():
    values = pd.Series([0.0, 1.0, 2.5, 5.0, 7.4, 7.6, 10.0])
    classes = map_classes.classify(values, method="intervalles_egaux", k=4)
    assert classes.breaks == pytest.approx((2.5, 5.0, 7.5, 10.0))
    assert classes.index.tolist() == [0, 0, 0, 1, 2, 3, 3]


def test_natural_breaks_find_the_three_obvious_groups():
    values = pd.Series([1.0, 1.1, 1.2, 5.0, 5.1, 5.3, 9.7, 9.9, 10.0])
    classes = map_classes.classify(values, method="seuils_naturels", k=3)
    assert classes.index.tolist() == [0, 0, 0, 1, 1, 1, 2, 2, 2]
    assert classes.breaks == pytest.approx((1.2, 5.3, 10.0))


def test_natural_breaks_on_many_values_are_deterministic():
    values = pd.Series(np.random.default_rng(3).lognormal(5, 0.6, 20_000))
    first = map_classes.classify(values, method="seuils_naturels", k=5)
    second = map_classes.classify(values, method="seuils_naturels", k=5)
    assert first.breaks == second.breaks
    assert sum(first.counts) == 20_000
    assert first.breaks[-1] == values.max()


def test_masked_and_missing_values_get_no_class():
    values = pd.Series([1.0, np.nan, 3.0, np.nan, 5.0, 7.0])
    masked = pd.Series([False, True, False, False, False, False])
    classes = map_classes.classify(values, masked, "quantiles", 3)
    assert classes.index[1] == -1 and classes.index[3] == -2
    assert classes.colour_of(-1) == map_classes.MASKED_COLOUR
    assert classes.colour_of(-2) == map_classes.MISSING_COLOUR
    assert sum(classes.counts) == 4


def test_sequential_palette_darkens_and_diverging_is_light_in_the_middle():
    seq = map_classes.palette(5)
    assert all(luminance(a) > luminance(b) for a, b in itertools.pairwise(seq))
    div = map_classes.palette(5, diverging=True)
    assert luminance(div[2]) > max(luminance(div[0]), luminance(div[4]))


def test_unknown_method_is_refused_in_french():
    with pytest.raises(ClassificationError, match="Méthode de classes « jenks » inconnue"):
        map_classes.classify(pd.Series([1.0, 2.0, 3.0]), method="jenks")


def test_legend_reads_in_french_with_units_and_secrecy_line(secrecy_on):
    indicator = INDICATORS["invest_per_pupil"]
    values = pd.Series([10.0, 20.0, 30.0, 1000.0, np.nan])
    classes = map_classes.classify(values, values.isna(), "quantiles", 3)
    assert classes.breaks == (20.0, 30.0, 1000.0)  # quantiles 1/3, 2/3, 1 of 10, 20, 30, 1000
    legend = map_deck.legend(classes, indicator, masked_count=1, missing_count=0)
    assert legend["label"].tolist() == [
        "de 10\u00a0€ à 20\u00a0€",
        "plus de 20\u00a0€ à 30\u00a0€",
        "plus de 30\u00a0€ à 1\u202f000\u00a0€",
        "secret statistique (moins de 5 établissements ou moins de 11 utilisateurs)",
    ]
    assert legend["count"].tolist() == [2, 1, 1, 1]
    assert legend["colour"].iloc[-1] == "#bebebe"


def test_legend_html_has_one_chip_per_line_with_colour_label_and_french_count():
    legend = pd.DataFrame(
        {
            "colour": ["#ffffcc", "#bebebe"],
            "label": ["de 10\u00a0€ à 20\u00a0€", "secret statistique"],
            "count": [1234, 2],
        }
    )
    html = map_legend.legend_html(legend)
    assert html.count("<div ") == 2
    assert "background:#ffffcc;" in html and "background:#bebebe;" in html
    assert "de 10\u00a0€ à 20\u00a0€ <span style='color:#666'>(1\u202f234)</span>" in html
    assert "secret statistique <span style='color:#666'>(2)</span>" in html


def test_schools_key_draws_each_kind_with_its_map_mark():
    html = map_legend.schools_key_html()
    assert html.startswith("<div>Points : établissements, couleur selon le type — ")
    # Each kind: its fill colour, the radius and outline width drawn on the map, in école, collège, lycée order.
    for kind in ("ecole", "college", "lycee"):
        mark = map_deck.MARKS[kind]
        assert f"r='{mark.radius:g}' fill='{map_deck.hex_colour(map_deck.KIND_COLOURS[kind])}'" in html
        assert f"stroke-width='{mark.outline:g}'" in html
    assert html.index("école (petit rond") < html.index("collège (rond moyen") < html.index("lycée (grand rond")
    # Coloured by their own values: neutral fills, and the key says where the colour comes from.
    coloured = map_legend.schools_key_html(coloured=True)
    assert coloured.startswith("<div>Établissements : chacun coloré selon sa propre valeur")
    assert coloured.count("fill='#ffffff'") == 3


def test_marks_differ_by_kind_in_size_and_outline():
    marks = [map_deck.MARKS[k] for k in ("ecole", "college", "lycee")]
    assert [m.radius for m in marks] == sorted({m.radius for m in marks})
    assert [m.outline for m in marks] == sorted({m.outline for m in marks})
    # Drawn largest first, so that a small école beside a lycée stays on top and clickable.
    assert list(map_deck.SCHOOL_LAYERS) == ["lycee", "college", "ecole"]


def _ranked_table(ranked: int, unranked: int) -> pd.DataFrame:
    """``ranked`` territories of values 1…n (rank 1 = highest), then ``unranked`` without a value."""
    n = ranked + unranked
    return pd.DataFrame(
        {
            "rang": [float(i + 1) for i in range(ranked)] + [np.nan] * unranked,
            "code": [f"{i:03d}" for i in range(n)],
            "name": [f"T{i}" for i in range(n)],
            "value": [float(ranked - i) for i in range(ranked)] + [np.nan] * unranked,
            "masked": [False] * ranked + [True] * unranked,
            "fragility": [""] * n,
            "schools": [10] * n,
            "measured_schools": [8] * n,
        }
    )


def test_ranking_of_a_short_list_shows_every_territory_in_french():
    indicator = INDICATORS["invest_per_pupil"]
    result = map_ranking.ranking(_ranked_table(3, 1), indicator)
    assert (result.ranked, result.unranked, result.truncated) == (3, 1, False)
    assert result.table.columns.tolist() == [
        "Rang",
        "Code",
        "Nom",
        indicator.label,
        "Chiffre fragile",
        "Établissements",
        "Établissements mesurés",
    ]
    per = "\u00a0€ par élève et par an"
    assert result.table[indicator.label].tolist() == [f"3{per}", f"2{per}", f"1{per}", "secret statistique"]


def test_ranking_cuts_only_when_the_ranked_territories_are_too_many():
    # 50 ranked + 20 unranked = 70 rows: no cut (50 <= 60), every row stays. The page used to test
    # len(ranked) but cut on len(shown) (70 > 60), and silently dropped the 20 unranked.
    result = map_ranking.ranking(_ranked_table(50, 20), INDICATORS["invest_per_pupil"])
    assert (result.ranked, result.unranked, result.truncated) == (50, 20, False)
    assert len(result.table) == 70
    # 70 ranked + 5 unranked: the first 30 and the last 30 ranks, nothing else.
    result = map_ranking.ranking(_ranked_table(70, 5), INDICATORS["invest_per_pupil"])
    assert (result.ranked, result.unranked, result.truncated) == (70, 5, True)
    assert result.table["Rang"].tolist() == [float(r) for r in [*range(1, 31), *range(41, 71)]]


# --- Shapes ----------------------------------------------------------------------------------
def test_decimals_follow_the_pixel_size():
    assert map_shapes.decimals_for(0.0166) == 2
    assert map_shapes.decimals_for(0.0019) == 3
    assert map_shapes.decimals_for(0.0004) == 4


def test_deck_polygons_are_flat_open_rings_and_keep_real_holes():
    square = shapely.Polygon([(0, 0), (1, 0), (1, 1), (0, 1)])
    with_hole = shapely.Polygon([(2, 0), (4, 0), (4, 2), (2, 2)], [[(2.5, 0.5), (3.5, 0.5), (3.5, 1.5), (2.5, 1.5)]])
    with_sliver = shapely.Polygon([(5, 0), (7, 0), (7, 2), (5, 2)], [[(6, 1), (6.001, 1), (6.001, 1.001)]])
    polys = map_shapes.deck_polygons(np.array([square, with_hole, with_sliver], dtype=object), 0.01)
    assert polys[0] == [[0.0, 0.0, 1.0, 0.0, 1.0, 1.0, 0.0, 1.0]]
    assert len(polys[1]) == 1 and len(polys[1][0]) == 2  # outer ring and the hole, as [x, y] pairs
    assert polys[1][0][1] == [[2.5, 0.5], [3.5, 0.5], [3.5, 1.5], [2.5, 1.5]]
    assert isinstance(polys[2][0][0], float)  # the sliver hole is filled: a flat ring again


def test_tiny_parts_are_dropped_but_a_territory_keeps_its_largest():
    islands = shapely.MultiPolygon(
        [shapely.box(0, 0, 1, 1), shapely.box(2, 2, 2.001, 2.001)]  # the second: under a pixel
    )
    tiny = shapely.box(5, 5, 5.0005, 5.0005)
    polys = map_shapes.deck_polygons(np.array([islands, tiny], dtype=object), 0.01)
    assert len(polys[0]) == 1
    assert len(polys[1]) == 1


def test_overseas_insets_sit_in_their_frames():
    # A stand-in for Guyane (≈ 3° × 3.6°) and a metropolitan square.
    guyane = shapely.box(-54.6, 2.1, -51.6, 5.75)
    metro = shapely.box(2.0, 46.0, 3.0, 47.0)
    moved = map_shapes.place_insets(np.array([guyane, metro], dtype=object), pd.Series(["03", "84"]))
    assert moved[1].equals(metro)
    frame = next(f for f in map_shapes.inset_frames() if f["n"] == "Guyane")
    xs = [p[0] for p in frame["path"]]
    ys = [p[1] for p in frame["path"]]
    minx, miny, maxx, maxy = moved[0].bounds
    assert min(xs) < minx and maxx < max(xs)
    assert min(ys) < miny and maxy < max(ys)


# --- Navigation --------------------------------------------------------------------------------
def test_state_from_query_parameters_and_back():
    state, notes = map_state.parse_state(
        {"niveau": "commune", "territoire": "departement:35", "indicateur": "ips", "periode": "2022-2024"}
    )
    assert notes == []
    assert state == map_state.MapState("commune", ("departement", "35"), "ips", (2022, 2024))
    assert state.to_query() == {
        "niveau": "commune",
        "territoire": "departement:35",
        "indicateur": "ips",
        "periode": "2022-2024",
    }


def test_bad_query_parameters_fall_back_with_french_notes():
    state, notes = map_state.parse_state(
        {"niveau": "canton", "territoire": "35", "indicateur": "bonheur", "periode": "2030-2031"}
    )
    assert state == map_state.MapState()
    assert len(notes) == 4
    assert notes[0].startswith("Niveau « canton » inconnu")
    assert "departement:35" in notes[1]
    assert "Indicateur « bonheur » inconnu" in notes[2]
    assert "2030-2031" in notes[3]


def test_resolve_drill_and_breadcrumb_on_rennes(rennes):
    territories = territory_index(rennes)
    # A click on Bretagne: the région has one académie, so its départements are drawn.
    state = map_state.drill(map_state.MapState(niveau="region"), "region", "53")
    state, notes = map_state.resolve(state, territories)
    assert notes == []
    assert state.territoire == ("region", "53") and state.niveau == "departement"
    assert sorted(map_state.inside(territories, state)["code"]) == ["22", "29", "35", "56"]
    # A click on Ille-et-Vilaine: its communes.
    state = map_state.drill(state, "departement", "35")
    assert state.niveau == "commune"
    communes = rennes.execute("select count(*) from territory where level = 'commune' and departement_code = '35'")
    assert len(map_state.inside(territories, state)) == communes.fetchone()[0]
    crumbs = map_state.breadcrumb(state, territories)
    assert [c.label for c in crumbs] == ["France entière", "Bretagne", "Académie de Rennes", "Ille-et-Vilaine"]
    assert crumbs[-1].state is None
    assert crumbs[2].state.territoire == ("academie", "14") and crumbs[2].state.niveau == "departement"
    assert crumbs[0].state.territoire is None and crumbs[0].state.niveau == "region"


def test_a_commune_breadcrumb_goes_through_its_epci_and_a_single_academie_is_announced(rennes):
    territories = territory_index(rennes)
    state = map_state.MapState(niveau="etablissement", territoire=("commune", "35238"))
    crumbs = map_state.breadcrumb(state, territories)
    assert [c.label for c in crumbs] == [
        "France entière",
        "Bretagne",
        "Académie de Rennes",
        "Ille-et-Vilaine",
        "Rennes Métropole",
        "Rennes",
    ]
    assert crumbs[3].state.territoire == ("departement", "35") and crumbs[3].state.niveau == "commune"
    assert crumbs[4].state.territoire == ("epci", "243500139") and crumbs[4].state.niveau == "commune"
    # Bretagne has one académie: opening it on its départements says so; the académie view does not.
    bretagne = map_state.MapState(niveau="departement", territoire=("region", "53"))
    assert map_state.skipped_level_note(bretagne, territories) == (
        "La région Bretagne ne compte qu'une académie (Académie de Rennes) : ses départements sont "
        "dessinés directement, sans passer par le niveau des académies."
    )
    assert (
        map_state.skipped_level_note(
            map_state.MapState(niveau="departement", territoire=("academie", "14")), territories
        )
        is None
    )
    assert map_state.skipped_level_note(state, territories) is None


def test_resolve_corrects_impossible_views(rennes):
    territories = territory_index(rennes)
    state, notes = map_state.resolve(map_state.MapState(niveau="etablissement"), territories)
    assert state.niveau == map_state.DEFAULT_NIVEAU and "établissements" in notes[0]
    state, notes = map_state.resolve(map_state.MapState(territoire=("departement", "75")), territories)
    assert state.territoire is None and "absent de l'entrepôt" in notes[0]
    state, _ = map_state.resolve(map_state.MapState(niveau="region", territoire=("departement", "35")), territories)
    assert state.niveau == "commune"


def test_epcis_of_a_departement_include_those_reaching_into_it(rennes):
    territories = territory_index(rennes)
    state = map_state.MapState(niveau="epci", territoire=("departement", "35"))
    epcis = set(map_state.inside(territories, state)["code"])
    expected = {
        code
        for (code,) in rennes.execute(
            "select distinct epci_code from territory where level = 'commune' and departement_code = '35' "
            "and epci_code is not null"
        ).fetchall()
    }
    assert epcis == expected and len(epcis) > 10


def test_compact_deck_is_pydeck_json_without_whitespace():
    rows = [
        {"c": "35", "n": "Ille-et-Vilaine", "v": "1 €", "d": "", "f": [1, 2, 3], "p": [0.0, 0.0, 1.0, 0.0, 1.0, 1.0]}
    ]
    deck = map_deck.make_deck(rows, None, map_deck.fit_view((0.0, 0.0, 1.0, 1.0)))
    text = deck.to_json()
    assert json.loads(text) == json.loads(super(map_deck.CompactDeck, deck).to_json())
    assert ", " not in text and "\n" not in text
    layer = json.loads(text)["layers"][0]
    assert layer["positionFormat"] == "XY"  # a literal, not an "@@=" accessor


def test_marks_shrink_when_many_schools_share_the_map():
    assert [map_deck.mark_scale(n) for n in (2, 100, 101, 500, 501, 1500)] == [1.0, 1.0, 0.6, 0.6, 0.45, 0.45]


def test_territory_outlines_are_not_pickable():
    # Picked on pointer-down, the outlines made clicks on the bigger maps too slow to count.
    rows = [{"c": "35", "n": "I", "v": "1 €", "d": "", "f": [1, 2, 3], "p": [0.0, 0.0, 1.0, 0.0, 1.0, 1.0]}]
    spec = json.loads(map_deck.make_deck(rows, None, map_deck.fit_view((0.0, 0.0, 1.0, 1.0))).to_json())
    territories = spec["layers"][0]
    assert territories["pickable"] is True
    assert territories["_subLayerProps"] == {"stroke": {"pickable": False}}


def test_nothing_is_highlighted_under_the_pointer():
    # A highlight redraws the whole map (~0.7 s in software WebGL): a click pressed meanwhile was lost.
    rows = [{"c": "35", "n": "I", "v": "1 €", "d": "", "f": [1, 2, 3], "p": [0.0, 0.0, 1.0, 0.0, 1.0, 1.0]}]
    schools = {kind: [{"c": "0350001A", "q": [0.5, 0.5]}] for kind in map_deck.SCHOOL_LAYERS}
    spec = json.loads(map_deck.make_deck(rows, schools, map_deck.fit_view((0.0, 0.0, 1.0, 1.0))).to_json())
    assert [layer["id"] for layer in spec["layers"]] == [map_deck.TERRITORY_LAYER, *map_deck.SCHOOL_LAYERS.values()]
    assert [layer.get("autoHighlight", False) for layer in spec["layers"]] == [False] * 4
