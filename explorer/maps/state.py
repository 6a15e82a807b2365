"""What the Carte page shows: its state (the URL's query parameters) and the navigation.

The state is four query parameters, kept stable because users share the URLs:
``niveau`` (the level drawn), ``territoire`` (``LEVEL:CODE``, the territory whose inside is
drawn; absent for the whole of France), ``indicateur`` (an id of ``docs/indicators.md``) and
``periode`` (``YYYY-YYYY``). Clicking a territory draws its inside one level down; the
breadcrumb goes back up through its ancestors.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace

import duckdb
import pandas as pd

from explorer import vocabulary as voc
from explorer.facts import indicators
from explorer.geo.search import echoed_code
from explorer.geo.territories import ANCESTORS, CHILD, NIVEAUX, display_name
from explorer.warehouse.sqlfiles import read_sql

NIVEAU_LABELS = {**voc.LEVEL_LABELS, "etablissement": "Établissements"}
_RANK = {level: i for i, level in enumerate(NIVEAUX)}
DEFAULT_NIVEAU = "departement"
DEFAULT_INDICATOR = "invest_per_pupil"


@dataclass(frozen=True)
class MapState:
    niveau: str = DEFAULT_NIVEAU
    territoire: tuple[str, str] | None = None  # (level, code) whose inside is drawn
    indicateur: str = DEFAULT_INDICATOR
    periode: tuple[int, int] = indicators.DEFAULT_PERIOD

    def to_query(self) -> dict[str, str]:
        """The URL query parameters of this state."""
        params = {
            "niveau": self.niveau,
            "indicateur": self.indicateur,
            "periode": f"{self.periode[0]}-{self.periode[1]}",
        }
        if self.territoire:
            params["territoire"] = f"{self.territoire[0]}:{self.territoire[1]}"
        return params


def parse_state(params: Mapping[str, str]) -> tuple[MapState, list[str]]:
    """State from query parameters; each invalid one is replaced by its default, with a note.

    Returns the state and the French notes to show (empty when everything was understood).
    Territory codes are checked against the warehouse by :func:`resolve`.
    """
    notes: list[str] = []
    state = MapState()
    niveau = params.get("niveau")
    if niveau:
        if niveau in NIVEAUX:
            state = replace(state, niveau=niveau)
        else:
            notes.append(f"Niveau « {niveau[:30]} » inconnu : niveaux possibles {', '.join(NIVEAUX)}.")
    territoire = params.get("territoire")
    if territoire:
        level, _, code = territoire.partition(":")
        if level in voc.LEVELS and code.strip():
            state = replace(state, territoire=(level, code.strip()))
        else:
            notes.append(f"Territoire « {territoire[:40]} » non reconnu : écrivez NIVEAU:CODE, par ex. departement:35.")
    accepted, refused = indicators.url_indicator_and_period(params)
    return replace(state, **accepted), notes + refused


def resolve(state: MapState, territories: pd.DataFrame) -> tuple[MapState, list[str]]:
    """Make the state drawable: known territory, a level below it, régions with one académie skipped."""
    notes: list[str] = []
    if state.territoire:
        level, code = state.territoire
        if not ((territories["level"] == level) & (territories["code"] == code)).any():
            notes.append(f"Territoire « {level}:{echoed_code(code)} » absent de l'entrepôt : vue France entière.")
            state = replace(state, territoire=None)
    if state.territoire is None:
        if state.niveau == "etablissement":
            notes.append(
                "Les établissements s'affichent à l'intérieur d'un territoire : cliquez sur un département, "
                "un EPCI ou une commune."
            )
            state = replace(state, niveau=DEFAULT_NIVEAU)
        return state, notes
    level = state.territoire[0]
    if _RANK[state.niveau] <= _RANK[level] or (level == "commune" and state.niveau != "etablissement"):
        state = replace(state, niveau=CHILD[level])
    if state.niveau == "academie" and level == "region" and len(inside(territories, state)) == 1:
        state = replace(state, niveau="departement")
    return state, notes


def inside(territories: pd.DataFrame, state: MapState) -> pd.DataFrame:
    """Territories drawn for ``state``: its ``niveau`` (communes for schools) inside ``territoire``."""
    level = "commune" if state.niveau == "etablissement" else state.niveau
    rows = territories[territories["level"] == level]
    if state.territoire is None:
        return rows.reset_index(drop=True)
    parent_level, code = state.territoire
    if parent_level == level:
        return rows[rows["code"] == code].reset_index(drop=True)
    if level == "epci":
        communes = territories[(territories["level"] == "commune") & (territories[f"{parent_level}_code"] == code)]
        return rows[rows["code"].isin(communes["epci_code"])].reset_index(drop=True)
    return rows[rows[f"{parent_level}_code"] == code].reset_index(drop=True)


def drill(state: MapState, level: str, code: str) -> MapState:
    """The state after a click on territory ``code`` of ``level`` (a school click changes nothing)."""
    if level not in CHILD:
        return state
    return replace(state, territoire=(level, code), niveau=CHILD[level])


def skipped_level_note(state: MapState, territories: pd.DataFrame) -> str | None:
    """The French sentence saying that a région's only académie was skipped (:func:`resolve`), or None."""
    if not state.territoire or state.territoire[0] != "region" or state.niveau != "departement":
        return None
    academies = inside(territories, replace(state, niveau="academie"))
    if len(academies) != 1:
        return None
    names = territories.set_index(["level", "code"])["name"]
    region = str(names.get(state.territoire, state.territoire[1]))
    academie = display_name("academie", str(academies["name"].iloc[0]))
    return (
        f"La région {region} ne compte qu'une académie ({academie}) : ses départements sont "
        "dessinés directement, sans passer par le niveau des académies."
    )


