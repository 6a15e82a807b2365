"""Prophet-based projections of usage and investment scenarios (see docs/forecasting.md).

Kept as its own package, split like prophet itself: series, model, evaluation, scenarios,
serialisation, batch. Prophet and cmdstanpy are silenced here, before any submodule imports
them: they log every Stan run and a plotly notice that users cannot act on.
"""

import logging

for _name in ("cmdstanpy", "prophet"):
    logging.getLogger(_name).setLevel(logging.WARNING)
logging.getLogger("prophet.plot").setLevel(logging.CRITICAL)  # « Importing plotly failed »: plots are Altair
logging.getLogger("cmdstanpy").disabled = True  # logs each Stan run at INFO with handlers of its own
