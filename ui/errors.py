"""The one place where the package's typed errors become messages on screen."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

import streamlit as st

from explorer.errors import ExplorerError, WarehouseNotFoundError

BUILD_HINT = (
    "Pour créer l'entrepôt de démonstration (France entière, environ une minute) puis "
    "ouvrir l'application : `make run`. Pour une seule académie, plus rapide : "
    "`python -m explorer build --source demo --scope academie:14 --db CHEMIN`, puis "
    "relancez l'application avec `EXPLORER_DB=CHEMIN`."
)


@contextlib.contextmanager
def shown_as_error() -> Iterator[None]:
    """Show an :class:`ExplorerError` raised in the block as ``st.error`` in French.

    Other exceptions (bugs, and Streamlit's own rerun and stop signals) pass through.
    """
    try:
        yield
    except WarehouseNotFoundError as exc:
        st.error(f"{exc}\n\n{BUILD_HINT}", icon=":material/database_off:")
    except ExplorerError as exc:
        st.error(str(exc), icon=":material/error:")
