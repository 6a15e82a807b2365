"""Find a territory of any level, or a school, by name or code, whatever the accents, case and hyphens.

« ille et vilaine », « ILLE-ET-VILAINE », « 35 » and « departement:35 » all find the
département of Ille-et-Vilaine; « saint etienne » finds Saint-Étienne; « 0350001a » finds the
school of UAI 0350001A and « ecole jules ferry rennes » the écoles Jules Ferry of Rennes (a
school's words are its name's and its commune's). Results are ranked: an exact code, then
names equal to the query, then names starting with it, then names holding every word of it;
within a rank, the larger levels first (schools last), then the larger populations.

:func:`search_index` normalises every name once; :func:`search` then runs vectorised over the
~95,000 rows of the national index (territories and schools), see ``bench/search.py``.
"""

from __future__ import annotations

import re
import unicodedata

import duckdb
import numpy as np
import pandas as pd

from explorer import vocabulary as voc
from explorer.errors import TerritoryError
from explorer.geo.territories import coded_name
from explorer.warehouse.sqlfiles import read_sql

SCHOOL_LEVEL = "etablissement"  # the level of a school in a reference: etablissement:UAI
_LEVEL_RANK = {level: i for i, level in enumerate((*voc.LEVELS, SCHOOL_LEVEL))}
_INDEX_COLUMNS = ["level", "code", "name", "label", "kind", "commune", "_names", "_words", "_codes", "_level", "_pop"]
_SEPARATORS = re.compile(r"[\s\-'’_.,/()]+")


def normalise(text: str) -> str:
    """Lower case, accents removed (NFKD), hyphens and apostrophes as spaces: « Côtes-d'Armor » → « cotes d armor »."""
    decomposed = unicodedata.normalize("NFKD", str(text))
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    bare = bare.replace("œ", "oe").replace("Œ", "oe").replace("æ", "ae")
    return _SEPARATORS.sub(" ", bare.lower()).strip()


def school_directory(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Every school for the search: DataFrame ``uai, name, kind, commune_code, commune_name`` (str)."""
    return con.execute(read_sql("queries/search_schools")).df()


def school_label(name: str, kind: str, commune: str, uai: str) -> str:
    """« École élémentaire Jules Ferry (école, Rennes — UAI 0350001A) », as listed in the search results."""
    return f"{name} ({voc.KIND_LABELS.get(kind, kind).lower()}, {commune} — UAI {uai})"


def search_index(territories: pd.DataFrame, schools: pd.DataFrame | None = None) -> pd.DataFrame:
    """What :func:`search` runs over: every territory and school with its names normalised once.

    Parameters
    ----------
    territories : DataFrame ``level, code, name`` (str), ``population`` (number or missing).
    schools : DataFrame ``uai, name, kind, commune_name`` (str) from :func:`school_directory`,
        or None for territories only.

    Returns
    -------
    DataFrame ``level, code, name, label, kind, commune`` and the private search columns.
    """
    names = territories["name"].map(normalise)
    parts = [
        pd.DataFrame(
            {
                "level": territories["level"].to_numpy(),
                "code": territories["code"].to_numpy(),
                "name": territories["name"].to_numpy(),
                "label": [
                    coded_name(lv, c, n)
                    for lv, c, n in zip(territories["level"], territories["code"], territories["name"], strict=True)
                ],
                "kind": None,
                "commune": None,
                "_names": names.to_numpy(),
                "_words": names.to_numpy(),
                "_codes": territories["code"].str.lower().to_numpy(),
                "_level": territories["level"].map(_LEVEL_RANK).fillna(9).to_numpy(),
                "_pop": -pd.to_numeric(territories["population"], errors="coerce").fillna(0).to_numpy(),
            }
        )
    ]
    if schools is not None and len(schools):
        communes = schools["commune_name"].fillna(schools.get("commune_code", "")).astype(str)
        school_names = schools["name"].map(normalise)
        parts.append(
            pd.DataFrame(
                {
                    "level": SCHOOL_LEVEL,
                    "code": schools["uai"].to_numpy(),
                    "name": schools["name"].to_numpy(),
                    "label": [
                        school_label(n, k, c, u)
                        for n, k, c, u in zip(schools["name"], schools["kind"], communes, schools["uai"], strict=True)
                    ],
                    "kind": schools["kind"].to_numpy(),
                    "commune": communes.to_numpy(),
                    "_names": school_names.to_numpy(),
                    "_words": (school_names + " " + communes.map(normalise)).to_numpy(),
                    "_codes": schools["uai"].str.lower().to_numpy(),
                    "_level": _LEVEL_RANK[SCHOOL_LEVEL],
                    "_pop": 0.0,
                }
            )
        )
    return pd.concat(parts, ignore_index=True)[_INDEX_COLUMNS]


def search(index: pd.DataFrame, query: str, limit: int = 20) -> pd.DataFrame:
    """Territories and schools matching ``query`` (a name or a code, or ``LEVEL:CODE``), best first.

    Parameters
    ----------
    index : :func:`search_index` (build it once), or a territory table ``level, code, name,
        population`` (indexed on each call), e.g. :func:`explorer.geo.territories.territory_index`.
    query : what the user typed.
    limit : at most this many results.

    Returns
    -------
    DataFrame ``level, code, name, label`` (label as :func:`explorer.geo.territories.coded_name`
    or :func:`school_label`; ``level`` is ``etablissement`` for a school, ``code`` its UAI).
    """
    columns = ["level", "code", "name", "label"]
    if "_names" not in index.columns:
        index = search_index(index)
    text = normalise(query)
    if not text:
        return pd.DataFrame(columns=columns)
    level_filter, _, code_part = str(query).partition(":")
    if code_part and level_filter.strip() in _LEVEL_RANK:
        rows = index[(index["level"] == level_filter.strip()) & (index["_codes"] == code_part.strip().lower())]
        return rows[columns].reset_index(drop=True)
    # Every word of the query starts a word of the name (« st etienne » does not, « saint et »
    # does): the rarest test first on all rows, the next ones on what is left.
    words = text.split()
    candidates = index
    for word in sorted(words, key=len, reverse=True):
        pattern = r"(?:^| )" + re.escape(word)
        candidates = candidates[candidates["_words"].str.contains(pattern, regex=True)]
        if candidates.empty:
            break
    exact = index[index["_codes"] == text.replace(" ", "")]
    found = pd.concat([exact, candidates])
    found = found[~found.index.duplicated()]
    rank = np.select(
        [
            found["_codes"] == text.replace(" ", ""),
            found["_names"] == text,
            found["_names"].str.startswith(text),
        ],
        [0, 1, 2],
        default=3,
    )
    found = found.assign(_rank=rank).sort_values(["_rank", "_level", "_pop", "code"], kind="stable")
    return found.head(limit)[columns].reset_index(drop=True)


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


def echoed_code(code: str, limit: int = 20) -> str:
    """A code from an address as a French note repeats it: a long one is not echoed whole."""
    return code if len(code) <= limit else code[:limit] + "…"


def find(territories: pd.DataFrame, level: str, code: str) -> pd.Series:
    """The row of territory ``level:code``; :class:`TerritoryError` when the warehouse has none."""
    rows = territories[(territories["level"] == level) & (territories["code"] == code)]
    if rows.empty:
        raise TerritoryError(
            f"Territoire « {level}:{code} » absent de l'entrepôt : vérifiez le code (par ex. departement:35) "
            "ou le périmètre de l'entrepôt."
        )
    return rows.iloc[0]
