"""Prophet-based projections of usage and investment scenarios (see docs/forecasting.md).

Kept as its own package, split like prophet itself: series, model, evaluation, scenarios,
serialisation, batch. Prophet and cmdstanpy are silenced here, once for every submodule: they
log every Stan run, every cross-validation and a plotly notice that users cannot act on.
"""

import logging

logging.getLogger("prophet.plot").setLevel(logging.CRITICAL)  # « Importing plotly failed »: plots are Altair

import prophet.forecaster  # noqa: E402, F401  (sets the "prophet" logger to INFO on import: silence it after)

for _name in ("cmdstanpy", "prophet"):
    logging.getLogger(_name).setLevel(logging.WARNING)
logging.getLogger("cmdstanpy").disabled = True  # logs each Stan run at INFO with handlers of its own
