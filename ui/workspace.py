"""Which workspace this session uses: the logged-in user's, or one kept for this browser session.

See :mod:`explorer.warehouse.workspace`. With Streamlit's OIDC login configured (``[auth]`` in
``.streamlit/secrets.toml``) and the user logged in, ``st.user`` identifies the workspace, so
it follows the user from one session to the next. Otherwise a random id is kept in
``st.session_state`` and, once the workspace holds saved scenarios, in a cookie of the browser
(:func:`remember`): the workspace then outlives a reload of the page, in that browser only.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from explorer.warehouse import workspace
from explorer.warehouse.db import default_db_path

SESSION_KEY = "workspace_id"
NOTICE = "Espace de travail privé : vos imports ne sont visibles que par vous."
# The browser keeps an anonymous workspace's id in this cookie, so that a reload finds it again.
COOKIE = "explorateur_espace"
COOKIE_DAYS = 30
SCENARIOS_NOTICE = (
    "Vos scénarios enregistrés sont gardés dans votre espace de travail privé : vous les retrouverez "
    "à votre prochaine connexion."
)
SESSION_SCENARIOS_NOTICE = (
    "Vos scénarios enregistrés sont gardés dans un espace de travail privé que ce navigateur retrouve "
    f"pendant {COOKIE_DAYS} jours, même après un rechargement de la page ; un autre navigateur ne les voit pas. "
    "Pour les garder plus longtemps ou les partager, téléchargez-les (JSON) et réimportez-les."
)


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
        remembered = st.context.cookies.get(COOKIE)
        st.session_state[SESSION_KEY] = (
            remembered if workspace.is_session_workspace_id(remembered) else workspace.session_workspace_id()
        )
    return str(st.session_state[SESSION_KEY])


def remember() -> None:
    """Have the browser keep this anonymous session's workspace id (a cookie), so that a reload
    opens the same workspace; nothing for a logged-in user, whose identity already does.

    The id is one this program made (checked against its pattern), never text from a user.
    """
    if logged_in():
        return
    wid = workspace_id()
    if not workspace.is_session_workspace_id(wid) or st.context.cookies.get(COOKIE) == wid:
        return
    max_age = COOKIE_DAYS * 24 * 3600
    st.html(
        "<script>document.cookie = "
        f"'{COOKIE}={wid}; Max-Age={max_age}; Path=/; SameSite=Strict'"
        " + (location.protocol === 'https:' ? '; Secure' : '');</script>",
        unsafe_allow_javascript=True,
    )


def active_path() -> Path | None:
    """This session's workspace warehouse when it has one, else None."""
    path = workspace.workspace_db(shared_path(), workspace_id())
    return path if path.exists() else None


def ensure() -> Path:
    """This session's workspace warehouse, copied from the shared one if it is new."""
    return workspace.ensure_workspace(shared_path(), workspace_id())


def logged_in() -> bool:
    """True when the workspace follows a logged-in user (it then outlives the browser session)."""
    return bool(st.user.get("is_logged_in")) and workspace.user_workspace_id(st.user.to_dict()) is not None


def file_path(name: str) -> Path:
    """A file of this session's workspace folder (``name`` is the program's, never a user's)."""
    return workspace.workspace_dir(shared_path(), workspace_id()) / name
