"""Peer-group rules on hand-made territories: bands, combinations, nearest neighbours, errors."""

import math

import pandas as pd
import pytest

from explorer.analysis.peers import (
    GROUP_SIZE,
    PeerError,
    chosen_group,
    default_peers,
    density_class,
    ips_band,
    peer_group,
    population_band,
)
from explorer.formatting import NNBSP


def communes() -> pd.DataFrame:
    # code, population, area (km²), IPS, overseas, x (a variable for the nearest neighbours)
    rows = [
        ("A", 2_500, 10.0, 102.0, False, 0.0),  # 2 000–3 500, 250 hab./km² (intermédiaire), IPS 100–105
        ("B", 3_000, 100.0, 98.0, False, 1.0),  # 2 000–3 500, 30 hab./km² (rural), IPS 95–100
        ("C", 2_100, 5.0, 104.0, False, 3.0),  # 2 000–3 500, 420 hab./km² (urbain), IPS 100–105
        ("D", 3_400, 20.0, 101.0, False, 10.0),  # 2 000–3 500, 170 hab./km² (intermédiaire), IPS 100–105
        ("E", 2_600, 12.0, 90.0, True, 0.5),  # 2 000–3 500 but overseas
        ("F", 12_000, 30.0, 103.0, False, 0.1),  # 10 000–20 000
    ]
    return pd.DataFrame(rows, columns=["code", "population", "area_km2", "ips", "is_overseas", "x"]).assign(
        name=lambda f: "Commune " + f["code"]
    )


def test_population_bands_follow_the_ofgl_strates_for_communes():
    assert population_band("commune", 499) == "moins de 500 habitants"
    assert population_band("commune", 500) == f"de 500 à 2{NNBSP}000 habitants"
    assert population_band("commune", 3_499) == f"de 2{NNBSP}000 à 3{NNBSP}500 habitants"
    assert population_band("commune", 100_000) == f"100{NNBSP}000 habitants ou plus"
    assert population_band("departement", 1_060_199) == f"1{NNBSP}000{NNBSP}000 habitants ou plus"
    assert population_band("epci", 14_999) == f"moins de 15{NNBSP}000 habitants"
    assert population_band("commune", None) is None
    with pytest.raises(PeerError, match="Niveau"):
        population_band("pays", 1)


def test_density_and_ips_bands():
    assert density_class(590, 10) == "peu dense (rural)"  # 59 hab./km²
    assert density_class(600, 10) == "densité intermédiaire"  # 60
    assert density_class(3_000, 10) == "dense (urbain)"  # 300
    assert density_class(100, 0) is None
    assert ips_band(102.3) == "IPS de 100 à 105"
    assert ips_band(94.9) == "IPS moins de 95"
    assert ips_band(float("nan")) is None


def test_band_rules_and_their_combination():
    frame = communes()
    strate = peer_group(frame, "commune", "A", ["strate"])
    assert strate.codes == ("B", "C", "D", "E")
    assert f"même strate de population (de 2{NNBSP}000 à 3{NNBSP}500 habitants)" in strate.explanation
    assert strate.explanation.startswith("4 communes retenues comme pairs de Commune A")
    assert peer_group(frame, "commune", "A", ["strate", "outre_mer"]).codes == ("B", "C", "D")
    assert peer_group(frame, "commune", "A", ["strate", "outre_mer", "densite"]).codes == ("D",)
    assert peer_group(frame, "commune", "A", ["strate", "ips"]).codes == ("C", "D")
    assert peer_group(frame, "commune", "E", ["outre_mer"]).codes == ()


