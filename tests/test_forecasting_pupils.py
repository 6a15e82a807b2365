"""Shares of a territory's pupils in the schools each funder equips, by hand and on the fixture."""

from __future__ import annotations

import pandas as pd
import pytest

from forecasting.pupils import funded_shares, funded_shares_by_territory, pupils_sentence, shares_from_pupils

PUPILS = pd.DataFrame(
    {
        "kind": ["college", "college", "ecole", "ecole", "lycee", "lycee"],
        "sector": ["prive", "public", "prive", "public", "prive", "public"],
        "pupils": [100, 300, 150, 350, 25, 75],
    }
)  # 1 000 pupils


def test_shares_follow_the_competence_public_schools_only():
    assert shares_from_pupils(PUPILS) == pytest.approx(
        {"etat": 1.0, "region": 0.075, "departement": 0.3, "epci": 0.35, "commune": 0.35}
    )
    assert shares_from_pupils(PUPILS.iloc[0:0]) == {}


def test_the_sentence_gives_the_amount_per_pupil_of_the_territory():
    shares = shares_from_pupils(PUPILS)
    assert pupils_sentence("departement", shares, 40) == (
        "40\u00a0€ par collégien du public font 12,00\u00a0€ par élève du territoire : les collèges publics "
        "accueillent 30\u202f% de ses élèves (dernière rentrée connue)."
    )
    assert pupils_sentence("etat", shares, 40) is None
    none = shares_from_pupils(PUPILS[PUPILS["kind"] != "lycee"])
    assert pupils_sentence("region", none, 40).startswith("Ce territoire n'a aucun élève en lycées publics")


def test_shares_of_a_departement_of_the_fixture(rennes):
    shares = funded_shares(rennes, "departement", "22")
    (college, total) = rennes.execute(
        "select sum(y.pupils) filter (where s.kind = 'college' and s.sector = 'public'), sum(y.pupils) "
        "from school_year y join school s using (uai) where s.departement_code = '22' "
        "and y.rentree_year = (select max(rentree_year) from school_year)"
    ).fetchone()
    assert shares["departement"] == pytest.approx(college / total)
    assert shares["etat"] == 1.0
    assert 0 < shares["region"] < shares["departement"] < shares["commune"] < 1


def test_one_query_gives_every_territorys_shares_as_one_by_one(rennes):
    every = funded_shares_by_territory(rennes, "departement")
    assert sorted(every) == ["22", "29", "35", "56"]
    for code in every:
        assert every[code] == pytest.approx(funded_shares(rennes, "departement", code))
