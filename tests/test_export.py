import numpy as np
import pandas as pd

from explorer.reports.csv import french_csv, rounded


def test_french_csv_by_hand():
    frame = pd.DataFrame({"code": ["01001", "2A004"], "libellé": ["rural", "urbain"], "valeur": [1234.5, 0.125]})
    data = french_csv(frame)
    assert data.startswith(b"\xef\xbb\xbf")  # BOM: Excel reads UTF-8
    # Text (codes included) quoted, numbers never: LibreOffice's « champs entre guillemets comme
    # texte » then keeps 01001 as text and 1234,5 as a number.
    assert data.decode("utf-8-sig") == (
        '"code";"libellé";"valeur"\r\n"01001";"rural";1234,5\r\n"2A004";"urbain";0,125\r\n'
    )


def test_french_csv_numbers_without_exponent_or_minus_zero_and_quotes_doubled():
    frame = pd.DataFrame(
        {
            "nom": ['Lycée "Jean Moulin"', "a;b"],
            "n": [1_060_199, np.nan],
            "x": [-0.0, 0.1 + 0.2],
            "petit": [1.5e-7, -0.0686],
        }
    )
    lines = french_csv(frame).decode("utf-8-sig").split("\r\n")
    assert lines[1] == '"Lycée ""Jean Moulin""";1060199;0;0'  # 1.5e-7 rounds to 0 at 6 decimals
    assert lines[2] == '"a;b";;0,3;-0,0686'
    assert lines[3] == ""


def test_rounded_leaves_text_and_missing_alone():
    assert rounded(0.59274, 4) == 0.5927
    assert rounded("secret statistique", 1) == "secret statistique"
    assert np.isnan(rounded(np.nan, 1))
    assert rounded(True, 1) is True
