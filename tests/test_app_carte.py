"""The « Carte » page as the user sees it (Streamlit AppTest), checked against the warehouse."""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from explorer.connectors.store import file_sha256 as sha256
from explorer.facts import indicators
from explorer.facts.indicators import INDICATORS, format_value
from explorer.formatting import fr_number
from explorer.maps import classes as map_classes
from explorer.maps import deck as map_deck

APP = str(Path(__file__).resolve().parents[1] / "streamlit_app.py")
DROM = {"971", "972", "973", "974", "976"}


def open_map(monkeypatch: pytest.MonkeyPatch, db: Path, **params: str) -> AppTest:
    """The Carte page opened from a URL with ``params`` as query parameters."""
    monkeypatch.setenv("EXPLORER_DB", str(db))
    at = AppTest.from_file(APP, default_timeout=120)
    for name, value in params.items():
        at.query_params[name] = value
    at.run()
    return at.switch_page("pages/carte.py").run()


def deck_spec(at: AppTest) -> dict:
    charts = at.get("deck_gl_json_chart")
    assert len(charts) == 1
    return json.loads(charts[0].proto.json)


def layer(spec: dict, layer_id: str) -> dict:
    return next(item for item in spec["layers"] if item["id"] == layer_id)


def territory_rows(at: AppTest) -> list[dict]:
    return layer(deck_spec(at), map_deck.TERRITORY_LAYER)["data"]


def by_code(rows: list[dict]) -> dict[str, dict]:
    """One row per territory (a territory in several parts has several identical rows)."""
    out: dict[str, dict] = {}
    for row in rows:
        out.setdefault(row["c"], row)
    return out


@pytest.fixture(scope="module")
def departements_35(rennes_db: Path) -> AppTest:
    with pytest.MonkeyPatch.context() as mp:
        yield open_map(
            mp,
            rennes_db,
            territoire="departement:35",
            niveau="commune",
            indicateur="invest_per_pupil",
            periode="2021-2025",
        )


def test_default_view_is_the_departements_with_banner(monkeypatch, rennes_db, rennes):
    at = open_map(monkeypatch, rennes_db)
    assert not at.exception and not at.error
    assert [t.value for t in at.title] == ["Carte"]
    assert any(w.value.startswith("Données simulées") for w in at.main.warning)
    codes = set(by_code(territory_rows(at)))
    assert codes == {"22", "29", "35", "56"}
    assert dict(at.query_params) == {"niveau": "departement", "indicateur": "invest_per_pupil", "periode": "2021-2025"}


def test_query_parameters_restore_the_view(departements_35, rennes):
    at = departements_35
    assert not at.exception and not at.error
    assert at.selectbox(key="carte_niveau").value == "commune"
    assert at.selectbox(key="carte_indicateur").value == "invest_per_pupil"
    assert at.select_slider(key="carte_periode").value == (2021, 2025)
    assert at.subheader[0].value == "Investissement par élève et par an — Ille-et-Vilaine, 2021-2025"
    communes = {
        c
        for (c,) in rennes.execute(
            "select code from territory where level='commune' and departement_code='35'"
        ).fetchall()
    }
    assert set(by_code(territory_rows(at))) == communes
    # Schools of the département, one layer per kind, every school with a position.
    spec = deck_spec(at)
    expected = dict(
        rennes.execute(
            "select kind, count(*) from school where departement_code='35' and lat is not null group by kind"
        ).fetchall()
    )
    for kind, layer_id in map_deck.SCHOOL_LAYERS.items():
        assert len(layer(spec, layer_id)["data"]) == expected[kind]
    assert dict(at.query_params)["territoire"] == "departement:35"


def test_tooltip_values_are_the_indicator_formatted_in_french(departements_35, rennes):
    indicator = INDICATORS["invest_per_pupil"]
    table = indicators.indicator_table(rennes, "commune", "invest_per_pupil", (2021, 2025)).set_index("code")
    rows = by_code(territory_rows(departements_35))
    shown = 0
    for code, row in rows.items():
        assert row["n"] == table.at[code, "name"]
        if table.at[code, "masked"]:
            assert row["v"] == "secret statistique"
        elif table.at[code, "value"] == table.at[code, "value"]:  # not NaN
            flag = table.at[code, "fragility"]
            assert row["v"] == format_value(indicator, table.at[code, "value"]) + (f" ({flag})" if flag else "")
            assert row["v"].split(" (")[0].endswith("€ par élève et par an")
            shown += 1
    assert shown >= 10


