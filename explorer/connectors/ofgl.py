"""OFGL local-finance bases (data.ofgl.fr) → ``stg_territory_fact``.

Eight datasets, one per level and presentation: ``ofgl-base-communes``, ``-gfp``,
``-departements``, ``-regions`` (one row per collectivité, exercice, agrégat and **budget**:
principal and each annexe) and their ``-consolidee`` variants (one row per collectivité,
exercice and agrégat: budgets already consolidated by the OFGL, no « Type de budget »).

Each kept row gives the fact ``(level, code, period = exercice, indicator = agrégat,
value = Montant, unit = '€')`` and, when the file has the per-inhabitant column, a second
fact ``indicator = "<agrégat> (€/hab)"``, ``unit = '€/hab'``.

Which rows count: when the file has « Type de budget » (raw bases), only « Budget
principal » rows are kept. Summing principal and annexes would double-count the flows
between them (a subsidy from the principal budget to an annexe is spent twice), which is
exactly what the ``-consolidee`` bases correct; and the per-inhabitant amounts of several
budgets cannot be added meaningfully. So a user checks the printed totals against the file
filtered on « Type de budget = Budget principal ». A file without that column must have one
row per (collectivité, exercice, agrégat), else the load stops and names both lines.

Headers: the labels export (« Exercice », « Code Insee 2024 Commune », « Agrégat »,
« Montant », « Montant en € par habitant », « Type de budget ») carries the vintage year in
some labels, matched whatever the year (:mod:`explorer.connectors._vintage`). The field-name
export uses ``exer``, ``com_code`` / ``epci_code`` / ``dep_code`` / ``reg_code``, ``agregat``,
``montant``, ``euros_par_habitant``, ``type_de_budget``: these are not in SOURCES.md; they
are the OFGL API field names as used in public export URLs
(``select=com_code,exer,agregat,montant,euros_par_habitant`` and
``where=type_de_budget="Budget principal"``).
"""

from __future__ import annotations

import re

import pandas as pd

from explorer.connectors._codes import codes
from explorer.connectors._vintage import VintageConnector
from explorer.connectors.base import Context
from explorer.connectors.files import file_lines, normalise_header, to_number
from explorer.errors import SourceFileError

PUBLISHER = "Observatoire des finances et de la gestion publique locales (OFGL), d'après la DGFiP"
PER_INHABITANT_SUFFIX = " (€/hab)"

# level → (canonical code column = OFGL field name, label aliases once the year is dropped)
_LEVELS = {
    "commune": ("com_code", ("code_insee_commune", "code_insee_collectivite", "insee")),
    "epci": ("epci_code", ("code_siren_epci", "code_siren_collectivite", "siren")),
    "departement": ("dep_code", ("code_insee_departement",)),
    "region": ("reg_code", ("code_insee_region",)),
}
_BASES = {
    "communes": ("commune", "des communes"),
    "gfp": ("epci", "des groupements à fiscalité propre (EPCI)"),
    "departements": ("departement", "des départements"),
    "regions": ("region", "des régions"),
}
_YEAR = re.compile(r"^\s*((?:19|20)[0-9]{2})\b")


def _period(rows: pd.DataFrame, file: str) -> pd.Series:
    """``"2024"`` or ``"2024-01-01"`` (API date field) → ``"2024"``; anything else is refused."""
    years = rows["exer"].map(lambda v: m.group(1) if (m := _YEAR.match(str(v or ""))) else None)
    bad = years.isna()
    if bad.any():
        idx = bad.idxmax()
        raise SourceFileError(
            f"exercice « {str(rows['exer'][idx] or '')[:20]} » invalide : une année sur 4 chiffres est attendue.",
            file=file,
            line=int(file_lines(rows)[idx]),
            column="exer",
        )
    return years.astype(object)


def _principal_only(rows: pd.DataFrame, file: str) -> pd.DataFrame:
    """Rows of the principal budget when the file says which budget each row is from."""
    budget = rows["type_de_budget"]
    if budget.isna().all():  # consolidated base, or an export without that column
        return rows
    kept = rows[budget.map(lambda v: normalise_header(v or "")) == "budget_principal"]
    if kept.empty:
        raise SourceFileError(
            "aucune ligne « Budget principal » dans la colonne « Type de budget » : "
            "exportez au moins les budgets principaux, ou utilisez la base consolidée.",
            file=file,
            column="type_de_budget",
        )
    return kept


