"""A collectivité's own budget file: check it, import it into a warehouse, remove it again.

Each import adds its lines to ``stg_investment`` under the source ``budget:<import_id>``
(``import_id`` = the first 10 hex digits of the file's SHA-256 and the day, e.g.
``3f2a9c01be-20261129``) with a row in ``stg_source``, then rebuilds the marts
(:func:`explorer.warehouse.build.run_marts`). Like a build, it writes a copy of the warehouse and swaps
it in at the end under the write lock: a refused file leaves the warehouse byte-for-byte as
it was. Lines without a UAI have ``uai`` null; ``investment_school`` spreads them over the
schools their funder pays for. The template and the rules: ``docs/budget-import.md``.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd

from explorer.connectors.store import file_sha256
from explorer.errors import BudgetImportError, BudgetValidationError
from explorer.formatting import fr_number
from explorer.vocabulary import CATEGORY_LABELS, FUNDER_LABELS
from explorer.warehouse.budget import check as budget_check
from explorer.warehouse.budget.check import Problem
from explorer.warehouse.contract import ensure_staging, stage
from explorer.warehouse.db import connect, connect_snapshot
from explorer.warehouse.locking import write_lock
from explorer.warehouse.marts import run_marts
from explorer.warehouse.sqlfiles import read_sql

SOURCE_PREFIX = "budget:"
PUBLISHER = "import de la collectivité"
DATASET_ID = "budget_numerique"
_IMPORT_ID = re.compile(r"^[0-9a-f]{10}-[0-9]{8}$")
IMPORT_COLUMNS = ["id", "label", "rows", "total", "imported_at"]


@dataclass(frozen=True)
class ImportSummary:
    """What one import added: its id, label, line count, total and per-funder totals."""

    import_id: str
    label: str
    rows: int
    total_eur: float
    years: tuple[int, int]
    by_funder: tuple[tuple[str, int, float], ...]  # (« Commune 35238 », lines, €)

    def describe(self) -> list[str]:
        """French lines for the CLI and the page."""
        first, last = self.years
        period = str(first) if first == last else f"{first} à {last}"
        lines = [
            f"Import {self.import_id} « {self.label} » : {fr_number(self.rows)} ligne(s), "
            f"{_euros(self.total_eur)} (exercices {period}).",
        ]
        lines += [f"  {funder} : {fr_number(n)} ligne(s), {_euros(total)}" for funder, n, total in self.by_funder]
        return lines


def _euros(value: float) -> str:
    return f"{fr_number(value, 2)} €"


def validate(
    path: str | os.PathLike[str], con: duckdb.DuckDBPyConnection | None = None
) -> tuple[pd.DataFrame, list[Problem]]:
    """Check a budget file (CSV or XLSX in the template's layout) and report every problem.

    Parameters
    ----------
    path : the file; read with :func:`explorer.connectors.files.read_table`.
    con : a connection on the warehouse the file is meant for; when given, UAIs, funders
        and territories must exist in it (tables ``school`` and ``territory``).

    Returns
    -------
    rows : DataFrame of the lines without problems, columns ``line`` (int, header = 1),
        ``year`` (int), ``funder_level``, ``funder_code``, ``programme``, ``category``,
        ``uai`` (str or None), ``territory`` (``level:code`` or None), ``amount_eur``
        (float), ``label`` (str or None).
    problems : list of :class:`~explorer.warehouse.budget.check.Problem` ``(line, column, message)``,
        in file order; empty when the file can be imported.
    """
    return budget_check.check(str(path), con)


def import_id_for(path: Path, day: dt.date | None = None) -> str:
    """``<10 hex digits of the file's SHA-256>-<YYYYMMDD>``."""
    return f"{file_sha256(path)[:10]}-{(day or dt.date.today()):%Y%m%d}"


def import_budget(
    db: str | os.PathLike[str],
    path: str | os.PathLike[str],
    label: str | None = None,
    file_name: str | None = None,
) -> ImportSummary:
    """Add the lines of budget file ``path`` to warehouse ``db`` atomically.

    ``file_name`` is the name shown in messages (the upload's name; ``path`` may be a
    temporary file). Raises :class:`BudgetValidationError` listing every problem (and
    changes nothing), :class:`BudgetImportError` when the same file was already imported.
    """
    db, path = Path(db), Path(path)
    name = file_name or path.name
    label = (label or Path(name).stem or "Budget de la collectivité")[:120]
    import_id = import_id_for(path)
    with write_lock(db):
        con = connect_snapshot(db)
        try:
            rows, problems = validate(path, con)
            known = imports_table(con)
        finally:
            con.close()
        if problems:
            raise BudgetValidationError(problems, name)
        same = known.loc[known["id"].str[:10] == import_id[:10]]
        if len(same):
            raise BudgetImportError(
                f"Le fichier « {name} » a déjà été importé (import {same['id'].iloc[0]}, "
                f"« {same['label'].iloc[0]} ») : rien n'a été ajouté. Pour le remplacer, retirez d'abord "
                "cet import."
            )
        _rewrite(db, lambda c: _insert(c, import_id, label, rows))
    return _summary(import_id, label, rows)


def remove_budget(db: str | os.PathLike[str], import_id: str) -> int:
    """Remove import ``import_id`` from ``db`` atomically; returns the number of lines removed."""
    db = Path(db)
    if not _IMPORT_ID.match(import_id):
        raise BudgetImportError(
            f"Identifiant d'import « {import_id[:40]} » mal formé : attendu par ex. 3f2a9c01be-20261129 "
            "(voir « python -m explorer budgets »)."
        )
    with write_lock(db):
        con = connect_snapshot(db)
        try:
            known = imports_table(con)
        finally:
            con.close()
        match = known.loc[known["id"] == import_id]
        if match.empty:
            listed = ", ".join(known["id"]) or "aucun"
            raise BudgetImportError(f"Import « {import_id} » introuvable dans {db.name} (imports : {listed}).")
        source = SOURCE_PREFIX + import_id

        def delete(con: duckdb.DuckDBPyConnection) -> None:
            for table in ("stg_investment", "stg_source"):
                con.execute(read_sql("staging/delete_source", table=table), [source])

        _rewrite(db, delete)
    return int(match["rows"].iloc[0])


def list_imports(db: str | os.PathLike[str]) -> pd.DataFrame:
    """The budget imports of ``db`` (see :func:`imports_table`)."""
    con = connect_snapshot(db)
    try:
        return imports_table(con)
    finally:
        con.close()


def imports_table(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """One row per budget import of the warehouse of ``con``.

    Returns
    -------
    DataFrame with columns id (str), label (str), rows (int64), total (float, €),
    imported_at (timestamp), oldest first.
    """
    frame = con.execute(read_sql("queries/budget_imports"), [SOURCE_PREFIX]).df()
    return frame.astype({"rows": "int64", "total": "float64"})[IMPORT_COLUMNS]


def _rewrite(db: Path, change: Callable[[duckdb.DuckDBPyConnection], None]) -> None:
    """Copy ``db``, apply ``change`` to the staging tables, rebuild the marts, swap the copy in.

    The caller holds the write lock of ``db``.
    """
    tmp = db.with_name(db.name + ".importing")
    leftovers = (tmp, tmp.with_name(tmp.name + ".wal"))
    for leftover in leftovers:
        leftover.unlink(missing_ok=True)
    try:
        shutil.copyfile(db, tmp)
        con = connect(tmp, read_only=False)
        try:
            ensure_staging(con)  # a warehouse of an earlier version gains the columns added since
            change(con)
            run_marts(con)
            con.checkpoint()
        finally:
            con.close()
        os.replace(tmp, db)
    finally:
        for leftover in leftovers:
            leftover.unlink(missing_ok=True)


def _insert(con: duckdb.DuckDBPyConnection, import_id: str, label: str, rows: pd.DataFrame) -> None:
    source = SOURCE_PREFIX + import_id
    lines = rows[["year", "funder_level", "funder_code", "programme", "category", "uai", "amount_eur"]]
    # « territoire » (NIVEAU:CODE) of a line without UAI: the schools the marts spread it over.
    beneficiary = [t.split(":", 1) if isinstance(t, str) and ":" in t else [None, None] for t in rows["territory"]]
    lines = lines.assign(
        source=source,
        beneficiary_level=[b[0] for b in beneficiary],
        beneficiary_code=[b[1] for b in beneficiary],
    )
    stage(con, "stg_investment", lines)
    first, last = int(rows["year"].min()), int(rows["year"].max())
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)
    source_row = {
        "source": source,
        "label": label,
        "publisher": PUBLISHER,
        "dataset_id": DATASET_ID,
        "vintage": str(first) if first == last else f"{first}-{last}",
        "url": None,
        "licence": None,
        "is_simulated": False,
        "loaded_at": now,
    }
    stage(con, "stg_source", pd.DataFrame([source_row]))


def _summary(import_id: str, label: str, rows: pd.DataFrame) -> ImportSummary:
    by_funder = (
        rows.groupby(["funder_level", "funder_code"], sort=True)["amount_eur"].agg(["count", "sum"]).reset_index()
    )
    funders = tuple(
        (f"{FUNDER_LABELS[str(r.funder_level)]} {r.funder_code}", int(r.count), float(r.sum))
        for r in by_funder.itertuples()
    )
    return ImportSummary(
        import_id=import_id,
        label=label,
        rows=len(rows),
        total_eur=float(rows["amount_eur"].sum()),
        years=(int(rows["year"].min()), int(rows["year"].max())),
        by_funder=funders,
    )


def problems_frame(problems: list[Problem]) -> pd.DataFrame:
    """The validation report as a table: Ligne (str, « fichier » for the whole file), Colonne, Problème."""
    return pd.DataFrame(
        {
            "Ligne": [str(p.line) if p.line is not None else "fichier" for p in problems],
            "Colonne": [p.column or "—" for p in problems],
            "Problème": [p.message for p in problems],
        }
    )


def preview_frame(rows: pd.DataFrame) -> pd.DataFrame:
    """The checked lines for display, French headers and amounts (see :func:`validate` for ``rows``)."""
    return pd.DataFrame(
        {
            "Ligne": rows["line"].astype(int),
            "Exercice": rows["year"].astype(int),
            "Financeur": [
                f"{FUNDER_LABELS[str(level)]} {code}"
                for level, code in zip(rows["funder_level"], rows["funder_code"], strict=True)
            ],
            "Programme": rows["programme"],
            "Catégorie": rows["category"].map(lambda c: CATEGORY_LABELS.get(str(c), str(c))),
            "UAI": rows["uai"].fillna("—"),
            "Territoire": rows["territory"].fillna("—"),
            "Montant (€)": rows["amount_eur"].map(lambda v: fr_number(float(v), 2)),
            "Libellé": rows["label"].fillna(""),
        }
    )


def summarise(rows: pd.DataFrame, label: str = "", import_id: str = "") -> ImportSummary:
    """What importing ``rows`` (see :func:`validate`) would add, per funder."""
    return _summary(import_id, label, rows)
