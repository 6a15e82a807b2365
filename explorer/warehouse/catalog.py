"""What the warehouse holds: build facts, sources, row counts, coverage and data dictionary.

Every function takes an open DuckDB connection and returns plain Python values or pandas
DataFrames with French column headers, ready for the « Données » page (or a notebook).
"""

from __future__ import annotations

import datetime as dt
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from importlib import resources

import duckdb
import pandas as pd

from explorer import vocabulary as voc
from explorer.formatting import fr_number, fr_percent
from explorer.warehouse.sqlfiles import read_sql

# ---------------------------------------------------------------------------------------
# Data dictionary
# ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ColumnDoc:
    """Meaning of one column: what it says, in which unit, which values it may take."""

    meaning: str
    unit: str = ""
    values: str = ""


@dataclass(frozen=True)
class TableDoc:
    """Meaning of one mart table: a French label, what one row is, its columns."""

    label: str
    description: str
    columns: Mapping[str, ColumnDoc] = field(default_factory=dict)


def _choices(labels: Mapping[str, str]) -> str:
    """``{"ecole": "École"}`` → ``"ecole (École)"``, the codes as stored, then their label."""
    return ", ".join(f"{code} ({label})" for code, label in labels.items())


def _codes(codes: tuple[str, ...]) -> str:
    return ", ".join(codes)


_COLUMN_KEYS = frozenset({"name", "meaning", "unit", "values", "choices", "codes", "common"})


def _column_doc(entry: Mapping[str, str], common: Mapping[str, ColumnDoc]) -> ColumnDoc:
    """One ``[[tables.columns]]`` (or ``[common.*]``) entry of ``dictionary.toml``."""
    unknown = set(entry) - _COLUMN_KEYS
    if unknown:
        raise ValueError(f"dictionary.toml, column {entry.get('name')}: unknown key(s) {sorted(unknown)}")
    if "common" in entry:
        return common[entry["common"]]
    values = [
        *([_choices(getattr(voc, entry["choices"]))] if "choices" in entry else []),
        *([_codes(getattr(voc, entry["codes"]))] if "codes" in entry else []),
        *([entry["values"]] if "values" in entry else []),
    ]
    return ColumnDoc(entry["meaning"], entry.get("unit", ""), " ; ".join(values))


def _load_dictionary() -> dict[str, TableDoc]:
    """The data dictionary, from ``sql/marts/dictionary.toml`` (beside the marts it describes)."""
    path = resources.files("explorer.warehouse") / "sql" / "marts" / "dictionary.toml"
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    common = {name: _column_doc(entry, {}) for name, entry in data["common"].items()}
    return {
        table["name"]: TableDoc(
            table["label"],
            table["description"],
            {column["name"]: _column_doc(column, common) for column in table["columns"]},
        )
        for table in data["tables"]
    }


# Mart table → its documentation, in warehouse order.
DATA_DICTIONARY: dict[str, TableDoc] = _load_dictionary()

# The allow-list of table names that may be interpolated into SQL.
MART_TABLES: tuple[str, ...] = tuple(DATA_DICTIONARY)

DICTIONARY_COLUMNS = ["Table", "Colonne", "Signification", "Unité", "Valeurs admises"]


def data_dictionary() -> pd.DataFrame:
    """Every mart column with its French meaning, unit and allowed values.

    Returns
    -------
    DataFrame with columns Table, Colonne, Signification, Unité, Valeurs admises (all
    str, « — » when there is nothing to say), in warehouse order.
    """
    rows = [
        (table, column, doc.meaning, doc.unit or "—", doc.values or "—")
        for table, table_doc in DATA_DICTIONARY.items()
        for column, doc in table_doc.columns.items()
    ]
    return pd.DataFrame(rows, columns=DICTIONARY_COLUMNS)


def table_label(table: str) -> str:
    """French label of a mart table (its name when unknown)."""
    doc = DATA_DICTIONARY.get(table)
    return doc.label if doc else table


