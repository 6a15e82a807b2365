"""The staging contract: what a source may write into each ``stg_*`` table.

Every source goes through :func:`stage`: its rows are renamed and cast by the table's
staging model (``sql/staging/stg_<table>.sql``), checked against the rules of
``sql/staging/rules.toml``, and only then appended. A broken rule raises
:class:`~explorer.errors.ContractError` naming the column, an offending value and how many
rows break it; nothing is appended in that case.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from importlib import resources

import duckdb
import pandas as pd

from explorer import codes
from explorer import vocabulary as voc
from explorer.codes import sql_macros
from explorer.errors import ContractError
from explorer.warehouse.sqlfiles import read_sql

SCHOOL_YEAR_PATTERN = r"^[0-9]{4}-[0-9]{4}$"


@dataclass(frozen=True)
class Rule:
    column: str
    kind: str  # 'not_null' | 'in' | 'regex' | 'non_negative' | 'monday' | 'school_year'
    arg: tuple[str, ...] | str | None = None
    hint: str = ""


_RULE_KEYS = frozenset({"column", "kind", "values", "pattern", "hint"})


def _rule(table: str, entry: dict[str, str]) -> Rule:
    """One ``[[table]]`` entry of ``rules.toml``: names of vocabularies and patterns resolved."""
    unknown = set(entry) - _RULE_KEYS
    if unknown:
        raise ValueError(f"rules.toml, {table}: unknown key(s) {sorted(unknown)}")
    column, kind, hint = entry["column"], entry["kind"], entry.get("hint", "")
    if kind == "in":
        values: tuple[str, ...] = getattr(voc, entry["values"])
        return Rule(column, kind, values, hint or f"valeurs admises : {', '.join(values)}")
    if kind == "regex":
        return Rule(column, kind, getattr(codes, entry["pattern"]), hint)
    return Rule(column, kind, None, hint)


def _load_rules() -> dict[str, tuple[Rule, ...]]:
    """The contract's rules, from ``sql/staging/rules.toml`` (data beside the staging models)."""
    text = (resources.files("explorer.warehouse") / "sql" / "staging" / "rules.toml").read_text(encoding="utf-8")
    return {table: tuple(_rule(table, e) for e in entries) for table, entries in tomllib.loads(text).items()}


# Staging table → its rules, in the order they are checked (tables in the contract's order).
RULES: dict[str, tuple[Rule, ...]] = _load_rules()

STAGING_TABLES = tuple(RULES)


def ensure_staging(con: duckdb.DuckDBPyConnection) -> None:
    """Create the staging tables and code macros, or bring an older file up to date.

    Every writer calls it before staging: a new warehouse or store, and a warehouse built by
    an earlier version (its tables gain the optional columns added since).
    """
    con.execute(read_sql("staging/00_schema"))
    con.execute(sql_macros())


def _rule_params(rule: Rule) -> list[object]:
    """Bound parameters of the rule's query ``sql/contract/broken_<kind>.sql``."""
    if rule.kind == "in":
        assert isinstance(rule.arg, tuple)
        return [list(rule.arg)]
    if rule.kind == "regex":
        return [rule.arg]
    if rule.kind == "school_year":
        return [SCHOOL_YEAR_PATTERN]
    if rule.kind in ("not_null", "non_negative", "monday"):
        return []
    raise ValueError(f"unknown rule kind {rule.kind}")


def _table_columns(con: duckdb.DuckDBPyConnection, table: str) -> dict[str, bool]:
    """Column → is it nullable, in schema order."""
    rows = con.execute(read_sql("contract/table_columns"), [table]).fetchall()
    return {name: nullable != "NO" for name, nullable in rows}


def _broken(
    con: duckdb.DuckDBPyConnection, kind: str, column: str, relation: str, columns: Iterable[str], params: list[object]
) -> tuple[int, str | None, int]:
    """Rows of ``relation`` breaking the rule ``kind`` on ``column``: count, first value, its rowid."""
    allowed = {"relation": ("candidate",), "column": columns}
    sql = read_sql(f"contract/broken_{kind}", allowed, relation=relation, column=column)
    row = con.execute(sql, params).fetchone()
    assert row is not None  # an aggregate always yields one row
    return int(row[0]), row[1], row[2]


