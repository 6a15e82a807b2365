"""Prospective's exports for French spreadsheets: headers with units, percentages as percentages,
rounding, codes as text; CSV parsed back as LibreOffice or Excel would, XLSX number formats."""

from __future__ import annotations

import io

import pandas as pd
import pytest
from openpyxl import load_workbook

from explorer.reports.csv import french_csv
from forecasting.exports import csv_frame, definition_table, weekly_table, workbook, yearly_table
from forecasting.projection import Projection, TerritoryFit
from forecasting.scenario import Change, Scenario, parse_scenario
from tests.scenarios import PLUS40


def toy_projection() -> Projection:
    """Département 01 (a code with a leading zero), one scenario, two school years by hand."""
    fit = TerritoryFit(
        "departement",
        "01",
        "Ain",
        "A",
        None,
        pd.DataFrame(),
        pd.Series(dtype=float),
        model=None,  # type: ignore[arg-type]
    )
    forecast = pd.DataFrame(
        {
            "date": pd.to_datetime(["2026-07-06", "2026-07-06"]),
            "scenario": ["baseline", "plus40"],
            "yhat": [1.234567, 1.3],
            "yhat_lower": [1.0, 1.1],
            "yhat_upper": [1.5, 1.6],
            "school_year": ["2025-2026", "2025-2026"],
            "backtested": [True, True],
        }
    )
    changes = pd.DataFrame(
        {
            "scenario": ["plus40", "plus40"],
            "school_year": ["2028-2029", "2029-2030"],
            "stock_change_eur": [40.0, 80.0],
            "change": [0.012345, -0.0686],
            "lower": [0.01, -0.09],
            "upper": [0.015, -0.05],
        }
    )
    differences = pd.DataFrame(
        {
            "scenario": ["plus40", "plus40"],
            "school_year": ["2028-2029", "2029-2030"],
            "baseline": [1.5, 1.6],
            "value": [1.5185175, 1.49024],
            "difference": [0.0185175, -0.10976],
            "lower": [0.015, -0.144],
            "upper": [0.0225, -0.08],
            "backtested_share": [0.5927, 0.0],
        }
    )
    return Projection(fit, forecast, pd.DataFrame(), changes, differences, None)


def parsed(frame: pd.DataFrame) -> pd.DataFrame:
    """The CSV as a French spreadsheet reads it: ``;``, decimal comma, text kept as text."""
    data = french_csv(frame)
    assert data.startswith("\ufeff".encode())  # BOM: Excel reads UTF-8
    text = data.decode("utf-8-sig")
    assert text.splitlines()[0].count(";") == len(frame.columns) - 1
    return pd.read_csv(io.StringIO(text), sep=";", decimal=",", dtype=str, keep_default_na=False)


def test_yearly_csv_has_french_headers_percentages_and_the_code_as_text():
    table = parsed(csv_frame(yearly_table(toy_projection())))
    assert table.columns.tolist() == [
        "Niveau",
        "Territoire",
        "Code du territoire",
        "Scénario",
        "Année scolaire",
        "Investissement ajouté cumulé (€ par élève du territoire)",
        "Effet attendu (%)",
        "Effet, borne basse à 90 % (%)",
        "Effet, borne haute à 90 % (%)",
        "Référence (visites ENT par élève et par semaine)",
        "Avec le scénario (visites ENT par élève et par semaine)",
        "Écart (visites ENT par élève et par semaine)",
        "Écart, borne basse à 90 % (visites ENT par élève et par semaine)",
        "Écart, borne haute à 90 % (visites ENT par élève et par semaine)",
        "Semaines évaluées par le backtest (%)",
    ]
    first, second = table.to_dict(orient="records")
    assert first["Niveau"] == "Département" and first["Territoire"] == "Ain"
    assert first["Code du territoire"] == "01"  # the leading zero kept
    assert first["Scénario"] == "plus40"
    # a fraction of 0.5927 is written 59,3 under « (%) », never 0,5927
    assert first["Semaines évaluées par le backtest (%)"] == "59,3"
    # an effect of −0.0686 is −6,86 %; a gap in visits is in visits, three decimals, not « % »
    assert second["Effet attendu (%)"] == "-6,86"
    assert first["Effet attendu (%)"] == "1,23"
    assert second["Écart (visites ENT par élève et par semaine)"] == "-0,11"  # -0.10976 → -0,110
    assert first["Écart (visites ENT par élève et par semaine)"] == "0,019"
    assert first["Avec le scénario (visites ENT par élève et par semaine)"] == "1,519"
    assert first["Investissement ajouté cumulé (€ par élève du territoire)"] == "40"
    # no six-decimal number anywhere
    numbers = table.drop(columns=["Niveau", "Territoire", "Code du territoire", "Scénario", "Année scolaire"])
    assert all(len(v.split(",")[1]) <= 3 for v in numbers.to_numpy().ravel() if "," in v)