@dataclass(frozen=True)
class Crumb:
    label: str
    state: MapState | None  # None: the current view (not a link)


def breadcrumb(state: MapState, territories: pd.DataFrame) -> list[Crumb]:
    """France › ancestors › current territory; each ancestor opens its inside one level down.

    A commune's ancestors include its EPCI (France › région › académie › département › EPCI ›
    commune); a région with one académie opens on its départements (:func:`resolve`).
    """
    if state.territoire is None:
        return [Crumb("France entière", None)]
    level, code = state.territoire
    row = territories[(territories["level"] == level) & (territories["code"] == code)].iloc[0]
    chain: list[tuple[str, str]] = []
    for ancestor in ANCESTORS[level]:
        ancestor_code = row[f"{ancestor}_code"]
        if isinstance(ancestor_code, str) and ancestor_code:
            chain.append((ancestor, ancestor_code))
    chain.append((level, code))
    names = territories.set_index(["level", "code"])["name"]
    crumbs = [Crumb("France entière", replace(state, territoire=None, niveau=chain[0][0]))]
    for i, (lvl, cde) in enumerate(chain):
        label = display_name(lvl, str(names.get((lvl, cde), cde)))
        if i == len(chain) - 1:
            crumbs.append(Crumb(label, None))
        else:
            # Each ancestor opens as a click on it would (its communes for a département, not its EPCI).
            crumbs.append(Crumb(label, replace(state, territoire=(lvl, cde), niveau=CHILD[lvl])))
    return crumbs


def schools_inside(con: duckdb.DuckDBPyConnection, territoire: tuple[str, str]) -> pd.DataFrame:
    """Schools of a territory with their latest pupils and IPS (``queries/map_schools.sql``).

    Returns
    -------
    DataFrame ``uai, name, kind, sector, commune_code, departement_code, lat, lon,
    payer_level, payer_code, school_year, pupils, ips, measured``.
    """
    level, code = territoire
    sql = read_sql("queries/map_schools", territory_column=voc.LEVEL_COLUMNS[level])
    return con.execute(sql, {"code": code}).df()
