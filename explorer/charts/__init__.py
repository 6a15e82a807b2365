"""Figures as objects (Altair, matplotlib): one theme for the screen and the PDF; never streamlit."""
