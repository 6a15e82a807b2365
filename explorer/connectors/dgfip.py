"""DGFiP balances of the communes (data.economie.gouv.fr) → ``stg_investment``.

One dataset per exercice, ``balances-comptables-des-communes-en-YYYY`` (2019…2025): one row
per budget, account and (for budgets voted by function) function, with the year's debits and
credits. The connector keeps **commune spending on digital school equipment**:

* budget principal only (``CBUDG = 1``): annexes are water, transport, housing estates…;
* accounts ``21831`` (M57 « Matériel informatique scolaire ») and ``2183…`` (M14 « Matériel de
  bureau et matériel informatique », M57 « Matériel informatique » and its other sub-account
  ``21838``);
* function: ``21831`` is school equipment by definition, so it counts when FONCTION is empty;
  ``2183`` / ``21838`` count only with an enseignement function, because office computers of
  the town hall sit on the same account and a line without a function cannot be attributed to
  schools. An enseignement function is one whose code starts with ``2`` (rubrique 2
  « Enseignement – formation » in M14 and M57: ``2``, ``20``, ``211``, ``212``…) or the
  functional chapters ``902`` / ``932`` of budgets voted by function. A line whose FONCTION is
  filled with another function (``020`` administration…) never counts, whatever the account;
* real operations only: ``OBNETDEB − OOBDEB`` (net budget debits minus ordre operations, which
  move amounts between accounts without any payment).

Kept lines are summed per (exercice, commune) into one row: ``funder_level = 'commune'``,
``funder_code`` = INSEE code, ``programme = 'droit_commun'``, ``category = 'equipement'``,
``uai`` null. A commune whose sum is zero or negative (cancellations exceeding spending) gets no
row. The commune code is rebuilt from ``NDEPT`` (3 characters: ``013``, ``02A``, ``971``) and
``INSEE`` (the commune's 3 last digits): ``013`` + ``055`` → ``13055``, ``02A`` + ``004`` →
``2A004``, ``971`` + ``101`` → ``97101`` (overseas: the 3 digits already start with the
département's third digit).

Files: the national bulk file (``Balance_Commune_2024_Dec2025.csv``: ``;``, Latin-1, decimal
commas, upper-case field names) and the portal's CSV export (lower-case field names) read alike.
"""

from __future__ import annotations

import pandas as pd

from explorer.connectors._codes import commune_code
from explorer.connectors.base import Connector, Context
from explorer.connectors.files import file_lines, to_number
from explorer.errors import SourceFileError

YEARS = tuple(range(2019, 2026))
SCHOOL_ACCOUNT = "21831"
IT_ACCOUNT = "2183"
_SCHOOL_FUNCTION_PREFIXES = ("2", "902", "932")


def is_school_function(code: object) -> bool:
    """``"211"``, ``"2"``, ``"902"`` → True; ``"020"``, ``""``, ``None`` → False."""
    text = str(code or "").strip()
    return bool(text) and text.startswith(_SCHOOL_FUNCTION_PREFIXES)


def counts_as_school_equipment(account: object, function: object) -> bool:
    """The rule of the module docstring, for one balance line."""
    compte = str(account or "").strip()
    fonction = str(function or "").strip()
    if compte == SCHOOL_ACCOUNT:
        return not fonction or is_school_function(fonction)
    return compte.startswith(IT_ACCOUNT) and is_school_function(fonction)


def commune_from_dgfip(ndept: object, insee: object) -> str | None:
    """``("013", "055")`` → ``"13055"``, ``("02A", "004")`` → ``"2A004"``, ``("971", "101")`` → ``"97101"``."""
    dep = str(ndept or "").strip().upper()
    com = str(insee or "").strip()
    if not com.isdigit() or not dep:
        return None
    if len(com) == 5:  # already a full code
        return commune_code(com)
    if len(dep) == 3 and dep.startswith("0"):
        dep = dep[1:]
    if len(dep) == 3 and dep.startswith("97"):
        code = dep[:2] + com if len(com) == 3 and com[0] == dep[2] else dep + com.zfill(2)
    else:
        code = dep + com.zfill(3)
    return commune_code(code) if len(code) == 5 else None


