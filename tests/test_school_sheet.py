"""A school's sheet (issue 16): figures, funding, series and exports of ``etablissement:UAI``,
checked against sums written here in SQL on the Rennes warehouse (académie 14, seed 7)."""

from __future__ import annotations

import datetime as dt
import io

import matplotlib.dates as mdates
import pandas as pd
import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from explorer.cli.main import main
from explorer.errors import TerritoryError
from explorer.geo.search import parse_territory
from explorer.reports import pdf as report_pdf
from explorer.reports import sheet as report
from explorer.sheets import diagnostic as dg
from tests.test_app_diagnostic import open_page

PERIOD = (2021, 2025)


def measured_college(con) -> str:
    """The first collège measured by the ENT audience every school year of the period."""
    (uai,) = con.execute(
        """
        select s.uai from school as s join school_year as y using (uai)
        where s.kind = 'college' and y.rentree_year between 2021 and 2025
        group by s.uai having bool_and(y.measured) order by s.uai limit 1
        """
    ).fetchone()
    return uai


def own_investment_per_pupil(con, uai: str) -> float:
    """Σ spending 2021-2025 ÷ Σ pupils of the school years 2021 to 2025 (all inside the data)."""
    spent, pupils = con.execute(
        "select (select sum(amount_eur) from investment_school where uai = $u and year between 2021 and 2025), "
        "(select sum(pupils) from school_year where uai = $u and rentree_year between 2021 and 2025)",
        {"u": uai},
    ).fetchone()
    return spent / pupils


@pytest.fixture(scope="module")
def college(rennes) -> dg.Diagnostic:
    return dg.diagnose(rennes, dg.SCHOOL, measured_college(rennes), PERIOD)


def test_a_schools_figures_are_its_own_and_its_groups(college, rennes):
    uai = college.code
    kind, dep, commune = rennes.execute(
        "select kind, departement_code, commune_code from school where uai = ?", [uai]
    ).fetchone()
    assert kind == "college"
    assert college.value("invest_per_pupil")["value"] == pytest.approx(own_investment_per_pupil(rennes, uai))
    assert [r.role for r in college.references] == ["territoire", "parent", "pairs", "france"]
    assert college.references[1].code == commune
    assert college.references[2].label.startswith("Collèges du département (")
    # the group: the other collèges of the département, pooled (sums, then the ratio)
    spent, pupils, count = rennes.execute(
        """
        select
            (select sum(i.amount_eur) from investment_school as i join school as s using (uai)
             where s.kind = 'college' and s.departement_code = $d and s.uai <> $u and i.year between 2021 and 2025),
            (select sum(y.pupils) from school_year as y join school as s using (uai)
             where s.kind = 'college' and s.departement_code = $d and s.uai <> $u
               and y.rentree_year between 2021 and 2025),
            (select count(*) from school where kind = 'college' and departement_code = $d and uai <> $u)
        """,
        {"d": dep, "u": uai},
    ).fetchone()
    assert len(college.peers.codes) == count > 10
    assert college.value("invest_per_pupil", "pairs")["value"] == pytest.approx(spent / pupils)
    # a measured collège has its usage, its weekly series and no "not measured" text
    assert college.value("ent_visits_per_pupil_week")["value"] > 0
    assert dg.weekly_usage(college)["per_pupil"].notna().sum() > 100
    assert college.sheet_title.startswith("Fiche établissement — ")
    assert college.gap_label == "Écart aux collèges du département"


def test_who_paid_what_adds_up_year_by_year(college, rennes):
    funding = college.funding
    assert funding is not None and len(funding) > 0
    by_year = dict(
        rennes.execute(
            "select year, sum(amount_eur) from investment_school where uai = ? group by 1", [college.code]
        ).fetchall()
    )
    sums = funding.groupby("year")["invest_eur"].sum()
    assert sums.to_dict() == pytest.approx(by_year)
    assert set(funding["funder"]) <= {"État", "Région", "Département", "EPCI", "Commune"}
    assert "academie" not in set(funding["funder_level"])
    shown = dg.funding_display(funding)
    assert list(shown.columns) == [
        "Année budgétaire",
        "Financeur",
        "Catégorie",
        "Programme",
        "Rattachement",
        "Montant (€)",
        "Par élève (€ par élève)",
    ]
    assert shown["Année budgétaire"].is_monotonic_decreasing
    assert not shown["Programme"].isin(["droit_commun", "TNE", "SNEE", "hybridation_lycees"]).any()


def test_a_communes_schools_are_listed_with_their_own_figures(rennes):
    (commune,) = rennes.execute(
        "select commune_code from school group by 1 having count(*) = 2 order by 1 limit 1"
    ).fetchone()
    schools = dg.territory_schools(rennes, "commune", commune, PERIOD)
    expected = {u for (u,) in rennes.execute("select uai from school where commune_code = ?", [commune]).fetchall()}
    assert set(schools["uai"]) == expected
    for row in schools.itertuples():
        assert row.invest_per_pupil == pytest.approx(own_investment_per_pupil(rennes, row.uai))
    shown = dg.schools_display(schools, PERIOD)
    assert shown["Fiche"].tolist() == [
        f"/diagnostic?territoire=etablissement:{u}&periode=2021-2025" for u in schools["uai"]
    ]


