"""Comparer logic: ranks, per-inhabitant values by hand, yearly series, URL state parsing."""

from __future__ import annotations

import io

import numpy as np
import pandas as pd
import pytest

from explorer.errors import CompareError
from explorer.facts.indicators import compute, get_indicator, territory_facts
from explorer.reports.csv import french_csv
from explorer.sheets import compare
from explorer.sheets.state import SheetState, parse_state, resolve


def comparison(territories: dict, values: list, breakdown: list | None = None) -> pd.DataFrame:
    """A frame shaped like :func:`compare.comparison_table`: ``territories`` (code, name, population,
    pupils…), every indicator of :data:`compare.COLUMNS` at ``values`` (a NaN value is masked and
    unranked, the others rank 1), every breakdown at ``breakdown`` when given, no fragile flag."""
    table = pd.DataFrame(territories)
    masked = [bool(np.isnan(v)) for v in values]
    for column in compare.COLUMNS:
        table[column] = values
        table[f"{column}_masked"] = masked
        table[f"{column}_rank"] = [np.nan if m else 1.0 for m in masked]
    for column in compare.BREAKDOWN if breakdown is not None else ():
        table[column] = breakdown
        table[f"{column}_masked"] = masked
    table["fragility"] = ""
    return table


def test_table_ranks_and_per_inhabitant(rennes):
    table = compare.comparison_table(rennes, "departement", ["35", "22", "29", "56"], (2021, 2025))
    assert table["code"].tolist() == ["35", "22", "29", "56"]
    facts = territory_facts(rennes, "departement", (2021, 2025)).set_index("code")
    per_inhabitant = facts["invest_eur"] / facts["population"] / 5
    assert table["invest_per_inhabitant"].tolist() == pytest.approx(per_inhabitant[["35", "22", "29", "56"]].tolist())
    values = table.set_index("code")["ips"]
    ranks = table.set_index("code")["ips_rank"]
    assert ranks[values.idxmax()] == 1 and ranks[values.idxmin()] == 4
    with pytest.raises(CompareError, match="Aucun territoire"):
        compare.comparison_table(rennes, "departement", [], (2021, 2025))
    with pytest.raises(CompareError, match="departement:99"):
        compare.comparison_table(rennes, "departement", ["35", "99"], (2021, 2025))


def test_yearly_series_equals_single_year_indicator(rennes):
    series = compare.yearly_series(rennes, "departement", ["29", "35"], "ent_visits_per_pupil_week")
    assert series["year"].min() == 2019 and series["year"].max() == 2025
    indicator = get_indicator("ent_visits_per_pupil_week")
    one = compute(territory_facts(rennes, "departement", (2023, 2023), indicator), indicator).set_index("code")
    got = series[(series["year"] == 2023) & (series["code"] == "29")]["value"].iloc[0]
    assert got == pytest.approx(one.at["29", "value"])


def test_export_keeps_the_mask_and_the_french_csv():
    territories = {"code": ["A", "B"], "name": ["Aa", "Bb"], "population": [1_060_199, 500], "pupils": [10, 2]}
    table = comparison(territories, [12.5, np.nan], [3.0, np.nan])
    exported = compare.export_frame(table, "A")
    frame = pd.read_csv(io.BytesIO(french_csv(exported)), sep=";", decimal=",", encoding="utf-8-sig")
    header = f"{compare.column_label('ips')} ({compare.column_unit('ips')})"
    assert frame[header].tolist() == ["12,5", "secret statistique"]  # a text column: the mask is kept
    assert frame["Population (habitants)"].tolist() == [1_060_199, 500]  # no exponent
    assert frame["Territoire choisi"].fillna("").tolist() == ["oui", ""]


def test_display_frame_marks_the_highlight_and_shows_shares_in_percent():
    territories = {"code": ["A", "B"], "name": ["Aa", "Bb"], "population": [1000, 500], "pupils": [10.0, np.nan]}
    table = comparison(territories, [0.25, np.nan])
    shown = compare.display_frame(table, "B")
    assert shown.columns[:5].tolist() == ["", "Code", "Nom", "Population", "Élèves"]
    assert shown[""].tolist() == ["", "▶"]
    share = compare.column_label("active_pupils_share")  # a share (unit « % … »): 0.25 shows as 25
    assert shown[share].iloc[0] == 25.0 and np.isnan(shown[share].iloc[1])
    assert shown[compare.column_label("invest_per_pupil")].iloc[0] == 0.25
    assert shown[compare.rank_label("ips")].tolist()[0] == 1.0
    assert compare.masked_labels(table) == [compare.column_label(c) for c in compare.COLUMNS]
    formats = compare.display_formats()
    assert formats[share][0] == "%.1f %%"
    assert formats[compare.PER_INHABITANT_LABEL] == ("%.0f €", compare.PER_INHABITANT_UNIT)


