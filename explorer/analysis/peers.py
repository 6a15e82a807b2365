"""Peer groups: the territories a finance department compares one territory with.

Rules are pure functions on a DataFrame of the territories of one level (hand-made in the
tests, :func:`peer_frame` from the warehouse); each group comes with the French sentence that
says how it was built:

- ``strate``: same population band (OFGL-like strates for communes, bands suited to the other
  levels, :data:`POPULATION_BANDS`);
- ``densite``: same density class (peu dense / intermédiaire / dense, from the mean density);
- ``ips``: same band of mean IPS;
- ``outre_mer``: same status, metropolitan France or overseas;
- ``voisins``: the ``k`` nearest on chosen variables, standardised (mean 0, standard deviation
  1 over the territories of the level), Euclidean distance — among the territories the other
  chosen rules keep.

The band rules combine (a territory must share every band); the target is never its own peer.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any  # pandas cells: numbers, None or NaN

import duckdb
import numpy as np
import pandas as pd

from explorer import vocabulary as voc
from explorer.analysis.features import VARIABLES, log_density, log_population
from explorer.errors import PeerError
from explorer.facts.indicators import INDICATORS, compute, get_indicator, territory_facts
from explorer.formatting import fr_number
from explorer.warehouse.sqlfiles import read_sql

RULES = {
    "strate": "même strate de population",
    "densite": "même densité (rural / urbain)",
    "ips": "même tranche d'IPS",
    "outre_mer": "même statut métropole / outre-mer",
    "region": "même région",
    "voisins": "plus proches voisins sur des indicateurs",
}
DEFAULT_RULES = ("strate", "outre_mer")
DEFAULT_K = 5
MIN_PEERS = 2
# The Diagnostic's peer group: a few dozen territories at most, same région first when it
# holds at least MIN_REGION_CANDIDATES of them, nearest on the profile variables.
GROUP_SIZE = 30
MIN_REGION_CANDIDATES = 10
PROFILE_VARIABLES = ("log_population", "log_density", "ips")
# Upper bounds (inhabitants) of the population bands; the last band is open. Communes follow
# the OFGL strates; the other levels get bands that split France's territories in a few groups.
POPULATION_BANDS: dict[str, tuple[int, ...]] = {
    "commune": (500, 2_000, 3_500, 10_000, 20_000, 50_000, 100_000),
    "epci": (15_000, 30_000, 50_000, 100_000, 300_000),
    "departement": (250_000, 500_000, 1_000_000),
    "academie": (1_000_000, 2_000_000, 4_000_000),
    "region": (2_000_000, 4_000_000, 6_000_000),
}
DENSITY_BOUNDS = (60.0, 300.0)  # inhabitants per km²
DENSITY_LABELS = ("peu dense (rural)", "densité intermédiaire", "dense (urbain)")
IPS_BOUNDS = (95.0, 100.0, 105.0)
NEIGHBOUR_VARIABLES = (
    "invest_per_pupil",
    "ent_visits_per_pupil_week",
    "resource_per_pupil",
    "coverage_share",
    "ips",
    "log_population",
    "log_density",
)
_LOG_LABELS = {
    "log_population": "Population (log10 des habitants)",
    "log_density": "Densité de population (log10 des habitants par km²)",
}


@dataclass(frozen=True)
class PeerGroup:
    """The peers of ``target`` (level ``level``) and how they were chosen."""

    level: str
    target: str
    codes: tuple[str, ...]
    rules: tuple[str, ...]
    explanation: str


def _band_text(lo: float | None, hi: float | None, unit: str) -> str:
    unit = f" {unit}" if unit else ""
    if lo is None:
        return f"moins de {fr_number(hi)}{unit}"
    if hi is None:
        return f"{fr_number(lo)}{unit} ou plus"
    return f"de {fr_number(lo)} à {fr_number(hi)}{unit}"


def _band(value: Any, bounds: Sequence[float], unit: str) -> str | None:
    """The band of ``value`` among ``bounds`` (lower bound included), as French text."""
    if value is None or pd.isna(value):
        return None
    v = float(value)
    edges: list[float | None] = [None, *bounds, None]
    for lo, hi in itertools.pairwise(edges):
        if (lo is None or v >= lo) and (hi is None or v < hi):
            return _band_text(lo, hi, unit)
    return None  # pragma: no cover - the bands cover the real line


def population_band(level: str, population: Any) -> str | None:
    """« de 2 000 à 3 500 habitants » for a commune of 2 500 inhabitants; None when unknown."""
    if level not in POPULATION_BANDS:
        raise PeerError(f"Niveau « {level} » inconnu : {', '.join(POPULATION_BANDS)}.")
    return _band(population, POPULATION_BANDS[level], "habitants")


def density_class(population: Any, area_km2: Any) -> str | None:
    """Density class from the mean density: below 60 hab./km² « peu dense (rural) », from 300 « dense (urbain) »."""
    if population is None or area_km2 is None or pd.isna(population) or pd.isna(area_km2) or float(area_km2) <= 0:
        return None
    density = float(population) / float(area_km2)
    index = int(np.searchsorted(DENSITY_BOUNDS, density, side="right"))
    return DENSITY_LABELS[index]


def ips_band(ips: Any) -> str | None:
    """« IPS de 100 à 105 » for 102.3; None when unknown."""
    band = _band(ips, IPS_BOUNDS, "")
    return None if band is None else "IPS " + band


def overseas_status(is_overseas: object) -> str | None:
    if is_overseas is None or pd.isna(is_overseas):
        return None
    return "outre-mer" if bool(is_overseas) else "métropole"


def _band_series(values: pd.Series, bounds: Sequence[float], unit: str) -> pd.Series:
    """:func:`_band` of every value at once (a level of 35 000 communes in one pass)."""
    numbers = pd.to_numeric(values, errors="coerce").astype(float)
    index = np.searchsorted(np.asarray(bounds, dtype=float), numbers.to_numpy(), side="right")
    texts = [_band_text(lo, hi, unit) for lo, hi in itertools.pairwise([None, *bounds, None])]
    bands = pd.Series([texts[i] for i in index], index=values.index, dtype=object)
    return bands.where(numbers.notna(), None)


def _bands(frame: pd.DataFrame, level: str, rule: str) -> pd.Series:
    if rule == "strate":
        if level not in POPULATION_BANDS:
            raise PeerError(f"Niveau « {level} » inconnu : {', '.join(POPULATION_BANDS)}.")
        return _band_series(frame["population"], POPULATION_BANDS[level], "habitants")
    if rule == "densite":
        return pd.Series(
            [density_class(p, a) for p, a in zip(frame["population"], frame["area_km2"], strict=True)],
            index=frame.index,
        )
    if rule == "ips":
        bands = _band_series(frame["ips"], IPS_BOUNDS, "")
        return bands.map(lambda band: "IPS " + band if isinstance(band, str) else None)
    if rule == "outre_mer":
        return frame["is_overseas"].map(overseas_status)
    if rule == "region":
        names = frame["region_name"] if "region_name" in frame else frame["region_code"]
        return names.where(frame["region_code"].notna(), None)
    raise PeerError(f"Règle « {rule} » inconnue : {', '.join(RULES)}.")  # pragma: no cover - checked by caller


def _standardised(frame: pd.DataFrame, variables: Sequence[str]) -> pd.DataFrame:
    values = frame[list(variables)].apply(pd.to_numeric, errors="coerce").astype(float)
    std = values.std(ddof=0).replace(0, np.nan)
    return (values - values.mean()) / std


def _of(name: str) -> str:
    """« de Rennes », « d'Essé » (elision before a vowel)."""
    return f"d'{name}" if name[:1].upper() in "AEIOUYÉÈÊÎÔ" else f"de {name}"


