"""Every page in a real browser: it loads without error, shows its title, passes axe (WCAG 2.1 AA).

Violations of impact « serious » or « critical » fail the test, except those listed in
:data:`STREAMLIT_KNOWN`, which come from Streamlit's own markup and are documented, with
what we do about them, in ``docs/accessibility.md``.
"""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd
import pytest

from tests.a11y import BLOCKING, audit, describe
from tests.browser import chromium_page, streamlit_server, wait_until_settled

pytestmark = pytest.mark.browser

# (path, title shown as the page's h1)
PAGES = [
    ("/", "Explorateur investissements × usages numériques"),
    ("/carte", "Carte"),
    ("/carte?niveau=commune&territoire=departement:35", "Carte"),
    ("/diagnostic?territoire=departement:29", "Diagnostic"),
    ("/comparer?territoire=departement:35&pairs=22,29,56", "Comparer"),
    ("/typologie", "Typologie"),
    ("/investissement_usage", "Investissement → usage"),
    ("/prospective", "Prospective"),
    ("/donnees", "Données"),
]
# axe rule id → why it is not ours (see docs/accessibility.md). Empty today: keep it that way.
STREAMLIT_KNOWN: dict[str, str] = {}


@pytest.fixture(scope="module")
def server(rennes_db: Path):
    with streamlit_server(rennes_db) as base:
        yield base


def load(page, url: str, title: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(url)
    page.get_by_role("heading", name=title, exact=True).first.wait_for(timeout=90_000)
    wait_until_settled(page)


@pytest.mark.parametrize(("path", "title"), PAGES, ids=[p for p, _ in PAGES])
def test_page_loads_and_passes_axe(server, path, title):
    with chromium_page() as page:
        load(page, server + path, title)
        assert page.locator("[data-testid='stException']").count() == 0
        assert page.locator("[data-testid='stAlertContentError']").count() == 0
        assert page.get_by_text("Données simulées").first.is_visible()
        violations = [v for v in audit(page) if v["impact"] in BLOCKING and v["id"] not in STREAMLIT_KNOWN]
        assert violations == [], describe(violations)


def test_map_controls_are_reachable_with_the_keyboard(server):
    with chromium_page() as page:
        load(page, server + "/carte", "Carte")
        reached = []
        for _ in range(60):
            page.keyboard.press("Tab")
            label = page.evaluate(
                "() => { const e = document.activeElement; return e ? (e.getAttribute('aria-label') || "
                "e.innerText || '').trim().slice(0, 60) : '' }"
            )
            reached.append(label)
            if "France entière" in label:
                break
        text = " | ".join(reached)
        assert any("Niveau" in r for r in reached), text
        assert any("Indicateur" in r for r in reached), text
        # The focused control shows where the focus is (outline or ring), not only a colour change.
        page.get_by_role("combobox", name="Indicateur").first.focus()
        ring = page.evaluate(
            "() => { const s = getComputedStyle(document.activeElement.closest('[data-baseweb=select]') || "
            "document.activeElement); return s.outlineStyle + ' ' + s.boxShadow + ' ' + s.borderColor }"
        )
        assert ring.strip() not in ("none none", "none none rgba(0, 0, 0, 0)"), ring


def test_typology_export_downloads_and_opens_in_french_excel_settings(server, rennes):
    with chromium_page() as page:
        load(page, server + "/typologie", "Typologie")
        with page.expect_download(timeout=60_000) as info:
            page.get_by_role("button", name="Classe de chaque territoire (CSV)").click()
        download = info.value
        assert download.suggested_filename == "typologie_epci_2021-2025.csv"
        raw = Path(download.path()).read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 BOM: Excel reads the accents
    table = pd.read_csv(io.BytesIO(raw), sep=";", decimal=",", encoding="utf-8-sig", dtype={"code": str})
    epcis = {c for (c,) in rennes.execute("select code from territory where level = 'epci'").fetchall()}
    assert set(table["code"]) <= epcis and len(table) > 10
    assert {"nom", "classe", "libellé"} <= set(table.columns)
    assert table["classe"].between(1, 10).all()
    ips = table["IPS moyen (indice, moyenne ≈ 100)"]
    assert pd.api.types.is_float_dtype(ips)  # decimal commas parsed back as numbers
    assert ips.between(60, 150).all()


@pytest.mark.parametrize("path", ["/investissement_usage", "/donnees"])
def test_a_shared_link_opened_first_shows_its_page_without_a_not_found_dialog(rennes_db, path):
    """The very first request of a new server may go through Streamlit's older pages/ mode, which
    resolves the URL against the file names: every url_path must equal its file's name."""
    with streamlit_server(rennes_db) as base, chromium_page() as page:
        load(page, base + path, dict(PAGES)[path])
        assert page.get_by_text("Page not found").count() == 0
        assert page.get_by_text("does not seem to exist").count() == 0
