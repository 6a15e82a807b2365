"""What a build covers: all of France, or one académie (``--scope academie:14``)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from explorer.errors import ScopeError
from explorer.geo.geography import academies, departement_academie


@dataclass(frozen=True)
class Scope:
    """What to build: all of France, or one académie."""

    kind: str  # 'national' | 'academie'
    code: str | None = None

    @property
    def label(self) -> str:
        return "national" if self.kind == "national" else f"academie:{self.code}"

    def departements(self) -> list[str] | None:
        if self.kind == "national":
            return None
        table = departement_academie()
        return table.loc[table["academie_code"] == self.code, "departement_code"].tolist()


def parse_scope(text: str) -> Scope:
    """``national`` or ``academie:CODE`` (MENJ code, e.g. ``academie:14`` for Rennes)."""
    if text == "national":
        return Scope("national")
    match = re.fullmatch(r"academie:([0-9]{1,2})", text.strip())
    if not match:
        raise ScopeError(
            f"Périmètre « {text} » non reconnu : utilisez « national » ou « academie:CODE » (ex. academie:14)."
        )
    code = match.group(1).zfill(2)
    known = academies()
    if code not in set(known["code"]):
        raise ScopeError(
            f"Académie « {code} » inconnue. Codes admis : "
            + ", ".join(f"{c} ({n})" for c, n in zip(known["code"], known["name"], strict=True))
        )
    return Scope("academie", code)
