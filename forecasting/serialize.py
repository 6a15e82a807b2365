"""A fitted :class:`~forecasting.model.UsageForecaster` to and from JSON (never pickle).

The Prophet model goes through Prophet's own ``model_to_json`` / ``model_from_json``; the
wrapper's settings and learned attributes are stored beside it in the same JSON document.
Format 2 has no investment regressor nor effect: a format-1 document is refused, never read
as a reference model (the store's key, :meth:`forecasting.model.ModelSpec.key`, changed with
the model's version, so stored format-1 models are refitted rather than served).
"""

from __future__ import annotations

import json
from dataclasses import asdict

from prophet.serialize import model_from_json, model_to_json

from forecasting.model import ModelSpec, UsageForecaster

FORMAT = "forecasting.UsageForecaster/2"


def forecaster_to_json(forecaster: UsageForecaster) -> str:
    """JSON text of a fitted forecaster."""
    return json.dumps(
        {
            "format": FORMAT,
            "spec": asdict(forecaster.spec),
            "zone": forecaster.zone,
            "random_state": forecaster.random_state,
            "regressors": forecaster.regressors_,
            "last_coverage": forecaster.last_coverage_,
            "prophet": model_to_json(forecaster.prophet_),
        }
    )


def forecaster_from_json(text: str) -> UsageForecaster:
    """Fitted forecaster back from :func:`forecaster_to_json`'s text."""
    doc = json.loads(text)
    if doc.get("format") != FORMAT:
        raise ValueError(f"not a {FORMAT} document: format={doc.get('format')!r}")
    forecaster = UsageForecaster(ModelSpec(**doc["spec"]), doc["zone"], doc["random_state"])
    forecaster.regressors_ = list(doc["regressors"])
    forecaster.last_coverage_ = float(doc["last_coverage"])
    forecaster.prophet_ = model_from_json(doc["prophet"])
    return forecaster
