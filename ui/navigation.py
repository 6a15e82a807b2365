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
"""

from __future__ import annotations

import streamlit as st
from streamlit.runtime.pages_manager import PagesManager


def within_frame() -> None:
    """Rerun through ``streamlit_app.py`` when Streamlit ran this page file directly."""
    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        st.rerun()
