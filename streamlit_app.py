"""Entry point: ``streamlit run streamlit_app.py`` (or ``make run``).

Every page runs inside the same frame: shared sidebar, simulated-data banner, and the one
place where the package's typed errors become a French message on screen.
"""

from __future__ import annotations

import streamlit as st

from ui import data
from ui.banner import simulated_banner
from ui.errors import shown_as_error
from ui.sidebar import APP_NAME, render_sidebar

st.set_page_config(page_title=APP_NAME, layout="wide")

# The pages in menu order. Carte, Diagnostic, Comparer, Typologie and Prospective join this
# list as they arrive; the menu appears in the sidebar once there are two pages or more.
PAGES = [
    st.Page("pages/donnees.py", title="Données", icon=":material/database:", url_path="donnees"),
    st.Page("pages/prospective.py", title="Prospective", icon=":material/trending_up:", url_path="prospective"),
]

page = st.navigation(PAGES)
render_sidebar()
with shown_as_error():
    simulated_banner(data.get_connection())
    page.run()
