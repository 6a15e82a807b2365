"""The one place where the package's typed errors become messages on screen."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator

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


def noted(key: str, action: Callable[..., str], *args: object) -> None:
    """Run ``action(*args)`` in a button's callback and keep what it says for the next run of the page.

    A callback's own ``st.*`` output does not survive the rerun a page may make
    (:mod:`ui.navigation`): ``action`` returns its French confirmation, or raises an
    :class:`ExplorerError`, and :func:`show_note` shows either once.
    """
    try:
        st.session_state[key] = ("success", action(*args))
    except ExplorerError as exc:
        st.session_state[key] = ("error", str(exc))


def show_note(key: str) -> None:
    """The confirmation or the error kept by :func:`noted`, shown once."""
    note = st.session_state.pop(key, None)
    if note is None:
        return
    kind, text = note
    if kind == "success":
        st.success(text, icon=":material/check_circle:")
    else:
        st.error(text, icon=":material/error:")