def test_nearest_neighbours_on_standardised_variables():
    frame = communes()
    # One variable: standardising keeps the order; |x - 1| = 1 (A), 2 (C), 0.5 (E), 0.9 (F), 9 (D).
    group = peer_group(frame, "commune", "B", ["voisins"], ["x"], k=3)
    assert group.codes == ("E", "F", "A")
    assert "les 3 plus proches sur : x (variables centrées réduites, distance euclidienne)" in group.explanation
    # Combined with the band rules: neighbours among the same strate and metropolitan France only.
    assert peer_group(frame, "commune", "B", ["strate", "outre_mer", "voisins"], ["x"], k=2).codes == ("A", "C")
    # Two variables on very different scales: standardisation makes both count.
    two = frame.assign(y=[0.0, 1000.0, 0.0, 1000.0, 0.0, 0.0])
    z_x = (two["x"] - two["x"].mean()) / two["x"].std(ddof=0)
    z_y = (two["y"] - two["y"].mean()) / two["y"].std(ddof=0)
    expected = sorted(
        "ACDEF", key=lambda c: math.dist((z_x[1], z_y[1]), (z_x["ABCDEF".index(c)], z_y["ABCDEF".index(c)]))
    )
    assert peer_group(two, "commune", "B", ["voisins"], ["x", "y"], k=2).codes == tuple(expected[:2])
    # Raw distances would pick D (every other commune is 1 000 away on y). Standardised (sd of x
    # 3.53, of y 471): E is 0.5 / 3.53 = 0.14 sd away on x and 2.12 sd on y (distance 2.13),
    # D is 9 / 3.53 = 2.55 sd away on x and 0 on y (2.55): E comes first.
    assert expected[0] == "E"
    assert peer_group(two, "commune", "B", ["voisins"], ["x", "y"], k=1).codes == ("E",)


def test_rule_errors_are_french_and_name_the_problem():
    frame = communes()
    with pytest.raises(PeerError, match="Règle « taille » inconnue"):
        peer_group(frame, "commune", "A", ["taille"])
    with pytest.raises(PeerError, match="absent"):
        peer_group(frame, "commune", "Z", ["strate"])
    with pytest.raises(PeerError, match="au moins un indicateur"):
        peer_group(frame, "commune", "A", ["voisins"])
    with pytest.raises(PeerError, match="pas de valeur"):
        peer_group(frame.assign(x=[None, 1, 2, 3, 4, 5]), "commune", "A", ["voisins"], ["x"])
    with pytest.raises(PeerError, match="Aucune règle"):
        peer_group(frame, "commune", "A", [])


def test_default_peers_are_the_nearest_of_the_strate_on_population_density_and_ips():
    frame = communes()
    # A (2 500 hab., 250 hab./km², IPS 102): D (3 400, 170, 101) is nearest, then C (2 100, 420,
    # 104); B (30 hab./km², IPS 98) is farthest. E is overseas, F in another strate.
    group = default_peers(frame, "commune", "A")
    assert group.codes == ("D", "C", "B")
    assert "même strate de population (de 2" in group.explanation
    assert "les 3 plus proches sur : Population" in group.explanation
    fallback = default_peers(frame, "commune", "F")  # alone in its strate
    assert fallback.explanation.startswith("La strate de population de Commune F ne compte que 0 autre")
    assert fallback.codes == ("D", "A", "C", "B")  # every metropolitan commune, nearest first


def test_default_peers_stay_in_the_region_and_are_a_group_of_a_few_dozen():
    rows = [
        (f"C{i:03d}", 1_000 + 10 * i, 10.0 + i % 7, 95.0 + i % 11, False, "53" if i < 40 else "52") for i in range(300)
    ]
    frame = pd.DataFrame(rows, columns=["code", "population", "area_km2", "ips", "is_overseas", "region_code"])
    frame = frame.assign(name="Commune " + frame["code"], region_name=frame["region_code"].map({"53": "Bretagne"}))
    group = default_peers(frame, "commune", "C005")
    assert len(group.codes) == GROUP_SIZE == 30
    assert all(int(c[1:]) < 40 for c in group.codes)  # the 39 others of Bretagne first
    assert "même région (Bretagne)" in group.explanation
    lonely = frame.assign(region_code=["53" if i < 5 else "52" for i in range(300)])
    lonely = lonely.assign(region_name=lonely["region_code"].map({"53": "Bretagne", "52": "Pays de la Loire"}))
    group = default_peers(lonely, "commune", "C002")  # 4 others in its région: not enough
    assert "même région" not in group.explanation
    assert len(group.codes) == 30


def test_chosen_group_keeps_order_drops_the_target_and_checks_codes():
    frame = communes()
    group = chosen_group(frame, "commune", "A", ["C", "A", "B", "C"])
    assert group.codes == ("C", "B")
    assert group.explanation == "2 communes choisies comme pairs : Commune C, Commune B."
    with pytest.raises(PeerError, match="« Q » absent"):
        chosen_group(frame, "commune", "A", ["Q"])
