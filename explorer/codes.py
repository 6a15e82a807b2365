"""Territory and school codes: one rule per level, used by the staging SQL, the connectors and the budget check.

Publishers write the same code several ways: départements as ``35``, ``035``, ``2A``,
``02A`` or ``971``; régions as ``84`` or ``084``; communes as ``35238`` or ``1001`` (a
spreadsheet ate the leading zero); UAI as ``0350024l``. The warehouse keeps one spelling.
:func:`normalise` applies the rules in Python; :func:`sql_macros` writes the same rules as
the DuckDB macros the staging models call (``norm_departement``, ``norm_territory``…), so the two
cannot disagree. What a normalised code must then look like is :data:`PATTERNS`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

UAI_PATTERN = r"^[0-9]{7}[A-Z]$"
COMMUNE_PATTERN = r"^([0-9]{5}|2[AB][0-9]{3})$"
DEPARTEMENT_PATTERN = r"^([0-9]{2}|2[AB]|97[1-6])$"
CODE2_PATTERN = r"^[0-9]{2}$"
SIREN_PATTERN = r"^[0-9]{9}$"
# The official alphabet of the UAI check letter (no I, O, Q): digits mod 23.
UAI_LETTERS = "ABCDEFGHJKLMNPRSTUVWXYZ"


@dataclass(frozen=True)
class CodeRule:
    """How a code of one level is written in the warehouse.

    Every code is upper-cased and loses its white space (``squeeze``: SIREN ``200 046 977``,
    commune ``35 238``; a UAI is only trimmed, it is read on millions of rows);
    ``drop_leading_zero`` turns a 3-character code starting with ``0`` into 2 characters
    (``035`` → ``35``, ``02A`` → ``2A``, ``084`` → ``84``), and ``pad`` restores the one
    leading zero a spreadsheet eats from an all-digit code one character short of ``pad``
    (``1`` → ``01``, ``1001`` → ``01001``; ``123`` stays and is refused). A longer or
    malformed value is kept whole so that the check refuses it.
    """

    pad: int = 0
    drop_leading_zero: bool = False
    squeeze: bool = True


RULES = {
    "region": CodeRule(pad=2, drop_leading_zero=True),
    "academie": CodeRule(pad=2, drop_leading_zero=True),
    "departement": CodeRule(pad=2, drop_leading_zero=True),
    "epci": CodeRule(),
    "commune": CodeRule(pad=5),
    "uai": CodeRule(squeeze=False),
    "etat": CodeRule(),
}
# What a normalised code of each level looks like, and how to say it in French.
PATTERNS = {
    "etat": (r"^FR$", "l'État s'écrit « FR »"),
    "region": (CODE2_PATTERN, "code INSEE de région sur 2 chiffres, par ex. 53"),
    "academie": (CODE2_PATTERN, "code d'académie sur 2 chiffres, par ex. 14"),
    "departement": (DEPARTEMENT_PATTERN, "code de département : 01 à 95, 2A, 2B, 971 à 976"),
    "epci": (SIREN_PATTERN, "numéro SIREN de l'EPCI sur 9 chiffres"),
    "commune": (COMMUNE_PATTERN, "code INSEE de commune sur 5 caractères, par ex. 35238"),
    "uai": (UAI_PATTERN, "UAI : 7 chiffres et 1 lettre, par ex. 0350024L"),
}


def normalise(level: str, value: object) -> str | None:
    """``value`` written as the warehouse writes codes of ``level`` (``None`` stays ``None``).

    >>> normalise("region", "084"), normalise("departement", "02A"), normalise("commune", "1001")
    ('84', '2A', '01001')
    """
    if value is None:
        return None
    rule = RULES[level]
    text = re.sub(r"\s", "", str(value)) if rule.squeeze else str(value).strip()
    text = text.upper()
    if rule.drop_leading_zero and len(text) == 3 and text.startswith("0"):
        text = text[1:]
    if rule.pad and text.isdigit() and len(text) == rule.pad - 1:
        text = text.zfill(rule.pad)
    return text


def code_error(level: str, code: str) -> str | None:
    """Why the normalised ``code`` is not a code of ``level`` (French, naming the value), or ``None``."""
    pattern, hint = PATTERNS[level]
    return None if re.fullmatch(pattern, code) else f"code « {code[:40]} » mal formé ({hint})"


def uai_check_letter(digits: str) -> str:
    """The check letter of a UAI's seven digits (``0350710`` → ``G``)."""
    return UAI_LETTERS[int(digits) % 23]


# The steps of a rule as DuckDB macros (each keeps NULL as NULL).
_SQL_STEPS = """\
create or replace macro code_squeezed(x) as upper(regexp_replace(cast(x as varchar), '\\s', '', 'g'));
create or replace macro code_trimmed(x) as upper(trim(cast(x as varchar)));
create or replace macro code_drop_zero(t) as case when length(t) = 3 and t like '0%' then substr(t, 2) else t end;
create or replace macro code_padded(t, n) as
    case when regexp_full_match(t, '[0-9]+') and length(t) = n - 1 then '0' || t else t end;"""


def _sql_expression(rule: CodeRule) -> str:
    text = "code_squeezed(x)" if rule.squeeze else "code_trimmed(x)"
    if rule.drop_leading_zero:
        text = f"code_drop_zero({text})"
    if rule.pad:
        text = f"code_padded({text}, {rule.pad})"
    return text


def sql_macros() -> str:
    """The DuckDB macros of :data:`RULES` the staging models call: ``norm_<level>(x)`` and
    ``norm_territory(level, x)`` (the level given by a column, e.g. a funder's)."""
    lines = [_SQL_STEPS]
    lines += [f"create or replace macro norm_{level}(x) as {_sql_expression(rule)};" for level, rule in RULES.items()]
    cases = " ".join(f"when '{level}' then norm_{level}(x)" for level in RULES)
    lines.append(
        "create or replace macro norm_territory(level, x) as\n"
        f"    case lower(trim(level)) {cases} else trim(cast(x as varchar)) end;"
    )
    return "\n".join(lines)
