"""Connectors whose headers carry the vintage year: « Code Insee 2024 Commune », ``pmun_2025``.

OFGL label exports and the DGCL EPCI workbook rename some columns every year. The year is
dropped from the normalised headers before the aliases are matched, so one connector reads
every vintage: ``code_insee_2024_commune`` → ``code_insee_commune``, ``pmun_2025`` → ``pmun``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from explorer.connectors.base import Connector
from explorer.connectors.files import pick_columns, read_table

_YEAR_TOKEN = re.compile(r"(?:^|_)(?:19|20)[0-9]{2}(?=_|$)")


def drop_year(header: str) -> str:
    """``"code_insee_2024_commune"`` → ``"code_insee_commune"``; a header that is only a year stays."""
    out = _YEAR_TOKEN.sub("", header).strip("_")
    return out or header


@dataclass(frozen=True)
class VintageConnector(Connector):
    """A :class:`Connector` that ignores the year written in the headers."""

    def read(self, path: Path) -> pd.DataFrame:
        frame = read_table(path, self.sheet)
        names = [drop_year(str(c)) for c in frame.columns]
        # Two headers differing only by their year (rare): the first one wins, like pick_columns.
        keep = [i for i, name in enumerate(names) if name not in names[:i]]
        frame = frame.iloc[:, keep]
        frame.columns = [names[i] for i in keep]
        return pick_columns(frame, self.columns, self.required, file=Path(path).name)
