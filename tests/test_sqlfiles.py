"""read_sql: placeholders are quoted through their allow-list, or the query is refused."""

from __future__ import annotations

import duckdb
import pytest

from explorer.errors import IdentifierError
from explorer.warehouse import catalog, contract, sqlfiles
from explorer.warehouse.sqlfiles import read_sql


def test_table_placeholder_is_quoted_from_the_allow_list():
    sql = read_sql("queries/table_rows", table="school")
    assert 'from "school"' in sql
    assert "{" not in sql


def test_table_outside_the_allow_list_is_refused():
    with pytest.raises(IdentifierError, match="school; drop table usage"):
        read_sql("queries/table_rows", table="school; drop table usage")
    with pytest.raises(IdentifierError, match="load_log"):
        read_sql("queries/table_rows", table="load_log")  # a real table, but not a mart nor staging


def test_a_call_may_narrow_the_allow_list():
    assert '"stg_school"' in read_sql("build/real_copy", {"table": ("stg_school",)}, table="stg_school")
    with pytest.raises(IdentifierError, match="territory"):
        read_sql("queries/table_rows", {"table": ("school",)}, table="territory")


def test_placeholder_without_value_is_refused():
    with pytest.raises(IdentifierError, match="table"):
        read_sql("queries/table_rows")
    with pytest.raises(IdentifierError, match="column"):
        read_sql("store/source_total", table="stg_usage")  # {column} left


def test_placeholder_without_allow_list_is_refused():
    # {column} has no project-wide allow-list: the caller must give the one that applies
    with pytest.raises(IdentifierError, match="column"):
        read_sql("store/source_total", table="stg_usage", column="visits")
    sql = read_sql("store/source_total", {"column": ("visits",)}, table="stg_usage", column="visits")
    assert 'sum("visits")' in sql and 'from "stg_usage"' in sql


def test_allow_lists_agree_with_the_contract_and_the_dictionary():
    assert frozenset(contract.STAGING_TABLES) == sqlfiles.STAGING_TABLES
    assert frozenset(catalog.MART_TABLES) == sqlfiles.MART_TABLES


def test_queried_counts_run():
    con = duckdb.connect()
    con.execute("create table school as select * from range(3) t(i)")
    assert con.execute(read_sql("queries/table_rows", table="school")).fetchone() == (3,)