def test_tooltip_template_names_the_fields(departements_35):
    tooltip = json.loads(departements_35.get("deck_gl_json_chart")[0].proto.tooltip)
    for field in ("{n}", "{c}", "{v}", "{d}"):
        assert field in tooltip["html"]


def small_communes_35(rennes) -> list[str]:
    """The communes of Ille-et-Vilaine with 1 to 4 schools (more than 50 of them)."""
    few = [
        code
        for (code,) in rennes.execute(
            "select commune_code from school where departement_code = '35' group by 1 having count(*) between 1 and 4"
        ).fetchall()
    ]
    assert len(few) > 50
    return few


def test_small_communes_are_coloured_by_their_value(departements_35, rennes):
    rows = by_code(territory_rows(departements_35))
    table = indicators.indicator_table(rennes, "commune", "invest_per_pupil", (2021, 2025)).set_index("code")
    few = small_communes_35(rennes)
    for code in few:
        assert rows[code]["v"].startswith(format_value(INDICATORS["invest_per_pupil"], table.at[code, "value"]))
        assert tuple(rows[code]["f"]) != map_classes.MASKED_COLOUR
    legend_text = " ".join(m.value for m in departements_35.markdown)
    assert "secret statistique" not in legend_text


def test_masked_communes_are_grey_and_say_so_under_secrecy(monkeypatch, rennes_db, rennes, secrecy_on):
    at = open_map(monkeypatch, rennes_db, territoire="departement:35", niveau="commune", indicateur="invest_per_pupil")
    rows = by_code(territory_rows(at))
    few = small_communes_35(rennes)
    for code in few:
        assert rows[code]["v"] == "secret statistique", code
        assert tuple(rows[code]["f"]) == map_classes.MASKED_COLOUR
    legend_text = " ".join(m.value for m in at.markdown)
    assert "secret statistique (moins de 5 établissements" in legend_text


def test_colours_darken_as_the_value_grows(departements_35, rennes):
    table = indicators.indicator_table(rennes, "commune", "invest_per_pupil", (2021, 2025)).set_index("code")
    rows = by_code(territory_rows(departements_35))
    shown = sorted(
        (table.at[c, "value"], tuple(r["f"]))
        for c, r in rows.items()
        if not table.at[c, "masked"] and table.at[c, "value"] == table.at[c, "value"]
    )
    lum = [0.2126 * r + 0.7152 * g + 0.0722 * b for _, (r, g, b) in shown]
    assert all(a >= b for a, b in itertools.pairwise(lum))
    assert len(set(lum)) == 5  # five classes by default


def test_breadcrumb_goes_back_up(departements_35):
    at = departements_35
    labels = [b.label for b in at.button]
    assert labels[:3] == ["France entière ›", "Bretagne ›", "Académie de Rennes ›"]
    at.button(key="carte_crumb_2").click().run()
    assert not at.exception
    assert dict(at.query_params)["territoire"] == "academie:14"
    assert dict(at.query_params)["niveau"] == "departement"
    assert set(by_code(territory_rows(at))) == {"22", "29", "35", "56"}


def test_invalid_parameters_are_explained_and_the_default_is_shown(monkeypatch, rennes_db):
    at = open_map(monkeypatch, rennes_db, niveau="canton", indicateur="bonheur", territoire="departement:75")
    assert not at.exception and not at.error
    notes = [w.value for w in at.main.warning]
    assert any(n.startswith("Niveau « canton » inconnu") for n in notes)
    assert any("Indicateur « bonheur » inconnu" in n for n in notes)
    assert any("departement:75" in n and "absent de l'entrepôt" in n for n in notes)
    assert set(by_code(territory_rows(at))) == {"22", "29", "35", "56"}


def test_changing_the_indicator_updates_map_and_url(monkeypatch, rennes_db, rennes):
    at = open_map(monkeypatch, rennes_db)
    at.selectbox(key="carte_indicateur").select("coverage_share").run()
    assert not at.exception
    assert dict(at.query_params)["indicateur"] == "coverage_share"
    table = indicators.indicator_table(rennes, "departement", "coverage_share", (2021, 2025)).set_index("code")
    for code, row in by_code(territory_rows(at)).items():
        assert row["v"] == format_value(INDICATORS["coverage_share"], table.at[code, "value"])
        assert row["v"].endswith("% des établissements")


