"""What every connector is: a dataset id, where to fetch it, how to read and stage it.

A connector module defines one or more :class:`Connector` objects at module level (named
``CONNECTOR`` or listed in ``CONNECTORS``); :mod:`explorer.connectors` finds them. A
connector never writes to the warehouse itself: :meth:`Connector.stage_rows` returns, for
each ``stg_*`` table it feeds, the rows in the staging contract's columns, and
:mod:`explorer.connectors.store` checks and appends them.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from explorer.connectors.files import pick_columns, read_table

PORTALS = {
    "education": "https://data.education.gouv.fr/api/explore/v2.1/catalog/datasets",
    "ofgl": "https://data.ofgl.fr/api/explore/v2.1/catalog/datasets",
    "economie": "https://data.economie.gouv.fr/api/explore/v2.1/catalog/datasets",
}

log = logging.getLogger("explorer.connectors")

Transform = Callable[[pd.DataFrame, "Context"], Mapping[str, pd.DataFrame]]


@dataclass(frozen=True)
class Context:
    """What a transform may need besides the rows: the dataset id and the file name."""

    dataset_id: str
    file: str
    source: str


@dataclass(frozen=True)
class Connector:
    """One official dataset.

    Attributes
    ----------
    dataset_id : the publisher's id (``fr-en-annuaire-education``); also the CLI argument.
    label, publisher, licence, url : shown in the Données page's sources table.
    portal : key of :data:`PORTALS` for ``fetch`` (``None``: no Opendatasoft API, file only).
    columns : canonical name → accepted headers (field names and labels, any case/accents).
    required : canonical columns without which the file is not this dataset.
    transform : canonical-column rows → ``{stg_table: rows}`` in the staging contract.
    tables : the ``stg_*`` tables it writes (its previous rows there are replaced on reload).
    sums : ``(table, column)`` pairs whose totals the CLI prints after a load; for
        ``stg_territory_fact`` a third element keeps one unit (``("stg_territory_fact", "value", "€")``),
        so that euros and euros per inhabitant are never added together.
    sheet : XLSX sheet to read when the publisher ships a workbook.
    """

    dataset_id: str
    label: str
    publisher: str
    columns: Mapping[str, tuple[str, ...]]
    required: tuple[str, ...]
    transform: Transform
    tables: tuple[str, ...]
    portal: str | None = "education"
    url: str = ""
    licence: str = "Licence Ouverte v2.0"
    sums: tuple[tuple[str, ...], ...] = ()
    sheet: str | int | None = None
    export_params: Mapping[str, str] = field(default_factory=dict)

    @property
    def source(self) -> str:
        """Value of the ``source`` column of the rows it stages."""
        return self.dataset_id

    def page_url(self) -> str:
        if self.url:
            return self.url
        if self.portal is None:
            return ""
        host = PORTALS[self.portal].split("/api/")[0]
        return f"{host}/explore/dataset/{self.dataset_id}/"

    def read(self, path: Path) -> pd.DataFrame:
        """The file's rows with canonical column names (strings, ``None`` when empty)."""
        frame = read_table(path, self.sheet)
        return pick_columns(frame, self.columns, self.required, file=Path(path).name)

    def stage_rows(self, path: Path) -> dict[str, pd.DataFrame]:
        """Read ``path`` and return the staging rows per table, ``source`` column set."""
        rows = self.read(path)
        rows.index.name = "source_row"  # kept by transforms that keep the index: errors then name the line
        ctx = Context(self.dataset_id, Path(path).name, self.source)
        out = {}
        for table, frame in self.transform(rows, ctx).items():
            if table not in self.tables:
                raise ValueError(f"{self.dataset_id} wrote {table}, not declared in tables")
            out[table] = frame.assign(source=self.source)
        return out

    def source_row(self, vintage: str | None = None) -> dict[str, object]:
        return {
            "source": self.source,
            "label": self.label,
            "publisher": self.publisher,
            "dataset_id": self.dataset_id,
            "vintage": vintage,
            "url": self.page_url(),
            "licence": self.licence,
            "is_simulated": False,
        }


def warn_skipped(ctx: Context, count: int, what: str) -> None:
    """Tell the user (stderr, through logging) how many rows were left out, and why."""
    if count:
        log.warning("Fichier « %s » : %d ligne(s) non chargée(s) : %s.", ctx.file, count, what)
