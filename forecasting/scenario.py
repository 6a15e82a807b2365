"""Investment scenarios: named lists of changes to investment per pupil, validated, saved as JSON.

Format (documented in ``docs/forecasting.md``)::

    {"name": "plus40",
     "changes": [{"from_year": 2027, "to_year": 2030, "funder_level": "departement",
                  "category": "equipement", "delta_eur_per_pupil": 40}]}

Each change adds ``delta_eur_per_pupil`` (negative for a cut) to the investment per pupil of
every budget year from ``from_year`` to ``to_year`` included. The model uses total investment:
a change by any funder or in any category moves the same regressor (funder and category are
kept for the record and the export).

The Prospective page never shows these codes: :func:`change_from_form` builds a change from
what a planner enters (an amount, a direction, two years, a funder and a category picked by
their French labels) with French messages naming the form's fields, and :func:`describe` and
:func:`lag_sentence` say in French what a change is and when it acts.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from explorer import vocabulary as voc
from explorer.formatting import fr_eur
from forecasting.errors import ScenarioError
from forecasting.model import HORIZON_END

BASELINE = "baseline"
YEAR_BOUNDS = (2000, 2040)
# € per pupil and per year: about 30 times the national mean (≈ 35 €, Cour des comptes 2019)
# and above a laptop per pupil every year; catches an amount typed per school or in k€.
MAX_DELTA = 1_000.0
MEAN_EUR_PER_PUPIL = 35
LAST_BUDGET_YEAR = HORIZON_END.year  # budget years of a scenario: up to 2031
# The last school year projected starts in September of this year (2030-2031).
LAST_RENTREE = HORIZON_END.year - 1
# One-year lag of the panel response (explorer.analysis.effects.investment.scenario_change):
# the school year starting in September Y counts the budgets of the years before Y.
LAG_YEARS = 1
_NAME = re.compile(r"^[\w][\w .+\-]{0,59}$")
_CHANGE_FIELDS = ("from_year", "to_year", "funder_level", "category", "delta_eur_per_pupil")
_OPTIONAL_FIELDS = ("pupils",)


@dataclass(frozen=True)
class Change:
    """One change of investment per pupil over budget years ``from_year`` … ``to_year``.

    ``pupils``: ``"territoire"`` when ``delta_eur_per_pupil`` is per pupil of the whole territory
    (the unit of the projection), ``"concernes"`` when it is per pupil of the schools the funder
    equips (« +40 € par collégien ») — the projection then spreads it over every pupil with the
    territory's share of those pupils (:meth:`Scenario.deltas`).
    """

    from_year: int
    to_year: int
    funder_level: str
    category: str
    delta_eur_per_pupil: float
    pupils: str = "territoire"

    def to_dict(self) -> dict[str, Any]:
        """The JSON object; ``pupils`` only when it is not the default (older files round-trip)."""
        out = asdict(self)
        if self.pupils == "territoire":
            del out["pupils"]
        return out


@dataclass(frozen=True)
class Scenario:
    """A named investment scenario; the baseline is ``Scenario("baseline", ())``."""

    name: str
    changes: tuple[Change, ...] = field(default_factory=tuple)

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "changes": [c.to_dict() for c in self.changes]}

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=2)

    def deltas(self, years: range, funded_shares: Mapping[str, float] | None = None) -> pd.Series:
        """Change of investment per pupil of the territory of each budget year of ``years`` (€).

        ``funded_shares``: funder → share of the territory's pupils in the schools it equips
        (:func:`forecasting.pupils.funded_shares`), needed by a change counted per pupil of
        those schools (``pupils="concernes"``): +40 € per collégien with 18 % of the pupils in
        collèges publics are +7,2 € per pupil of the territory.
        """
        out = pd.Series(0.0, index=list(years))
        for change in self.changes:
            span = [y for y in years if change.from_year <= y <= change.to_year]
            out.loc[span] += change.delta_eur_per_pupil * _share(change, funded_shares)
        return out


def _share(change: Change, funded_shares: Mapping[str, float] | None) -> float:
    if change.pupils == "territoire":
        return 1.0
    if funded_shares is None or change.funder_level not in funded_shares:
        raise ScenarioError(
            "pupils",
            f"montant par {voc.FUNDER_PUPIL_NOUN[change.funder_level]} : la part de ces élèves dans le territoire "
            "est inconnue. Comptez le montant par élève du territoire.",
        )
    return float(funded_shares[change.funder_level])


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
    unknown = sorted(set(obj) - set(_CHANGE_FIELDS) - set(_OPTIONAL_FIELDS))
    if unknown:
        admitted = ", ".join((*_CHANGE_FIELDS, *_OPTIONAL_FIELDS))
        raise ScenarioError(f"{where}.{unknown[0]}", f"champ inconnu ; champs admis : {admitted}.")
    first = _int(obj["from_year"], f"{where}.from_year")
    last = _int(obj["to_year"], f"{where}.to_year")
    if last < first:
        raise ScenarioError(f"{where}.to_year", f"{last} est avant from_year = {first}.")
    delta = obj["delta_eur_per_pupil"]
    if isinstance(delta, bool) or not isinstance(delta, int | float) or not math.isfinite(delta):
        raise ScenarioError(f"{where}.delta_eur_per_pupil", f"{delta!r} n'est pas un nombre d'euros par élève.")
    if abs(delta) > MAX_DELTA:
        raise ScenarioError(f"{where}.delta_eur_per_pupil", _too_large(abs(delta)))
    return Change(
        first,
        last,
        _choice(obj["funder_level"], f"{where}.funder_level", voc.FUNDER_LEVELS),
        _choice(obj["category"], f"{where}.category", voc.CATEGORIES),
        float(delta),
        _choice(obj.get("pupils", "territoire"), f"{where}.pupils", voc.PUPIL_BASES),
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


def _too_large(amount: float) -> str:
    return (
        f"{fr_eur(amount, _decimals(amount))} par élève et par an dépasse {fr_eur(MAX_DELTA)}, soit bien plus "
        f"que la dépense moyenne (environ {MEAN_EUR_PER_PUPIL}\u00a0€ par élève et par an) : "
        "le montant est-il bien par élève et par an, et non par établissement ou en milliers d'euros ?"
    )


def _decimals(amount: float) -> int:
    return 0 if float(amount).is_integer() else 2


def check_name(name: Any) -> str:
    """A scenario name as a planner types it (surrounding spaces dropped), or a French error
    naming the form's field « Nom du scénario »."""
    text = name.strip() if isinstance(name, str) else name
    try:
        return parse_scenario({"name": text, "changes": []}).name
    except ScenarioError as exc:
        raise ScenarioError(FORM_FIELDS["name"], str(exc).split(" : ", 1)[1]) from None


