"""French formatting: hand-checked strings (U+202F groups thousands, U+00A0 precedes €)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import numpy as np
import pandas as pd
import pytest

from explorer.formatting import (
    format_frame,
    fr_agreed,
    fr_count,
    fr_date,
    fr_datetime,
    fr_eur,
    fr_number,
    fr_percent,
    fr_yes_no,
    is_missing,
)

N = "\u202f"  # narrow no-break space
B = "\u00a0"  # no-break space


@pytest.mark.parametrize(
    ("value", "decimals", "expected"),
    [
        (1234.5, 1, f"1{N}234,5"),
        (1234.5, 2, f"1{N}234,50"),
        (1234567, 0, f"1{N}234{N}567"),
        (999, 0, "999"),
        (1000, 0, f"1{N}000"),
        (0.25, 2, "0,25"),
        (12.345, 0, "12"),
        (-1234.5, 1, f"-1{N}234,5"),
        (-0.04, 1, "0,0"),  # rounds to zero: no "-0,0"
        (np.int64(649_492_449), 0, f"649{N}492{N}449"),  # DNMA visits 2025-26
        (np.float64(0.5), 1, "0,5"),
        (Decimal("196533726.48"), 2, f"196{N}533{N}726,48"),  # SNEE spending
    ],
)
def test_fr_number(value, decimals, expected):
    assert fr_number(value, decimals=decimals) == expected


@pytest.mark.parametrize("missing", [None, float("nan"), np.nan, pd.NA, pd.NaT])
def test_missing_values_read_nd(missing):
    assert is_missing(missing)
    assert fr_number(missing) == "n.d."
    assert fr_eur(missing) == "n.d."
    assert fr_percent(missing) == "n.d."
    assert fr_yes_no(missing) == "n.d."


def test_zero_is_not_missing():
    assert not is_missing(0)
    assert fr_number(0) == "0"
    assert fr_eur(0) == f"0{B}€"


def test_fr_eur():
    assert fr_eur(1234) == f"1{N}234{B}€"
    assert fr_eur(103_095_993.73, decimals=2) == f"103{N}095{N}993,73{B}€"
    assert fr_eur(35) == f"35{B}€"


def test_fr_percent_takes_a_share():
    assert fr_percent(0.123) == f"12,3{N}%"
    assert fr_percent(0.5, decimals=0) == f"50{N}%"
    assert fr_percent(1) == f"100,0{N}%"
    # 623 measured écoles out of 2,537: 24.556… %
    assert fr_percent(623 / 2537) == f"24,6{N}%"
    assert fr_percent(12.5, decimals=0) == f"1{N}250{N}%"


def test_fr_date():
    assert fr_date(dt.date(2019, 9, 2)) == "2 septembre 2019"
    assert fr_date(dt.date(2026, 6, 1)) == "1er juin 2026"
    assert fr_date(pd.Timestamp("2020-03-16")) == "16 mars 2020"
    assert fr_date("2025-08-31") == "31 août 2025"


def test_fr_yes_no():
    assert fr_yes_no(True) == "oui"
    assert fr_yes_no(np.bool_(False)) == "non"


def test_bad_input_is_refused():
    with pytest.raises(TypeError, match="expects a number"):
        fr_number("1234")
    with pytest.raises(ValueError, match="decimals=-1"):
        fr_number(1.0, decimals=-1)
    with pytest.raises(TypeError, match="expects a date"):
        fr_date(2019)


def test_format_frame():
    frame = pd.DataFrame({"name": ["a", None], "rows": [1234, 5], "share": [0.5, float("nan")]})
    shown = format_frame(frame, {"rows": fr_number, "share": fr_percent})
    assert shown.to_dict("list") == {
        "name": ["a", "n.d."],
        "rows": [f"1{N}234", "5"],
        "share": [f"50,0{N}%", "n.d."],
    }
    assert frame.loc[0, "rows"] == 1234  # the input is left untouched
    with pytest.raises(KeyError, match="missing_column"):
        format_frame(frame, {"missing_column": fr_number})


def test_fr_datetime_in_paris_time():
    # UTC+1 in winter, UTC+2 in summer
    assert fr_datetime("2026-11-28T15:24:53+00:00") == "28 novembre 2026 à 16 h 24"
    assert fr_datetime(dt.datetime(2026, 7, 1, 8, 5, tzinfo=dt.UTC)) == "1er juillet 2026 à 10 h 05"
    assert fr_datetime(dt.datetime(2026, 7, 1, 8, 5)) == "1er juillet 2026 à 10 h 05"  # naive = UTC
    assert fr_datetime(None) == "n.d."


def test_counts_and_agreement_follow_the_level_noun_and_gender():
    assert fr_count(1, "commune") == "1 commune"
    assert fr_count(0, "commune") == "0 commune"
    assert fr_count(18, "region") == "18 régions"
    assert fr_count(1234, "etablissement") == "1\u202f234 établissements"
    assert fr_count(3, "epci") == "3 EPCI"
    assert fr_agreed("dessiné", 18, "region") == "dessinées"
    assert fr_agreed("dessiné", 1, "commune") == "dessinée"
    assert fr_agreed("dessiné", 101, "departement") == "dessinés"
    assert fr_agreed("classé", 1, "epci") == "classé"
