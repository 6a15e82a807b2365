"""What investment produced: the panel of schools over school years and its estimators.

- :mod:`.panel` — the school × school-year panel read from the marts;
- :mod:`.investment` — the investment response, national and per territory (partial pooling);
- :mod:`.programmes` — event studies of the State programmes (TNE, SNEE, hybridation);
- :mod:`.cli` — ``python -m explorer effects …``.

See ``docs/effects.md`` for the units, the identification and the validation figures.
"""
