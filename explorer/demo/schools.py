"""Simulated schools over the real communes: counts, sectors, names, positions, pupils, IPS."""

from __future__ import annotations

import numpy as np
import pandas as pd
import shapely

from explorer.codes import uai_check_letter
from explorer.demo import targets

_PATRONS = (
    "Jules Ferry",
    "Victor Hugo",
    "Jean Moulin",
    "Marie Curie",
    "Jean Jaurès",
    "Louis Pasteur",
    "Jacques Prévert",
    "Jean de La Fontaine",
    "Paul Langevin",
    "Simone Veil",
    "Albert Camus",
    "George Sand",
    "Pierre et Marie Curie",
    "Condorcet",
    "Jean Macé",
    "Lucie Aubrac",
    "Antoine de Saint-Exupéry",
    "Paul Éluard",
    "Louise Michel",
    "Émile Zola",
    "Jules Verne",
    "Molière",
    "Marcel Pagnol",
    "Olympe de Gouges",
    "Aimé Césaire",
    "Gustave Eiffel",
    "Romain Rolland",
    "Joliot-Curie",
    "Les Tilleuls",
    "Le Bourg",
    "Les Marronniers",
    "Charles Péguy",
)
_ECOLE_NATURES = ("École maternelle", "École élémentaire", "École primaire")
_LYCEE_NATURES = ("LEGT", "LP", "LPO")
_LYCEE_PREFIX = {"LEGT": "Lycée", "LP": "Lycée professionnel", "LPO": "Lycée polyvalent"}
_MEAN_PUPILS = {"École maternelle": 95, "École élémentaire": 165, "École primaire": 120}


def uai_prefix(departement: str) -> str:
    """UAI's first 3 characters for a département: '035', Corse '620'/'720', DROM '971'."""
    if departement == "2A":
        return "620"
    if departement == "2B":
        return "720"
    return departement if len(departement) == 3 else f"0{departement}"


def _expected_counts(weights: np.ndarray, total: int, rng: np.random.Generator) -> np.ndarray:
    """Integer counts per commune with expectation ``total * w / sum(w)`` (stochastic rounding)."""
    expected = total * weights / weights.sum()
    base = np.floor(expected)
    return (base + (rng.random(len(weights)) < expected - base)).astype(int)


def commune_population_for_demo(communes: pd.DataFrame) -> np.ndarray:
    """Population used to size the simulated schools.

    Mayotte's communes have no population in the package: the demo imputes one from the
    commune's area at 690 inhabitants/km² (Mayotte's order of magnitude) so that its schools
    exist; the territory table keeps the population unknown.
    """
    pop = communes["population"].astype("Float64").to_numpy(dtype=float, na_value=np.nan)
    area = communes["area_km2"].to_numpy(dtype=float)
    imputed = np.where(np.isnan(pop), np.nan_to_num(area) * 690.0, pop)
    # Communes without a shape get no school (4 small communes of Cantal).
    imputed[np.isnan(communes["lat"].to_numpy(dtype=float))] = 0.0
    return imputed


