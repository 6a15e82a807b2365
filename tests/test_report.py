"""Exports read back: CSV with the French settings, XLSX with openpyxl, PDF with pypdf."""

from __future__ import annotations

import io

import pandas as pd
import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from explorer.errors import ReportError
from explorer.formatting import NNBSP
from explorer.reports import sheet as report
from explorer.sheets import diagnostic as dg

PERIOD = (2021, 2025)


@pytest.fixture(scope="module")
def finistere(rennes) -> dg.Diagnostic:
    return dg.diagnose(rennes, "departement", "29", PERIOD)


@pytest.fixture(scope="module")
def small_commune(rennes, one_school_commune) -> dg.Diagnostic:
    return dg.diagnose(rennes, "commune", one_school_commune, PERIOD)


def test_csv_opens_with_french_settings(finistere):
    content = report.to_csv(finistere)
    assert content.startswith(b"\xef\xbb\xbf")  # UTF-8 BOM
    frame = pd.read_csv(io.BytesIO(content), sep=";", decimal=",", encoding="utf-8-sig", dtype={"Identifiant": str})
    assert list(frame.columns[:5]) == ["Rubrique", "Indicateur", "Identifiant", "Unité", "Période"]
    row = frame.set_index("Identifiant").loc["invest_per_pupil"]
    # one decimal more than the screen's whole euros
    assert row["Finistère"] == round(finistere.value("invest_per_pupil")["value"], 1)
    assert row["Période"] == "2021-2025"
    assert row["Unité"] == "€ par élève et par an"
    pupils = frame.set_index("Identifiant").loc["pupils", "Finistère"]
    assert pupils == finistere.value("pupils")["value"]  # no exponent: 165043, not 1,65043e+05
    assert "Investissement par élève et par an" in content.decode("utf-8-sig")
    assert set(frame["Avertissement"]) == {"données simulées (démonstration), ne pas citer"}


def test_csv_of_a_one_school_commune_shows_its_figures(small_commune, rennes):
    frame = pd.read_csv(
        io.BytesIO(report.to_csv(small_commune)), sep=";", decimal=",", encoding="utf-8-sig", dtype={"Identifiant": str}
    ).set_index("Identifiant")
    own = small_commune.references[0].label
    spent, pupils, measured = rennes.execute(
        """
        select
            (select sum(i.amount_eur) from investment_school as i join school as s using (uai)
             where s.commune_code = $c and i.year between 2021 and 2025),
            (select sum(y.pupils) from school_year as y join school as s using (uai)
             where s.commune_code = $c and y.rentree_year between 2021 and 2025),
            (select count(*) filter (where y.measured) from school_year as y join school as s using (uai)
             where s.commune_code = $c and y.rentree_year between 2021 and 2025)
        """,
        {"c": small_commune.code},
    ).fetchone()
    assert float(str(frame.at["invest_per_pupil", own]).replace(",", ".")) == round(spent / pupils, 1)
    assert "secret statistique" not in frame[own].astype(str).tolist()
    visits = frame.at["ent_visits_per_pupil_week", own]
    assert visits == "non mesuré" if measured == 0 else float(visits.replace(",", ".")) > 0
    assert "Chiffre fragile" in frame.columns


def test_csv_says_secret_statistique_under_a_deployments_secrecy(rennes, one_school_commune, secrecy_on):
    diag = dg.diagnose(rennes, "commune", one_school_commune, PERIOD)
    frame = pd.read_csv(io.BytesIO(report.to_csv(diag)), sep=";", decimal=",", encoding="utf-8-sig")
    own = diag.references[0].label
    assert set(frame[own]) == {"secret statistique"}


def test_xlsx_sheets_formats_and_definitions(finistere, rennes):
    from explorer.warehouse import catalog

    wb = load_workbook(io.BytesIO(report.to_xlsx(finistere, catalog.sources_table(rennes))))
    assert wb.sheetnames == ["Fiche", "Séries", "Pairs", "Sources et définitions"]
    ws = wb["Fiche"]
    assert ws["A1"].value == "Fiche territoire — Finistère (département 29)"
    header_row = next(r for r in range(1, 20) if ws.cell(row=r, column=1).value == "Rubrique")
    headers = [c.value for c in ws[header_row]]
    col = headers.index("Finistère") + 1
    rows = {ws.cell(row=r, column=3).value: r for r in range(header_row + 1, ws.max_row + 1)}
    invest = ws.cell(row=rows["invest_per_pupil"], column=col)
    assert invest.value == round(finistere.value("invest_per_pupil")["value"], 1)
    assert invest.number_format == '#,##0 "€"'
    assert ws.cell(row=rows["coverage_share"], column=col).number_format == "0.0%"
    assert ws.cell(row=rows["ent_visits_per_pupil_week"], column=col).number_format == "#,##0.00"
    gap = ws.cell(row=rows["invest_per_pupil"], column=headers.index("Écart aux pairs") + 1)
    assert gap.number_format == "+0%;-0%;0%"
    defs = wb["Sources et définitions"]
    assert [c.value for c in defs[1]][:5] == ["Identifiant", "Indicateur", "Unité", "Formule", "Source"]
    ids = [defs.cell(row=r, column=1).value for r in range(2, 33)]
    assert "invest_per_pupil" in ids and "ips" in ids
    texts = " ".join(str(c.value) for row in defs.iter_rows() for c in row if c.value)
    assert "Toutes les valeurs sont publiques" in texts and "Données simulées" in texts
    assert "Secret statistique" not in texts
    peers = wb["Pairs"]
    assert [peers.cell(row=r, column=1).value for r in (4, 5)] == [
        "56",
        "22",
    ]  # peers nearest first (population, density, IPS)
    assert peers.cell(row=4, column=2).value == "Morbihan"
    assert peers.cell(row=4, column=1).data_type == "s" and peers.cell(row=4, column=1).number_format == "@"
    pupils = ws.cell(row=rows["pupils"], column=col)
    assert pupils.value == finistere.value("pupils")["value"] and pupils.number_format == "#,##0"
    share = ws.cell(row=rows["coverage_share"], column=col)
    assert share.value == round(finistere.value("coverage_share")["value"], 4)  # a fraction under 0.0%
    assert 0 < share.value <= 1
    series = wb["Séries"]
    assert series["A1"].value == "Année budgétaire" and series["A2"].number_format == "0"
    assert series["B2"].number_format == '#,##0.0 "€"'
    coverage_row = next(
        r for r in range(1, series.max_row + 1) if series.cell(row=r, column=1).value == "Année scolaire"
    )
    assert series.cell(row=coverage_row + 1, column=2).number_format == "#,##0"
    assert series.cell(row=coverage_row + 1, column=4).number_format == "0.0%"


