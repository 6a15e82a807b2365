"""Weekly territory series and annual investment per pupil, read from the warehouse marts.

The series is **ENT visits per pupil of the measured schools**: each week, the visits of
the schools measured that week over those schools' pupils. The measured set grows (≈ 7,000
→ 30,000 schools nationally), so a raw total would mistake coverage for use; the share of
écoles among measured pupils is returned too, as the model's coverage regressor (écoles
have fewer visits per pupil than collèges and lycées, so their arrival lowers the mean).
"""

from __future__ import annotations

import duckdb
import pandas as pd

from explorer import vocabulary as voc
from explorer.facts import secrecy
from explorer.facts.indicators import TERRITORY_COLUMN
from forecasting.errors import ForecastTerritoryError
from forecasting.sql import read_sql


def _check(level: str, profile: str | None) -> str:
    if level not in TERRITORY_COLUMN:
        raise ForecastTerritoryError(f"Niveau « {level} » inconnu : choisissez parmi {', '.join(TERRITORY_COLUMN)}.")
    if profile is not None and profile not in voc.PROFILES:
        raise ForecastTerritoryError(
            f"Profil « {profile} » inconnu : choisissez parmi {', '.join(voc.PROFILES)} (ou aucun pour tous)."
        )
    return TERRITORY_COLUMN[level]


def territories(con: duckdb.DuckDBPyConnection, level: str, code: str | None = None) -> pd.DataFrame:
    """Territories of ``level`` (or the one of ``code``): ``code, name, holiday_zone``.

    Raises :class:`ForecastTerritoryError` when ``code`` is given and unknown.
    """
    _check(level, None)
    frame = con.execute(read_sql("territories"), {"level": level, "code": code}).df()
    if code is not None and frame.empty:
        raise ForecastTerritoryError(
            f"Territoire « {level}:{code} » inconnu de l'entrepôt : vérifiez le niveau et le code."
        )
    return frame


def weekly_series(
    con: duckdb.DuckDBPyConnection, level: str, code: str | None = None, profile: str | None = None
) -> pd.DataFrame:
    """Weekly ENT visits per pupil of the measured schools, per territory.

    Parameters
    ----------
    level : one of ``region, academie, departement, epci, commune``.
    code : one territory, or None for every territory of the level (one scan for all).
    profile : ``eleve, parent, enseignant, personnel``, or None for all profiles.

    Returns
    -------
    DataFrame ``code`` (str), ``ds`` (datetime64, Mondays), ``visits`` (float),
    ``measured_schools`` (int), ``measured_pupils`` (float), ``ecole_share`` (float 0–1),
    ``y`` = visits / measured_pupils, sorted by code and ds.
    """
    column = _check(level, profile)
    sql = read_sql("territory_weeks", code=column)
    frame = con.execute(sql, {"code": code, "profile": profile}).df()
    frame["ds"] = pd.to_datetime(frame["ds"])
    for col in ("visits", "measured_pupils", "ecole_share"):
        frame[col] = frame[col].astype(float)
    frame["y"] = frame["visits"] / frame["measured_pupils"].where(frame["measured_pupils"] > 0)
    return frame


def annual_investment(con: duckdb.DuckDBPyConnection, level: str, code: str | None = None) -> pd.DataFrame:
    """Investment per pupil and budget year, all funders and categories.

    Returns
    -------
    DataFrame ``code`` (str), ``year`` (int), ``invest_eur`` (float), ``pupils`` (float),
    ``invest_per_pupil`` (float, € per pupil), sorted by code and year.
    """
    column = _check(level, None)
    sql = read_sql("territory_investment", code=column)
    frame = con.execute(sql, {"code": code}).df()
    frame["year"] = frame["year"].astype(int)
    for col in ("invest_eur", "pupils", "invest_per_pupil"):
        frame[col] = frame[col].astype(float)
    return frame


def check_enough_schools(series: pd.DataFrame, label: str) -> None:
    """Refuse a series whose last week has no measured school, or, under a deployment's
    secrecy (:mod:`explorer.facts.secrecy`), fewer measured schools than its threshold."""
    last = int(series["measured_schools"].iloc[-1]) if len(series) else 0
    if last == 0:
        raise ForecastTerritoryError(
            f"{label} : aucun établissement mesuré par l'audience des ENT à la fin de la série, "
            "aucune projection n'est calculée. Choisissez un territoire plus grand."
        )
    rule = secrecy.setting()
    if last < rule.min_schools:
        raise ForecastTerritoryError(
            f"{label} : {last} établissement(s) mesuré(s) seulement (moins de {rule.min_schools}) — secret "
            "statistique, aucune projection n'est calculée. Choisissez un territoire plus grand."
        )
