"""The « Importer votre budget » section of the Données page: templates, upload, report, imports.

An upload never changes the shared warehouse: it is imported into this session's private
workspace (:mod:`ui.workspace`). The uploaded bytes go to a temporary file whose name is
ours; the upload's own file name is only shown and used as the import's label. Buttons that
change anything act in ``on_click`` callbacks (see :mod:`ui.navigation`).
"""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import streamlit as st
from streamlit.runtime.uploaded_file_manager import UploadedFile

from explorer.errors import ExplorerError
from explorer.formatting import fr_datetime, fr_number
from explorer.warehouse.budget import importer as budget
from ui import data, workspace

MAX_UPLOAD_MB = 20
TEMPLATES = Path(__file__).resolve().parents[1] / "data" / "templates"
TEMPLATE_FILES = {
    "csv": ("budget_numerique.csv", "text/csv"),
    "xlsx": ("budget_numerique.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
}
COUNTER = "budget_upload_round"  # a new uploader key empties the widget after an import
MESSAGE = "budget_message"


def _uploader_key() -> str:
    return f"budget_upload_{st.session_state.get(COUNTER, 0)}"


def display_name(uploaded: UploadedFile) -> str:
    """The upload's name as text to show (never a path): last component, no control characters."""
    name = re.split(r"[\\/]", uploaded.name)[-1]
    return re.sub(r"[\x00-\x1f\x7f]", "", name)[:120] or "fichier"


@contextmanager
def uploaded_copy(uploaded: UploadedFile) -> Iterator[Path]:
    """The uploaded bytes in a temporary file of our own naming, deleted afterwards."""
    fd, name = tempfile.mkstemp(prefix="budget_", suffix=".upload")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(uploaded.getvalue())
        yield Path(name)
    finally:
        Path(name).unlink(missing_ok=True)


def too_large(uploaded: UploadedFile) -> bool:
    return uploaded.size > MAX_UPLOAD_MB * 1024 * 1024


def _import_upload() -> None:
    """Callback of « Importer » : import the current upload into this session's workspace."""
    uploaded = st.session_state.get(_uploader_key())
    if not isinstance(uploaded, UploadedFile) or too_large(uploaded):
        return
    name = display_name(uploaded)
    try:
        target = workspace.ensure()
        with uploaded_copy(uploaded) as path:
            summary = budget.import_budget(target, path, label=Path(name).stem, file_name=name)
    except ExplorerError as exc:
        st.session_state[MESSAGE] = ("error", str(exc))
        return
    st.session_state[MESSAGE] = ("success", "\n\n".join(summary.describe()))
    st.session_state[COUNTER] = st.session_state.get(COUNTER, 0) + 1


def _remove(import_id: str) -> None:
    """Callback of « Retirer » : remove one import from this session's workspace."""
    target = workspace.active_path()
    if target is None:
        return
    try:
        removed = budget.remove_budget(target, import_id)
    except ExplorerError as exc:
        st.session_state[MESSAGE] = ("error", str(exc))
        return
    st.session_state[MESSAGE] = ("success", f"Import {import_id} retiré ({fr_number(removed)} ligne(s)).")


def render() -> None:
    """Draw the section (templates, upload, validation report or preview, imports)."""
    st.header("Importer le budget numérique de votre collectivité")
    st.markdown(
        "Ajoutez vos propres dépenses numériques (une ligne par dépense : exercice, financeur, "
        "établissement ou territoire, catégorie, montant) à partir du modèle ci-dessous. Le fichier "
        "est contrôlé ligne par ligne ; s'il est valide, vous voyez ses lignes et son total avant de "
        "l'importer. **L'import reste privé** : il va dans votre espace de travail, une copie de "
        "l'entrepôt que vous seul voyez ; l'entrepôt commun n'est jamais modifié."
    )
    csv_col, xlsx_col = st.columns(2)
    for col, fmt in zip((csv_col, xlsx_col), TEMPLATE_FILES, strict=True):
        file_name, mime = TEMPLATE_FILES[fmt]
        col.download_button(
            f"Modèle {fmt.upper()}",
            data=(TEMPLATES / file_name).read_bytes(),
            file_name=file_name,
            mime=mime,
            key=f"budget_template_{fmt}",
            icon=":material/download:",
            on_click="ignore",
        )
    kind, text = st.session_state.pop(MESSAGE, (None, ""))
    if kind == "success":
        st.success(text, icon=":material/check_circle:")
    elif kind == "error":
        st.error(text, icon=":material/error:")
    uploaded = st.file_uploader(
        f"Fichier budgétaire (CSV ou XLSX, {MAX_UPLOAD_MB} Mo au plus)",
        type=["csv", "xlsx"],
        key=_uploader_key(),
        max_upload_size=MAX_UPLOAD_MB,
    )
    if isinstance(uploaded, UploadedFile):
        _report(uploaded)
    _imports()


def _report(uploaded: UploadedFile) -> None:
    name = display_name(uploaded)
    if too_large(uploaded):
        st.error(f"Fichier « {name} » trop volumineux : {MAX_UPLOAD_MB} Mo au plus.", icon=":material/error:")
        return
    with uploaded_copy(uploaded) as path:
        rows, problems = budget.validate(path, data.get_connection())
    if problems:
        st.error(
            f"Fichier « {name} » refusé : {fr_number(len(problems))} problème(s). Corrigez-les dans votre "
            "tableur puis déposez-le à nouveau ; rien n'a été importé.",
            icon=":material/error:",
        )
        st.dataframe(budget.problems_frame(problems), hide_index=True, width="stretch")
        return
    summary = budget.summarise(rows, label=name)
    st.success(f"Fichier « {name} » valide : {summary.describe()[0].split(' : ', 1)[1]}", icon=":material/task:")
    st.dataframe(budget.preview_frame(rows), hide_index=True, width="stretch")
    st.caption("Par financeur : " + " · ".join(line.strip() for line in summary.describe()[1:]))
    st.button(
        "Importer dans mon espace de travail",
        on_click=_import_upload,
        type="primary",
        key="budget_import",
        icon=":material/upload:",
    )


def _imports() -> None:
    path = workspace.active_path()
    if path is None:
        st.caption("Aucun import dans votre espace de travail.")
        return
    imports = budget.list_imports(path)
    st.subheader("Vos imports")
    if imports.empty:
        st.caption("Aucun import dans votre espace de travail.")
        return
    for row in imports.itertuples():
        text_col, button_col = st.columns([5, 1])
        text_col.markdown(
            f"**{row.label}** · import `{row.id}` · {fr_number(row.rows)} ligne(s) · "
            f"{fr_number(row.total, 2)} € · importé le {fr_datetime(row.imported_at)}"
        )
        button_col.button("Retirer", key=f"budget_remove_{row.id}", on_click=_remove, args=(row.id,))