def _check_unique(facts: pd.DataFrame, rows: pd.DataFrame, code_column: str, file: str) -> None:
    dup = facts.duplicated(["code", "period", "indicator"], keep=False)
    if not dup.any():
        return
    first = facts[dup].iloc[0]
    same = facts[dup & (facts["code"] == first["code"]) & (facts["indicator"] == first["indicator"])]
    lines = [int(n) for n in file_lines(rows).loc[same.index][:2]]
    raise SourceFileError(
        f"l'agrégat « {first['indicator']} » figure deux fois pour {first['code']} en {first['period']} "
        f"(lignes {lines[0]} et {lines[1]}) : ajoutez la colonne « Type de budget » à l'export "
        "(seul le budget principal est retenu) ou utilisez la base consolidée.",
        file=file,
        line=lines[1],
        column=code_column,
    )


def territory_facts(rows: pd.DataFrame, ctx: Context, level: str) -> dict[str, pd.DataFrame]:
    """OFGL rows → ``stg_territory_fact`` (amount in €, and per inhabitant when published).

    Parameters
    ----------
    rows : canonical columns ``exer``, the level's code column (``com_code``, ``epci_code``,
        ``dep_code`` or ``reg_code``), ``agregat``, ``montant``, ``euros_par_habitant``
        and ``type_de_budget`` (text, ``None`` when empty or absent from the file).
    ctx : the load context (file name for error messages).
    level : ``commune``, ``epci``, ``departement`` or ``region``.
    """
    code_column = _LEVELS[level][0]
    rows = _principal_only(rows, ctx.file)
    indicator = rows["agregat"].map(lambda v: str(v).strip() if v is not None else None)
    if indicator.isna().any():
        idx = indicator.isna().idxmax()
        raise SourceFileError(
            "agrégat vide : chaque ligne doit nommer son agrégat.",
            file=ctx.file,
            line=int(file_lines(rows)[idx]),
            column="agregat",
        )
    amounts = pd.DataFrame(
        {
            "level": level,
            "code": codes(rows, code_column, level, ctx.file),
            "period": _period(rows, ctx.file),
            "indicator": indicator,
            "value": to_number(rows, "montant", ctx.file),
            "unit": "€",
        },
        index=rows.index,
    )
    _check_unique(amounts, rows, code_column, ctx.file)
    out = [amounts]
    if rows["euros_par_habitant"].notna().any():
        per_inhabitant = amounts.assign(
            indicator=amounts["indicator"] + PER_INHABITANT_SUFFIX,
            value=to_number(rows, "euros_par_habitant", ctx.file),
            unit="€/hab",
        )
        out.append(per_inhabitant)
    return {"stg_territory_fact": pd.concat(out, ignore_index=True)}


def _connector(base: str, consolidated: bool) -> VintageConnector:
    level, whose = _BASES[base]
    code_column, code_aliases = _LEVELS[level]
    suffix = "-consolidee" if consolidated else ""
    kind = "budgets consolidés" if consolidated else "budget principal retenu"
    return VintageConnector(
        dataset_id=f"ofgl-base-{base}{suffix}",
        label=f"Comptes {whose} (OFGL, agrégats financiers, {kind})",
        publisher=PUBLISHER,
        columns={
            "exer": ("exercice",),
            code_column: code_aliases,
            "agregat": (),
            "montant": (),
            "euros_par_habitant": ("montant_en_par_habitant", "montant_en_euros_par_habitant"),
            "type_de_budget": (),
        },
        required=("exer", code_column, "agregat", "montant"),
        transform=lambda rows, ctx: territory_facts(rows, ctx, level),
        tables=("stg_territory_fact",),
        portal="ofgl",
        sums=(("stg_territory_fact", "value", "€"),),
    )


CONNECTORS = [_connector(base, consolidated) for consolidated in (False, True) for base in _BASES]
