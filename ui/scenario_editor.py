"""The Prospective page's scenario editor and its saved scenarios (issue 17).

:func:`current_scenario` lays out the form a planner fills in French — who pays, for what, how
much per pupil and per year, which budget years — with the schools the funder equips, the
conversion of an amount « par collégien » and the sentence on when the effect starts;
:func:`saved_scenarios` the saved scenarios of the user's workspace (save, import, list, compare,
rename, delete). The logic is in :mod:`forecasting.scenario` and :mod:`forecasting.saved`: the
buttons' callbacks only call it and keep its French confirmation or error
(:func:`ui.errors.noted`), which the page shows once with :func:`ui.errors.show_note`.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from explorer import vocabulary as voc
from forecasting import saved as saved_actions
from forecasting.projection import TerritoryFit
from forecasting.pupils import pupils_sentence
from forecasting.saved import read_saved
from forecasting.scenario import (
    LAST_BUDGET_YEAR,
    Change,
    Scenario,
    change_from_form,
    describe,
    lag_sentence,
    scenario_of,
)
from forecasting.tables import saved_table
from ui import workspace
from ui.errors import noted, shown_as_error

NOTICE_KEY = "prospective_notice"  # the confirmation of the last save, rename or delete
LINES_KEY = "prospective_lines"  # the current scenario's lines kept before the form's one
# The form's widgets, by change_from_form's argument (and "name"): the buttons' callbacks read
# them from the session state when they run, so a name typed just before a click is the one
# saved. Arguments bound when the page drew the button would be those of the previous run.
FORM = {
    field: f"prospective_{field}"
    for field in ("name", "funder", "category", "amount", "pupils", "increase", "first", "last")
}
DIRECTIONS = {True: "Hausse", False: "Baisse"}


def form_change(first_allowed: int) -> Change:
    """The line the form describes, as its widgets hold it now (a French error when refused)."""
    state = st.session_state
    return change_from_form(
        **{field: state[key] for field, key in FORM.items() if field != "name"}, first_allowed=first_allowed
    )


def form_scenario(first_allowed: int) -> Scenario:
    """The scenario the form describes now: the kept lines and the form's one, under its name."""
    lines = st.session_state.get(LINES_KEY, [])
    return scenario_of(st.session_state[FORM["name"]], [*lines, form_change(first_allowed)])


def add_line(first_allowed: int) -> str:
    """Keep the line described in the form as one more line of the current scenario."""
    change = form_change(first_allowed)
    st.session_state[LINES_KEY] = [*st.session_state.get(LINES_KEY, []), change]
    return f"Ligne ajoutée au scénario : {describe(change)}. Décrivez la suivante."


def save_form(path: Path, first_allowed: int) -> str:
    """Save the scenario the form describes when the button is pressed."""
    return saved_actions.save(path, form_scenario(first_allowed))


def clear_lines() -> str:
    st.session_state[LINES_KEY] = []
    return "Les autres lignes du scénario sont retirées : il ne compte plus que la ligne du formulaire."


def rename_from_widget(path: Path, old: str, key: str) -> str:
    """Rename the saved scenario ``old`` to the name typed in the text input ``key``."""
    return saved_actions.rename_saved(path, old, st.session_state[key])