def _budget_principal(rows: pd.DataFrame, file: str) -> pd.Series:
    text = rows["cbudg"].map(lambda v: str(v or "").strip())
    bad = ~text.str.fullmatch(r"[0-9]+")
    if bad.any():
        idx = bad.idxmax()
        raise SourceFileError(
            f"code budget « {text[idx][:20]} » invalide : attendu 1 (budget principal) ou 2, 3 (annexes).",
            file=file,
            line=int(file_lines(rows)[idx]),
            column="cbudg",
        )
    return text.astype(int) == 1


def school_equipment(rows: pd.DataFrame, ctx: Context, year: int) -> dict[str, pd.DataFrame]:
    """Balance lines → one ``stg_investment`` row per commune (see the module docstring).

    Parameters
    ----------
    rows : canonical text columns ``exer``, ``ndept``, ``insee``, ``cbudg``, ``compte``,
        ``fonction`` (``None`` when empty or absent), ``obnetdeb``, ``oobdeb``.
    ctx : the load context (file name for error messages).
    year : the exercice of the dataset id; a line of another exercice is refused.
    """
    equipment = pd.Series(
        [counts_as_school_equipment(a, f) for a, f in zip(rows["compte"], rows["fonction"], strict=True)],
        index=rows.index,
        dtype=bool,
    )
    keep = _budget_principal(rows, ctx.file) & equipment
    lines = rows[keep]
    exer = lines["exer"].map(lambda v: str(v or "").strip()[:4])
    wrong = exer != str(year)
    if wrong.any():
        idx = wrong.idxmax()
        raise SourceFileError(
            f"exercice « {lines['exer'][idx]} » dans le jeu de l'exercice {year} : chargez ce fichier "
            f"sous l'identifiant balances-comptables-des-communes-en-{str(lines['exer'][idx])[:4]}.",
            file=ctx.file,
            line=int(file_lines(lines)[idx]),
            column="exer",
        )
    code = pd.Series(
        [commune_from_dgfip(d, i) for d, i in zip(lines["ndept"], lines["insee"], strict=True)],
        index=lines.index,
        dtype=object,
    )
    if code.isna().any():
        idx = code.isna().idxmax()
        raise SourceFileError(
            f"commune introuvable : département « {lines['ndept'][idx]} », code INSEE « {lines['insee'][idx]} » "
            "(attendu le département sur 3 caractères, par ex. 013, 02A, 971, et les 3 derniers chiffres "
            "du code commune).",
            file=ctx.file,
            line=int(file_lines(lines)[idx]),
            column="insee",
        )
    debit = to_number(lines, "obnetdeb", ctx.file).fillna(0.0)
    ordre = to_number(lines, "oobdeb", ctx.file).fillna(0.0)
    real = pd.DataFrame({"funder_code": code, "amount_eur": (debit - ordre).astype(float)})
    per_commune = real.groupby("funder_code", as_index=False)["amount_eur"].sum()
    per_commune = per_commune[per_commune["amount_eur"] > 0].round({"amount_eur": 2})
    out = per_commune.assign(
        year=year,
        funder_level="commune",
        programme="droit_commun",
        category="equipement",
        uai=None,
        # Spending on school computers of the commune: its own schools, whatever the payer join says.
        beneficiary_level="commune",
        beneficiary_code=per_commune["funder_code"],
    )
    return {"stg_investment": out.reset_index(drop=True)}


def _connector(year: int) -> Connector:
    return Connector(
        dataset_id=f"balances-comptables-des-communes-en-{year}",
        label=f"Balances comptables des communes {year} (matériel informatique scolaire)",
        publisher="Direction générale des finances publiques (DGFiP)",
        columns={
            "exer": ("exercice",),
            "ndept": (),
            "insee": (),
            "cbudg": (),
            "compte": (),
            "fonction": (),
            "obnetdeb": (),
            "oobdeb": (),
        },
        required=("exer", "ndept", "insee", "cbudg", "compte", "obnetdeb", "oobdeb"),
        transform=lambda rows, ctx: school_equipment(rows, ctx, year),
        tables=("stg_investment",),
        portal="economie",
        sums=(("stg_investment", "amount_eur"),),
    )


CONNECTORS = [_connector(year) for year in YEARS]
