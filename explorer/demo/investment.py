"""Simulated investment: ordinary spending by the competent payer, and the State programmes."""

from __future__ import annotations

import numpy as np
import pandas as pd

from explorer.demo import targets

# Ordinary spending per pupil and year (€), before the payer's own generosity.
_BASE_PER_PUPIL = {"ecole": 27.0, "college": 46.0, "lycee": 60.0}
_CATEGORY_SHARE = {
    "equipement": 0.42,
    "reseau": 0.14,
    "ent_logiciels": 0.12,
    "ressources": 0.12,
    "formation": 0.06,
    "maintenance": 0.14,
}
# Départements and régions buy ENT licences for all their schools at once (no UAI).
_ENT_LICENCE_PER_PUPIL = 3.5


def assign_payers(schools: pd.DataFrame, transfers: pd.DataFrame) -> pd.DataFrame:
    """Competence join: école → commune (or its EPCI), collège → département, lycée → région."""
    transferred = transfers.set_index("commune_code")["epci_code"]
    epci = schools["commune_code"].map(transferred)
    ecole = schools["kind"] == "ecole"
    out = schools.copy()
    out["payer_level"] = np.select(
        [ecole & epci.notna(), ecole, schools["kind"] == "college"],
        ["epci", "commune", "departement"],
        "region",
    )
    out["payer_code"] = np.select(
        [ecole & epci.notna(), ecole, schools["kind"] == "college"],
        [epci.fillna(""), schools["commune_code"], schools["departement_code"]],
        schools["region_code"],
    )
    return out


