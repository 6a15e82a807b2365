"""The Carte page's ranking table: French headers, masked values as text, long lists cut.

A list of more than :data:`MAX_ROWS` ranked territories shows its first and last
:data:`EDGE_ROWS`; the unranked ones (no value, or under statistical secrecy) are counted.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from explorer.facts.indicators import Indicator, format_value
from explorer.formatting import fr_yes_no
from explorer.vocabulary import KIND_LABELS, SECRET_TEXT

MAX_ROWS = 60
EDGE_ROWS = 30


@dataclass(frozen=True)
class Ranking:
    """The table to show and what the captions say about it."""

    table: pd.DataFrame  # French headers: Rang, Code, Nom, <indicator label>, Établissements, …
    ranked: int  # territories with a rank
    unranked: int  # territories without a value or under secrecy
    truncated: bool  # True when only the first and last EDGE_ROWS ranked are in ``table``


def ranking(table: pd.DataFrame, indicator: Indicator) -> Ranking:
    """The ranking of the drawn territories.

    Parameters
    ----------
    table : DataFrame ``rang`` (float, NaN when unranked), ``code``, ``name``, ``value`` (float),
        ``masked`` (bool), ``fragility`` (str), ``schools``, ``measured_schools``, sorted by rank
        (:attr:`explorer.maps.deck.MapResult.table`); for schools also ``kind`` and ``commune``
        (shown instead of the counts).

    Returns
    -------
    :class:`Ranking`. More than :data:`MAX_ROWS` ranked territories: the first and last
    :data:`EDGE_ROWS` only; otherwise every territory, ranked or not.
    """
    values = [
        SECRET_TEXT if m else format_value(indicator, v) for v, m in zip(table["value"], table["masked"], strict=True)
    ]
    fragile = table["fragility"].fillna("")
    if "kind" in table.columns:  # schools (the Établissements level): their kind and commune instead of counts
        shown = table.assign(
            valeur=values,
            fiabilite=fragile,
            type=table["kind"].map(KIND_LABELS),
            ent=table["measured_schools"].map(lambda n: fr_yes_no(n > 0)),
        )[["rang", "code", "name", "type", "commune", "valeur", "fiabilite", "ent"]].rename(
            columns={
                "rang": "Rang",
                "code": "UAI",
                "name": "Nom",
                "type": "Type",
                "commune": "Commune",
                "valeur": indicator.label,
                "fiabilite": "Chiffre fragile",
                "ent": "ENT mesuré",
            }
        )
    else:
        shown = table.assign(valeur=values, fiabilite=fragile)[
            ["rang", "code", "name", "valeur", "fiabilite", "schools", "measured_schools"]
        ].rename(
            columns={
                "rang": "Rang",
                "code": "Code",
                "name": "Nom",
                "valeur": indicator.label,
                "fiabilite": "Chiffre fragile",
                "schools": "Établissements",
                "measured_schools": "Établissements mesurés",
            }
        )
    ranked = shown[shown["Rang"].notna()]
    truncated = len(ranked) > MAX_ROWS
    if truncated:
        shown = pd.concat([ranked.head(EDGE_ROWS), ranked.tail(EDGE_ROWS)])
    return Ranking(shown, ranked=len(ranked), unranked=len(table) - len(ranked), truncated=truncated)
