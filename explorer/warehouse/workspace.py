"""Private workspaces: where a user's budget imports and saved scenarios live, away from the
shared warehouse.

An upload never changes the shared warehouse. The first import of a user copies the shared
warehouse to ``<shared dir>/workspaces/<id>/warehouse.duckdb`` and imports there; the app
then reads that copy for this user only. The Prospective page keeps the scenarios a user
saves in ``<shared dir>/workspaces/<id>/scenarios.json`` (:mod:`forecasting.saved`). The id is
a hash of the user's OpenID Connect identity (issuer and subject, or e-mail) when the app has
a login, else a random id kept for one browser session (and, once it holds saved scenarios, in
a cookie of that browser). Ids are checked against a strict pattern before they become a folder
name, so nothing a user sends is ever used as a path.
"""

from __future__ import annotations

import hashlib
import os
import re
import secrets
import shutil
from collections.abc import Mapping
from pathlib import Path

from explorer.errors import WorkspaceError
from explorer.warehouse.locking import write_lock

WORKSPACES_DIR = "workspaces"
_ID = re.compile(r"^[us][0-9a-f]{24}$")


def user_workspace_id(claims: Mapping[str, object]) -> str | None:
    """``u`` + 24 hex digits from a logged-in user's OIDC claims; None without an identity.

    The subject (``sub``) with its issuer is the stable identity; the e-mail is used only
    when the provider gives no subject. The hash keeps the e-mail out of folder names.
    """
    subject = claims.get("sub")
    identity = f"{claims.get('iss', '')}|{subject}" if subject else claims.get("email")
    if not identity:
        return None
    return "u" + hashlib.sha256(str(identity).encode("utf-8")).hexdigest()[:24]


def session_workspace_id() -> str:
    """``s`` + 24 random hex digits: the workspace of one anonymous browser session."""
    return "s" + secrets.token_hex(12)


def is_session_workspace_id(value: object) -> bool:
    """True for an id :func:`session_workspace_id` could have made (a cookie sent back, checked)."""
    return isinstance(value, str) and value.startswith("s") and bool(_ID.match(value))


def workspace_dir(shared: Path, workspace_id: str) -> Path:
    """Folder of workspace ``workspace_id`` (its warehouse, its saved scenarios), next to the
    shared warehouse ``shared``; not created here."""
    if not _ID.match(workspace_id):
        raise WorkspaceError(
            f"Identifiant d'espace de travail invalide : {workspace_id!r} "
            "(attendu des lettres minuscules et des chiffres)."
        )
    return Path(shared).resolve().parent / WORKSPACES_DIR / workspace_id


def workspace_db(shared: Path, workspace_id: str) -> Path:
    """Warehouse file of workspace ``workspace_id``, next to the shared warehouse ``shared``."""
    return workspace_dir(shared, workspace_id) / "warehouse.duckdb"


def ensure_workspace(shared: Path, workspace_id: str) -> Path:
    """The workspace's warehouse, created as a copy of the shared one on first use.

    The copy is written under a temporary name and renamed, so a workspace is never half
    copied; the shared file is only read.
    """
    target = workspace_db(shared, workspace_id)
    if target.exists():
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    with write_lock(target):
        if not target.exists():
            tmp = target.with_name(target.name + ".copying")
            try:
                shutil.copyfile(shared, tmp)
                os.replace(tmp, target)
            finally:
                tmp.unlink(missing_ok=True)
    return target
