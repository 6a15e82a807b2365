"""Keep every page inside the app frame of ``streamlit_app.py`` (``st.navigation``).

Streamlit still has its older multipage mode: when a ``pages/`` folder sits next to the
entry point, the very first run after the server starts executes ``pages/<name>.py`` on its
own if the URL names it (e.g. a shared link to ``/donnees``), without the sidebar, the
simulated-data banner or the page layout. The pages call :func:`within_frame` first: in that
case it switches Streamlit to ``st.navigation`` for good and reruns, so the entry point draws
the requested page in its frame. Later runs are not affected.

Streamlit's ``AppTest`` resets that flag before every run, so in tests every run of a page
goes through this rerun. A button that changes state must therefore act in an ``on_click``
callback (callbacks run before the script and survive the rerun), never in ``if st.button``.

:func:`open_sheet` opens a sheet (Diagnostic) from another page through its URL, the same
``?territoire=LEVEL:CODE`` a shared link carries.
"""

from __future__ import annotations

import streamlit as st
from streamlit.runtime.pages_manager import PagesManager

# The Diagnostic page keeps its state in the session under this key and reads the URL only
# when it is absent (pages/diagnostic.py, ``STATE``): it is dropped so that the URL is read.
SHEET_PAGE = "pages/diagnostic.py"
PROSPECTIVE_PAGE = "pages/prospective.py"
SHEET_STATE = "diagnostic_state"
PENDING_SHEET = "open_sheet_pending"


def request_sheet(level: str, code: str) -> None:
    """From a callback: open the sheet of ``level:code`` when the script runs next (:func:`open_pending_sheet`).

    ``st.switch_page`` cannot run inside a callback; the request waits in the session state.
    """
    st.session_state[PENDING_SHEET] = f"{level}:{code}"


def open_pending_sheet() -> None:
    """Switch to the Diagnostic sheet requested by :func:`request_sheet`, if any (ends this run)."""
    territoire = st.session_state.pop(PENDING_SHEET, None)
    if territoire:
        st.session_state.pop(SHEET_STATE, None)
        st.switch_page(SHEET_PAGE, query_params={"territoire": territoire})


def within_frame() -> None:
    """Rerun through ``streamlit_app.py`` when Streamlit ran this page file directly."""
    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        st.rerun()