def test_school_references_parse_and_an_unknown_uai_is_refused_in_french(rennes):
    assert parse_territory("etablissement:0350218x") == ("etablissement", "0350218X")
    with pytest.raises(TerritoryError, match="Établissement « 0000000Z » absent de l'entrepôt"):
        dg.diagnose(rennes, dg.SCHOOL, "0000000Z", PERIOD)


def test_report_for_a_school_in_the_three_formats(rennes, rennes_db, tmp_path, capsys):
    uai = measured_college(rennes)
    for fmt in report.FORMATS:
        out = tmp_path / f"fiche.{fmt}"
        args = ["report", "--territory", f"etablissement:{uai}", "--format", fmt, "--db", str(rennes_db)]
        assert main([*args, "--out", str(out)]) == 0
    assert f"UAI {uai}" in capsys.readouterr().out
    frame = pd.read_csv(tmp_path / "fiche.csv", sep=";", decimal=",", encoding="utf-8-sig", dtype=str)
    own = frame.columns[5]
    value = float(frame.set_index("Identifiant").at["invest_per_pupil", own].replace(",", "."))
    assert value == round(own_investment_per_pupil(rennes, uai), 1)  # exports keep one decimal more than the screen
    wb = load_workbook(tmp_path / "fiche.xlsx")
    assert wb.sheetnames == ["Fiche", "Séries", "Financements", "Pairs", "Sources et définitions"]
    assert wb["Financements"]["F2"].number_format == '#,##0.00 "€"'
    text = "\n".join(page.extract_text() for page in PdfReader(tmp_path / "fiche.pdf").pages)
    assert "Fiche établissement" in text and f"UAI {uai}" in text
    assert "1970" not in text


def test_pdf_weekly_axis_is_in_french_and_an_unmeasured_school_gets_words_not_an_empty_chart(college, rennes):
    assert report_pdf._french_month(mdates.date2num(dt.datetime(2023, 9, 1)), 0) == "sept. 2023"
    assert report_pdf.usage_chart(college) is not None
    (never,) = rennes.execute(
        "select uai from school_year group by uai having not bool_or(measured) order by uai limit 1"
    ).fetchone()
    unmeasured = dg.diagnose(rennes, dg.SCHOOL, never, PERIOD)
    assert report_pdf.usage_chart(unmeasured) is None
    text = PdfReader(io.BytesIO(report.render(rennes, unmeasured, "pdf"))).pages[0].extract_text()
    assert "aucun établissement mesuré par l'audience des ENT" in text


def test_diagnostic_page_shows_a_schools_sheet(monkeypatch, rennes_db, rennes):
    uai = measured_college(rennes)
    at = open_page(monkeypatch, rennes_db, territoire=f"etablissement:{uai.lower()}")
    assert not at.exception and not at.error
    (header,) = [h.value for h in at.header]
    assert header.endswith(f"UAI {uai})") and "collège" in header
    assert "Qui a payé quoi pour cet établissement" in [s.value for s in at.subheader]
    metrics = {m.label: m.value for m in at.metric}
    assert "Part des établissements mesurés (% des établissements)" not in metrics  # one school: 0 or 100 %
    expected = round(own_investment_per_pupil(rennes, uai))
    assert metrics["Investissement par élève et par an (€ par élève et par an)"].startswith(str(expected))
    assert dict(at.query_params)["territoire"] == f"etablissement:{uai}"


def test_a_territorys_sheet_lists_its_schools_with_links(monkeypatch, rennes_db, rennes):
    (commune,) = rennes.execute(
        "select commune_code from school group by 1 having count(*) = 2 order by 1 limit 1"
    ).fetchone()
    at = open_page(monkeypatch, rennes_db, territoire=f"commune:{commune}")
    assert not at.exception and not at.error
    assert "Les établissements du territoire (2)" in [s.value for s in at.subheader]
    tables = [df.value for df in at.dataframe if "Fiche" in df.value.columns]
    assert len(tables) == 1
    uais = {u for (u,) in rennes.execute("select uai from school where commune_code = ?", [commune]).fetchall()}
    assert set(tables[0]["UAI"]) == uais
    assert all(link.startswith("/diagnostic?territoire=etablissement:") for link in tables[0]["Fiche"])


def test_an_unknown_school_in_the_url_gets_a_french_note(monkeypatch, rennes_db):
    at = open_page(monkeypatch, rennes_db, territoire="etablissement:0000000Z")
    assert not at.exception and not at.error
    notes = [w.value for w in at.main.warning]
    assert any(n.startswith("Établissement « 0000000Z » absent de l'entrepôt") for n in notes)