FORM_FIELDS = {
    "name": "Nom du scénario",
    "amount": "Montant",
    "first": "Premier exercice",
    "last": "Dernier exercice",
    "funder": "Payé par",
    "category": "Catégorie de dépense",
    "pupils": "Montant compté par",
}


def _form_year(value: Any, field_name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int | float) or not float(value).is_integer():
        raise ScenarioError(FORM_FIELDS[field_name], f"{value!r} n'est pas une année (par exemple 2027).")
    return int(value)


def change_from_form(
    *,
    amount: Any,
    increase: bool,
    first: Any,
    last: Any,
    funder: str,
    category: str,
    first_allowed: int,
    pupils: str = "concernes",
) -> Change:
    """The change a planner describes in the editor, validated with messages naming its fields.

    Parameters
    ----------
    amount : € per pupil and per year, more than 0 and at most :data:`MAX_DELTA`.
    increase : True for more investment, False for a cut of ``amount``.
    first, last : first and last budget year, ``first_allowed`` ≤ first ≤ last ≤ :data:`LAST_BUDGET_YEAR`.
    funder, category : codes of :data:`explorer.vocabulary.FUNDER_LEVELS` and
        :data:`explorer.vocabulary.CATEGORIES` (the editor offers their French labels).
    first_allowed : the first budget year the data do not cover.
    pupils : ``"concernes"`` (per pupil of the schools the funder equips: « par collégien ») or
        ``"territoire"`` (per pupil of the whole territory).

    Raises :class:`ScenarioError` whose ``field`` is the form's label (« Montant » …).
    """
    if isinstance(amount, bool) or not isinstance(amount, int | float) or not math.isfinite(amount):
        raise ScenarioError(FORM_FIELDS["amount"], "indiquez un montant en euros par élève et par an.")
    if amount <= 0:
        raise ScenarioError(
            FORM_FIELDS["amount"],
            "le montant doit être supérieur à 0\u00a0€ par élève et par an ; pour une diminution, choisissez "
            "« Baisse ».",
        )
    if amount > MAX_DELTA:
        raise ScenarioError(FORM_FIELDS["amount"], _too_large(amount))
    start, end = _form_year(first, "first"), _form_year(last, "last")
    if start < first_allowed:
        raise ScenarioError(
            FORM_FIELDS["first"],
            f"{start} est un exercice déjà connu (données jusqu'à {first_allowed - 1}) : un scénario commence "
            f"en {first_allowed} au plus tôt.",
        )
    for year, name in ((start, "first"), (end, "last")):
        if year > LAST_BUDGET_YEAR:
            raise ScenarioError(
                FORM_FIELDS[name],
                f"{year} est au-delà de l'horizon de la projection : exercices jusqu'à {LAST_BUDGET_YEAR} au plus.",
            )
    if end < start:
        raise ScenarioError(
            FORM_FIELDS["last"], f"le dernier exercice ({end}) est avant le premier ({start}) : inversez-les."
        )
    return Change(
        start,
        end,
        _choice(funder, FORM_FIELDS["funder"], voc.FUNDER_LEVELS),
        _choice(category, FORM_FIELDS["category"], voc.CATEGORIES),
        float(amount) if increase else -float(amount),
        _choice(pupils, FORM_FIELDS["pupils"], voc.PUPIL_BASES),
    )


