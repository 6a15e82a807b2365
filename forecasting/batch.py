"""Project every territory of a level in parallel: joblib on this machine, or a Dask cluster.

The warehouse is read once in the parent (one scan for all the level's series); each task
gets one territory's data and returns its model JSON and projections, without touching any
database; the parent writes them to the forecasting store at the end. With ``scheduler``,
the same joblib code runs on a Dask cluster (``joblib.parallel_config(backend="dask")``).
"""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd
from joblib import Parallel, delayed, parallel_config
from tqdm import tqdm

from explorer.analysis.effects.investment import Response, investment_effects
from explorer.errors import EffectsDataError
from explorer.vocabulary import LEVEL_LABELS
from explorer.warehouse.db import connect
from forecasting import series
from forecasting.errors import ForecastError, ForecastTerritoryError
from forecasting.model import ModelSpec
from forecasting.projection import fit_history, project
from forecasting.pupils import funded_shares_by_territory
from forecasting.scenario import Scenario
from forecasting.serialize import forecaster_to_json
from forecasting.store import ForecastStore, default_store_path, warehouse_id


@dataclass
class BatchResult:
    """Outcome of :func:`run_level`: one summary row per territory and the projections."""

    summary: pd.DataFrame  # code, name, status, message, weeks, effect, effect_lower, effect_upper
    projections: pd.DataFrame  # code, scenario, ds, yhat, yhat_lower, yhat_upper
    seconds: float
    stored: bool


def _one(
    level: str,
    code: str,
    name: str,
    zone: str,
    profile: str | None,
    weeks: pd.DataFrame,
    annual: pd.Series,
    spec: ModelSpec,
    scenarios: tuple[Scenario, ...],
    response: Response | None,
    funded_shares: dict[str, float] | None = None,
) -> tuple[dict, str | None, pd.DataFrame | None]:
    """Fit and project one territory (runs in a worker)."""
    row = {"code": code, "name": name, "weeks": len(weeks)}
    try:
        fit = fit_history(level, code, name, zone, profile, weeks, annual, spec)
        fit.funded_shares = funded_shares
        projection = project(fit, list(scenarios), response)
    except ForecastError as exc:
        return {**row, "status": "ignoré", "message": str(exc)}, None, None
    row |= {"status": "ok", "message": ""}
    if response is not None:
        row |= {"effect": response.effect, "effect_lower": response.lower, "effect_upper": response.upper}
    frame = projection.csv_frame().rename(columns={"date": "ds"}).assign(code=code)
    return row, forecaster_to_json(fit.model), frame


def _responses(con: duckdb.DuckDBPyConnection, level: str) -> dict[str, Response]:
    """The panel response of every territory of ``level`` (none when the level cannot be
    estimated, e.g. a single académie: its scenarios are then reported as not computable)."""
    try:
        table = investment_effects(con, level)
    except EffectsDataError:
        return {}
    return {
        r.code: Response(float(r.effect), float(r.lower), float(r.upper), bool(r.pooled_from_national))
        for r in table.itertuples()
    }


@contextlib.contextmanager
def _backend(scheduler: str | None, n_jobs: int) -> Iterator[None]:
    if scheduler is None:
        with parallel_config(backend="loky", n_jobs=n_jobs):
            yield
        return
    from distributed import Client  # optional dependency: only for cluster runs

    with Client(scheduler), parallel_config(backend="dask", n_jobs=-1):
        yield


def run_level(
    db: str | os.PathLike[str],
    level: str,
    profile: str | None = None,
    scenarios: tuple[Scenario, ...] = (),
    spec: ModelSpec | None = None,
    n_jobs: int = 2,
    scheduler: str | None = None,
    limit: int | None = None,
    store_path: str | os.PathLike[str] | None = None,
    progress: bool = True,
) -> BatchResult:
    """Fit and project every territory of ``level`` and store models and projections.

    Parameters
    ----------
    db : warehouse file (opened read-only).
    scenarios : projected besides the baseline, for every territory, through the territory's
        panel response (:func:`explorer.analysis.effects.investment.investment_effects` of
        ``level``, estimated once here).
    n_jobs : joblib workers on this machine (ignored with ``scheduler``).
    scheduler : address of a Dask scheduler (``tcp://host:8786``) to run the tasks there.
    limit : only the first ``limit`` territories (by code).
    store_path : the forecasting store (default ``<db>.forecasts.duckdb``).
    progress : a tqdm progress bar on stderr.
    """
    spec = spec or ModelSpec()
    scenarios = tuple(scenarios)
    started = time.perf_counter()
    con = connect(db, read_only=True)
    try:
        places = series.territories(con, level)
        weeks = series.weekly_series(con, level, None, profile)
        annual = series.annual_investment(con, level)
        wid = warehouse_id(con)
        responses = _responses(con, level) if scenarios else {}
        # the share of each funder's pupils, for the scenarios counted « per collégien »
        shares = funded_shares_by_territory(con, level) if scenarios else {}
    finally:
        con.close()
    if limit is not None:
        places = places.head(limit)
    weeks_by = dict(tuple(weeks.groupby("code", sort=False)))
    annual_by = {c: f.set_index("year")["invest_per_pupil"] for c, f in annual.groupby("code", sort=False)}
    empty_weeks = weeks.iloc[0:0]
    empty_annual = pd.Series(dtype=float)
    # Statistical secrecy is checked here, not in the workers: most communes have fewer than
    # five measured schools, and a task per commune would cost more than the fits themselves.
    tasks, rows = [], []
    for p in places.itertuples():
        own = weeks_by.get(p.code, empty_weeks)
        try:
            series.check_enough_schools(own, f"{LEVEL_LABELS[level]} {p.name} ({p.code})")
        except ForecastTerritoryError as exc:
            rows.append({"code": p.code, "name": p.name, "weeks": len(own), "status": "ignoré", "message": str(exc)})
            continue
        annual_own = annual_by.get(p.code, empty_annual)
        response = responses.get(p.code)
        tasks.append(
            delayed(_one)(
                level,
                p.code,
                p.name,
                p.holiday_zone,
                profile,
                own,
                annual_own,
                spec,
                scenarios,
                response,
                shares.get(p.code),
            )
        )
    models, frames = [], []
    with _backend(scheduler, n_jobs):
        results = Parallel(return_as="generator_unordered")(tasks)
        for row, model_json, frame in tqdm(
            results, total=len(tasks), desc=f"Projections ({level})", unit="territoire", disable=not progress
        ):
            rows.append(row)
            if model_json is not None:
                models.append((level, row["code"], profile, spec.key(), model_json))
                frames.append(frame)
    summary = pd.DataFrame(rows).sort_values("code", ignore_index=True)
    columns = ["code", "scenario", "ds", "yhat", "yhat_lower", "yhat_upper"]
    projections = pd.concat(frames, ignore_index=True)[columns] if frames else pd.DataFrame(columns=columns)
    store = ForecastStore(Path(store_path) if store_path else default_store_path(db), wid)
    stored = (
        bool(models) and store.put_models(models) and store.put_projections(level, profile, spec.key(), projections)
    )
    return BatchResult(summary, projections, time.perf_counter() - started, stored)
