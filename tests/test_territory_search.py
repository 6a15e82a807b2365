"""Territory and school search: accents, case, hyphens and codes; references LEVEL:CODE."""

from pathlib import Path

import pandas as pd
import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from explorer.errors import TerritoryError
from explorer.geo.search import find, normalise, parse_territory, school_directory, search, search_index
from explorer.geo.territories import territory_index

APP = str(Path(__file__).resolve().parents[1] / "streamlit_app.py")

TERRITORIES = pd.DataFrame(
    {
        "level": ["region", "departement", "departement", "commune", "commune", "commune", "epci"],
        "code": ["53", "35", "22", "35238", "42218", "35001", "243500139"],
        "name": [
            "Bretagne",
            "Ille-et-Vilaine",
            "Côtes-d'Armor",
            "Rennes",
            "Saint-Étienne",
            "Acigné",
            "Rennes Métropole",
        ],
        "population": [3_400_000, 1_079_000, 600_000, 225_000, 171_000, 7_000, 470_000],
    }
)


def test_normalise_removes_accents_case_and_hyphens():
    assert normalise("Côtes-d'Armor") == "cotes d armor"
    assert normalise("  SAINT-ÉTIENNE ") == "saint etienne"
    assert normalise("Œuilly") == "oeuilly"


@pytest.mark.parametrize(
    ("query", "first"),
    [
        ("ille et vilaine", ("departement", "35")),
        ("ILLE-ET-VILAINE", ("departement", "35")),
        ("35", ("departement", "35")),
        ("saint etienne", ("commune", "42218")),
        ("Saint-Étienne", ("commune", "42218")),
        ("cotes d'armor", ("departement", "22")),
        ("departement:22", ("departement", "22")),
        ("acigne", ("commune", "35001")),
    ],
)
def test_search_finds_the_territory_first(query, first):
    found = search(TERRITORIES, query)
    assert (found.at[0, "level"], found.at[0, "code"]) == first


def test_search_ranks_exact_names_before_longer_ones_and_labels_levels():
    found = search(TERRITORIES, "rennes")
    assert found["code"].tolist() == ["35238", "243500139"]  # exact name first, then « Rennes Métropole »
    assert found.at[0, "label"] == "Rennes (commune 35238)"
    assert found.at[1, "label"] == "Rennes Métropole (EPCI 243500139)"
    assert search(TERRITORIES, "  ").empty
    assert search(TERRITORIES, "lyon").empty


def test_parse_and_find():
    assert parse_territory("departement:35") == ("departement", "35")
    assert parse_territory(" commune : 35238 ") == ("commune", "35238")
    for bad in ("35", "pays:FR", "departement:"):
        with pytest.raises(TerritoryError, match="NIVEAU:CODE"):
            parse_territory(bad)
    assert find(TERRITORIES, "commune", "35238")["name"] == "Rennes"
    with pytest.raises(TerritoryError, match="absent de l'entrepôt"):
        find(TERRITORIES, "commune", "99999")


SCHOOLS = pd.DataFrame(
    {
        "uai": ["0350001A", "0350476C", "0350912B", "0220139G"],
        "name": ["École primaire Molière", "École élémentaire Jules Ferry", "Lycée Jules Ferry", "École Jules Ferry"],
        "kind": ["ecole", "ecole", "lycee", "ecole"],
        "commune_code": ["35001", "35238", "35238", "22107"],
        "commune_name": ["Acigné", "Rennes", "Rennes", "Bon Repos sur Blavet"],
    }
)
INDEX = search_index(TERRITORIES, SCHOOLS)


@pytest.mark.parametrize("query", ["0350001a", "0350001A", " 0350001a ", "etablissement:0350001a"])
def test_a_school_is_found_by_its_uai_whatever_the_case(query):
    found = search(INDEX, query)
    assert found.loc[0].to_dict() == {
        "level": "etablissement",
        "code": "0350001A",
        "name": "École primaire Molière",
        "label": "École primaire Molière (école, Acigné — UAI 0350001A)",
    }
    assert len(found) == 1


def test_a_school_is_found_by_its_name_and_commune_without_accents():
    found = search(INDEX, "ecole jules ferry rennes")
    # The école of Rennes only: the lycée is not an « école », the other école is not in Rennes.
    assert found["code"].tolist() == ["0350476C"]
    assert found.at[0, "label"] == "École élémentaire Jules Ferry (école, Rennes — UAI 0350476C)"
    assert search(INDEX, "JULES-FERRY")["code"].tolist() == ["0220139G", "0350476C", "0350912B"]


def test_schools_come_after_the_territories_of_the_same_rank():
    found = search(INDEX, "rennes")
    # Exact name, then names starting with it (the EPCI), then the schools of Rennes (all words).
    assert found["code"].tolist() == ["35238", "243500139", "0350476C", "0350912B"]
    assert found["level"].tolist()[2:] == ["etablissement", "etablissement"]
    assert found.at[3, "label"] == "Lycée Jules Ferry (lycée, Rennes — UAI 0350912B)"


def test_the_index_gives_the_same_answers_as_the_plain_territory_table():
    for query in ("ille et vilaine", "35", "saint etienne", "departement:22", "bretagne"):
        assert search(search_index(TERRITORIES), query).equals(search(TERRITORIES, query))


def test_the_warehouse_directory_names_every_school_with_its_commune(rennes):
    directory = school_directory(rennes)
    (schools,) = rennes.execute("select count(*) from school").fetchone()
    assert len(directory) == schools
    row = directory.set_index("uai").loc["0350844C"]
    assert (row["name"], row["kind"], row["commune_name"]) == ("Collège Jules Ferry", "college", "Rennes")
    index = search_index(territory_index(rennes), directory)
    found = search(index, "college jules ferry rennes")
    assert found.loc[0, ["level", "code"]].tolist() == ["etablissement", "0350844C"]


def test_a_school_found_in_the_search_opens_its_sheet(monkeypatch, rennes_db):
    switches: list[tuple[str, dict]] = []
    real = st.switch_page

    def recorded(page, *, query_params=None):  # type: ignore[no-untyped-def]
        switches.append((str(page), dict(query_params or {})))
        return real(page, query_params=query_params)

    monkeypatch.setattr(st, "switch_page", recorded)
    monkeypatch.setenv("EXPLORER_DB", str(rennes_db))
    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    at = at.switch_page("pages/diagnostic.py").run()
    at.text_input(key="diagnostic_recherche").input("0350844c").run()
    results = at.selectbox(key="diagnostic_resultat")
    assert results.options == ["Collège Jules Ferry (collège, Rennes — UAI 0350844C)"]
    results.select_index(0).run()
    assert not at.exception
    assert switches == [("pages/diagnostic.py", {"territoire": "etablissement:0350844C"})]
    assert [t.value for t in at.title] == ["Diagnostic"]
