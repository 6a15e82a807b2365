"""Saved scenarios of a workspace: save, rename, delete, import; a refused change writes nothing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from explorer.warehouse.workspace import is_session_workspace_id, session_workspace_id, workspace_dir
from forecasting.errors import ScenarioError
from forecasting.saved import SAVED_FILE, delete_saved, import_file, read_saved, rename_saved, save
from forecasting.scenario import parse_scenario
from tests.scenarios import PLUS40

CUT = {**PLUS40, "name": "coupe", "changes": [{**PLUS40["changes"][0], "delta_eur_per_pupil": -10}]}


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return workspace_dir(tmp_path / "warehouse.duckdb", "s" + "0" * 24) / SAVED_FILE


def test_the_file_lives_in_the_workspace_folder(tmp_path, path):
    assert path == (tmp_path / "workspaces" / ("s" + "0" * 24) / "scenarios.json").resolve()
    assert read_saved(path) == {}  # nothing saved yet: no file, no error


def test_save_rename_delete_round_trip(path):
    plus40, cut = parse_scenario(PLUS40), parse_scenario(CUT)
    assert save(path, plus40) == "Scénario « plus40 » enregistré dans votre espace de travail."
    assert save(path, cut) == "Scénario « coupe » enregistré dans votre espace de travail."
    assert list(read_saved(path)) == ["plus40", "coupe"]
    # the file is the page's JSON export: a list of scenarios
    assert json.loads(path.read_text(encoding="utf-8"))[0]["changes"][0]["funder_level"] == "departement"
    renamed = rename_saved(path, "plus40", " collèges 2027-2030 ")
    assert renamed == "Scénario « plus40 » renommé en « collèges 2027-2030 »."
    saved = read_saved(path)
    assert list(saved) == ["collèges 2027-2030", "coupe"]  # same place in the list
    assert saved["collèges 2027-2030"].changes == plus40.changes
    assert delete_saved(path, "coupe") == "Scénario « coupe » supprimé de votre espace de travail."
    assert list(read_saved(path)) == ["collèges 2027-2030"]
    assert not list(path.parent.glob("*.writing"))  # no temporary file left


def test_saving_under_a_saved_name_replaces_it(path):
    save(path, parse_scenario(PLUS40))
    again = parse_scenario({**CUT, "name": "plus40"})
    assert save(path, again) == "Scénario « plus40 » remplacé par sa nouvelle définition."
    assert read_saved(path)["plus40"].changes[0].delta_eur_per_pupil == -10.0


@pytest.mark.parametrize(
    ("action", "words"),
    [
        (lambda p: rename_saved(p, "plus40", "coupe"), "un scénario s'appelle déjà « coupe »"),
        (lambda p: rename_saved(p, "plus40", "baseline"), "réservé"),
        (lambda p: rename_saved(p, "plus40", ""), "un nom de 1 à 60 caractères"),
        (lambda p: rename_saved(p, "absent", "x"), "aucun scénario enregistré sous le nom « absent »"),
        (lambda p: delete_saved(p, "absent"), "aucun scénario enregistré"),
        (lambda p: save(p, None), "rien n'a été enregistré"),
        (lambda p: import_file(p, json.dumps([PLUS40, {**CUT, "changes": [{}]}])), "[1].changes[0]"),
        (lambda p: import_file(p, b"{pas du json"), "JSON invalide"),
        (lambda p: import_file(p, "[]"), "aucun scénario"),
    ],
)
def test_a_refused_change_leaves_the_saved_scenarios_as_they_were(path, action, words):
    save(path, parse_scenario(PLUS40))
    save(path, parse_scenario(CUT))
    before = path.read_bytes()
    with pytest.raises(ScenarioError) as info:
        action(path)
    assert words in str(info.value)
    assert path.read_bytes() == before


def test_an_imported_file_adds_and_replaces_by_name(path):
    save(path, parse_scenario(PLUS40))
    changed = {**PLUS40, "changes": [{**PLUS40["changes"][0], "to_year": 2029}]}
    assert import_file(path, json.dumps([changed, CUT]).encode()) == "2 scénarios importés : « plus40 », « coupe »."
    saved = read_saved(path)
    assert list(saved) == ["plus40", "coupe"] and saved["plus40"].changes[0].to_year == 2029


def test_a_hand_edited_broken_file_is_reported_in_french(path):
    path.parent.mkdir(parents=True)
    path.write_text('[{"name": "x"}]', encoding="utf-8")
    with pytest.raises(ScenarioError, match="changes"):
        read_saved(path)


def test_only_ids_this_program_makes_come_back_from_a_cookie():
    assert is_session_workspace_id(session_workspace_id())
    for bad in (None, "", "s" + "0" * 23, "u" + "0" * 24, "s../../etc/passwd", "S" + "0" * 24, 42):
        assert not is_session_workspace_id(bad)