def current_scenario(fit: TerritoryFit, first_allowed: int) -> Scenario | None:
    """The form, and the scenario it describes (None, with a French error shown, when refused)."""
    name = st.text_input("Nom du scénario", value="plus40", max_chars=60, key=FORM["name"])
    funder_col, category_col = st.columns(2)
    funder = funder_col.selectbox(
        "Payé par",
        voc.FUNDER_LEVELS,
        index=voc.FUNDER_LEVELS.index("departement"),
        format_func=voc.FUNDER_LABELS.get,
        key=FORM["funder"],
    )
    category_col.selectbox(
        "Catégorie de dépense", voc.CATEGORIES, format_func=voc.CATEGORY_LABELS.get, key=FORM["category"]
    )
    st.markdown(
        f"Payés {voc.FUNDER_BY[funder]} : **{voc.FUNDER_SCHOOLS_TEXT[funder]}** "
        "(les établissements dont il a la charge)."
    )
    amount_col, pupils_col, direction_col = st.columns([2, 2, 1])
    amount = amount_col.number_input("Montant (€ par élève et par an)", value=40, step=5, key=FORM["amount"])
    pupils = pupils_col.radio(
        "Montant compté par",
        ["concernes", "territoire"],
        format_func=lambda basis: voc.FUNDER_PUPIL_NOUN[funder] if basis == "concernes" else "élève du territoire",
        horizontal=True,
        key=FORM["pupils"],
    )
    direction_col.radio("Sens", [True, False], format_func=DIRECTIONS.get, horizontal=True, key=FORM["increase"])
    first_col, last_col = st.columns(2)
    first_col.number_input(
        "Premier exercice",
        value=max(2027, first_allowed),
        step=1,
        help=f"Au plus tôt {first_allowed}.",
        key=FORM["first"],
    )
    last_col.number_input(
        "Dernier exercice", value=2030, step=1, help=f"Au plus tard {LAST_BUDGET_YEAR}.", key=FORM["last"]
    )

    lines: list[Change] = st.session_state.setdefault(LINES_KEY, [])
    current = None
    change = None
    with shown_as_error():
        change = form_change(first_allowed)  # the widgets above, read back from their keys
        current = scenario_of(name, [*lines, change])
        spread = pupils_sentence(funder, fit.funded_shares or {}, amount) if pupils == "concernes" else None
        sentence = f"{describe(change)}. {spread + ' ' if spread else ''}{lag_sentence(change)}"
        st.info(sentence, icon=":material/schedule:")

    if lines:
        st.markdown(
            f"**Ce scénario compte aussi {len(lines)} autre{'s' if len(lines) > 1 else ''} "
            f"ligne{'s' if len(lines) > 1 else ''}** :\n" + "\n".join(f"- {describe(line)}" for line in lines)
        )
    add_col, clear_col = st.columns(2)
    add_col.button(
        "Ajouter une autre ligne à ce scénario",
        icon=":material/add:",
        disabled=change is None,
        help="La ligne décrite ci-dessus est gardée ; décrivez ensuite la suivante (un programme ponctuel…).",
        on_click=noted,
        args=(NOTICE_KEY, add_line, first_allowed),
    )
    clear_col.button(
        "Retirer les autres lignes",
        icon=":material/playlist_remove:",
        disabled=not lines,
        on_click=noted,
        args=(NOTICE_KEY, clear_lines),
    )
    return current


def saved_scenarios(saved_path: Path, current: Scenario | None, first_allowed: int) -> list[Scenario]:
    """Save and import buttons, the saved scenarios of the workspace with rename and delete;
    returns the saved scenarios the user chose to compare. ``current`` only enables the save
    button: what is saved is the form as it stands when the button is pressed."""
    save_col, upload_col = st.columns(2)
    save_col.button(
        "Enregistrer ce scénario",
        icon=":material/save:",
        disabled=current is None,
        on_click=noted,
        args=(NOTICE_KEY, save_form, saved_path, first_allowed),
    )
    upload = upload_col.file_uploader(
        "Importer des scénarios (JSON : un scénario ou une liste, 20 Mo au plus)", type=["json"]
    )
    upload_col.button(
        "Importer ces scénarios",
        icon=":material/upload:",
        disabled=upload is None,
        on_click=noted,
        args=(NOTICE_KEY, saved_actions.import_file, saved_path, upload.getvalue() if upload else b""),
    )

    saved: dict[str, Scenario] = {}
    with shown_as_error():
        saved = read_saved(saved_path)
    if saved:
        workspace.remember()
        st.subheader("Scénarios enregistrés")
        st.table(saved_table(list(saved.values())), hide_index=True)
        compared = st.multiselect("Scénarios enregistrés à comparer", list(saved), default=list(saved))
        with st.expander("Renommer ou supprimer un scénario enregistré"):
            target = st.selectbox("Scénario enregistré", list(saved))
            rename_key = f"prospective_rename_{target}"
            st.text_input("Nouveau nom", value=target, max_chars=60, key=rename_key)
            st.button(
                "Renommer",
                icon=":material/edit:",
                on_click=noted,
                args=(NOTICE_KEY, rename_from_widget, saved_path, target, rename_key),
            )
            confirmed = st.checkbox(
                f"Je confirme la suppression du scénario « {target} »", key=f"prospective_del_{target}"
            )
            st.button(
                "Supprimer",
                icon=":material/delete:",
                disabled=not confirmed,
                on_click=noted,
                args=(NOTICE_KEY, saved_actions.delete_saved, saved_path, target),
            )
    else:
        # No empty (hence disabled, greyed) list: say what to do instead.
        compared = []
        st.caption("Aucun scénario enregistré : enregistrez le scénario courant pour le comparer à un autre.")
    st.caption(workspace.SCENARIOS_NOTICE if workspace.logged_in() else workspace.SESSION_SCENARIOS_NOTICE)
    return [saved[n] for n in compared]
