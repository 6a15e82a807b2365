"""The « Comparer » page (Streamlit AppTest): peer rules, free choice, URL state, table, series."""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd
import pytest

from explorer.reports.csv import french_csv
from explorer.sheets import compare
from explorer.vocabulary import FUNDER_LEVELS
from tests.test_app_diagnostic import open_page


def comparer(monkeypatch: pytest.MonkeyPatch, db: Path, **params: str):
    return open_page(monkeypatch, db, "pages/comparer.py", **params)


def table_of(at) -> list[dict]:
    frame = at.dataframe[0].value
    return frame.to_dict("records")


def test_default_peer_group_with_explanation_table_and_url(monkeypatch, rennes_db, rennes):
    at = comparer(monkeypatch, rennes_db, territoire="departement:29")
    assert not at.exception and not at.error
    assert [t.value for t in at.title] == ["Comparer"]
    assert at.info[0].value.startswith("2 départements retenus comme pairs de Finistère : même strate de population")
    rows = table_of(at)
    assert [r["Code"] for r in rows] == ["29", "22", "56"]
    assert [r[""] for r in rows] == ["▶", "", ""]
    expected = compare.comparison_table(rennes, "departement", ["29", "22", "56"], (2021, 2025))
    label = compare.column_label("invest_per_pupil")
    assert [r[label] for r in rows] == pytest.approx(expected["invest_per_pupil"].tolist())
    ranks = [r[f"Rang {label.lower()}"] for r in rows]
    assert sorted(ranks) == [1, 2, 3]
    assert at.query_params["pairs"] == "22,56"
    labels = [b.label for b in at.get("download_button")]
    assert labels == ["Tableau (CSV)", "Tableau (XLSX)", "Fiche PDF du territoire, avec ces pairs"]


def test_url_pairs_restore_a_free_choice(monkeypatch, rennes_db):
    at = comparer(monkeypatch, rennes_db, territoire="departement:35", pairs="22,29,56", indicateur="ips")
    assert not at.exception and not at.error
    assert at.radio(key="comparer_mode").value == "choix"
    assert at.multiselect(key="comparer_choix").value == ["22", "29", "56"]
    assert at.info[0].value == "3 départements choisis comme pairs : Côtes-d'Armor, Finistère, Morbihan."
    assert [r["Code"] for r in table_of(at)] == ["35", "22", "29", "56"]
    assert at.selectbox(key="comparer_indicateur").value == "ips"


def test_nearest_neighbour_rule_and_per_inhabitant(monkeypatch, rennes_db, rennes):
    at = comparer(monkeypatch, rennes_db, territoire="departement:35")
    at.multiselect(key="comparer_regles").set_value(["voisins"]).run()
    assert not at.exception and not at.error
    at.number_input(key="comparer_k").set_value(2).run()
    assert "les 2 plus proches sur :" in at.info[0].value
    rows = table_of(at)
    assert len(rows) == 3 and rows[0]["Code"] == "35"
    (euros, population) = rennes.execute(
        "select (select sum(i.amount_eur) from investment_school i join school s using (uai) "
        "where s.departement_code = '35' and i.year between 2021 and 2025), "
        "(select population from territory where level = 'departement' and code = '35')"
    ).fetchone()
    per_inhabitant = rows[0][compare.column_label("invest_per_inhabitant")]
    assert per_inhabitant == pytest.approx(euros / population / 5)


def test_breakdown_by_funder_and_category_on_screen_and_in_the_csv(monkeypatch, rennes_db, rennes):
    at = comparer(monkeypatch, rennes_db, territoire="departement:35", pairs="22,29,56")
    assert not at.exception and not at.error
    headers = [compare.breakdown_label(c) for c in compare.BREAKDOWN]
    (shown,) = [df.value for df in at.dataframe if set(headers) <= set(df.value.columns)]
    expected = compare.comparison_table(rennes, "departement", ["35", "22", "29", "56"], (2021, 2025))
    assert shown["Code"].tolist() == ["35", "22", "29", "56"]
    for column, header in zip(compare.BREAKDOWN, headers, strict=True):
        assert shown[header].tolist() == pytest.approx(expected[column].tolist())
    # by funder and by category, each adds up to the total investment per pupil
    funders = [compare.breakdown_label(c) for c in compare.BREAKDOWN if c.split("_")[-1] in FUNDER_LEVELS]
    assert shown[funders].sum(axis=1).tolist() == pytest.approx(expected["invest_per_pupil"].tolist())
    csv = pd.read_csv(
        io.BytesIO(french_csv(compare.export_frame(expected, "35"))),
        sep=";",
        decimal=",",
        encoding="utf-8-sig",
        dtype={"Code": str},
    )
    state = f"{compare.column_label('invest_per_pupil_etat')} ({compare.column_unit('invest_per_pupil_etat')})"
    # the CSV rounds for reading (at most to the euro)
    assert csv[state].tolist() == pytest.approx(expected["invest_per_pupil_etat"].tolist(), abs=0.5)
