"""URL state of the Diagnostic and Comparer pages (kept stable: users share these URLs).

Four query parameters: ``territoire`` (``LEVEL:CODE``), ``pairs`` (codes of territories of the
same level, comma-separated: the peers of the Diagnostic, the compared territories of
Comparer; absent = the default peer group), ``indicateur`` (an id of ``docs/indicators.md``)
and ``periode`` (``YYYY-YYYY``). Each invalid value is replaced by its default with a French note.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace

import pandas as pd

from explorer.errors import TerritoryError
from explorer.facts import indicators
from explorer.geo.search import echoed_code, parse_territory

DEFAULT_INDICATOR = "invest_per_pupil"
SCHOOL_LEVEL = "etablissement"
_CODE = re.compile(r"^[0-9A-Za-z]{1,12}$")


@dataclass(frozen=True)
class SheetState:
    territoire: tuple[str, str] | None = None
    pairs: tuple[str, ...] | None = None
    indicateur: str = DEFAULT_INDICATOR
    periode: tuple[int, int] = indicators.DEFAULT_PERIOD

    def to_query(self) -> dict[str, str]:
        """The URL query parameters of this state."""
        params = {"indicateur": self.indicateur, "periode": f"{self.periode[0]}-{self.periode[1]}"}
        if self.territoire:
            params["territoire"] = f"{self.territoire[0]}:{self.territoire[1]}"
        if self.pairs:
            params["pairs"] = ",".join(self.pairs)
        return params


def parse_state(params: Mapping[str, str]) -> tuple[SheetState, list[str]]:
    """State from query parameters, and the French notes on the values that were not understood."""
    notes: list[str] = []
    state = SheetState()
    territoire = params.get("territoire")
    if territoire:
        try:
            state = replace(state, territoire=parse_territory(territoire))
        except TerritoryError as err:
            notes.append(str(err))
    pairs = params.get("pairs")
    if pairs:
        codes = [c.strip() for c in pairs.split(",") if c.strip()]
        bad = [c for c in codes if not _CODE.match(c)]
        if bad or not codes:
            notes.append(
                f"Pairs « {pairs[:40]} » non reconnus : écrivez des codes séparés par des virgules, par ex. 22,56."
            )
        else:
            state = replace(state, pairs=tuple(dict.fromkeys(codes)))
    accepted, refused = indicators.url_indicator_and_period(params)
    return replace(state, **accepted), notes + refused


def resolve(
    state: SheetState, territories: pd.DataFrame, school_known: Callable[[str], bool] | None = None
) -> tuple[SheetState, list[str]]:
    """A territory present in the warehouse (default: the most populous département) and peers of its level.

    A school (``etablissement:UAI``) is kept when ``school_known(uai)`` says the warehouse has it;
    its sheet has no peers to choose (it is compared with the schools of its kind in its département).
    """
    notes: list[str] = []
    known = set(zip(territories["level"], territories["code"], strict=True))
    if state.territoire and state.territoire[0] == SCHOOL_LEVEL:
        if school_known is not None and school_known(state.territoire[1]):
            return replace(state, pairs=None), notes
        shown = state.territoire[1][:20]
        notes.append(f"Établissement « {shown} » absent de l'entrepôt : fiche du département le plus peuplé.")
        state = replace(state, territoire=None)
    if state.territoire and state.territoire not in known:
        level, code = state.territoire
        notes.append(
            f"Territoire « {level}:{echoed_code(code)} » absent de l'entrepôt : fiche du département le plus peuplé."
        )
        state = replace(state, territoire=None)
    if state.territoire is None:
        deps = territories[territories["level"] == "departement"].sort_values("population", ascending=False)
        first = deps.iloc[0] if len(deps) else territories.iloc[0]
        level, code = str(first["level"]), str(first["code"])
        state = replace(state, territoire=(level, code))
    else:
        level, code = state.territoire
    if state.pairs:
        kept = tuple(c for c in state.pairs if (level, c) in known and c != code)
        dropped = [c for c in state.pairs if c not in kept and c != code]
        if dropped:
            notes.append(f"Pairs ignorés (absents du niveau « {level} » de l'entrepôt) : {', '.join(dropped[:5])}.")
        state = replace(state, pairs=kept or None)
    return state, notes


def projected_territory(
    value: str | None, levels: Sequence[str], codes_of: Callable[[str], Sequence[str]]
) -> tuple[tuple[str, str] | None, list[str]]:
    """The territory ``?territoire=LEVEL:CODE`` asks Prospective to project, when it can.

    ``levels``: the levels Prospective projects (no school: it has no weekly series of its own);
    ``codes_of(level)``: the codes it projects at ``level``. Returns None and a French note for
    what it cannot project.
    """
    if not value:
        return None, []
    try:
        level, code = parse_territory(value)
    except TerritoryError as err:
        return None, [str(err)]
    if level not in levels:
        return None, [
            "La prospective projette un territoire, pas un établissement : choisissez son territoire ci-dessous."
            if level == SCHOOL_LEVEL
            else f"La prospective ne projette pas le niveau « {level} » : choisissez un territoire ci-dessous."
        ]
    if code not in codes_of(level):
        return None, [
            f"Territoire « {level}:{echoed_code(code)} » absent des séries d'usage de l'entrepôt : "
            "choisissez-en un ci-dessous."
        ]
    return (level, code), []
