"""Territory search: accents, case, hyphens and codes; references LEVEL:CODE."""

import pandas as pd
import pytest

from explorer.errors import TerritoryError
from explorer.geo.search import find, normalise, parse_territory, search

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
