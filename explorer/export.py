"""Downloads for French spreadsheets: CSV in UTF-8 with BOM, ``;`` separator, decimal comma."""

from __future__ import annotations

import pandas as pd


def french_csv(frame: pd.DataFrame) -> bytes:
    """``frame`` as CSV bytes that French Excel opens correctly (accents, columns, decimals).

    Floats are written with up to 6 significant decimals and a decimal comma; codes stay text.
    """
    text = frame.to_csv(sep=";", decimal=",", index=False, float_format="%.6g", lineterminator="\r\n")
    return text.encode("utf-8-sig")
