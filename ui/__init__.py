"""Streamlit helpers shared by the pages: connection and cached queries, sidebar, banners,
error display. Only this package, ``streamlit_app.py`` and ``pages/`` import streamlit."""
