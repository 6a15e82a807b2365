"""Typed errors of the forecasting package, subclasses of :class:`explorer.errors.ExplorerError`.

The UI shows them through the same single place as the explorer's errors (``ui/errors.py``)
and the CLI prints them; messages are in French and name the field, the value and what to do.
"""

from __future__ import annotations

from explorer.errors import ExplorerError, TerritoryError


class ForecastError(ExplorerError):
    """Base class of every error the forecasting package raises on purpose."""


class ForecastTerritoryError(ForecastError, TerritoryError):
    """Unknown level or territory code, or a territory without enough measured schools.

    Also a :class:`explorer.errors.TerritoryError`, so one ``except`` serves both packages.
    """


class ModelStateError(ForecastError):
    """A model used before it is fitted, or given a history without the columns it needs."""


class SeriesTooShortError(ForecastError):
    """The territory's weekly series is too short to fit or to backtest."""


class ScenarioError(ForecastError):
    """A scenario (JSON or form) is malformed; ``field`` names the offending field."""

    def __init__(self, field: str, message: str):
        self.field = field
        super().__init__(f"Scénario, champ « {field} » : {message}")
