"""Prophet-based projections of usage and investment scenarios (see the Prospective issue).

Kept as its own package, split like prophet itself: model, evaluation, plots, serialisation.
"""
