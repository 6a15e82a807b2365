"""The Diagnostic page in a real browser: the sheet draws and its exports download."""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd
import pytest
from pypdf import PdfReader

from tests.browser import chromium_page, streamlit_server

pytestmark = pytest.mark.browser


def test_diagnostic_downloads_csv_and_pdf(rennes_db: Path, tmp_path: Path):
    with streamlit_server(rennes_db) as base, chromium_page() as page:
        page.goto(f"{base}/diagnostic?territoire=departement:29&periode=2021-2025")
        page.get_by_text("Finistère (département 29)").first.wait_for(timeout=60_000)
        button = page.get_by_role("button", name="Télécharger (CSV)")
        button.wait_for(timeout=30_000)
        with page.expect_download(timeout=60_000) as info:
            button.click()
        download = info.value
        assert download.suggested_filename == "fiche_departement_29_2021-2025.csv"
        target = tmp_path / download.suggested_filename
        download.save_as(target)
        raw = target.read_bytes()
        assert raw.startswith(b"\xef\xbb\xbf")
        frame = pd.read_csv(io.BytesIO(raw), sep=";", decimal=",", encoding="utf-8-sig")
        assert "Finistère" in frame.columns
        assert frame.loc[frame["Identifiant"] == "invest_per_pupil", "Période"].iloc[0] == "2021-2025"

        # The PDF is made on demand (deferred download data).
        with page.expect_download(timeout=90_000) as info:
            page.get_by_role("button", name="Télécharger (PDF)").click()
        pdf = tmp_path / "fiche.pdf"
        info.value.save_as(pdf)
        reader = PdfReader(pdf)
        assert 1 <= len(reader.pages) <= 2
        assert "Fiche territoire — Finistère (département 29)" in reader.pages[0].extract_text()
        assert page.get_by_text("Exception").count() == 0
