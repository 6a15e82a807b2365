"""Explorateur investissements × usages numériques de l'éducation.

Logic package: everything here returns DataFrames, figures or ``pydeck.Deck`` objects and
never imports Streamlit, so it can be used from a notebook, the CLI or the pages.
"""

__version__ = "0.1.0"
