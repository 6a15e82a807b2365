import pandas as pd

from explorer.reports.csv import french_csv


def test_french_csv_by_hand():
    frame = pd.DataFrame({"code": ["01001", "2A004"], "libellé": ["rural", "urbain"], "valeur": [1234.5, 0.125]})
    data = french_csv(frame)
    assert data.startswith(b"\xef\xbb\xbf")  # BOM: Excel reads UTF-8
    assert data.decode("utf-8-sig") == "code;libellé;valeur\r\n01001;rural;1234,5\r\n2A004;urbain;0,125\r\n"