def test_school_view_of_a_commune(monkeypatch, rennes_db, rennes):
    at = open_map(monkeypatch, rennes_db, territoire="commune:35238", niveau="etablissement")
    assert not at.exception and not at.error
    assert set(by_code(territory_rows(at))) == {"35238"}
    spec = deck_spec(at)
    schools = {row["c"]: row for layer_id in map_deck.SCHOOL_LAYERS.values() for row in layer(spec, layer_id)["data"]}
    expected = rennes.execute(
        "select s.uai, y.pupils from school s join school_year y using (uai) "
        "where s.commune_code = '35238' and y.school_year = (select max(school_year) from school_year)"
    ).fetchall()
    assert len(schools) == len(expected) > 50
    for uai, pupils in expected:
        assert schools[uai]["d"].startswith(f"{fr_number(pupils)} élèves · ")
        assert schools[uai]["v"].endswith(" — Rennes")
    crumbs = [b.label for b in at.button]
    assert "Ille-et-Vilaine ›" in crumbs


@pytest.mark.slow
def test_national_levels_have_one_feature_per_territory_overseas_included(monkeypatch, national_db, national):
    expected = dict(national.execute("select level, count(*) from territory group by level").fetchall())
    assert expected["departement"] == 101
    for niveau in ("region", "academie", "departement"):
        at = open_map(monkeypatch, national_db, niveau=niveau)
        assert not at.exception
        rows = territory_rows(at)
        assert len(by_code(rows)) == expected[niveau], niveau
        if niveau == "departement":
            assert set(by_code(rows)) >= DROM
            frames = layer(deck_spec(at), map_deck.FRAME_LAYER)["data"]
            assert sorted(f["n"] for f in frames) == ["Guadeloupe", "Guyane", "La Réunion", "Martinique", "Mayotte"]
            # The ranking runs over the 101 départements, overseas included (30 first, 30 last shown).
            ranked = next(t for t in at.dataframe if "Rang" in t.value.columns).value
            assert len(ranked) == 60
            assert ranked["Rang"].max() == 101


@pytest.mark.slow
def test_national_commune_map_fits_the_payload_budget(monkeypatch, national_db, national):
    at = open_map(monkeypatch, national_db, niveau="commune")
    assert not at.exception
    payload = len(at.get("deck_gl_json_chart")[0].proto.json.encode("utf-8"))
    assert payload <= 6_000_000
    communes = national.execute("select count(*) from territory_shape where level = 'commune'").fetchone()[0]
    assert len(by_code(territory_rows(at))) == communes


def test_epci_level_draws_every_epci_with_its_layers(monkeypatch, rennes_db, rennes):
    at = open_map(monkeypatch, rennes_db, niveau="epci", indicateur="ent_visits_per_pupil_week")
    assert not at.exception and not at.error
    spec = deck_spec(at)
    assert [item["id"] for item in spec["layers"]] == [map_deck.TERRITORY_LAYER]  # no school points nationally
    epcis = {c for (c,) in rennes.execute("select code from territory where level = 'epci'").fetchall()}
    assert set(by_code(layer(spec, map_deck.TERRITORY_LAYER)["data"])) == epcis
    rows = by_code(layer(spec, map_deck.TERRITORY_LAYER)["data"])
    assert any(r["v"].split(" (")[0].endswith("visites par élève et par semaine") for r in rows.values())


@pytest.mark.parametrize(
    "params",
    [
        {"territoire": "departement:35' OR '1'='1", "niveau": "commune"},
        {"territoire": "commune:35238; drop table school; --"},
        {"niveau": "x" * 10_000, "indicateur": 'ips"); select 1; --', "periode": "2021-2025 or 1=1"},
        {"territoire": "region:" + "9" * 5000, "periode": "9999-0000"},
    ],
)
def test_hostile_query_parameters_get_a_french_note_never_a_traceback(monkeypatch, rennes_db, params):
    before = sha256(rennes_db)
    at = open_map(monkeypatch, rennes_db, **params)
    assert not at.exception
    assert not at.error
    notes = [w.value for w in at.main.warning if not w.value.startswith("Données simulées")]
    assert notes and all(len(n) < 400 for n in notes)  # long inputs are cut in the messages
    assert "territoire" not in dict(at.query_params)  # back to the whole of France
    assert territory_rows(at)
    assert sha256(rennes_db) == before  # nothing was dropped: the file is byte-for-byte as it was


