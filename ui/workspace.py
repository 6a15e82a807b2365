"""Which workspace this session uses: the logged-in user's, or one kept for this browser session.

See :mod:`explorer.warehouse.workspace`. With Streamlit's OIDC login configured (``[auth]`` in
``.streamlit/secrets.toml``) and the user logged in, ``st.user`` identifies the workspace, so
it follows the user from one session to the next. Otherwise a random id is kept in
``st.session_state``: the workspace lasts as long as the browser session.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from explorer.warehouse import workspace
from explorer.warehouse.db import default_db_path

SESSION_KEY = "workspace_id"
NOTICE = "Espace de travail privé : vos imports ne sont visibles que par vous."


def shared_path() -> Path:
    """The shared warehouse (``$EXPLORER_DB`` or ``data/warehouse.duckdb``), never written by uploads."""
    return default_db_path().resolve()


def workspace_id() -> str:
    """This session's workspace id (it exists on disk only after a first import)."""
    # Without a configured login, st.user has no « is_logged_in » (and may hold a placeholder
    # e-mail in local runs): only a logged-in user is identified by it.
    if st.user.get("is_logged_in"):
        user_id = workspace.user_workspace_id(st.user.to_dict())
        if user_id:
            return user_id
    if SESSION_KEY not in st.session_state:
        st.session_state[SESSION_KEY] = workspace.session_workspace_id()
    return str(st.session_state[SESSION_KEY])


def active_path() -> Path | None:
    """This session's workspace warehouse when it has one, else None."""
    path = workspace.workspace_db(shared_path(), workspace_id())
    return path if path.exists() else None


def ensure() -> Path:
    """This session's workspace warehouse, copied from the shared one if it is new."""
    return workspace.ensure_workspace(shared_path(), workspace_id())
