"""Statistical secrecy (a deployment setting, off by default) and fragile figures.

Every figure the tool derives from what the publishers release per school (annuaire, pupil
counts, IPS, ENT audience per UAI) or from public accounts is public, at every level and for
every school: nothing is masked by default. A deployment that loads non-public data (per-pupil
records, say) sets thresholds in the environment::

    EXPLORER_SECRET_MIN_SCHOOLS=5   # no value on fewer than 5 schools (measured, for usage)
    EXPLORER_SECRET_MIN_USERS=11    # no usage value on fewer than 11 user-weeks

and the values below them are then written « secret statistique ». The setting is read on each
call, so one process always applies one rule.

What replaces masking is honesty about fragility: :func:`fragility` names, for each figure, the
small denominators it rests on (``docs/indicators.md``, « Chiffres fragiles »).
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from explorer.errors import SecrecySettingError
from explorer.formatting import fr_number

ENV_MIN_SCHOOLS = "EXPLORER_SECRET_MIN_SCHOOLS"
ENV_MIN_USERS = "EXPLORER_SECRET_MIN_USERS"

# A per-pupil figure on fewer pupils than this is flagged « effectif faible ».
FEW_PUPILS = 50
# A usage figure on less than this share of the period's pupil-years (pupils of measured schools,
# the measured set growing year by year) is flagged with the share measured.
LOW_MEASURED_SHARE = 0.25
# A usage figure whose measured pupils were counted fewer weeks than this per school year on
# average is flagged « peu de semaines mesurées » (a school year has about 36 weeks of school).
FEW_WEEKS = 12
# A usage figure on fewer user-weeks than this is flagged « peu d'utilisateurs ».
FEW_USER_WEEKS = 11


@dataclass(frozen=True)
class Secrecy:
    """The masking thresholds in force; both 0 means no masking (the default)."""

    min_schools: int = 0
    min_users: int = 0

    @property
    def on(self) -> bool:
        return self.min_schools > 0 or self.min_users > 0

    def rule_text(self) -> str:
        """The rule in French, for footnotes: « moins de 5 établissements ou de 11 utilisateurs »."""
        parts = []
        if self.min_schools > 0:
            parts.append(f"moins de {fr_number(self.min_schools)} établissements")
        if self.min_users > 0:
            parts.append(f"moins de {fr_number(self.min_users)} utilisateurs")
        return " ou ".join(parts)


def _threshold(name: str) -> int:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return 0
    try:
        value = int(raw)
    except ValueError:
        value = -1
    if value < 0:
        raise SecrecySettingError(
            f"Réglage {name} = « {raw} » : un seuil de secret statistique est un nombre entier ≥ 0 "
            "(0 ou absent : aucun masquage)."
        )
    return value


def setting() -> Secrecy:
    """The secrecy rule of this deployment, from the environment."""
    return Secrecy(_threshold(ENV_MIN_SCHOOLS), _threshold(ENV_MIN_USERS))
