"""The sidebar every page shares: app name, which warehouse is read, simulated-data notice."""

from __future__ import annotations

import streamlit as st

from explorer.errors import ExplorerError, WarehouseNotFoundError
from explorer.formatting import fr_datetime
from ui import data, workspace

APP_NAME = "Explorateur investissements × usages numériques"


def render_sidebar() -> None:
    """Draw the shared sidebar; a missing warehouse is reported here, never raised."""
    with st.sidebar:
        st.markdown(f"**{APP_NAME}**")
        st.caption(
            "Éducation nationale : dépenses numériques des collectivités et de l'État, "
            "usages des espaces numériques de travail (ENT)."
        )
        path = data.warehouse_path()
        try:
            con = data.get_connection()
        except ExplorerError as exc:
            state = "introuvable" if isinstance(exc, WarehouseNotFoundError) else "à reconstruire"
            st.markdown(f"**Entrepôt** : {state}")
            st.caption(f"`{path}`")
            return
        key = data.warehouse_key()
        info = data.build_info(con, key)
        st.markdown("**Entrepôt**")
        lines = [
            f"Périmètre : {data.scope_label(con, key)}",
            f"Construit le {fr_datetime(info.get('built_at'))}",
        ]
        if info.get("seed"):
            lines.append(f"Graine du générateur : {info['seed']}")
        st.caption("  \n".join(lines))
        st.caption(f"`{path}`")
        if data.is_simulated(con, key):
            st.warning("Données simulées (démonstration) : ne pas citer.", icon=":material/science:")
        if workspace.active_path() is not None:
            st.info(workspace.NOTICE, icon=":material/lock:")