def peer_group(
    frame: pd.DataFrame,
    level: str,
    code: str,
    rules: Sequence[str] = DEFAULT_RULES,
    variables: Sequence[str] = (),
    k: int = DEFAULT_K,
) -> PeerGroup:
    """Peers of territory ``code`` by the combined ``rules``.

    Parameters
    ----------
    frame : one row per territory of ``level``: ``code, name`` (str), ``population``,
        ``area_km2``, ``ips`` (float, may be missing), ``is_overseas`` (bool), and one float
        column per entry of ``variables`` (for the ``voisins`` rule).
    level : the territories' level (chooses the population bands).
    code : the target.
    rules : keys of :data:`RULES`.
    variables : columns the ``voisins`` rule compares (at least one).
    k : number of nearest neighbours kept by ``voisins``.
    """
    rules = tuple(dict.fromkeys(rules))
    unknown = [r for r in rules if r not in RULES]
    if unknown:
        raise PeerError(f"Règle « {unknown[0]} » inconnue : règles possibles {', '.join(RULES)}.")
    if not rules:
        raise PeerError("Aucune règle choisie : choisissez au moins une règle de constitution des pairs.")
    if level not in POPULATION_BANDS:
        raise PeerError(f"Niveau « {level} » inconnu : {', '.join(POPULATION_BANDS)}.")
    targets = frame.index[frame["code"] == code]
    if len(targets) == 0:
        raise PeerError(f"Territoire « {level}:{code} » absent de la liste des {voc.LEVEL_PLURALS[level]}.")
    target = targets[0]
    keep = pd.Series(True, index=frame.index)
    keep[target] = False
    parts: list[str] = []
    for rule in rules:
        if rule == "voisins":
            continue
        bands = _bands(frame, level, rule)
        band = bands[target]
        if band is None:
            raise PeerError(
                f"Règle « {RULES[rule]} » impossible pour « {frame.at[target, 'name']} » : valeur inconnue "
                "(population, superficie ou IPS manquant). Choisissez une autre règle."
            )
        keep &= bands == band
        parts.append(f"{RULES[rule]} ({band})")
    candidates = frame[keep]
    if "voisins" in rules:
        variables = tuple(dict.fromkeys(variables))
        if not variables:
            raise PeerError("Plus proches voisins : choisissez au moins un indicateur de comparaison.")
        missing = [v for v in variables if v not in frame.columns]
        if missing:
            raise PeerError(f"Plus proches voisins : variable « {missing[0]} » absente de la table des territoires.")
        if k < 1:
            raise PeerError(f"Plus proches voisins : k={k} doit valoir au moins 1.")
        z_all = _standardised(frame, variables)
        if z_all.loc[target].isna().any():
            raise PeerError(
                f"Plus proches voisins : « {frame.at[target, 'name']} » n'a pas de valeur pour toutes les variables "
                "choisies (donnée manquante, par exemple aucun établissement mesuré). Retirez-en une."
            )
        z = z_all.loc[candidates.index].dropna()
        distance = np.sqrt(((z - z_all.loc[target]) ** 2).sum(axis=1))
        nearest = distance.sort_values(kind="stable").head(k).index
        candidates = frame.loc[nearest]
        labels = ", ".join(variable_label(v) for v in variables)
        parts.append(
            f"les {len(candidates)} plus proches sur : {labels} (variables centrées réduites, distance euclidienne)"
        )
    elif len(candidates) > GROUP_SIZE:
        # A peer group is a group: the band rules alone can keep thousands of communes.
        profile = frame.assign(
            log_population=log_population(frame["population"]),
            log_density=log_density(frame["population"], frame["area_km2"]),
        )
        usable = [v for v in PROFILE_VARIABLES if v in profile and pd.notna(profile.at[target, v])]
        if usable:
            z_all = _standardised(profile, usable)
            z = z_all.loc[candidates.index].dropna()
            distance = np.sqrt(((z - z_all.loc[target]) ** 2).sum(axis=1))
            total = len(candidates)
            candidates = frame.loc[distance.sort_values(kind="stable").head(GROUP_SIZE).index]
            labels = ", ".join(variable_label(v) for v in usable)
            parts.append(f"parmi ces {fr_number(total)}, les {len(candidates)} plus proches sur : {labels}")
    noun = voc.LEVEL_PLURALS[level]
    kept = "retenues" if level in voc.FEMININE_LEVELS else "retenus"
    explanation = (
        f"{len(candidates)} {noun} {kept} comme pairs {_of(str(frame.at[target, 'name']))} : " + " ; ".join(parts) + "."
    )
    return PeerGroup(level, code, tuple(candidates["code"]), rules, explanation)


