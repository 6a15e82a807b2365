"""Share of a territory's pupils in the schools each funder equips (the competence join).

A planner counts « +40 € par collégien »; the projection reads investment per pupil of the whole
territory. The share of the territory's pupils in collèges publics (for the département), lycées
publics (région), écoles publiques (commune, EPCI) or every school (État) converts one into the
other: :meth:`forecasting.scenario.Scenario.deltas`.
"""

from __future__ import annotations

from collections.abc import Mapping

import duckdb
import pandas as pd

from explorer import vocabulary as voc
from explorer.formatting import fr_eur, fr_percent
from forecasting.errors import ForecastTerritoryError
from forecasting.sql import read_sql


def shares_from_pupils(pupils: pd.DataFrame) -> dict[str, float]:
    """Funder → share of the pupils in the schools it equips.

    Parameters
    ----------
    pupils : ``kind`` (str), ``sector`` (str), ``pupils`` (number), the territory's pupils by
        kind and sector (public schools are ``sector == "public"``).
    """
    total = float(pupils["pupils"].sum())
    if total <= 0:
        return {}
    public = pupils[pupils["sector"] == "public"]
    out = {}
    for funder, kinds in voc.FUNDER_KINDS.items():
        chosen = pupils if funder == "etat" else public[public["kind"].isin(kinds)]
        out[funder] = float(chosen["pupils"].sum()) / total
    return out


def _pupils(con: duckdb.DuckDBPyConnection, level: str, code: str | None) -> pd.DataFrame:
    if level not in voc.LEVEL_COLUMNS:
        raise ForecastTerritoryError(f"Niveau « {level} » inconnu : choisissez parmi {', '.join(voc.LEVELS)}.")
    sql = read_sql("territory_pupils", code=voc.LEVEL_COLUMNS[level])
    return con.execute(sql, {"code": code}).df()


def funded_shares(con: duckdb.DuckDBPyConnection, level: str, code: str) -> dict[str, float]:
    """:func:`shares_from_pupils` of territory ``code`` of ``level``, last known rentrée."""
    return shares_from_pupils(_pupils(con, level, code))


def funded_shares_by_territory(con: duckdb.DuckDBPyConnection, level: str) -> dict[str, dict[str, float]]:
    """:func:`shares_from_pupils` of every territory of ``level`` (one query: the batch's)."""
    return {str(c): shares_from_pupils(f) for c, f in _pupils(con, level, None).groupby("code", sort=False)}


def pupils_sentence(funder: str, shares: Mapping[str, float], amount: float) -> str | None:
    """« 40 € par collégien du public font 7,2 € par élève du territoire (18 % des élèves) »;
    None for the State (every pupil)."""
    if funder == "etat" or funder not in shares:
        return None
    share = shares[funder]
    noun = voc.FUNDER_PUPIL_NOUN[funder]
    schools = voc.FUNDER_SCHOOLS_TEXT[funder]
    if share <= 0:
        return (
            f"Ce territoire n'a aucun élève en {schools} : un montant par {noun} n'y change pas "
            "l'investissement, ni la projection."
        )
    return (
        f"{fr_eur(amount, 0 if float(amount).is_integer() else 2)} par {noun} font "
        f"{fr_eur(amount * share, 2)} par élève du territoire : les {schools} accueillent "
        f"{fr_percent(share, 0)} de ses élèves (dernière rentrée connue)."
    )