def _years(change: Change) -> str:
    if change.from_year == change.to_year:
        return f"en {change.from_year}"
    return f"de {change.from_year} à {change.to_year}"


def pupil_noun(change: Change) -> str:
    """Whom the amount is counted per: « collégien du public », or « élève » of the territory."""
    return voc.FUNDER_PUPIL_NOUN[change.funder_level] if change.pupils == "concernes" else "élève du territoire"


def describe(change: Change) -> str:
    """« +40 € par collégien du public et par an de 2027 à 2030, payés par le département
    (collèges publics), en équipement » (non-breaking spaces before « € »)."""
    delta = change.delta_eur_per_pupil
    sign = "+" if delta >= 0 else "−"
    return (
        f"{sign}{fr_eur(abs(delta), _decimals(delta))} par {pupil_noun(change)} et par an {_years(change)}, payés "
        f"{voc.FUNDER_BY[change.funder_level]} ({voc.FUNDER_SCHOOLS_TEXT[change.funder_level]}), en "
        f"{_in_sentence(voc.CATEGORY_LABELS[change.category])}"
    )


def _in_sentence(label: str) -> str:
    """« Équipement » → « équipement »; an acronym (« ENT et logiciels ») keeps its capitals."""
    return label if label[:2].isupper() else label[0].lower() + label[1:]


def school_year(rentree: int) -> str:
    """``2028`` → ``"2028-2029"``."""
    return f"{rentree}-{rentree + 1}"


_LAG = "Un euro d'un exercice n'agit qu'à partir de l'année scolaire qui commence en septembre de l'année suivante :"


def lag_sentence(change: Change) -> str:
    """When the change acts, as the panel response applies it (see :data:`LAG_YEARS`).

    The euros of budget year Y count from the school year starting in September Y + 1, and stay
    in the stock (no depreciation); years whose effect starts after the last projected school
    year (:data:`LAST_RENTREE`) are said to lie beyond the horizon.
    """
    delta = change.delta_eur_per_pupil
    amount = fr_eur(abs(delta), _decimals(delta))
    words = f"les {amount} {'de plus' if delta >= 0 else 'en moins'}"
    start = change.from_year + LAG_YEARS
    horizon = school_year(LAST_RENTREE)
    if start > LAST_RENTREE:
        return (
            f"{_LAG} {words} de l'exercice {change.from_year} compteraient à partir de {school_year(start)}, au-delà "
            f"de l'horizon de la projection ({horizon}). Ce scénario ne change donc pas la projection."
        )
    sentence = (
        f"{_LAG} {words} de l'exercice {change.from_year} comptent à partir de l'année scolaire {school_year(start)}."
    )
    if change.to_year > change.from_year:
        sentence += (
            " Chaque exercice suivant ajoute son montant au cumul investi par élève, qui ne se déprécie pas ; "
            "l'effet grandit donc d'année en année, de moins en moins vite (les premiers euros comptent le plus)."
        )
    beyond = [y for y in range(change.from_year, change.to_year + 1) if y + LAG_YEARS > LAST_RENTREE]
    if beyond:
        years = f"L'exercice {beyond[0]}" if len(beyond) == 1 else f"Les exercices {beyond[0]} à {beyond[-1]}"
        verb = "agit" if len(beyond) == 1 else "agissent"
        sentence += (
            f" {years} {verb} au-delà de l'horizon de la projection ({horizon}) : il"
            f"{'' if len(beyond) == 1 else 's'} n'y change{'' if len(beyond) == 1 else 'nt'} rien."
        )
    return sentence


def rename(scenario: Scenario, name: Any) -> Scenario:
    """The same changes under a new, validated name."""
    return Scenario(check_name(name), scenario.changes)


def scenario_of(name: Any, changes: list[Change] | tuple[Change, ...]) -> Scenario:
    """A scenario from validated changes, its name checked like a JSON file's."""
    return Scenario(check_name(name), tuple(changes))


def check_years(scenario: Scenario, first_allowed: int) -> Scenario:
    """``scenario`` when every change starts after the data (``first_allowed`` or later), else a
    French error: a scenario saved or imported on older data may start in a year now known."""
    for change in scenario.changes:
        if change.from_year < first_allowed:
            raise ScenarioError(
                FORM_FIELDS["first"],
                f"« {scenario.name} » commence en {change.from_year}, un exercice déjà connu (données jusqu'à "
                f"{first_allowed - 1}) : il n'est pas projeté. Enregistrez-le à nouveau à partir de {first_allowed}.",
            )
    return scenario
