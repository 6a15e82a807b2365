"""The warehouse connection and the cached query results the pages read."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd
import streamlit as st

from explorer.facts import secrecy
from explorer.warehouse import catalog, provenance
from explorer.warehouse.db import check_schema, connect_snapshot, use_snapshot
from explorer.warehouse.marts import SCHEMA_VERSION
from ui import workspace


def _close(con: duckdb.DuckDBPyConnection) -> None:
    con.close()


@st.cache_resource(max_entries=16, on_release=_close, show_spinner=False)
def _open_warehouse(path: str, mtime_ns: int) -> duckdb.DuckDBPyConnection:
    """One read-only connection per warehouse file version.

    The modification time is part of the key so that a rebuild or a budget import (which
    swap a new file in) is picked up without restarting the server; the path is, so that a
    session never reads another workspace's warehouse, nor another ``$EXPLORER_DB``.
    ``connect_snapshot`` opens the file as it is now, not an older version still open.
    """
    del mtime_ns  # only a cache key
    con = connect_snapshot(path)
    try:
        check_schema(con, path, SCHEMA_VERSION)
    except Exception:
        con.close()
        raise
    return con


def warehouse_path() -> Path:
    """The warehouse this session reads: its private workspace's when it has one, else the shared one.

    The shared one is ``$EXPLORER_DB`` or ``data/warehouse.duckdb``; a workspace is a copy of
    it holding the session's budget imports (see :mod:`ui.workspace`).
    """
    return workspace.active_path() or workspace.shared_path()


def warehouse_key() -> str:
    """Identity of the warehouse file version and of the secrecy rule in force: the cache key
    of every query result (a value computed under one rule is never served under another)."""
    path = warehouse_path()
    rule = secrecy.setting()
    rule_key = f"#secret{rule.min_schools}-{rule.min_users}" if rule.on else ""
    try:
        return f"{path}@{path.stat().st_mtime_ns}{rule_key}"
    except FileNotFoundError:
        return f"{path}@missing{rule_key}"


def get_connection() -> duckdb.DuckDBPyConnection:
    """A cursor on the shared read-only connection, for this script run.

    A DuckDB connection must not be used by two threads at once and Streamlit runs each
    session in its own thread: every run gets its own cursor on the cached connection.
    Raises :class:`explorer.errors.WarehouseNotFoundError` when the file is missing.
    """
    path = warehouse_path()
    mtime_ns = path.stat().st_mtime_ns if path.exists() else 0
    return use_snapshot(_open_warehouse(str(path), mtime_ns).cursor())


# Cached query results. ``_con`` is not hashed; ``key`` (see ``warehouse_key``) is, so a
# result is never served for another warehouse or an older build.


@st.cache_data(show_spinner=False)
def build_info(_con: duckdb.DuckDBPyConnection, key: str) -> dict[str, str]:
    return catalog.build_info(_con)


@st.cache_data(show_spinner=False)
def is_simulated(_con: duckdb.DuckDBPyConnection, key: str) -> bool:
    return catalog.is_simulated(_con)


@st.cache_data(show_spinner=False)
def data_parts(_con: duckdb.DuckDBPyConnection, key: str) -> list[provenance.Part]:
    return provenance.data_parts(_con)


@st.cache_data(show_spinner=False)
def scope_label(_con: duckdb.DuckDBPyConnection, key: str) -> str:
    return catalog.scope_label(_con)


@st.cache_data(show_spinner=False)
def summary(_con: duckdb.DuckDBPyConnection, key: str) -> catalog.Summary:
    return catalog.summary(_con)


@st.cache_data(show_spinner=False)
def sources_table(_con: duckdb.DuckDBPyConnection, key: str) -> pd.DataFrame:
    return catalog.sources_table(_con)


@st.cache_data(show_spinner=False)
def row_counts(_con: duckdb.DuckDBPyConnection, key: str) -> pd.DataFrame:
    return catalog.row_counts(_con)


@st.cache_data(show_spinner=False)
def coverage_by_year(_con: duckdb.DuckDBPyConnection, key: str) -> pd.DataFrame:
    return catalog.coverage_by_year(_con)
