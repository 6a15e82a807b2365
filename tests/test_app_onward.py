"""From a sheet to its projection (AppTest on the Rennes fixture): the Diagnostic links a
territory it can project to Prospective, which opens on that territory from its address."""

from __future__ import annotations

from pathlib import Path

import pytest

from forecasting.projection import refusal
from tests.test_app_diagnostic import open_page

PROSPECTIVE = "pages/prospective.py"


def commune_measured_in(rennes, measured: bool) -> str:
    """The first commune by code with a school measured in each of the last two school years
    (more than the 52 weeks a projection needs), or with no school measured in the last one."""
    years = [
        y
        for (y,) in rennes.execute(
            "select distinct school_year from usage_school_year order by 1 desc limit 2"
        ).fetchall()
    ]
    both = "uai in (select uai from usage_school_year where school_year = ? intersect "
    both += "select uai from usage_school_year where school_year = ?)"
    last = "uai in (select uai from usage_school_year where school_year = ?)"
    condition, params = (both, years) if measured else (last, years[:1])
    (code,) = rennes.execute(
        f"select commune_code from school group by 1 having {'' if measured else 'not '}bool_or({condition}) "
        "order by 1 limit 1",
        params,
    ).fetchone()
    return code


def onward_links(at) -> list:
    return [link.proto for link in at.get("page_link") if link.proto.label.startswith("Prospective : ")]


def test_a_measured_commune_links_to_its_projection(rennes, rennes_db: Path, monkeypatch: pytest.MonkeyPatch):
    code = commune_measured_in(rennes, measured=True)
    (name,) = rennes.execute("select name from territory where level = 'commune' and code = ?", [code]).fetchone()
    at = open_page(monkeypatch, rennes_db, territoire=f"commune:{code}")
    assert not at.exception
    assert "Et si l'investissement changeait ?" in [s.value for s in at.subheader]
    [link] = onward_links(at)
    assert link.label == f"Prospective : {name}"
    assert link.page.endswith("prospective")
    assert link.query_string == f"territoire=commune%3A{code}"


def test_an_unmeasured_commune_has_no_projection_link(rennes, rennes_db: Path, monkeypatch: pytest.MonkeyPatch):
    code = commune_measured_in(rennes, measured=False)
    at = open_page(monkeypatch, rennes_db, territoire=f"commune:{code}")
    assert not at.exception
    assert onward_links(at) == []
    assert refusal(rennes, "commune", code, "X").startswith("Commune X")  # the reason Prospective gives


def test_a_school_links_to_its_communes_projection(rennes, rennes_db: Path, monkeypatch: pytest.MonkeyPatch):
    code = commune_measured_in(rennes, measured=True)
    last = rennes.execute("select max(school_year) from usage_school_year").fetchone()[0]
    uai, commune = rennes.execute(
        "select s.uai, t.name from school s join territory t on t.level = 'commune' and t.code = s.commune_code "
        "where s.commune_code = ? and s.uai in (select uai from usage_school_year where school_year = ?) "
        "order by 1 limit 1",
        [code, last],
    ).fetchone()
    at = open_page(monkeypatch, rennes_db, territoire=f"etablissement:{uai}")
    [link] = onward_links(at)
    assert link.label == f"Prospective : {commune}"
    assert link.query_string == f"territoire=commune%3A{code}"


def test_prospective_opens_on_the_territory_of_its_address(rennes, rennes_db: Path, monkeypatch: pytest.MonkeyPatch):
    code = commune_measured_in(rennes, measured=True)
    (name,) = rennes.execute("select name from territory where level = 'commune' and code = ?", [code]).fetchone()
    at = open_page(monkeypatch, rennes_db, PROSPECTIVE, territoire=f"commune:{code}")
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert at.selectbox(key="prospective_level").value == "commune"
    assert at.selectbox(key="prospective_place").value == code
    assert f"Projection : Commune {name} ({code})" in [h.value for h in at.header]
    assert at.query_params["territoire"] == f"commune:{code}"

    # the user picks another level: the address follows, the first place of that level is shown
    at.selectbox(key="prospective_level").set_value("departement").run()
    assert at.selectbox(key="prospective_place").value == "22"
    assert at.query_params["territoire"] == "departement:22"


@pytest.mark.parametrize(
    ("address", "note"),
    [
        ("etablissement:0350001A", "La prospective projette un territoire, pas un établissement"),
        ("commune:99999", "Territoire « commune:99999 » absent des séries d'usage de l'entrepôt"),
        ("nulle-part", "Territoire « nulle-part » non reconnu"),
    ],
)
def test_an_address_prospective_cannot_project_says_so_in_french(
    rennes_db: Path, monkeypatch: pytest.MonkeyPatch, address: str, note: str
):
    at = open_page(monkeypatch, rennes_db, PROSPECTIVE, territoire=address)
    assert not at.exception
    assert any(w.value.startswith(note) for w in at.warning), [w.value for w in at.warning]
    assert at.selectbox(key="prospective_level").value == "departement"  # the page's default
    assert at.selectbox(key="prospective_place").value == "22"
