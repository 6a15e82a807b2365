"""Hostile values in URLs and text boxes: a French message or no match, never a traceback.

SQL fragments, very long strings and unknown codes go through the query parameters of
Diagnostic and Comparer and through the territory search box; the warehouse is read-only
and stays as it was.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from explorer.connectors.store import file_sha256 as sha256

APP = str(Path(__file__).resolve().parents[1] / "streamlit_app.py")
HOSTILE = [
    "departement:35' OR '1'='1",
    "commune:35238; drop table school; --",
    "region:" + "9" * 5000,
    "'; select * from build_info; --",
    "<script>alert(1)</script>",
]


def open_page(monkeypatch, db: Path, page: str, **params: str) -> AppTest:
    monkeypatch.setenv("EXPLORER_DB", str(db))
    at = AppTest.from_file(APP, default_timeout=120)
    for name, value in params.items():
        at.query_params[name] = value
    at.run()
    return at.switch_page(page).run()


@pytest.mark.parametrize("value", HOSTILE)
@pytest.mark.parametrize("page", ["pages/diagnostic.py", "pages/comparer.py"])
def test_hostile_query_parameters(monkeypatch, rennes_db, page, value):
    before = sha256(rennes_db)
    at = open_page(monkeypatch, rennes_db, page, territoire=value, pairs=value, indicateur=value, periode=value)
    assert not at.exception
    notes = [w.value for w in at.main.warning if not w.value.startswith("Données simulées")]
    assert notes and all(len(n) < 600 for n in notes)
    assert all("<script>" not in m.value for m in at.markdown)
    assert sha256(rennes_db) == before  # the warehouse file is byte-for-byte as it was


@pytest.mark.parametrize("value", [*HOSTILE, "x" * 10_000, "%", "_", "\\", "NULL"])
def test_hostile_search_text(monkeypatch, rennes_db, value):
    at = open_page(monkeypatch, rennes_db, "pages/diagnostic.py")
    at.text_input(key="diagnostic_recherche").set_value(value).run()
    assert not at.exception
    assert not at.error