def chosen_group(frame: pd.DataFrame, level: str, code: str, codes: Sequence[str]) -> PeerGroup:
    """Peers picked by hand (the URL's ``pairs``); unknown codes raise :class:`PeerError`."""
    known = set(frame["code"])
    unknown = [c for c in codes if c not in known]
    if unknown:
        raise PeerError(
            f"Pairs : {voc.LEVEL_NOUNS.get(level, level)} « {unknown[0]} » absent de l'entrepôt "
            f"(les pairs sont des {voc.LEVEL_PLURALS.get(level, level)} du même niveau)."
        )
    kept = tuple(c for c in dict.fromkeys(codes) if c != code)
    names = frame.set_index("code")["name"]
    listed = ", ".join(str(names[c]) for c in kept)
    chosen = "choisies" if level in voc.FEMININE_LEVELS else "choisis"
    explanation = f"{len(kept)} {voc.LEVEL_PLURALS[level]} {chosen} comme pairs : {listed}."
    return PeerGroup(level, code, kept, ("choix",), explanation)


def default_peers(frame: pd.DataFrame, level: str, code: str) -> PeerGroup:
    """The Diagnostic's peers: a group of at most :data:`GROUP_SIZE` territories.

    Candidates share the target's overseas status and population band (:data:`DEFAULT_RULES`;
    when the band holds fewer than :data:`MIN_PEERS` others, the band is dropped and the
    explanation says so), and its région when that région holds at least
    :data:`MIN_REGION_CANDIDATES` of them (EPCI and communes; ``region_code`` column). Among the
    candidates, the :data:`GROUP_SIZE` nearest on population and density (log scales) and mean
    IPS, standardised over the level, are kept; a variable the target lacks (IPS not measured)
    is left out of the distance.

    Parameters
    ----------
    frame : as for :func:`peer_group` (``code, name, population, area_km2, ips, is_overseas``),
        optionally ``region_code`` and ``region_name``.
    """
    if not (frame["code"] == code).any():
        raise PeerError(f"Territoire « {level}:{code} » absent de la liste des {voc.LEVEL_PLURALS[level]}.")
    frame = frame.assign(
        log_population=log_population(frame["population"]),
        log_density=log_density(frame["population"], frame["area_km2"]),
    )
    target = frame.index[frame["code"] == code][0]
    name = frame.at[target, "name"]
    rules: list[str] = list(DEFAULT_RULES)
    prefix = ""
    try:
        found = len(peer_group(frame, level, code, rules).codes)
    except PeerError:
        found = 0
    if found < MIN_PEERS:
        rules = ["outre_mer"]
        prefix = (
            f"La strate de population de {name} ne compte que {found} "
            f"autre(s) {voc.LEVEL_NOUNS[level]}(s) dans l'entrepôt : "
        )
    in_region = "region_code" in frame and level in ("epci", "commune") and pd.notna(frame.at[target, "region_code"])
    if in_region and len(peer_group(frame, level, code, [*rules, "region"]).codes) >= MIN_REGION_CANDIDATES:
        rules.append("region")
    variables = [v for v in PROFILE_VARIABLES if v in frame and pd.notna(frame.at[target, v])]
    if variables:
        group = peer_group(frame, level, code, [*rules, "voisins"], variables, GROUP_SIZE)
    else:
        group = peer_group(frame, level, code, rules)
    return PeerGroup(level, code, group.codes, group.rules, prefix + group.explanation)


