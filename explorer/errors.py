"""Typed errors raised at the package's public entry points.

Messages are in French because they reach the users as they are (the UI shows them with
``st.error``, the CLI prints them); each one names the column, the value and what to do.
"""

from __future__ import annotations


class ExplorerError(Exception):
    """Base class of every error this package raises on purpose."""


class WarehouseNotFoundError(ExplorerError):
    """The DuckDB warehouse file does not exist yet."""


class WarehouseOutdatedError(ExplorerError):
    """The warehouse was built by an older version of the project: it lacks tables the app reads."""


class WarehouseBusyError(ExplorerError):
    """Another build or load holds the warehouse lock."""


class ContractError(ExplorerError):
    """Rows offered to a staging table break the staging contract."""

    def __init__(
        self, table: str, column: str | None, message: str, line: int | None = None, position: int | None = None
    ):
        self.table = table
        self.column = column
        self.line = line
        self.message = message
        self.position = position  # 0-based row of the offered rows holding the first offending value
        where = f"table « {table} »"
        if column:
            where += f", colonne « {column} »"
        if line is not None:
            where += f", ligne {line}"
        super().__init__(f"{where} : {message}")


class ScopeError(ExplorerError):
    """A build scope such as ``academie:14`` is malformed or unknown."""


class IdentifierError(ExplorerError):
    """An SQL identifier is not in the allow-list."""


class SourceFileError(ExplorerError):
    """A file offered to ``load`` or ``import-budget`` cannot be read as the expected dataset."""

    def __init__(self, message: str, file: str = "", line: int | None = None, column: str | None = None):
        self.message = message
        self.file = file
        self.line = line
        self.column = column
        super().__init__(message)

    def __str__(self) -> str:
        where = []
        if self.file:
            where.append(f"fichier « {self.file} »")
        if self.line is not None:
            where.append(f"ligne {self.line}")
        if self.column:
            where.append(f"colonne « {self.column} »")
        return (", ".join(where) + " : " if where else "") + self.message


class UnknownDatasetError(ExplorerError):
    """A dataset id that no connector handles."""


class FetchError(ExplorerError):
    """A download from a publisher's portal failed after its retries."""


class BudgetValidationError(ExplorerError):
    """A collectivité's budget file breaks the template: every problem found, with line and column.

    ``problems`` holds :class:`explorer.warehouse.budget.check.Problem` tuples ``(line, column, message)``;
    the message lists the first 20 of them so that a user can fix the file in one pass.
    """

    MAX_LISTED = 20

    def __init__(self, problems: list, file: str = ""):
        self.problems = list(problems)
        self.file = file
        n = len(self.problems)
        head = f"Fichier « {file} » refusé" if file else "Fichier refusé"
        lines = [f"{head} : {n} problème(s), rien n'a été importé. Corrigez-les puis importez-le à nouveau."]
        for line, column, message in self.problems[: self.MAX_LISTED]:
            where = f"ligne {line}" if line is not None else "fichier"
            if column:
                where += f", colonne {column}"
            lines.append(f"- {where} : {message}")
        if n > self.MAX_LISTED:
            lines.append(f"- … et {n - self.MAX_LISTED} autre(s) problème(s).")
        super().__init__("\n".join(lines))


class BudgetImportError(ExplorerError):
    """A budget import or removal that cannot be done (already imported, unknown import id)."""


class ClassificationError(ExplorerError):
    """Unknown method or class count."""


class TerritoryError(ExplorerError):
    """A territory reference that is malformed or absent from the warehouse."""


class SpendUseError(ExplorerError):
    """Bad level, lag or too few territories for the investment → use model."""


class ReportError(ExplorerError):
    """Unknown export format or unwritable output."""


class CompareError(ExplorerError):
    """Nothing to compare, or territories of another level."""


class TypologyError(ExplorerError):
    """Bad parameters or data for a typology."""


class PeerError(ExplorerError):
    """Unknown rule or level, or a target the rules cannot place."""


class IndicatorError(ExplorerError):
    """Unknown indicator, level or period."""


class FeatureError(ExplorerError):
    """Unknown level or variable, or too few territories to analyse."""


class RetryableFetchError(ExplorerError):
    """A download failure worth another attempt (network, timeout, 429, 5xx, body cut short).

    Raised and caught inside :mod:`explorer.connectors.fetch`; after the last attempt the user
    gets a :class:`FetchError` naming the dataset and the cause.
    """

    def __init__(self, message: str, retry_after: str | None = None):
        self.retry_after = retry_after
        super().__init__(message)


class WorkspaceError(ExplorerError):
    """A private workspace identifier that is not one this project makes."""


class EffectsDataError(ExplorerError):
    """The warehouse lacks what the effects engine needs (measured usage, investment, programme)."""


class EffectsInputError(ExplorerError):
    """A level, territory, profile or programme of the effects engine that does not exist."""


class NotAWarehouseError(ExplorerError):
    """A file given as the warehouse that is not one (not DuckDB, or DuckDB without the warehouse's tables)."""


class SecrecySettingError(ExplorerError):
    """The statistical-secrecy thresholds set for a deployment are not whole numbers ≥ 0."""