def ordinary_spending(schools: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    """Yearly spending of each payer on its public schools, by category, 2017–2026.

    Parameters
    ----------
    schools : public and private schools with ``uai, kind, sector, pupils, payer_level,
        payer_code``; only public schools receive spending from their payer.
    """
    public = schools[schools["sector"] == "public"].reset_index(drop=True)
    years = np.array(targets.INVESTMENT_YEARS)
    cats = list(_CATEGORY_SHARE)
    payer_key = public["payer_level"] + ":" + public["payer_code"]
    payers, payer_idx = np.unique(payer_key.to_numpy(dtype=str), return_inverse=True)
    generosity = rng.lognormal(0, 0.45, len(payers))
    plan_year = rng.integers(years[0], years[-1] + 1, len(payers))

    base = public["pupils"].to_numpy(float) * public["kind"].map(_BASE_PER_PUPIL).to_numpy(float)
    base = base * generosity[payer_idx]
    growth = 1.03 ** (years - years[0]) * np.where(np.isin(years, (2020, 2021)), 1.2, 1.0)
    share = np.array([_CATEGORY_SHARE[c] for c in cats])
    amount = base[:, None, None] * growth[None, :, None] * share[None, None, :]
    amount = amount * rng.lognormal(0, 0.35, amount.shape)
    # Equipment plans: the payer's plan year and the next one get 2.5× the equipment.
    equip = cats.index("equipement")
    in_plan = (years[None, :] == plan_year[payer_idx][:, None]) | (years[None, :] == plan_year[payer_idx][:, None] + 1)
    amount[:, :, equip] *= np.where(in_plan, 2.5, 1.0)
    # Small communes buy equipment in lumps, one year in three on average.
    small = (public["kind"] == "ecole").to_numpy() & (public["pupils"].to_numpy() < 120)
    lumps = rng.random((len(public), len(years))) < 1 / 3
    amount[:, :, equip] = np.where(small[:, None], np.where(lumps, amount[:, :, equip] * 3, 0.0), amount[:, :, equip])
    # ENT licences of départements and régions are bought centrally (rows without UAI below).
    central = public["payer_level"].isin(["departement", "region"]).to_numpy()
    amount[central, :, cats.index("ent_logiciels")] = 0.0

    s_idx, y_idx, c_idx = np.nonzero(amount > 0)
    per_school = pd.DataFrame(
        {
            "year": years[y_idx],
            "funder_level": public["payer_level"].to_numpy()[s_idx],
            "funder_code": public["payer_code"].to_numpy()[s_idx],
            "programme": "droit_commun",
            "category": np.array(cats, dtype=object)[c_idx],
            "uai": public["uai"].to_numpy()[s_idx],
            "amount_eur": np.round(amount[s_idx, y_idx, c_idx], 2),
        }
    )
    licences = (
        public[central]
        .groupby(["payer_level", "payer_code"], as_index=False)["pupils"]
        .sum()
        .merge(pd.DataFrame({"year": years}), how="cross")
    )
    licences = pd.DataFrame(
        {
            "year": licences["year"],
            "funder_level": licences["payer_level"],
            "funder_code": licences["payer_code"],
            "programme": "droit_commun",
            "category": "ent_logiciels",
            "uai": None,
            "amount_eur": np.round(
                licences["pupils"].to_numpy(float) * _ENT_LICENCE_PER_PUPIL * rng.lognormal(0, 0.15, len(licences)),
                2,
            ),
        }
    )
    return pd.concat([per_school, licences], ignore_index=True)


def _split_programme(
    chosen: pd.DataFrame,
    spent: np.ndarray,
    subsidy: np.ndarray,
    year: int,
    programme: str,
    shares: dict[str, float],
) -> pd.DataFrame:
    """Rows of a co-funded programme: the State's subsidy and the payer's remainder per category."""
    rows = []
    for category, share in shares.items():
        rows.append(
            pd.DataFrame(
                {
                    "year": year,
                    "funder_level": "etat",
                    "funder_code": "FR",
                    "programme": programme,
                    "category": category,
                    "uai": chosen["uai"].to_numpy(),
                    "amount_eur": np.round(subsidy * share, 2),
                }
            )
        )
        rows.append(
            pd.DataFrame(
                {
                    "year": year,
                    "funder_level": chosen["payer_level"].to_numpy(),
                    "funder_code": chosen["payer_code"].to_numpy(),
                    "programme": programme,
                    "category": category,
                    "uai": chosen["uai"].to_numpy(),
                    "amount_eur": np.round((spent - subsidy) * share, 2),
                }
            )
        )
    return pd.concat(rows, ignore_index=True)


def _scaled(weights: np.ndarray, total: float) -> np.ndarray:
    return weights * (total / weights.sum())


def snee(schools: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    """SNEE 2021 at its national scale: 7,810 communes, 12,670 écoles, real totals."""
    eligible = schools[
        (schools["kind"] == "ecole") & (schools["sector"] == "public") & (schools["nature"] != "École maternelle")
    ]
    communes = np.unique(eligible["commune_code"].to_numpy(dtype=str))
    picked = set(rng.choice(communes, size=min(int(targets.SNEE["communes"]), len(communes)), replace=False))
    pool = eligible[eligible["commune_code"].isin(picked)].sample(frac=1.0, random_state=rng)
    first = pool.drop_duplicates("commune_code")
    rest = pool.drop(first.index)
    extra = max(targets.SNEE["ecoles"] - len(first), 0)
    chosen = pd.concat([first, rest.iloc[:extra]]).sort_values("uai")
    spent = _scaled(
        np.sqrt(chosen["pupils"].to_numpy(float)) * rng.lognormal(0, 0.3, len(chosen)),
        targets.SNEE["spent"],
    )
    rate = np.clip(rng.normal(targets.SNEE["subsidy"] / targets.SNEE["spent"], 0.06, len(chosen)), 0.5, 0.7)
    subsidy = _scaled(spent * rate, targets.SNEE["subsidy"])
    return _split_programme(chosen, spent, subsidy, 2021, "SNEE", {"equipement": 0.7, "reseau": 0.1, "ressources": 0.2})


def hybridation(schools: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    """Hybridation des lycées (2021): 1,803 public lycées, real national totals."""
    eligible = schools[
        (schools["kind"] == "lycee")
        & (schools["sector"] == "public")
        & ~schools["region_code"].isin(targets.HYBRIDATION["absent_regions"])
    ]
    n = min(targets.HYBRIDATION["lycees"], len(eligible))
    chosen = eligible.sample(n=n, random_state=rng).sort_values("uai")
    spent = _scaled(
        np.sqrt(chosen["pupils"].to_numpy(float)) * rng.lognormal(0, 0.25, n),
        targets.HYBRIDATION["spent"],
    )
    rate = np.clip(rng.normal(targets.HYBRIDATION["subsidy"] / targets.HYBRIDATION["spent"], 0.05, n), 0.3, 0.7)
    subsidy = _scaled(spent * rate, targets.HYBRIDATION["subsidy"])
    return _split_programme(chosen, spent, subsidy, 2021, "hybridation_lycees", {"equipement": 0.75, "reseau": 0.25})


def tne(schools: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    """Territoires numériques éducatifs: State funding in 12 départements, 2021–2024."""
    chosen = schools[
        schools["departement_code"].isin(targets.TNE_DEPARTEMENTS)
        & (schools["sector"] == "public")
        & schools["kind"].isin(["ecole", "college"])
    ]
    rows = []
    for year in targets.TNE_YEARS:
        per_pupil = 25.0 * rng.lognormal(0, 0.2, len(chosen))
        for category, share in {"equipement": 0.5, "ressources": 0.3, "formation": 0.2}.items():
            rows.append(
                pd.DataFrame(
                    {
                        "year": year,
                        "funder_level": "etat",
                        "funder_code": "FR",
                        "programme": "TNE",
                        "category": category,
                        "uai": chosen["uai"].to_numpy(),
                        "amount_eur": np.round(chosen["pupils"].to_numpy(float) * per_pupil * share, 2),
                    }
                )
            )
    return pd.concat(rows, ignore_index=True)


def per_pupil_matrix(investment: pd.DataFrame, schools: pd.DataFrame, category: str | None = None) -> np.ndarray:
    """Spending per pupil tied to each school (rows aligned on ``schools``) and year of
    :data:`targets.INVESTMENT_YEARS` (columns), all funders, optionally one category."""
    inv = investment.dropna(subset=["uai"])
    if category is not None:
        inv = inv[inv["category"] == category]
    table = inv.pivot_table(index="uai", columns="year", values="amount_eur", aggfunc="sum")
    table = table.reindex(index=schools["uai"], columns=list(targets.INVESTMENT_YEARS)).fillna(0.0)
    return table.to_numpy() / schools["pupils"].to_numpy(float)[:, None]
