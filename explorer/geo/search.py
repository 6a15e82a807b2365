"""Find a territory of any level by name or code, whatever the accents, case and hyphens.

« ille et vilaine », « ILLE-ET-VILAINE », « 35 » and « departement:35 » all find the
département of Ille-et-Vilaine; « saint etienne » finds Saint-Étienne. Results are ranked: an
exact code, then names equal to the query, then names starting with it, then names holding
every word of it; within a rank, the larger levels first, then the larger populations.
"""

from __future__ import annotations

import re
import unicodedata

import numpy as np
import pandas as pd

from explorer import vocabulary as voc
from explorer.errors import TerritoryError
from explorer.geo.territories import coded_name

_LEVEL_RANK = {level: i for i, level in enumerate(voc.LEVELS)}
_SEPARATORS = re.compile(r"[\s\-'’_.,/()]+")


def normalise(text: str) -> str:
    """Lower case, accents removed (NFKD), hyphens and apostrophes as spaces: « Côtes-d'Armor » → « cotes d armor »."""
    decomposed = unicodedata.normalize("NFKD", str(text))
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    bare = bare.replace("œ", "oe").replace("Œ", "oe").replace("æ", "ae")
    return _SEPARATORS.sub(" ", bare.lower()).strip()


def search(territories: pd.DataFrame, query: str, limit: int = 20) -> pd.DataFrame:
    """Territories matching ``query`` (a name or a code, or ``LEVEL:CODE``), best first.

    Parameters
    ----------
    territories : DataFrame with ``level, code, name`` (str) and ``population`` (number or
        missing), e.g. :func:`explorer.geo.territories.territory_index`.
    query : what the user typed.
    limit : at most this many results.

    Returns
    -------
    DataFrame ``level, code, name, label`` (label as :func:`explorer.geo.territories.coded_name`).
    """
    columns = ["level", "code", "name", "label"]
    text = normalise(query)
    if not text:
        return pd.DataFrame(columns=columns)
    level_filter, _, code_part = str(query).partition(":")
    if code_part and level_filter.strip() in voc.LEVELS:
        rows = territories[
            (territories["level"] == level_filter.strip())
            & (territories["code"].str.upper() == code_part.strip().upper())
        ]
        return _with_labels(rows)[columns].reset_index(drop=True)
    names = territories["name"].map(normalise)
    codes = territories["code"].str.lower()
    words = text.split()
    exact_code = codes == text.replace(" ", "")
    exact_name = names == text
    prefix = names.str.startswith(text)
    # Each word of the query starts a word of the name (« st etienne » does not, « saint et » does).
    all_words = pd.Series(
        [all(any(w.startswith(q) for w in n.split()) for q in words) for n in names], index=territories.index
    )
    rank = np.select([exact_code, exact_name, prefix, all_words], [0, 1, 2, 3], default=99)
    found = territories.assign(
        _rank=rank,
        _level=territories["level"].map(_LEVEL_RANK).fillna(9),
        _pop=-pd.to_numeric(territories["population"], errors="coerce").fillna(0),
    )
    found = found[found["_rank"] < 99].sort_values(["_rank", "_level", "_pop", "code"], kind="stable")
    return _with_labels(found.head(limit))[columns].reset_index(drop=True)


def _with_labels(rows: pd.DataFrame) -> pd.DataFrame:
    return rows.assign(
        label=[coded_name(lv, c, n) for lv, c, n in zip(rows["level"], rows["code"], rows["name"], strict=True)]
    )


def parse_territory(text: str) -> tuple[str, str]:
    """``'departement:35'`` → ``('departement', '35')``; a malformed reference raises :class:`TerritoryError`."""
    level, sep, code = str(text).partition(":")
    level, code = level.strip(), code.strip()
    if not sep or level not in (*voc.LEVELS, "etablissement") or not code:
        raise TerritoryError(
            f"Territoire « {str(text)[:40]} » non reconnu : écrivez NIVEAU:CODE, par ex. departement:35 "
            f"ou etablissement:0350001A (niveaux : {', '.join(voc.LEVELS)}, etablissement)."
        )
    if level == "etablissement":
        code = code.upper()  # a UAI's check letter is written in capitals
    return level, code


def find(territories: pd.DataFrame, level: str, code: str) -> pd.Series:
    """The row of territory ``level:code``; :class:`TerritoryError` when the warehouse has none."""
    rows = territories[(territories["level"] == level) & (territories["code"] == code)]
    if rows.empty:
        raise TerritoryError(
            f"Territoire « {level}:{code} » absent de l'entrepôt : vérifiez le code (par ex. departement:35) "
            "ou le périmètre de l'entrepôt."
        )
    return rows.iloc[0]