def test_xlsx_of_a_one_school_commune_has_numbers_with_formats(small_commune):
    ws = load_workbook(io.BytesIO(report.to_xlsx(small_commune)))["Fiche"]
    header_row = next(r for r in range(1, 20) if ws.cell(row=r, column=1).value == "Rubrique")
    col = [c.value for c in ws[header_row]].index(small_commune.references[0].label) + 1
    rows = {ws.cell(row=r, column=3).value: r for r in range(header_row + 1, ws.max_row + 1)}
    invest = ws.cell(row=rows["invest_per_pupil"], column=col)
    assert invest.value == round(small_commune.value("invest_per_pupil")["value"], 1)
    assert invest.number_format == '#,##0 "€"'
    pupils = ws.cell(row=rows["pupils"], column=col)
    assert pupils.value == small_commune.value("pupils")["value"] > 0


def test_xlsx_keeps_the_mask_under_a_deployments_secrecy(rennes, one_school_commune, secrecy_on):
    diag = dg.diagnose(rennes, "commune", one_school_commune, PERIOD)
    ws = load_workbook(io.BytesIO(report.to_xlsx(diag)))["Fiche"]
    header_row = next(r for r in range(1, 20) if ws.cell(row=r, column=1).value == "Rubrique")
    col = [c.value for c in ws[header_row]].index(diag.references[0].label) + 1
    values = {ws.cell(row=r, column=col).value for r in range(header_row + 1, ws.max_row + 1)}
    assert values == {"secret statistique"}


def test_pdf_one_or_two_pages_with_name_figures_and_sources(finistere, rennes):
    content = report.render(rennes, finistere, "pdf")
    reader = PdfReader(io.BytesIO(content))
    assert 1 <= len(reader.pages) <= 2
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert "Fiche territoire — Finistère (département 29)" in text
    assert "Chiffres clés" in text and "Sources et définitions" in text
    assert "Groupe de pairs" in text and "DONNÉES SIMULÉES" in text
    own = round(finistere.value("invest_per_pupil")["value"])
    assert f"{own} €" in text.replace(NNBSP, " ").replace("\u00a0", " ")
    assert reader.metadata.title == "Fiche territoire — Finistère (département 29)"


def test_pdf_headers_wrap_between_words_and_numbers_keep_their_narrow_space(finistere, rennes):
    reader = PdfReader(io.BytesIO(report.render(rennes, finistere, "pdf")))
    text = "\n".join(page.extract_text() for page in reader.pages)
    words = set(text.split())
    parent = next(r for r in finistere.references if r.role == "parent")
    shown = [finistere.references[0], parent, *[r for r in finistere.references if r.role in ("france", "pairs")]]
    assert "Pairs (2 départements)" in [r.label for r in shown]
    for label in [r.label for r in shown] + [finistere.gap_label]:
        for word in label.split():
            assert word in words, (word, label)  # « départements) » whole, never « dépa » + « rtements) »
    pupils = finistere.value("pupils")["value"]  # 165 043 pupils: printed with its separator, on one line
    assert pupils >= 1000
    grouped = f"{pupils:,.0f}".replace(",", " ")
    assert grouped in text.replace("\u00a0", " ").replace(NNBSP, " ")
    assert f"{pupils:.0f}" not in text


def test_pdf_header_style_shrinks_until_the_longest_word_fits():
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import cm
    from reportlab.pdfbase.pdfmetrics import stringWidth

    from explorer.reports import pdf

    pdf._register_fonts()
    base = ParagraphStyle("small", fontName="DejaVuSans", fontSize=7, leading=9)
    style = pdf._header_style(base, ["Indicateur", "Pairs (22 départements)"], [5 * cm, 2 * cm])
    assert style.fontSize < 7 and style.splitLongWords == 0
    assert stringWidth("départements)", "DejaVuSans-Bold", style.fontSize) == pytest.approx(2 * cm - 12)
    wide = pdf._header_style(base, ["Indicateur", "Pairs"], [5 * cm, 5 * cm])
    assert wide.fontSize == 7  # never larger than the table's text


def test_pdf_value_axis_ticks_are_french():
    from explorer.reports import pdf

    assert pdf._french_tick(11206.0, 0) == f"11{NNBSP}206"
    assert pdf._french_tick(1.5, 0) == "1,5"
    assert pdf._french_tick(0.25, 0) == "0,25"


def test_render_rejects_an_unknown_format(finistere, rennes):
    with pytest.raises(ReportError, match="Format « docx » inconnu"):
        report.render(rennes, finistere, "docx")
    assert report.file_name(finistere, "pdf") == "fiche_departement_29_2021-2025.pdf"