def test_weekly_csv_names_the_reference_in_french():
    table = parsed(csv_frame(weekly_table(toy_projection())))
    assert "baseline" not in table.to_csv() and "yhat" not in ";".join(table.columns)
    assert table["Scénario"].tolist() == ["Référence (investissement dans la tendance)", "plus40"]
    assert table["Semaine du (lundi)"].tolist() == ["2026-07-06"] * 2
    assert table["Projection (visites ENT par élève et par semaine)"].tolist() == ["1,235", "1,3"]
    assert table["Évaluée par le backtest"].tolist() == ["oui", "oui"]
    assert table["Code du territoire"].tolist() == ["01", "01"]


def test_definition_csv_in_words():
    cut = Scenario("coupe", (Change(2028, 2028, "departement", "ent_logiciels", -12.5, "concernes"),))
    table = parsed(csv_frame(definition_table([parse_scenario(PLUS40), cut])))
    assert table.to_dict(orient="records") == [
        {
            "Scénario": "plus40",
            "Payé par": "Département",
            "Établissements concernés": "collèges publics",
            "Catégorie de dépense": "Équipement",
            "Premier exercice": "2027",
            "Dernier exercice": "2030",
            "Montant compté par": "élève du territoire",
            "Variation (€ par élève compté et par an)": "40",
            "Effet à partir de l'année scolaire": "2028-2029",
        },
        {
            "Scénario": "coupe",
            "Payé par": "Département",
            "Établissements concernés": "collèges publics",
            "Catégorie de dépense": "ENT et logiciels",
            "Premier exercice": "2028",
            "Dernier exercice": "2028",
            "Montant compté par": "collégien du public",
            "Variation (€ par élève compté et par an)": "-12,5",
            "Effet à partir de l'année scolaire": "2029-2030",
        },
    ]


def test_workbook_keeps_fractions_with_percent_formats_and_codes_as_text():
    projection = toy_projection()
    data = workbook(
        {
            "Définition": definition_table([parse_scenario(PLUS40)]),
            "Par année scolaire": yearly_table(projection),
            "Par semaine": weekly_table(projection),
        },
        "Prospective — Département Ain (01)",
    )
    wb = load_workbook(io.BytesIO(data))
    assert wb.sheetnames == ["Définition", "Par année scolaire", "Par semaine"]
    ws = wb["Par année scolaire"]
    assert ws["A1"].value == "Prospective — Département Ain (01)"
    headers = [c.value for c in ws[3]]
    cell = {name: ws.cell(row=4, column=headers.index(name) + 1) for name in headers}
    code = cell["Code du territoire"]
    assert code.value == "01" and code.data_type == "s" and code.number_format == "@"
    share = cell["Semaines évaluées par le backtest (%)"]
    assert share.value == pytest.approx(0.5927) and share.number_format == "0.0%"
    effect = cell["Effet attendu (%)"]
    assert effect.value == pytest.approx(0.012345) and effect.number_format == "0.00%"
    assert cell["Investissement ajouté cumulé (€ par élève du territoire)"].number_format == '#,##0.00 "€"'
    assert cell["Écart (visites ENT par élève et par semaine)"].number_format == "0.000"
    definition = wb["Définition"]
    assert [c.value for c in definition[4]][4:8] == [2027, 2030, "élève du territoire", 40]
