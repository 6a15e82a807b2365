"""A saved scenario survives a browser reload (issue 17), in a real browser without login: the
anonymous workspace's id comes back from the browser's cookie."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.browser import chromium_page, streamlit_server, wait_until_settled

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def test_a_saved_scenario_is_there_after_a_reload(rennes_db: Path):
    with streamlit_server(rennes_db) as base, chromium_page() as page:
        page.goto(base + "/prospective")
        page.get_by_role("heading", name="Prospective", exact=True).first.wait_for(timeout=90_000)
        wait_until_settled(page)
        # as a planner does: type the name, click the button at once (no Enter, no wait). The
        # callback must read the name typed, not the one of the run that drew the button
        # (« plus40 » was saved in its place before the editor read the form at click time).
        page.get_by_label("Nom du scénario").fill("rechargé 2027-2030")
        page.get_by_role("button", name="Enregistrer ce scénario").click()
        page.get_by_text("Scénario « rechargé 2027-2030 » enregistré dans votre espace de travail.").wait_for(
            timeout=90_000
        )
        wait_until_settled(page)
        assert any(c["name"] == "explorateur_espace" for c in page.context.cookies())

        page.reload()
        page.get_by_role("heading", name="Scénarios enregistrés", exact=True).wait_for(timeout=90_000)
        wait_until_settled(page)
        table = page.locator("[data-testid='stTable']").filter(has_text="Définition").first
        assert "rechargé 2027-2030" in table.inner_text()
        assert "plus40" not in table.inner_text()
        assert "payés par le département (collèges publics), en équipement" in table.inner_text()