def variable_label(variable: str) -> str:
    if variable in _LOG_LABELS:
        return _LOG_LABELS[variable]
    if variable in INDICATORS:
        return INDICATORS[variable].label
    if variable in VARIABLES:
        return VARIABLES[variable].label
    return variable


def peer_frame(
    con: duckdb.DuckDBPyConnection,
    level: str,
    period: tuple[int, int],
    variables: Sequence[str] = (),
    facts: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Territories of ``level`` with what the rules need, from the warehouse.

    Returns
    -------
    DataFrame ``code, name, population, area_km2, is_overseas, ips, pupils`` and one float
    column per variable (indicator ids of the catalogue, masked values missing, or
    ``log_population`` / ``log_density``). ``facts``: the unfiltered ``territory_facts`` of the
    level and period when the caller already has them.
    """
    context = con.execute(read_sql("queries/peer_context"), {"level": level}).df()
    if facts is None:
        facts = territory_facts(con, level, period)
    frame = context.merge(facts[["code", "ips", "pupils"]], on="code", how="left")
    cache: dict[tuple, pd.DataFrame] = {(None, None, None, None): facts}
    for variable in dict.fromkeys(variables):
        if variable == "log_population":
            frame[variable] = log_population(frame["population"]).to_numpy()
        elif variable == "log_density":
            frame[variable] = log_density(frame["population"], frame["area_km2"]).to_numpy()
        else:
            indicator = get_indicator(variable)
            key = (indicator.funder, indicator.category, indicator.profile, indicator.resource)
            if key not in cache:
                cache[key] = territory_facts(con, level, period, indicator)
            values = compute(cache[key], indicator).set_index("code")["value"]
            frame[variable] = frame["code"].map(values).astype(float).to_numpy()
    return frame
