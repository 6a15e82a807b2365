"""Typed errors of the forecasting package, subclasses of :class:`explorer.errors.ExplorerError`.

The UI shows them through the same single place as the explorer's errors (``ui/errors.py``)
and the CLI prints them; messages are in French and name the field, the value and what to do.
"""

from __future__ import annotations

from explorer.errors import ExplorerError


class ForecastError(ExplorerError):
    """Base class of every error the forecasting package raises on purpose."""


class TerritoryError(ForecastError):
    """Unknown level or territory code, or a territory without enough measured schools."""


class SeriesTooShortError(ForecastError):
    """The territory's weekly series is too short to fit or to backtest."""


class ScenarioError(ForecastError):
    """A scenario (JSON or form) is malformed; ``field`` names the offending field."""

    def __init__(self, field: str, message: str):
        self.field = field
        super().__init__(f"Scénario, champ « {field} » : {message}")