def generate_schools(communes: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    """One row per simulated school of France with its pupils of rentrée 2025.

    Parameters
    ----------
    communes : national communes with ``code, departement_code, population, area_km2, lat``.

    Returns
    -------
    DataFrame ``uai, name, kind, nature, sector, commune_code, departement_code, pupils``.
    """
    pop = commune_population_for_demo(communes)
    weights = {
        "ecole": np.power(pop, 0.72),
        "college": np.clip(pop - 1_200.0, 0, None) ** 0.92,
        "lycee": np.clip(pop - 3_500.0, 0, None) ** 0.95,
    }
    frames = []
    for kind in targets.SCHOOLS:
        counts = _expected_counts(weights[kind], targets.SCHOOLS[kind], rng)
        idx = np.repeat(np.arange(len(communes)), counts)
        n = len(idx)
        if kind == "ecole":
            nature = rng.choice(_ECOLE_NATURES, size=n, p=[0.3, 0.4, 0.3])
            mean = np.array([_MEAN_PUPILS[x] for x in nature])
        elif kind == "college":
            nature = np.full(n, "Collège", dtype=object)
            mean = np.full(n, 480.0)
        else:
            nature = rng.choice(_LYCEE_NATURES, size=n, p=[0.45, 0.30, 0.25])
            mean = np.where(nature == "LP", 330.0, 650.0)
        # Bigger schools in bigger communes.
        size = mean * np.clip(1 + 0.12 * np.log10(np.maximum(pop[idx], 50) / 2_000), 0.5, 1.6)
        pupils = size * rng.lognormal(0, 0.35, n)
        pupils = pupils * targets.PUPILS[kind] / pupils.sum()
        sector = np.where(rng.random(n) < targets.PRIVATE_SHARE[kind], "prive", "public")
        patron = rng.choice(_PATRONS, size=n)
        frames.append(
            pd.DataFrame(
                {
                    "kind": kind,
                    "nature": nature,
                    "sector": sector,
                    "commune_index": idx,
                    "commune_code": communes["code"].to_numpy()[idx],
                    "departement_code": communes["departement_code"].to_numpy()[idx],
                    "patron": patron,
                    "pupils": np.maximum(np.round(pupils), 8).astype(int),
                }
            )
        )
    schools = pd.concat(frames, ignore_index=True)
    schools["name"] = _names(schools)
    schools["uai"] = _uais(schools)
    return schools


def _names(schools: pd.DataFrame) -> np.ndarray:
    prefix = np.select(
        [schools["kind"] == "ecole", schools["kind"] == "college"],
        [schools["nature"], "Collège"],
        default=schools["nature"].map(_LYCEE_PREFIX),
    )
    private = np.where(schools["sector"] == "prive", " (privé)", "")
    return prefix.astype(object) + " " + schools["patron"].to_numpy() + private


def _uais(schools: pd.DataFrame) -> np.ndarray:
    order = schools.groupby("departement_code").cumcount().to_numpy() + 1
    prefixes = schools["departement_code"].map(uai_prefix).to_numpy()
    out = np.empty(len(schools), dtype=object)
    for i, (p, n) in enumerate(zip(prefixes, order, strict=True)):
        seven = f"{p}{n:04d}"
        out[i] = seven + uai_check_letter(seven)
    return out


def place_schools(
    schools: pd.DataFrame, communes: pd.DataFrame, geometries: np.ndarray, rng: np.random.Generator
) -> pd.DataFrame:
    """Random positions inside each school's commune (rejection sampling in the bounding box)."""
    index = pd.Series(np.arange(len(communes)), index=communes["code"].to_numpy())
    ci = index.reindex(schools["commune_code"]).to_numpy()
    geoms = geometries[ci]
    lat = communes["lat"].to_numpy(dtype=float)[ci].copy()
    lon = communes["lon"].to_numpy(dtype=float)[ci].copy()
    bounds = shapely.bounds(geoms)
    todo = np.ones(len(schools), dtype=bool)
    for _ in range(10):
        if not todo.any():
            break
        b = bounds[todo]
        x = b[:, 0] + rng.random(len(b)) * (b[:, 2] - b[:, 0])
        y = b[:, 1] + rng.random(len(b)) * (b[:, 3] - b[:, 1])
        inside = shapely.contains_xy(geoms[todo], x, y)
        rows = np.flatnonzero(todo)[inside]
        lon[rows], lat[rows] = x[inside], y[inside]
        todo[rows] = False
    out = schools.copy()
    out["lat"] = np.round(lat, 6)
    out["lon"] = np.round(lon, 6)
    return out


def enrolment_by_year(schools: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    """Pupils per school and school year, declining in écoles as births fall."""
    trend = {"ecole": -0.012, "college": -0.004, "lycee": 0.004}
    years = targets.SCHOOL_YEARS
    last = len(years) - 1
    rate = schools["kind"].map(trend).to_numpy()
    steps = np.arange(len(years)) - last  # 0 for 2025-2026
    factor = (1 + rate[:, None]) ** steps[None, :] * rng.lognormal(0, 0.03, (len(schools), len(years)))
    factor[:, last] = 1.0
    pupils = np.maximum(np.round(schools["pupils"].to_numpy()[:, None] * factor), 5).astype(int)
    return pd.DataFrame(
        {
            "uai": np.repeat(schools["uai"].to_numpy(), len(years)),
            "school_year": np.tile(np.array(years, dtype=object), len(schools)),
            "pupils": pupils.ravel(),
        }
    )


def ips_by_year(schools: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    """IPS around 100 with a département effect, a commune effect and private schools higher."""
    deps = schools["departement_code"].to_numpy()
    dep_codes, dep_idx = np.unique(deps, return_inverse=True)
    dep_effect = rng.normal(0, 6, len(dep_codes))[dep_idx]
    com_codes, com_idx = np.unique(schools["commune_code"].to_numpy(), return_inverse=True)
    com_effect = rng.normal(0, 5, len(com_codes))[com_idx]
    sd = np.where(schools["kind"] == "ecole", 13.0, 10.0)
    private = np.where(schools["sector"] == "prive", 12.0, 0.0)
    base = 100 + dep_effect + com_effect + private + rng.normal(0, 1, len(schools)) * sd
    years = targets.SCHOOL_YEARS
    drift = np.cumsum(rng.normal(0, 0.8, (len(schools), len(years))), axis=1)
    values = np.clip(base[:, None] + drift, 45, 160).round(1)
    return pd.DataFrame(
        {
            "uai": np.repeat(schools["uai"].to_numpy(), len(years)),
            "school_year": np.tile(np.array(years, dtype=object), len(schools)),
            "ips": values.ravel(),
        }
    )


def competence_transfers(communes: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    """Communes whose école competence went to their EPCI (about 12 % of the communautés de communes)."""
    cc = np.unique(communes.loc[communes["epci_kind"] == "CC", "epci_code"].dropna().to_numpy(dtype=str))
    chosen = set(cc[rng.random(len(cc)) < 0.12])
    members = communes[communes["epci_code"].isin(chosen)]
    return pd.DataFrame({"commune_code": members["code"].to_numpy(), "epci_code": members["epci_code"].to_numpy()})
