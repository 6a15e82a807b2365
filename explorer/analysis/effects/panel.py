"""The school × school-year panel the effects are estimated on.

A school enters the panel from the first school year it is measured (the national ENT
measurement spread over the years): coverage is handled by the panel itself, never by
imputing usage to unmeasured schools.
"""

from __future__ import annotations

import duckdb
import numpy as np
import pandas as pd

from explorer import vocabulary as voc
from explorer.errors import EffectsDataError, EffectsInputError
from explorer.warehouse.sqlfiles import read_sql

# Investment is counted in units of 10 € per pupil.
INVEST_UNIT_EUR = 10.0
# The dose: diminishing returns of the stock, ``log1p(stock_eur / DOSE_SCALE_EUR)`` (the first
# euros per pupil count more than the next ones; see docs/effects.md).
DOSE_SCALE_EUR = 150.0
LEVEL_COLUMNS = {
    "region": "region_code",
    "academie": "academie_code",
    "departement": "departement_code",
    "epci": "epci_code",
    "commune": "commune_code",
}
PROFILES = ("tous", *voc.PROFILES)


def _count(con: duckdb.DuckDBPyConnection, sql: str) -> int:
    try:
        row = con.execute(sql).fetchone()
    except duckdb.CatalogException as exc:
        raise EffectsDataError(
            f"L'entrepôt n'a pas les tables attendues ({exc}). Reconstruisez-le avec « python -m explorer build »."
        ) from exc
    return int(row[0]) if row else 0


def dose(stock_eur: float | np.ndarray | pd.Series) -> np.ndarray:
    """The regressor of the investment response: ``log1p(stock € per pupil / DOSE_SCALE_EUR)``."""
    return np.log1p(np.asarray(stock_eur, dtype=float) / DOSE_SCALE_EUR)


def load_panel(con: duckdb.DuckDBPyConnection, profile: str = "tous") -> pd.DataFrame:
    """One row per measured school and school year.

    Returns
    -------
    DataFrame ``uai, school_year, rentree_year, pupils, school_weeks, visits, profile_visits,
    invest_stock_per_pupil, invest_3y_per_pupil, kind, sector, commune_code, epci_code,
    departement_code, academie_code, region_code, payer, snee_year, hybridation_year, tne_year``
    plus ``use`` (visits of ``profile`` per pupil and per school week), ``log_use`` and
    ``stock`` (investment stock per pupil in units of :data:`INVEST_UNIT_EUR`), ``dose``
    (:func:`dose` of the stock in €). School years
    with no visit of the profile are left out (the log is undefined there).

    Raises
    ------
    EffectsInputError : unknown profile.
    EffectsDataError : no measured usage or no investment tied to schools.
    """
    if profile not in PROFILES:
        raise EffectsInputError(f"Profil « {profile} » inconnu : choisissez parmi {', '.join(PROFILES)}.")
    if _count(con, read_sql("queries/table_rows", table="usage_school_year")) == 0:
        raise EffectsDataError(
            "Aucun usage ENT mesuré dans l'entrepôt (aucune semaine mesurée) : chargez la mesure d'audience des ENT "
            "(« python -m explorer load … ») puis reconstruisez l'entrepôt."
        )
    if _count(con, read_sql("queries/table_rows", table="investment_school")) == 0:
        raise EffectsDataError(
            "Aucun investissement rattaché aux établissements (aucune dépense) : importez les dépenses "
            "des collectivités (« python -m explorer import-budget … ») puis reconstruisez l'entrepôt."
        )
    panel = con.execute(read_sql("queries/effects_panel"), [profile]).df()
    outcome = panel["visits"] if profile == "tous" else panel["profile_visits"]
    panel["use"] = outcome.astype(float) / (panel["pupils"].astype(float) * panel["school_weeks"].astype(float))
    panel = panel[panel["use"] > 0].reset_index(drop=True)
    panel["log_use"] = np.log(panel["use"])
    panel["stock"] = panel["invest_stock_per_pupil"].astype(float) / INVEST_UNIT_EUR
    panel["dose"] = dose(panel["invest_stock_per_pupil"].astype(float))
    panel["stock_3y"] = panel["invest_3y_per_pupil"].astype(float) / INVEST_UNIT_EUR
    if panel.empty or panel["uai"].nunique() < 10:
        raise EffectsDataError(
            f"Seulement {panel['uai'].nunique()} établissement(s) mesuré(s) avec des usages et des élèves : "
            "il en faut au moins 10 pour estimer un effet."
        )
    return panel
