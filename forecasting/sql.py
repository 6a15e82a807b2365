"""SQL of the forecasting package, shipped as package data (one query per file)."""

from __future__ import annotations

from functools import cache
from importlib import resources


@cache
def read_sql(name: str) -> str:
    """Text of ``forecasting/sql/<name>.sql``."""
    return (resources.files("forecasting") / "sql" / f"{name}.sql").read_text(encoding="utf-8")