def test_xlsx_formats_and_notes_of_the_export():
    formats = compare.xlsx_formats()
    exported = compare.export_frame(comparison({"code": [], "name": [], "population": [], "pupils": []}, [], []))
    texts = ("Code", "Nom", "Territoire choisi", compare.FRAGILE_HEADER)
    numeric = [c for c in exported.columns if not c.startswith("Rang") and c not in texts]
    assert sorted(formats) == sorted(numeric)
    assert formats["Population (habitants)"] == formats["Élèves"] == "#,##0"
    assert formats[f"{compare.PER_INHABITANT_LABEL} ({compare.PER_INHABITANT_UNIT})"] == '#,##0.00 "€"'
    share = "active_pupils_share"
    assert formats[f"{compare.column_label(share)} ({compare.column_unit(share)})"] == "0.0%"
    notes = compare.export_notes("Pairs : strate.", "2021-2025")
    assert notes[:2] == [
        "Comparaison : Pairs : strate.",
        "Période 2021-2025. Toutes les valeurs sont publiques et montrées.",
    ]
    assert notes[2].startswith("Chiffres fragiles : les valeurs sur peu d'élèves")


def test_xlsx_of_the_comparison_keeps_codes_as_text_and_shares_as_fractions():
    from openpyxl import load_workbook

    from explorer.reports import xlsx

    territories = {"code": ["01", "2A"], "name": ["Ain", "Corse-du-Sud"], "population": [1_060_199, 500]}
    table = comparison({**territories, "pupils": [120_000, 30]}, [0.5927, np.nan], [3.0, np.nan])
    exported = compare.export_frame(table, "01")
    content = xlsx.table_xlsx(exported, "Comparaison — Ain", compare.xlsx_formats(), ["note"])
    ws = load_workbook(io.BytesIO(content))["Comparaison"]
    headers = [c.value for c in ws[3]]
    code = ws.cell(row=4, column=headers.index("Code") + 1)
    assert (code.value, code.data_type, code.number_format) == ("01", "s", "@")
    share = ws.cell(row=4, column=headers.index(f"{compare.column_label('active_pupils_share')} (% des élèves)") + 1)
    assert (share.value, share.number_format) == (0.5927, "0.0%")  # shows 59,3 % in a French spreadsheet
    rank = ws.cell(row=4, column=headers.index("Rang — Investissement par élève et par an") + 1)
    assert (rank.value, rank.number_format) == (1, "0")
    population = ws.cell(row=4, column=headers.index("Population (habitants)") + 1)
    assert (population.value, population.number_format) == (1_060_199, "#,##0")
    masked = ws.cell(row=5, column=headers.index(f"{compare.column_label('ips')} ({compare.column_unit('ips')})") + 1)
    assert masked.value == "secret statistique"


def test_csv_of_the_comparison_writes_shares_in_percent():
    table = comparison({"code": ["01"], "name": ["Ain"], "population": [10], "pupils": [5]}, [0.5927], [3.14159])
    exported = compare.export_frame(table, "01", percent=True)
    share = f"{compare.column_label('active_pupils_share')} (% des élèves)"
    assert exported[share].tolist() == [59.27]  # not 0.5927 under a « % » header
    assert exported[f"{compare.column_label('ips')} ({compare.column_unit('ips')})"].tolist() == [0.59]  # IPS: 1 + 1
    text = french_csv(exported).decode("utf-8-sig")
    assert text.split("\r\n")[1].startswith('"01";"Ain";"oui";10;5;')


def test_export_notes_state_a_deployments_secrecy(secrecy_on):
    notes = compare.export_notes("Pairs : strate.", "2021-2025")
    assert notes[1] == (
        "Période 2021-2025. Secret statistique : « secret statistique » à la place des valeurs sur moins de "
        "5 établissements ou moins de 11 utilisateurs."
    )


def test_parse_state_notes_and_resolve(rennes):
    state, notes = parse_state({"territoire": "commune:35238", "pairs": "35001, 35047", "periode": "2022-2024"})
    assert state == SheetState(("commune", "35238"), ("35001", "35047"), "invest_per_pupil", (2022, 2024))
    assert notes == []
    assert state.to_query()["pairs"] == "35001,35047"
    _, notes = parse_state({"territoire": "35", "pairs": "22;56", "indicateur": "foo"})
    assert len(notes) == 3 and notes[0].startswith("Territoire « 35 » non reconnu")
    territories = rennes.execute("select level, code, population from territory").df()
    resolved, notes = resolve(SheetState(("departement", "29"), ("22", "99", "29")), territories)
    assert resolved.pairs == ("22",)
    assert notes == ["Pairs ignorés (absents du niveau « departement » de l'entrepôt) : 99."]


def test_breakdown_by_funder_and_by_category_adds_up_to_the_total(rennes):
    table = compare.comparison_table(rennes, "departement", ["35", "29", "22"], (2021, 2025))
    funders = [f"invest_per_pupil_{f}" for f in ("etat", "region", "departement", "epci", "commune")]
    categories = [
        f"invest_per_pupil_{c}"
        for c in ("equipement", "reseau", "ent_logiciels", "ressources", "formation", "maintenance")
    ]
    assert table[funders].sum(axis=1).to_numpy() == pytest.approx(table["invest_per_pupil"].to_numpy())
    assert table[categories].sum(axis=1).to_numpy() == pytest.approx(table["invest_per_pupil"].to_numpy())
    shown = compare.breakdown_display(table, "35")
    assert list(shown.columns[:4]) == ["", "Code", "Nom", "Financeur : État"]
    assert "Catégorie : Réseau et connectivité" in shown.columns
    exported = compare.export_frame(table, "35")
    header = "Investissement par élève et par an — financeur : État (€ par élève et par an)"
    assert exported[header].tolist() == table["invest_per_pupil_etat"].round(1).tolist()  # screen's € + 1 decimal
    assert compare.xlsx_formats()[header] == '#,##0.00 "€"'
