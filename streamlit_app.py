"""Entry point: ``streamlit run streamlit_app.py`` (or ``make run``).

Every page runs inside the same frame: shared sidebar, simulated-data banner, and the one
place where the package's typed errors become a French message on screen.
"""

from __future__ import annotations

import streamlit as st

from explorer.charts import theme as chart_theme
from ui import data
from ui.banner import simulated_banner
from ui.chrome import french_chrome
from ui.errors import shown_as_error
from ui.sidebar import APP_NAME, render_sidebar

assert chart_theme.THEME  # imported for its effect: French number and date formats in charts
st.set_page_config(page_title=APP_NAME, page_icon=":material/school:", layout="wide")

# The pages in menu order (the first one opens at the root URL). Every url_path equals its
# file name: the first request of a server may resolve the URL against the pages/ files.
PAGES = [
    st.Page("pages/accueil.py", title="Accueil", icon=":material/home:", url_path="accueil", default=True),
    st.Page("pages/carte.py", title="Carte", icon=":material/map:", url_path="carte"),
    st.Page("pages/diagnostic.py", title="Diagnostic", icon=":material/assignment:", url_path="diagnostic"),
    st.Page("pages/comparer.py", title="Comparer", icon=":material/compare_arrows:", url_path="comparer"),
    st.Page("pages/typologie.py", title="Typologie", icon=":material/hub:", url_path="typologie"),
    st.Page(
        "pages/investissement_usage.py",
        title="Investissement → usage",
        icon=":material/trending_up:",
        url_path="investissement_usage",
    ),
    st.Page("pages/prospective.py", title="Prospective", icon=":material/timeline:", url_path="prospective"),
    st.Page("pages/donnees.py", title="Données", icon=":material/database:", url_path="donnees"),
]

page = st.navigation(PAGES)
french_chrome()
render_sidebar()
with shown_as_error():
    simulated_banner(data.get_connection())
    page.run()
