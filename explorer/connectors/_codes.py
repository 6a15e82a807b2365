"""Territory and UAI codes as publishers write them → the warehouse's codes, or an error naming the line.

The staging contract checks codes too, but it cannot say on which line of the user's file a
bad code sits; these helpers do, before anything is staged. Departments arrive as ``35``,
``035``, ``2A``, ``02A`` or ``971``; communes as ``35238``, ``2A004`` or ``1001`` (a
spreadsheet ate the leading zero); UAI as ``0350024L`` or ``0350024l``.
"""

from __future__ import annotations

import re

import pandas as pd

from explorer.codes import CODE2_PATTERN, COMMUNE_PATTERN, SIREN_PATTERN, UAI_PATTERN, normalise
from explorer.connectors.files import file_lines
from explorer.errors import SourceFileError

# What a connector accepts once a code is normalised: the warehouse's forms, and for départements
# also the COG/OFGL collectivités (69M, 69D) and the COM (977, 978), which the build reports.
_ACCEPTED = {
    "commune": re.compile(COMMUNE_PATTERN),
    "departement": re.compile(r"^([0-9]{2}|2[AB]|97[1-8]|[0-9]{2}[A-Z])$"),
    "region": re.compile(CODE2_PATTERN),
    "academie": re.compile(CODE2_PATTERN),
    "epci": re.compile(SIREN_PATTERN),
    "uai": re.compile(UAI_PATTERN),
}


def _code(level: str, value: object) -> str | None:
    text = normalise(level, str(value or ""))
    return text if text and _ACCEPTED[level].match(text) else None


def commune_code(value: object) -> str | None:
    """``"1001"`` → ``"01001"``; ``" 2a004"`` → ``"2A004"``; anything not a commune code → ``None``."""
    return _code("commune", value)


def departement_code(value: object) -> str | None:
    """``"035"`` → ``"35"``, ``"02A"`` → ``"2A"``, ``"971"`` → ``"971"``, ``"5"`` → ``"05"``."""
    return _code("departement", value)


def region_code(value: object) -> str | None:
    """``"84"``, ``"084"`` → ``"84"``; ``"1"`` → ``"01"`` (Guadeloupe)."""
    return _code("region", value)


def academie_code(value: object) -> str | None:
    """MENJ académie code: ``"1"``, ``"01"`` → ``"01"``; ``"70"`` (Normandie) stays."""
    return _code("academie", value)


def siren_code(value: object) -> str | None:
    """A 9-digit SIREN (white space removed), else ``None``."""
    return _code("epci", value)


def uai_code(value: object) -> str | None:
    """``" 0350024l"`` → ``"0350024L"``; anything not 7 digits and a letter → ``None``."""
    return _code("uai", value)


_NORMALISERS = {
    "commune": (commune_code, "code INSEE de commune sur 5 caractères (par ex. 35238, 2A004, 97101)"),
    "departement": (departement_code, "code de département (01…95, 2A, 2B, 971…976)"),
    "region": (region_code, "code INSEE de région sur 2 chiffres"),
    "epci": (siren_code, "SIREN sur 9 chiffres"),
    "academie": (academie_code, "code d'académie MENJ sur 2 chiffres (01 Paris … 70 Normandie)"),
    "uai": (uai_code, "UAI : 7 chiffres et 1 lettre (par ex. 0350024L)"),
}


def codes(frame: pd.DataFrame, column: str, level: str, file: str) -> pd.Series:
    """The codes of ``frame[column]`` normalised for ``level``.

    Parameters
    ----------
    frame : rows read by a connector (index = position in the file, header excluded).
    column : canonical column holding the codes (text).
    level : ``commune``, ``departement``, ``region``, ``epci``, ``academie`` or ``uai``.
    file : file name, for the error message.

    Raises
    ------
    SourceFileError
        On the first empty or malformed code, naming its line, the column and the expected form.
    """
    normalise, expected = _NORMALISERS[level]
    out = frame[column].map(normalise)
    bad = out.isna()
    if bad.any():
        idx = bad.idxmax()
        raw = frame[column][idx]
        shown = "vide" if raw is None else f"« {str(raw)[:40]} »"
        raise SourceFileError(
            f"code {shown} invalide : attendu un {expected} ({int(bad.sum())} ligne(s) concernée(s)). "
            "Corrigez ces lignes ou retirez-les, puis relancez le chargement.",
            file=file,
            line=int(file_lines(frame)[idx]),
            column=column,
        )
    return out.astype(object)