def check_candidate(con: duckdb.DuckDBPyConnection, table: str, relation: str = "candidate") -> None:
    """Raise :class:`ContractError` on the first rule of ``table`` broken by ``relation``."""
    nullable = _table_columns(con, table)
    first_sql = read_sql("contract/first_rowid", {"relation": ("candidate",)}, relation=relation)
    first = con.execute(first_sql).fetchone()
    base = int(first[0]) if first else 0  # rowids follow the rows' order from here
    for column in [c for c, can_be_null in nullable.items() if not can_be_null]:
        count, _, position = _broken(con, "not_null", column, relation, nullable, [])
        if count:
            message = f"{count} ligne(s) sans valeur ; cette colonne est obligatoire."
            raise ContractError(table, column, message, position=position - base)
    for rule in RULES[table]:
        count, value, position = _broken(con, rule.kind, rule.column, relation, nullable, _rule_params(rule))
        if count:
            hint = f" ({rule.hint})" if rule.hint else ""
            raise ContractError(
                table,
                rule.column,
                f"valeur « {value} » refusée{hint} ; {count} ligne(s) concernée(s). "
                "Corrigez le fichier source puis relancez.",
                position=position - base,
            )


def stage(con: duckdb.DuckDBPyConnection, table: str, rows: pd.DataFrame | duckdb.DuckDBPyRelation) -> int:
    """Rename, cast, check and append ``rows`` to the staging table ``table``.

    Parameters
    ----------
    con : open read-write connection whose staging schema exists.
    table : one of :data:`STAGING_TABLES`.
    rows : DataFrame (or DuckDB relation) with at least the columns that
        ``sql/staging/<table>.sql`` reads; extra columns are ignored.

    Returns
    -------
    Number of rows appended.
    """
    append = read_sql("contract/append_candidate", {"table": STAGING_TABLES}, table=table)
    rows = _with_optional_columns(con, table, rows)
    missing = _missing_columns(con, table, rows)
    if missing:
        raise ContractError(
            table,
            missing[0],
            "colonne absente des données fournies ; ajoutez-la (voir docs/data-model.md).",
        )
    con.register("source_rows", rows)
    try:
        con.execute(f"create or replace temp table candidate as {read_sql('staging/' + table)}")
    except duckdb.ConversionException as exc:
        raise ContractError(table, None, f"conversion de type impossible : {exc}") from exc
    finally:
        con.unregister("source_rows")
    try:
        try:
            check_candidate(con, table)
        except ContractError as exc:
            raise _with_line(exc, rows) from None
        con.execute(append)
        count_sql = read_sql("queries/table_rows", {"table": ("candidate",)}, table="candidate")
        count = con.execute(count_sql).fetchone()
        return int(count[0]) if count else 0
    finally:
        con.execute("drop table if exists candidate")


def _with_line(exc: ContractError, rows: object) -> ContractError:
    """Add the source file's line when the rows kept the reader's row index (named ``source_row``).

    The candidate table keeps the rows' order, so ``exc.position`` is a position in ``rows``;
    its index value + 2 is the line in the file (header = line 1), as for :class:`SourceFileError`.
    """
    index = getattr(rows, "index", None)
    if exc.position is None or index is None or index.name != "source_row" or exc.position >= len(index):
        return exc
    return ContractError(exc.table, exc.column, exc.message, line=int(index[exc.position]) + 2)


# Columns a source may omit (they are then null): added after the first version of the contract.
OPTIONAL_COLUMNS = {"stg_investment": ("beneficiary_level", "beneficiary_code")}


def _with_optional_columns(
    con: duckdb.DuckDBPyConnection, table: str, rows: pd.DataFrame | duckdb.DuckDBPyRelation
) -> pd.DataFrame | duckdb.DuckDBPyRelation:
    absent = [c for c in OPTIONAL_COLUMNS.get(table, ()) if c not in list(rows.columns)]
    if not absent:
        return rows
    frame = rows if isinstance(rows, pd.DataFrame) else rows.df()
    return frame.assign(**{c: None for c in absent})


def _missing_columns(con: duckdb.DuckDBPyConnection, table: str, rows: object) -> list[str]:
    offered = list(rows.columns)  # type: ignore[attr-defined]
    return [c for c in _table_columns(con, table) if c not in offered]