# Each school's own figures over 2021-2025, computed here from the warehouse tables: spending
# over the pupils of the school year each spending year starts (the nearest one the data has),
# ENT visits over pupils × weeks of class of the measured school years.
OWN_INVEST_SQL = """
with bounds as (select min(rentree_year) as lo, max(rentree_year) as hi from school_year),
spending_years as (select unnest(range(2021, 2026)) as year),
pupils as (
    select y.uai, sum(y.pupils) as pupil_years
    from spending_years as s cross join bounds as b
    join school_year as y on y.rentree_year = least(greatest(s.year, b.lo), b.hi)
    where y.uai in (select uai from school where commune_code = $commune)
    group by y.uai
),
spent as (
    select uai, sum(amount_eur) as eur from investment_school where year between 2021 and 2025 group by uai
)
select p.uai, coalesce(s.eur, 0) / p.pupil_years from pupils as p left join spent as s using (uai) order by p.uai
"""
OWN_USAGE_SQL = """
with weeks as (
    select uai, sum(pupils * school_weeks) as pupil_weeks from school_year
    where measured and rentree_year between 2021 and 2025 group by uai
),
visits as (
    select uai, sum(visits) as visits from usage_school_year
    where cast(substr(school_year, 1, 4) as integer) between 2021 and 2025 group by uai
)
select w.uai, v.visits / w.pupil_weeks from weeks as w join visits as v using (uai)
where w.uai in (select uai from school where commune_code = $commune)
"""


def school_rows(spec: dict) -> dict[str, tuple[str, dict]]:
    """UAI → (layer id, row) over the three school layers."""
    return {
        row["c"]: (layer_id, row)
        for layer_id in map_deck.SCHOOL_LAYERS.values()
        if any(item["id"] == layer_id for item in spec["layers"])
        for row in layer(spec, layer_id)["data"]
    }


@pytest.fixture(scope="module")
def small_commune(rennes) -> str:
    """The first commune with exactly two schools, an école and a collège, of different investment."""
    communes = rennes.execute(
        "select commune_code from school group by 1 "
        "having count(*) = 2 and count(distinct kind) = 2 and bool_and(kind in ('ecole', 'college')) order by 1"
    ).fetchall()
    for (code,) in communes:
        values = [v for _, v in rennes.execute(OWN_INVEST_SQL, {"commune": code}).fetchall()]
        if len(values) == 2 and round(values[0]) != round(values[1]):
            return code
    raise AssertionError("aucune commune à deux établissements d'investissements différents")


@pytest.fixture(scope="module")
def small_commune_schools(rennes_db, small_commune) -> AppTest:
    with pytest.MonkeyPatch.context() as mp:
        yield open_map(mp, rennes_db, territoire=f"commune:{small_commune}", niveau="etablissement")


def test_school_level_colours_each_school_by_its_own_value(small_commune_schools, small_commune, rennes):
    at = small_commune_schools
    assert not at.exception and not at.error
    spec = deck_spec(at)
    schools = school_rows(spec)
    own = dict(rennes.execute(OWN_INVEST_SQL, {"commune": small_commune}).fetchall())
    assert set(schools) == set(own)
    # Two values, two classes: the lower value gets the lighter colour, the higher the darker.
    low, high = sorted(own, key=own.get)
    light, dark = map_classes.palette(2)
    assert tuple(schools[low][1]["f"]) == light
    assert tuple(schools[high][1]["f"]) == dark
    # The commune beneath is a neutral background, not a class colour.
    (commune_row,) = by_code(territory_rows(at)).values()
    assert tuple(commune_row["f"]) == map_deck.BACKGROUND_COLOUR
    legend_text = " ".join(m.value for m in at.markdown)
    assert "Établissements : chacun coloré selon sa propre valeur" in legend_text
    assert any(c.value.startswith("1 commune dessinée, 2 établissements.") for c in at.caption)


