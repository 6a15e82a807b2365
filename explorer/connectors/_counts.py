"""Counts (pupils, visits, users): whole numbers, zero or more, or an error naming the line.

:func:`~explorer.connectors.files.to_number` reads any number; a count that is not whole
(``12.5`` pupils) or negative is a damaged file, and casting it to an integer column would
round it silently. :func:`to_count` refuses it with the file's line and the column instead.
"""

from __future__ import annotations

import pandas as pd

from explorer.connectors.files import file_lines, to_number
from explorer.errors import SourceFileError


def to_count(frame: pd.DataFrame, column: str, file: str = "", *, allow_empty: bool = True) -> pd.Series:
    """Whole non-negative numbers of ``frame[column]`` (``Int64``; an empty cell stays ``<NA>``).

    Parameters
    ----------
    frame : rows read by a connector (text cells, index = position in the file).
    column : canonical column holding the counts (``1 234``, ``1234``, ``1234.0`` are accepted).
    file : file name, for the error message.
    allow_empty : when false, an empty cell is refused too (a commune's legal population).

    Raises
    ------
    SourceFileError
        On the first value that is not a number, not whole, or negative, naming its line.
    """
    values = to_number(frame, column, file, allow_empty=allow_empty)
    bad = (values.notna() & ((values < 0) | (values != values.round()))).fillna(False).astype(bool)
    if bad.any():
        idx = bad.idxmax()
        raise SourceFileError(
            f"valeur « {str(frame[column][idx])[:40]} » : un nombre entier positif ou nul est attendu "
            f"({int(bad.sum())} ligne(s) concernée(s)). Corrigez ces lignes puis relancez le chargement.",
            file=file,
            line=int(file_lines(frame)[idx]),
            column=column,
        )
    return values.astype("Int64")
