"""Investment scenarios: named lists of changes to investment per pupil, validated, saved as JSON.

Format (documented in ``docs/forecasting.md``)::

    {"name": "plus40",
     "changes": [{"from_year": 2027, "to_year": 2030, "funder_level": "departement",
                  "category": "equipement", "delta_eur_per_pupil": 40}]}

Each change adds ``delta_eur_per_pupil`` (negative for a cut) to the investment per pupil of
every budget year from ``from_year`` to ``to_year`` included. The model uses total investment:
a change by any funder or in any category moves the same regressor (funder and category are
kept for the record and the export).
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from explorer import vocabulary as voc
from forecasting.errors import ScenarioError

BASELINE = "baseline"
YEAR_BOUNDS = (2000, 2040)
MAX_DELTA = 10_000.0  # € per pupil and per year: far above any real budget, catches unit slips
_NAME = re.compile(r"^[\w][\w .+\-]{0,59}$")
_CHANGE_FIELDS = ("from_year", "to_year", "funder_level", "category", "delta_eur_per_pupil")


@dataclass(frozen=True)
class Change:
    """One change of investment per pupil over budget years ``from_year`` … ``to_year``."""

    from_year: int
    to_year: int
    funder_level: str
    category: str
    delta_eur_per_pupil: float


@dataclass(frozen=True)
class Scenario:
    """A named investment scenario; the baseline is ``Scenario("baseline", ())``."""

    name: str
    changes: tuple[Change, ...] = field(default_factory=tuple)

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "changes": [asdict(c) for c in self.changes]}

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=2)

    def deltas(self, years: range) -> pd.Series:
        """Change of investment per pupil of each budget year of ``years`` (€ per pupil)."""
        out = pd.Series(0.0, index=list(years))
        for change in self.changes:
            span = [y for y in years if change.from_year <= y <= change.to_year]
            out.loc[span] += change.delta_eur_per_pupil
        return out


def _int(value: Any, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int | float) or not float(value).is_integer():
        raise ScenarioError(name, f"{value!r} n'est pas une année (entier attendu, par ex. 2027).")
    year = int(value)
    lo, hi = YEAR_BOUNDS
    if not lo <= year <= hi:
        raise ScenarioError(name, f"{year} hors des années admises ({lo} à {hi}).")
    return year


def _choice(value: Any, name: str, allowed: tuple[str, ...]) -> str:
    if value not in allowed:
        raise ScenarioError(name, f"{value!r} inconnu ; valeurs admises : {', '.join(allowed)}.")
    return str(value)


def _change(obj: Any, where: str) -> Change:
    if not isinstance(obj, dict):
        raise ScenarioError(where, "chaque changement doit être un objet JSON {…}.")
    for key in _CHANGE_FIELDS:
        if key not in obj:
            raise ScenarioError(f"{where}.{key}", "champ obligatoire absent.")
    unknown = sorted(set(obj) - set(_CHANGE_FIELDS))
    if unknown:
        raise ScenarioError(f"{where}.{unknown[0]}", f"champ inconnu ; champs admis : {', '.join(_CHANGE_FIELDS)}.")
    first = _int(obj["from_year"], f"{where}.from_year")
    last = _int(obj["to_year"], f"{where}.to_year")
    if last < first:
        raise ScenarioError(f"{where}.to_year", f"{last} est avant from_year = {first}.")
    delta = obj["delta_eur_per_pupil"]
    if isinstance(delta, bool) or not isinstance(delta, int | float) or not math.isfinite(delta):
        raise ScenarioError(f"{where}.delta_eur_per_pupil", f"{delta!r} n'est pas un nombre d'euros par élève.")
    if abs(delta) > MAX_DELTA:
        raise ScenarioError(
            f"{where}.delta_eur_per_pupil",
            f"{delta} € par élève et par an dépasse {MAX_DELTA:.0f} € : le montant est-il bien par élève ?",
        )
    return Change(
        first,
        last,
        _choice(obj["funder_level"], f"{where}.funder_level", voc.FUNDER_LEVELS),
        _choice(obj["category"], f"{where}.category", voc.CATEGORIES),
        float(delta),
    )


def parse_scenario(obj: Any) -> Scenario:
    """Validate a scenario given as a parsed JSON object.

    Raises :class:`ScenarioError` naming the first offending field (``name``,
    ``changes[1].category`` …) with what is wrong and what is admitted.
    """
    if not isinstance(obj, dict):
        raise ScenarioError("(racine)", 'un scénario est un objet JSON {"name": …, "changes": […]}.')
    if "name" not in obj:
        raise ScenarioError("name", "champ obligatoire absent.")
    name = obj["name"]
    if not isinstance(name, str) or not _NAME.match(name):
        raise ScenarioError(
            "name", f"{name!r} : un nom de 1 à 60 caractères (lettres, chiffres, espace, . + - _) est attendu."
        )
    if name == BASELINE:
        raise ScenarioError("name", f"« {BASELINE} » est réservé au scénario de référence.")
    changes = obj.get("changes")
    if not isinstance(changes, list):
        raise ScenarioError("changes", "une liste de changements [...] est attendue.")
    unknown = sorted(set(obj) - {"name", "changes"})
    if unknown:
        raise ScenarioError(unknown[0], "champ inconnu ; champs admis : name, changes.")
    return Scenario(name, tuple(_change(c, f"changes[{i}]") for i, c in enumerate(changes)))


def load_scenarios(path: str | Path) -> list[Scenario]:
    """Read and validate a scenario file: one scenario object, or a list of them (the page's
    JSON export)."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise ScenarioError("(fichier)", f"{path} illisible : {exc.strerror}.") from None
    return loads_scenarios(text)