def test_school_marks_differ_by_kind(small_commune_schools):
    spec = deck_spec(small_commune_schools)
    kinds = {layer_id for layer_id, _ in school_rows(spec).values()}
    assert kinds == {"ecoles", "colleges"}
    ecoles, colleges = layer(spec, "ecoles"), layer(spec, "colleges")
    assert (ecoles["getRadius"], ecoles["getLineWidth"]) == (5.0, 1.0)
    assert (colleges["getRadius"], colleges["getLineWidth"]) == (7.5, 2.5)
    assert ecoles["radiusUnits"] == colleges["radiusUnits"] == "pixels"


def test_school_tooltip_gives_name_kind_commune_investment_and_use(small_commune_schools, small_commune, rennes):
    at = small_commune_schools
    schools = school_rows(deck_spec(at))
    tooltip = json.loads(at.get("deck_gl_json_chart")[0].proto.tooltip)
    assert "{i}" in tooltip["html"] and "{u}" in tooltip["html"]
    invest = INDICATORS["invest_per_pupil"]
    usage = INDICATORS["ent_visits_per_pupil_week"]
    own_invest = dict(rennes.execute(OWN_INVEST_SQL, {"commune": small_commune}).fetchall())
    own_usage = dict(rennes.execute(OWN_USAGE_SQL, {"commune": small_commune}).fetchall())
    (commune,) = rennes.execute(
        "select name from territory where level = 'commune' and code = ?", [small_commune]
    ).fetchone()
    directory = {
        uai: (name, kind, sector)
        for uai, name, kind, sector in rennes.execute(
            "select uai, name, kind, sector from school where commune_code = ?", [small_commune]
        ).fetchall()
    }
    kinds = {
        ("ecole", "public"): "École publique",
        ("ecole", "prive"): "École privée",
        ("college", "public"): "Collège public",
        ("college", "prive"): "Collège privé",
    }
    for uai, (layer_id, row) in schools.items():
        name, kind, sector = directory[uai]
        assert (row["n"], layer_id) == (name, map_deck.SCHOOL_LAYERS[kind])
        assert row["v"] == f"{kinds[kind, sector]} — {commune}"
        assert row["i"] == f"Investissement : {format_value(invest, own_invest[uai])} (2021-2025)"
        assert row["i"].endswith("€ par élève et par an (2021-2025)")
        if uai in own_usage:
            assert row["u"] == f"Usage de l'ENT : {format_value(usage, own_usage[uai])} (2021-2025)"
            assert "visites par élève et par semaine" in row["u"]
        else:
            assert row["u"] == "Usage de l'ENT : non mesuré (2021-2025)"
    # The commune row carries the two extra fields empty (no literal « {i} » in its tooltip).
    (commune_row,) = by_code(territory_rows(at)).values()
    assert (commune_row["i"], commune_row["u"]) == ("", "")


def test_school_level_ranks_the_schools(small_commune_schools, small_commune, rennes):
    at = small_commune_schools
    assert [s.value for s in at.subheader][-1] == "Classement des établissements"
    ranked = next(t for t in at.dataframe if "Rang" in t.value.columns).value
    own = dict(rennes.execute(OWN_INVEST_SQL, {"commune": small_commune}).fetchall())
    assert ranked["UAI"].tolist() == sorted(own, key=own.get, reverse=True)
    assert set(ranked["Type"]) == {"École", "Collège"}


def test_breadcrumb_of_a_commune_names_its_epci_in_full(monkeypatch, rennes_db):
    at = open_map(monkeypatch, rennes_db, territoire="commune:35238", niveau="etablissement")
    labels = [b.label for b in at.button if b.label.endswith("›")]
    assert labels == [
        "France entière ›",
        "Bretagne ›",
        "Académie de Rennes ›",
        "Ille-et-Vilaine ›",
        "Rennes Métropole ›",
    ]
    at.button(key="carte_crumb_4").click().run()
    assert dict(at.query_params)["territoire"] == "epci:243500139"
    assert dict(at.query_params)["niveau"] == "commune"