# ---------------------------------------------------------------------------------------
# Warehouse facts
# ---------------------------------------------------------------------------------------


def existing_tables(con: duckdb.DuckDBPyConnection) -> set[str]:
    """Names of the tables of the warehouse's main schema."""
    rows = con.execute(read_sql("queries/main_tables"), ["main"]).fetchall()
    return {name for (name,) in rows}


def build_info(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """The ``build_info`` key/value pairs (empty when the warehouse has none)."""
    if "build_info" not in existing_tables(con):
        return {}
    return dict(con.execute(read_sql("queries/build_info")).fetchall())


def is_simulated(con: duckdb.DuckDBPyConnection) -> bool:
    """True when the build says so or when any source of the warehouse is simulated."""
    if build_info(con).get("is_simulated", "").strip().lower() == "true":
        return True
    if "sources" not in existing_tables(con):
        return False
    row = con.execute(read_sql("queries/any_simulated")).fetchone()
    return bool(row and row[0])


def scope_label(con: duckdb.DuckDBPyConnection) -> str:
    """Build scope in French: « France entière » or « Académie de Rennes (14) »."""
    scope = build_info(con).get("scope", "")
    if scope == "national":
        return "France entière"
    kind, _, code = scope.partition(":")
    if kind != "academie" or not code:
        return scope or "inconnu"
    row = con.execute(read_sql("queries/territory_name"), ["academie", code]).fetchone()
    return f"Académie de {row[0]} ({code})" if row else f"Académie {code}"


def built_at(con: duckdb.DuckDBPyConnection) -> dt.datetime | None:
    """When the warehouse was built (timezone-aware), or None when unrecorded."""
    text = build_info(con).get("built_at")
    return dt.datetime.fromisoformat(text) if text else None


@dataclass(frozen=True)
class Summary:
    """Headline figures of the warehouse."""

    schools: int
    last_school_year: str | None
    pupils: int | None
    communes: int
    first_week: dt.date | None
    last_week: dt.date | None
    usage_weeks: int


def summary(con: duckdb.DuckDBPyConnection) -> Summary:
    """Schools, pupils of the last school year, communes and the period of the usage data."""
    row = con.execute(read_sql("queries/warehouse_summary")).fetchone()
    assert row is not None  # an aggregate over scalar subqueries always yields one row
    schools, year, pupils, communes, first, last, weeks = row
    return Summary(
        schools=int(schools),
        last_school_year=year,
        pupils=None if pupils is None else int(pupils),
        communes=int(communes),
        first_week=first,
        last_week=last,
        usage_weeks=int(weeks),
    )


SOURCES_COLUMNS = {
    "table_name": "Table",
    "table_label": "Contenu",
    "source_label": "Source",
    "publisher": "Producteur",
    "dataset_id": "Jeu de données",
    "vintage": "Millésime",
    "licence": "Licence",
    "row_count": "Lignes",
    "is_simulated": "Simulées",
}


def sources_table(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Sources and vintages of every mart table (mart ``sources``).

    Returns
    -------
    DataFrame with columns Table (str, technical name), Contenu (str, French label),
    Source, Producteur, Jeu de données, Millésime, Licence (str or None), Lignes (int64),
    Simulées (bool); tables in warehouse order.
    """
    frame = con.execute(read_sql("queries/sources_table")).df()
    frame["table_label"] = frame["table_name"].map(table_label)
    rank = {name: i for i, name in enumerate(MART_TABLES)}
    frame["order"] = [rank.get(name, len(rank)) for name in frame["table_name"]]
    frame = frame.sort_values(["order", "source_label"], kind="stable")
    frame["row_count"] = frame["row_count"].astype("int64")
    frame["is_simulated"] = frame["is_simulated"].astype(bool)
    return frame[list(SOURCES_COLUMNS)].rename(columns=SOURCES_COLUMNS).reset_index(drop=True)


def row_counts(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Row count of every mart table present in the warehouse.

    Returns
    -------
    DataFrame with columns Table (str), Contenu (str), Lignes (int64), in warehouse order.
    """
    present = existing_tables(con)
    rows = []
    for table in MART_TABLES:
        if table not in present:
            continue
        sql = read_sql("queries/table_rows", {"table": MART_TABLES}, table=table)
        (count,) = con.execute(sql).fetchone()  # type: ignore[misc]
        rows.append((table, table_label(table), int(count)))
    frame = pd.DataFrame(rows, columns=["Table", "Contenu", "Lignes"])
    return frame.astype({"Lignes": "int64"})


ALL_KINDS = "Ensemble"
COVERAGE_COLUMNS = {
    "school_year": "Année scolaire",
    "kind": "Type d'établissement",
    "schools": "Établissements",
    "measured_schools": "Établissements mesurés",
    "coverage_share": "Part mesurée",
}


def coverage_by_year(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Coverage of the usage data per school year and kind, with each year's total.

    Returns
    -------
    DataFrame with columns Année scolaire (str), Type d'établissement (str: École,
    Collège, Lycée, then Ensemble for the year's total), Établissements (int64),
    Établissements mesurés (int64), Part mesurée (float, share 0–1 of measured schools).
    """
    frame = con.execute(read_sql("queries/coverage_by_year")).df()
    # The year's total (kind null) comes after the kinds, which keep the vocabulary's order.
    kind = frame["kind"].astype(object).where(frame["kind"].notna(), None)
    rank = {code: i for i, code in enumerate(voc.SCHOOL_KINDS)}
    frame["order"] = [len(rank) + 1 if k is None else rank.get(k, len(rank)) for k in kind]
    frame["kind"] = [ALL_KINDS if k is None else voc.KIND_LABELS.get(k, k) for k in kind]
    frame = frame.sort_values(["school_year", "order"], kind="stable").drop(columns="order")
    frame = frame.astype({"schools": "int64", "measured_schools": "int64"})
    return frame.rename(columns=COVERAGE_COLUMNS).reset_index(drop=True)


def citation(sources: pd.DataFrame, tables: Iterable[str]) -> str:
    """Source line for a figure drawn from ``tables``: producer, dataset, vintage.

    Parameters
    ----------
    sources : the output of :func:`sources_table`.
    tables : mart table names the figure reads.

    Returns
    -------
    « Producteur, jeu de données, millésime » per distinct source, joined by « ; », each
    followed by « données simulées » when it is simulated.
    """
    rows = sources[sources["Table"].isin(list(tables))]
    parts: list[str] = []
    for _, row in rows.iterrows():
        fields = [row["Producteur"] if not pd.isna(row["Producteur"]) else row["Source"]]
        fields += [row[c] for c in ("Jeu de données", "Millésime") if not pd.isna(row[c])]
        if row["Simulées"]:
            fields.append("données simulées")
        text = ", ".join(str(f) for f in fields)
        if text not in parts:
            parts.append(text)
    return " ; ".join(parts) if parts else "source non renseignée"


def coverage_table(coverage: pd.DataFrame) -> pd.DataFrame:
    """Compact display of the coverage: one row per school year, one column per kind.

    Parameters
    ----------
    coverage : the output of :func:`coverage_by_year`.

    Returns
    -------
    DataFrame of str with columns Année scolaire, then École, Collège, Lycée, Ensemble
    (those present); each cell reads « 40,7 % (1 032 / 2 537) »: the measured share, then
    measured schools over schools with pupils.
    """
    cells = coverage.assign(
        cell=[
            f"{fr_percent(share)} ({fr_number(measured)} / {fr_number(schools)})"
            for share, measured, schools in zip(
                coverage["Part mesurée"],
                coverage["Établissements mesurés"],
                coverage["Établissements"],
                strict=True,
            )
        ]
    )
    wide = cells.pivot(index="Année scolaire", columns="Type d'établissement", values="cell")
    kinds = [label for label in (*voc.KIND_LABELS.values(), ALL_KINDS) if label in wide.columns]
    return wide[kinds].rename_axis(columns=None).reset_index()