def loads_scenarios(text: str | bytes) -> list[Scenario]:
    """Parse and validate scenarios from JSON text: one object, or a list of objects whose
    fields are then named with their index (``[1].changes[0].category``)."""
    try:
        obj = json.loads(text)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise ScenarioError("(fichier)", f"JSON invalide : {exc}.") from None
    if not isinstance(obj, list):
        return [parse_scenario(obj)]
    scenarios = []
    for i, item in enumerate(obj):
        try:
            scenarios.append(parse_scenario(item))
        except ScenarioError as exc:
            message = str(exc).split(" : ", 1)[1]
            raise ScenarioError(f"[{i}].{exc.field}", message) from None
    names = [s.name for s in scenarios]
    duplicated = sorted({n for n in names if names.count(n) > 1})
    if duplicated:
        raise ScenarioError("name", f"nom en double dans le fichier : {', '.join(duplicated)}.")
    return scenarios


def scenarios_table(scenarios: list[Scenario]) -> pd.DataFrame:
    """One row per change (the CSV export of scenario definitions).

    Returns
    -------
    DataFrame ``scenario, from_year, to_year, funder_level, category, delta_eur_per_pupil``.
    """
    rows = [{"scenario": s.name, **asdict(c)} for s in scenarios for c in s.changes]
    return pd.DataFrame(rows, columns=["scenario", *_CHANGE_FIELDS])


def scenario_from_rows(name: str, rows: pd.DataFrame) -> Scenario:
    """A scenario from a table of changes (the page's editor), validated like a JSON file.

    ``rows``: columns ``from_year, to_year, funder_level, category, delta_eur_per_pupil``;
    fully empty rows are ignored.
    """
    rows = rows.dropna(how="all")
    changes = []
    for record in rows.to_dict(orient="records"):
        change = {}
        for key in _CHANGE_FIELDS:
            value = record.get(key)
            if value is None or (isinstance(value, float) and math.isnan(value)):
                continue  # left out: parse_scenario names the missing field
            change[key] = value.item() if hasattr(value, "item") else value
        changes.append(change)
    return parse_scenario({"name": name, "changes": changes})
