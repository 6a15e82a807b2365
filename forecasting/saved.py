"""Saved scenarios of a workspace: one JSON file (the page's JSON export format), rewritten whole.

The file lives in the user's workspace folder (:func:`explorer.warehouse.workspace.workspace_dir`),
beside the workspace's warehouse, and is read again on every page run, so a scenario saved in
one session is there in the next one of the same workspace. Each change is validated first and
written to a temporary file that replaces the old one: a refused name or a failed write leaves
the saved scenarios as they were.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from forecasting.errors import ScenarioError
from forecasting.scenario import FORM_FIELDS, Scenario, loads_scenarios, rename

SAVED_FILE = "scenarios.json"


def read_saved(path: Path) -> dict[str, Scenario]:
    """The scenarios saved in ``path`` by name, in the order they were saved; none when absent.

    Raises :class:`ScenarioError` when the file is not a valid scenario list (edited by hand).
    """
    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        return {}
    except OSError as exc:
        raise ScenarioError("(scénarios enregistrés)", f"fichier illisible : {exc.strerror}.") from None
    return {s.name: s for s in loads_scenarios(text)}


def _write(path: Path, scenarios: dict[str, Scenario]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".writing")
    text = json.dumps([s.to_dict() for s in scenarios.values()], ensure_ascii=False, indent=2)
    try:
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def save(path: Path, scenario: Scenario | None) -> str:
    """Save ``scenario``, replacing a saved one of the same name; returns the French confirmation."""
    if scenario is None:
        raise ScenarioError("(formulaire)", "corrigez d'abord le scénario : rien n'a été enregistré.")
    scenarios = read_saved(path)
    replaced = scenario.name in scenarios
    scenarios[scenario.name] = scenario
    _write(path, scenarios)
    done = "remplacé par sa nouvelle définition" if replaced else "enregistré dans votre espace de travail"
    return f"Scénario « {scenario.name} » {done}."


def import_file(path: Path, data: bytes | str) -> str:
    """Save the scenarios of a JSON file (the page's export), replacing those of the same names.

    The whole file is validated first: one bad scenario and none is saved.
    """
    new = loads_scenarios(data)
    if not new:
        raise ScenarioError("(fichier)", "le fichier ne contient aucun scénario.")
    scenarios = read_saved(path)
    scenarios.update({s.name: s for s in new})
    _write(path, scenarios)
    names = ", ".join(f"« {s.name} »" for s in new)
    return f"{len(new)} scénario{'s' if len(new) > 1 else ''} importé{'s' if len(new) > 1 else ''} : {names}."


def _existing(scenarios: dict[str, Scenario], name: str) -> Scenario:
    if name not in scenarios:
        raise ScenarioError(FORM_FIELDS["name"], f"aucun scénario enregistré sous le nom « {name} ».")
    return scenarios[name]


def rename_saved(path: Path, old: str, new: str) -> str:
    """Give the saved scenario ``old`` the name ``new``, keeping its place in the list; returns
    the French confirmation.

    Raises :class:`ScenarioError` for an invalid name or one already taken.
    """
    scenarios = read_saved(path)
    renamed = rename(_existing(scenarios, old), new)
    if renamed.name != old and renamed.name in scenarios:
        raise ScenarioError(
            FORM_FIELDS["name"],
            f"un scénario s'appelle déjà « {renamed.name} » : choisissez un autre nom ou supprimez-le.",
        )
    _write(path, {renamed.name if n == old else n: renamed if n == old else s for n, s in scenarios.items()})
    return f"Scénario « {old} » renommé en « {renamed.name} »."


def delete_saved(path: Path, name: str) -> str:
    """Remove the saved scenario ``name``; returns the French confirmation."""
    scenarios = read_saved(path)
    _existing(scenarios, name)
    _write(path, {n: s for n, s in scenarios.items() if n != name})
    return f"Scénario « {name} » supprimé de votre espace de travail."
