"""Published aggregates of a territory (``territory_fact``): local finance, TNE, GAR…

They are shown as the publisher gives them (indicator, period, value, unit, source), never
summed across sources nor turned into per-pupil indicators.
"""

from __future__ import annotations

import duckdb
import pandas as pd

from explorer.formatting import fr_number
from explorer.warehouse.catalog import existing_tables
from explorer.warehouse.sqlfiles import read_sql

COLUMNS = {"indicator": "Indicateur", "period": "Période", "value": "Valeur", "source_label": "Source"}


def published_facts(con: duckdb.DuckDBPyConnection, level: str, code: str) -> pd.DataFrame:
    """Rows of ``territory_fact`` for one territory.

    Returns
    -------
    DataFrame with columns indicator, period (str), value (float, NaN when not published),
    unit, source, source_label, publisher; empty when the warehouse has none.
    """
    if "territory_fact" not in existing_tables(con):
        return pd.DataFrame(columns=["indicator", "period", "value", "unit", "source", "source_label", "publisher"])
    return con.execute(read_sql("queries/territory_published_facts"), [level, code]).df()


def facts_table(facts: pd.DataFrame) -> pd.DataFrame:
    """French display table: value formatted with its unit (« 61 234 568 € », « 272,83 €/hab »)."""
    out = facts.copy()
    out["value"] = [
        "non publié" if pd.isna(v) else f"{fr_number(v, 2 if abs(v) < 1000 else 0)} {u}"
        for v, u in zip(out["value"], out["unit"], strict=True)
    ]
    out["source_label"] = out["source_label"].fillna(out["source"])
    return out[list(COLUMNS)].rename(columns=COLUMNS)
