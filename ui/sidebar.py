"""The sidebar every page shares: app name, what data the pages show, simulated-data notice.

It describes the data in plain French (nature, build date, scope), never by the server's file
path: the users are officials, and the path is of no use to them.
"""

from __future__ import annotations

import streamlit as st

from explorer.errors import ExplorerError, WarehouseNotFoundError
from explorer.formatting import fr_datetime
from ui import data, workspace
from ui.banner import data_nature

APP_NAME = "Explorateur investissements × usages numériques"


def render_sidebar() -> None:
    """Draw the shared sidebar; a missing warehouse is reported here, never raised."""
    with st.sidebar:
        st.markdown(f"**{APP_NAME}**")
        st.caption(
            "Éducation nationale : dépenses numériques des collectivités et de l'État, "
            "usages des espaces numériques de travail (ENT)."
        )
        try:
            con = data.get_connection()
        except ExplorerError as exc:
            state = "introuvable" if isinstance(exc, WarehouseNotFoundError) else "à reconstruire"
            st.markdown(f"**Données** : entrepôt {state}")
            return
        key = data.warehouse_key()
        info = data.build_info(con, key)
        st.markdown("**Données**")
        lines = [
            f"{data_nature(con)}, construites le {fr_datetime(info.get('built_at'))}",
            f"Périmètre : {data.scope_label(con, key)}",
        ]
        if info.get("seed"):
            lines.append(f"Graine du générateur : {info['seed']}")
        st.caption("  \n".join(lines))
        if data.is_simulated(con, key):
            st.warning("Données simulées (démonstration) : ne pas citer.", icon=":material/science:")
        if workspace.active_path() is not None:
            st.info(workspace.NOTICE, icon=":material/lock:")
