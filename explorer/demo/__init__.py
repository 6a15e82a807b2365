"""The embedded demo dataset: simulated schools, spending and usage over real geography.

:func:`generate` returns one DataFrame per staging table, in the staging contract's
columns, exactly as a real connector would: the build stages both the same way. Every row
carries ``source = 'demo'`` and the sources table marks it simulated.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator

import numpy as np
import pandas as pd

from explorer.demo import investment as inv
from explorer.demo import schools as sch
from explorer.demo import targets
from explorer.demo.usage import (
    EFFECTS,
    PROGRAMME_MULTIPLIERS,
    TNE_MULTIPLIER,
    SchoolPanel,
    generate_usage,
    investment_strengths,
)
from explorer.geo.geography import Geography, academies, departement_academie

SOURCE = "demo"
__all__ = ["EFFECTS", "PROGRAMME_MULTIPLIERS", "generate", "sources_rows", "truth"]
Progress = Callable[[str], None]


def _pivot(frame: pd.DataFrame, value: str, uais: pd.Series) -> np.ndarray:
    table = frame.pivot(index="uai", columns="school_year", values=value)
    return table.reindex(index=uais, columns=list(targets.SCHOOL_YEARS)).to_numpy(float)


def truth(seed: int) -> tuple[pd.DataFrame, dict[str, float]]:
    """The generator's own truth for ``seed``, without building anything.

    Returns
    -------
    (DataFrame ``departement, strength``: one row per département of France (101), ``strength``
    the coefficient of its investment effect, use × ``1 + strength × log1p(cumulated
    investment per pupil up to Y-1 / 150)``, 0 = none; the programmes' true multipliers of
    use beyond their money, ``{"tne": 1.15, "snee": 1.0, "hybridation": 1.0}``).
    The null world (``--effects none``) has every strength at 0 and every multiplier at 1.
    """
    strengths = investment_strengths(seed, departement_academie()["departement_code"].tolist())
    frame = strengths.rename_axis("departement").reset_index()
    return frame, dict(PROGRAMME_MULTIPLIERS)


def generate(
    geo: Geography, seed: int, progress: Progress = lambda _: None, effects: str = "demo"
) -> Iterator[tuple[str, pd.DataFrame]]:
    """Yield ``(staging table, rows)`` pairs of the demo dataset for ``geo``'s scope.

    Schools and the State programmes are drawn for all of France first, so that a scoped
    build keeps the national calibration (its SNEE total is its share of the national one).
    ``effects="none"`` builds the null world: the same draws, no investment effect and no
    programme effect (see :func:`truth`).
    """
    rng = np.random.default_rng(seed)
    national = geo.national_communes
    progress("Établissements simulés")
    schools = sch.generate_schools(national, rng)
    schools["region_code"] = schools["departement_code"].map(
        national.drop_duplicates("departement_code").set_index("departement_code")["region_code"]
    )
    transfers = sch.competence_transfers(national, rng)
    schools = inv.assign_payers(schools, transfers)
    programmes = pd.concat([inv.snee(schools, rng), inv.hybridation(schools, rng)], ignore_index=True)

    in_scope = schools["commune_code"].isin(set(geo.communes["code"])).to_numpy()
    national_share = in_scope.sum() / len(schools)
    schools = sch.place_schools(schools[in_scope].reset_index(drop=True), national, geo.national_geometries, rng)
    transfers = transfers[transfers["commune_code"].isin(set(geo.communes["code"]))]
    programmes = programmes[programmes["uai"].isin(set(schools["uai"]))]

    yield "stg_school", schools.assign(source=SOURCE)
    yield "stg_school_competence", transfers.assign(source=SOURCE)
    enrolment = sch.enrolment_by_year(schools, rng)
    yield "stg_enrolment", enrolment.assign(source=SOURCE)
    ips = sch.ips_by_year(schools, rng)
    yield "stg_ips", ips.assign(source=SOURCE)

    progress("Investissements simulés")
    investment = pd.concat([inv.ordinary_spending(schools, rng), programmes, inv.tne(schools, rng)], ignore_index=True)
    yield "stg_investment", investment.assign(source=SOURCE)

    progress("Usages ENT et ressources simulés")
    zone_of = academies().set_index("code")["holiday_zone"]
    acad_of = national.drop_duplicates("departement_code").set_index("departement_code")["academie_code"]
    panel = SchoolPanel(
        uai=schools["uai"].to_numpy(dtype=object),
        secondary=(schools["kind"] != "ecole").to_numpy(),
        zone=schools["departement_code"].map(acad_of).map(zone_of).to_numpy(dtype=str),
        departement=schools["departement_code"].to_numpy(dtype=str),
        pupils=_pivot(enrolment, "pupils", schools["uai"]),
        ips=_pivot(ips, "ips", schools["uai"]),
        invest_per_pupil=inv.per_pupil_matrix(investment, schools),
        resources_per_pupil=inv.per_pupil_matrix(investment, schools, "ressources"),
        tne=schools["departement_code"].isin(targets.TNE_DEPARTEMENTS).to_numpy(),
        strength=schools["departement_code"]
        .map(investment_strengths(seed, departement_academie()["departement_code"].tolist(), effects))
        .to_numpy(float),
        tne_multiplier=1.0 if effects == "none" else TNE_MULTIPLIER,
    )
    usage, resources = generate_usage(panel, national_share, rng)
    yield "stg_usage", usage.assign(source=SOURCE)
    yield "stg_resource_use", resources.assign(source=SOURCE)
    yield "stg_source", sources_rows()


def sources_rows() -> pd.DataFrame:
    """The sources-table row of the simulated data."""
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)
    return pd.DataFrame(
        [
            {
                "source": SOURCE,
                "label": "Données simulées : établissements, élèves, IPS, investissements, usages ENT et ressources",
                "publisher": "Explorateur (générateur de démonstration)",
                "dataset_id": None,
                "vintage": f"{targets.FIRST_WEEK.isoformat()} → {targets.LAST_WEEK.isoformat()}",
                "url": None,
                "licence": "Licence Ouverte v2.0",
                "is_simulated": True,
                "loaded_at": now,
            }
        ]
    )