def test_drilling_into_a_region_says_that_its_only_academie_is_skipped(monkeypatch, rennes_db):
    at = open_map(monkeypatch, rennes_db, territoire="region:53", niveau="academie")
    assert dict(at.query_params)["niveau"] == "departement"
    assert (
        "La région Bretagne ne compte qu'une académie (Académie de Rennes) : ses départements sont dessinés "
        "directement, sans passer par le niveau des académies."
    ) in [c.value for c in at.caption]
    assert any(c.value.startswith("4 départements dessinés.") for c in at.caption)


def test_counts_agree_with_their_noun(monkeypatch, rennes_db):
    at = open_map(monkeypatch, rennes_db, niveau="region")
    assert any(c.value.startswith("1 région dessinée.") for c in at.caption)
    at = open_map(monkeypatch, rennes_db, niveau="academie")
    assert any(c.value.startswith("1 académie dessinée.") for c in at.caption)


def test_schools_over_a_departement_carry_name_kind_and_pupils_only(monkeypatch, rennes_db, rennes):
    # Over their communes' colours, the 900 schools of a département stay light (payload budget):
    # their own figures are at the Établissements level and in their sheet. (Its own AppTest: the
    # module's departements_35 has been clicked away by the breadcrumb test.)
    at = open_map(monkeypatch, rennes_db, territoire="departement:35", niveau="commune")
    rows = school_rows(deck_spec(at))
    assert len(rows) > 500
    assert all(set(row) == {"c", "n", "v", "d", "q"} for _, row in rows.values())
    tooltip = json.loads(at.get("deck_gl_json_chart")[0].proto.tooltip)
    assert "{i}" not in tooltip["html"]
    (pupils,) = rennes.execute(
        "select pupils from school_year where uai = '0350844C' order by school_year desc limit 1"
    ).fetchone()
    assert rows["0350844C"][1]["v"] == "Collège public — Rennes"
    assert rows["0350844C"][1]["d"].startswith(f"{fr_number(pupils)} élèves · IPS ")


def test_school_tooltip_names_the_period_figure_apart_from_the_latest_year(
    monkeypatch, rennes_db, rennes, small_commune
):
    at = open_map(
        monkeypatch, rennes_db, territoire=f"commune:{small_commune}", niveau="etablissement", indicateur="ips"
    )
    schools = school_rows(deck_spec(at))
    ips = INDICATORS["ips"]
    own = dict(
        rennes.execute(
            "select uai, sum(ips * pupils) / sum(pupils) from school_year "
            "where rentree_year between 2021 and 2025 and ips is not null "
            "and uai in (select uai from school where commune_code = ?) group by uai",
            [small_commune],
        ).fetchall()
    )
    latest = {
        uai: (year, pupils, value)
        for uai, year, pupils, value in rennes.execute(
            "select uai, school_year, pupils, ips from school_year where uai in "
            "(select uai from school where commune_code = ?) qualify row_number() over "
            "(partition by uai order by school_year desc) = 1",
            [small_commune],
        ).fetchall()
    }
    for uai, (_, row) in schools.items():
        year, pupils, value = latest[uai]
        assert row["d"] == (
            f"{fr_number(pupils)} élèves · IPS {fr_number(value, 1)} en {year} — "
            f"Indice de position sociale moyen (2021-2025) : {format_value(ips, own[uai])}"
        )


def test_a_small_schools_figure_carries_its_flag_in_the_tooltip_and_the_ranking(monkeypatch, rennes_db, rennes):
    # a school of fewer than 50 pupils a year over 2021-2025 (five school years inside the data)
    uai, commune = rennes.execute(
        """
        select y.uai, any_value(s.commune_code) from school_year as y join school as s using (uai)
        where y.rentree_year between 2021 and 2025
        group by y.uai having sum(y.pupils) < 5 * 50 and count(*) = 5 order by y.uai limit 1
        """
    ).fetchone()
    at = open_map(monkeypatch, rennes_db, territoire=f"commune:{commune}", niveau="etablissement")
    assert not at.exception and not at.error
    _, row = school_rows(deck_spec(at))[uai]
    assert row["i"].startswith("Investissement : ") and row["i"].endswith("(2021-2025, effectif faible)")
    (ranking,) = [df.value for df in at.dataframe if "UAI" in df.value.columns]
    assert ranking.set_index("UAI").at[uai, "Chiffre fragile"] == "effectif faible"
