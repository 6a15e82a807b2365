"""French number and date formatting for what the users read on screen.

Typography follows the French locale of CLDR (what browsers and LibreOffice use): a narrow
no-break space (U+202F) groups thousands and precedes ``%``, a no-break space (U+00A0)
precedes ``€``, the decimal mark is a comma. Missing values (None, NaN, NA, NaT) read
« n.d. » (non disponible): a missing amount is not zero, so it never prints as ``0``.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Mapping
from decimal import Decimal
from numbers import Real
from zoneinfo import ZoneInfo

import pandas as pd

from explorer import vocabulary as voc
from explorer.vocabulary import MONTHS

NNBSP = "\u202f"  # narrow no-break space: thousands separator, before %
NBSP = "\u00a0"  # no-break space: before €
MISSING = "n.d."
_NUMBER = (Real, Decimal)


def is_missing(value: object) -> bool:
    """True for None, NaN, ``pd.NA`` and ``pd.NaT``."""
    if value is None:
        return True
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):  # containers: not a missing scalar
        return False


def fr_number(value: object, decimals: int = 0) -> str:
    """``1234.5`` → ``"1 234,5"`` (``decimals=1``); missing → ``"n.d."``.

    Rounding is half-to-even on the binary value, as Python's ``format`` does; ``-0``
    prints as ``0``.
    """
    if decimals < 0:
        raise ValueError(f"decimals={decimals} should be >= 0")
    if is_missing(value):
        return MISSING
    if not isinstance(value, _NUMBER):
        raise TypeError(f"fr_number expects a number, got {type(value).__name__}: {value!r}")
    number = float(value)
    if math.isinf(number):
        return "∞" if number > 0 else "-∞"
    text = f"{number:,.{decimals}f}"
    if text.lstrip("-").strip("0,.") == "":
        text = text.lstrip("-")  # -0.0 and values rounding to zero
    return text.replace(",", NNBSP).replace(".", ",")


def fr_eur(value: object, decimals: int = 0) -> str:
    """``1234`` → ``"1 234 €"``; missing → ``"n.d."``."""
    text = fr_number(value, decimals)
    return text if text == MISSING else f"{text}{NBSP}€"


def fr_percent(share: object, decimals: int = 1) -> str:
    """A share (``0.123``) as a percentage: ``"12,3 %"``; missing → ``"n.d."``."""
    if is_missing(share):
        return MISSING
    if not isinstance(share, _NUMBER):
        raise TypeError(f"fr_percent expects a number, got {type(share).__name__}: {share!r}")
    return f"{fr_number(float(share) * 100, decimals)}{NNBSP}%"


def fr_date(value: object) -> str:
    """``2019-09-02`` → ``"2 septembre 2019"`` (``"1er"`` for the first of the month)."""
    if is_missing(value):
        return MISSING
    if isinstance(value, str):
        value = dt.date.fromisoformat(value)
    if not isinstance(value, dt.date):
        raise TypeError(f"fr_date expects a date, got {type(value).__name__}: {value!r}")
    day = "1er" if value.day == 1 else str(value.day)
    return f"{day} {MONTHS[value.month - 1]} {value.year}"


def fr_datetime(value: object, tz: str = "Europe/Paris") -> str:
    """Aware timestamp → ``"28 novembre 2026 à 16 h 24"`` in ``tz`` (naive ones are UTC)."""
    if is_missing(value):
        return MISSING
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
    if not isinstance(value, dt.datetime):
        raise TypeError(f"fr_datetime expects a datetime, got {type(value).__name__}: {value!r}")
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    local = value.astimezone(ZoneInfo(tz))
    return f"{fr_date(local.date())} à {local.hour} h {local.minute:02d}"


def fr_yes_no(value: object) -> str:
    """``True`` → ``"oui"``, ``False`` → ``"non"``, missing → ``"n.d."``."""
    if is_missing(value):
        return MISSING
    return "oui" if bool(value) else "non"


def format_frame(frame: pd.DataFrame, formats: Mapping[str, Callable[[object], str]]) -> pd.DataFrame:
    """Display copy of ``frame``: the columns of ``formats`` become strings through their
    formatter, and missing cells of the other columns read « n.d. ».

    Parameters
    ----------
    frame : any DataFrame; every key of ``formats`` must be one of its columns.
    formats : column name → formatter such as ``fr_number`` or ``lambda x: fr_eur(x, 2)``.
    """
    unknown = sorted(set(formats) - set(frame.columns))
    if unknown:
        raise KeyError(f"format_frame: columns {unknown} not in {list(frame.columns)}")
    shown = frame.copy()
    for column in shown.columns:
        if column in formats:
            shown[column] = [formats[column](v) for v in shown[column]]
        elif shown[column].isna().any():
            shown[column] = [MISSING if is_missing(v) else v for v in shown[column]]
    return shown


def fr_signed_percent(share: object, decimals: int = 1) -> str:
    """A change (``0.012``) as a signed percentage: ``"+1,2 %"``, ``"−0,4 %"``, ``"0,0 %"``; missing → ``"n.d."``."""
    if is_missing(share):
        return MISSING
    text = fr_percent(share, decimals)
    if text.startswith("-"):
        return "−" + text[1:]
    return text if set(text.replace(NNBSP + "%", "")) <= {"0", ","} else "+" + text


def fr_count(count: int, level: str) -> str:
    """« 1 commune », « 18 régions », « 0 commune »: a count and its level noun, agreed (French: 0 and 1 singular)."""
    noun = voc.LEVEL_NOUNS[level] if count <= 1 else voc.LEVEL_PLURALS[level]
    return f"{fr_number(count)} {noun}"


def fr_agreed(word: str, count: int, level: str) -> str:
    """A masculine singular adjective or participle agreed with ``count`` of ``level``: « dessinées » for 18 régions."""
    return word + ("e" if level in voc.FEMININE_LEVELS else "") + ("s" if count > 1 else "")
