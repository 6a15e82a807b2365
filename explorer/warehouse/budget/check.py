"""Check a collectivité's budget file against the template, reporting every problem at once.

The template (``data/templates/budget_numerique.csv``/``.xlsx``, documented in
``docs/budget-import.md``) has one spending line per row. :func:`check` returns the lines it
could read, normalised to the ``stg_investment`` vocabulary, and a list of
:class:`Problem` ``(line, column, message)``: line numbers are the file's own (header = 1),
messages are French and say what to write instead.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import NamedTuple

import duckdb
import pandas as pd

from explorer import vocabulary as voc
from explorer.codes import UAI_PATTERN, code_error, normalise, uai_check_letter
from explorer.connectors.files import normalise_header, read_table
from explorer.errors import SourceFileError
from explorer.warehouse.sqlfiles import read_sql

# Template columns and the other headers accepted for them (compared after normalise_header).
COLUMNS: dict[str, tuple[str, ...]] = {
    "annee": ("exercice", "annee_budgetaire", "year"),
    "financeur_niveau": ("niveau_financeur", "niveau_du_financeur", "funder_level"),
    "financeur_code": ("code_financeur", "code_du_financeur", "funder_code"),
    "programme": ("dispositif", "programme_budgetaire"),
    "categorie": ("categorie_de_depense", "nature", "category"),
    "uai": ("code_uai", "uai_etablissement"),
    "territoire": ("territory",),
    "montant_eur": ("montant", "montant_en_eur", "montant_euros", "amount_eur"),
    "libelle": ("objet", "intitule", "label"),
}
REQUIRED = ("annee", "financeur_niveau", "financeur_code", "categorie", "montant_eur")
DEFAULT_PROGRAMME = "droit_commun"
FIRST_YEAR = 2000
MAX_TEXT = 200
MAX_ROWS = 100_000
MAX_AMOUNT = 1e9

_PROGRAMME = re.compile(r"^[^\W_][\w .'’()/&-]{0,59}$")
_NUMBER = re.compile(r"^[+-]?[0-9]+(\.[0-9]+)?$")
_HTML_TAG = re.compile(r"<\s*/?\s*[a-zA-Z!][^>]*>")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# French labels and a few synonyms users write, normalised like headers.
_FUNDER_WORDS = {
    **{normalise_header(label): code for code, label in voc.FUNDER_LABELS.items()},
    **{code: code for code in voc.FUNDER_LEVELS},
    "intercommunalite": "epci",
    "groupement": "epci",
}
_CATEGORY_WORDS = {
    **{normalise_header(label): code for code, label in voc.CATEGORY_LABELS.items()},
    **{code: code for code in voc.CATEGORIES},
    "reseau": "reseau",
    "ent": "ent_logiciels",
    "logiciels": "ent_logiciels",
    "ressources": "ressources",
}
_LEVEL_WORDS = {
    **{normalise_header(label): code for code, label in voc.LEVEL_LABELS.items()},
    **{code: code for code in voc.LEVELS},
}
OUTPUT_COLUMNS = [
    "line",
    "year",
    "funder_level",
    "funder_code",
    "programme",
    "category",
    "uai",
    "territory",
    "amount_eur",
    "label",
]


class Problem(NamedTuple):
    """One problem of a file: its line (header = 1; None for the whole file), column, French message."""

    line: int | None
    column: str | None
    message: str


def _shown(value: object) -> str:
    text = str(value).replace("\n", " ")
    return f"« {text[:40]}… »" if len(text) > 40 else f"« {text} »"


def blank(value: object) -> bool:
    """An empty cell: None, NaN (``read_table`` gives NaN for empty XLSX cells) or spaces."""
    return value is None or (isinstance(value, float) and value != value) or not str(value).strip()


def parse_amount(text: str) -> float | None:
    """``"1 234,50"``, ``"1234.5"``, ``"1.234,50 €"`` → float; None when it is not a number."""
    t = re.sub(r"[\s\u202f\xa0€]", "", text)
    if "," in t and "." in t:
        # The last separator is the decimal one: « 1.234,50 » (French) or « 1,234.50 » (English).
        t = t.replace(".", "").replace(",", ".") if t.rfind(",") > t.rfind(".") else t.replace(",", "")
    elif t.count(",") == 1:
        t = t.replace(",", ".")
    return float(t) if _NUMBER.match(t) else None


def read_lines(path: str) -> tuple[pd.DataFrame | None, list[Problem]]:
    """The file's cells (header normalised) or the problem that stops reading it."""
    try:
        return read_table(path), []
    except SourceFileError as exc:
        return None, [Problem(exc.line, exc.column, exc.message)]


def header_problems(frame: pd.DataFrame) -> tuple[dict[str, str], list[Problem]]:
    """Map template column → file header; unknown, doubled and missing columns are problems."""
    aliases = {name: canonical for canonical, names in COLUMNS.items() for name in (canonical, *names)}
    found: dict[str, str] = {}
    problems = []
    for header in frame.columns:
        canonical = aliases.get(header)
        if canonical is None:
            problems.append(Problem(1, header, "colonne inconnue ; colonnes admises : " + ", ".join(COLUMNS) + "."))
        elif canonical in found:
            problems.append(Problem(1, header, f"colonne en double (déjà lue sous « {found[canonical]} »)."))
        else:
            found[canonical] = header
    for column in REQUIRED:
        if column not in found:
            problems.append(Problem(1, column, "colonne obligatoire absente : ajoutez-la (voir le modèle)."))
    return found, problems


class _Line:
    """Checks one row; collects its problems and its normalised values."""

    def __init__(self, line: int, cells: dict[str, str | None], last_year: int):
        self.line = line
        self.cells = cells
        self.last_year = last_year
        self.problems: list[Problem] = []
        self.out: dict[str, object] = {"line": line}

    def fail(self, column: str | None, message: str) -> None:
        self.problems.append(Problem(self.line, column, message))

    def text(self, column: str) -> str | None:
        value = self.cells.get(column)
        if blank(value):
            return None
        value = str(value).strip()
        if len(value) > MAX_TEXT:
            self.fail(column, f"texte trop long ({len(value)} caractères, {MAX_TEXT} au plus).")
            return None
        if _CONTROL.search(value):
            self.fail(column, "caractère de contrôle invisible : retapez la cellule.")
            return None
        return value

    def required(self, column: str) -> str | None:
        value = self.text(column)
        if value is None and column in self.cells and not any(p.column == column for p in self.problems):
            self.fail(column, "valeur manquante : cette colonne est obligatoire.")
        return value

    def check(self) -> None:
        self.year()
        level = self.funder_level()
        self.funder_code(level)
        self.programme()
        self.category()
        self.uai()
        self.territory()
        self.amount()
        self.label()

    def year(self) -> None:
        value = self.required("annee")
        if value is None:
            return
        if not re.fullmatch(r"[0-9]{4}", value):
            self.fail("annee", f"année {_shown(value)} invalide : écrivez l'exercice sur 4 chiffres (ex. 2024).")
        elif not FIRST_YEAR <= int(value) <= self.last_year:
            self.fail("annee", f"exercice {value} hors de la plage admise ({FIRST_YEAR} à {self.last_year}).")
        else:
            self.out["year"] = int(value)

    def funder_level(self) -> str | None:
        value = self.required("financeur_niveau")
        if value is None:
            return None
        level = _FUNDER_WORDS.get(normalise_header(value))
        if level is None:
            self.fail(
                "financeur_niveau",
                f"niveau de financeur {_shown(value)} inconnu ; valeurs admises : {', '.join(voc.FUNDER_LEVELS)}.",
            )
        self.out["funder_level"] = level
        return level

    def funder_code(self, level: str | None) -> None:
        value = self.required("financeur_code")
        if value is None or level is None:
            return
        code = normalise(level, value) or ""
        error = code_error(level, code)
        if error:
            self.fail("financeur_code", error + ".")
        else:
            self.out["funder_code"] = code

    def programme(self) -> None:
        value = self.text("programme") or DEFAULT_PROGRAMME
        if not _PROGRAMME.match(value):
            self.fail(
                "programme",
                f"programme {_shown(value)} refusé : 60 caractères au plus, commençant par une lettre ou un "
                "chiffre (sans = + - @ en tête) ; laissez vide pour « droit_commun ».",
            )
        self.out["programme"] = value

    def category(self) -> None:
        value = self.required("categorie")
        if value is None:
            return
        category = _CATEGORY_WORDS.get(normalise_header(value))
        if category is None:
            allowed = ", ".join(voc.CATEGORIES)
            self.fail("categorie", f"catégorie {_shown(value)} inconnue ; valeurs admises : {allowed}.")
        self.out["category"] = category

    def uai(self) -> None:
        value = self.text("uai")
        self.out["uai"] = None
        if value is None:
            return
        uai = value.upper().replace(" ", "")
        if not re.fullmatch(UAI_PATTERN, uai):
            self.fail("uai", f"UAI {_shown(value)} mal formé : 7 chiffres et 1 lettre, par ex. 0350490T.")
        elif uai[7] != uai_check_letter(uai[:7]):
            expected = uai[:7] + uai_check_letter(uai[:7])
            self.fail("uai", f"UAI {uai} : lettre de contrôle incorrecte (attendu {expected}).")
        else:
            self.out["uai"] = uai

    def territory(self) -> None:
        value = self.text("territoire")
        self.out["territory"] = None
        if value is None:
            return
        if not blank(self.cells.get("uai")):
            self.fail("territoire", "renseignez soit l'UAI d'un établissement, soit un territoire, pas les deux.")
            return
        level_text, _, code_text = value.partition(":")
        level = _LEVEL_WORDS.get(normalise_header(level_text))
        if not code_text or level is None:
            self.fail(
                "territoire",
                f"territoire {_shown(value)} mal formé : écrivez NIVEAU:CODE, par ex. commune:35238 ou "
                f"departement:35 (niveaux : {', '.join(voc.LEVELS)}).",
            )
            return
        code = normalise(level, code_text) or ""
        error = code_error(level, code)
        if error:
            self.fail("territoire", error + ".")
        else:
            self.out["territory"] = f"{level}:{code}"

    def amount(self) -> None:
        value = self.required("montant_eur")
        if value is None:
            return
        amount = parse_amount(value)
        if amount is None:
            self.fail("montant_eur", f"montant {_shown(value)} : nombre attendu (ex. 1234,50 ou 1234.50).")
        elif amount < 0:
            self.fail("montant_eur", f"montant négatif ({value}) : une dépense est positive ou nulle.")
        elif amount > MAX_AMOUNT:
            self.fail("montant_eur", f"montant {_shown(value)} invraisemblable (plus d'un milliard d'euros).")
        else:
            self.out["amount_eur"] = amount

    def label(self) -> None:
        value = self.text("libelle")
        if value is not None and _HTML_TAG.search(value):
            self.fail("libelle", "balise HTML ou script refusée : le libellé est du texte simple.")
            value = None
        # A libellé starting with = + - @ is kept as text: it is never evaluated, and every
        # export of the project neutralises such cells (explorer/export.py).
        self.out["label"] = value


def check(path: str, con: duckdb.DuckDBPyConnection | None = None) -> tuple[pd.DataFrame, list[Problem]]:
    """Read and check a budget file; see :func:`explorer.warehouse.budget.importer.validate`."""
    frame, problems = read_lines(path)
    if frame is None:
        return pd.DataFrame(columns=OUTPUT_COLUMNS), problems
    if len(frame) > MAX_ROWS:
        message = f"{len(frame)} lignes : {MAX_ROWS} au plus par fichier ; découpez-le (par exercice)."
        return pd.DataFrame(columns=OUTPUT_COLUMNS), [Problem(None, None, message)]
    found, problems = header_problems(frame)
    last_year = dt.date.today().year + 1
    lines: list[_Line] = []
    for index, values in zip(frame.index, frame.to_dict("records"), strict=True):
        row = _Line(int(index) + 2, {c: values[h] for c, h in found.items()}, last_year)
        row.check()
        lines.append(row)
    if con is not None:
        _check_known(con, lines)
    _check_duplicates(lines)
    for row in lines:
        problems.extend(row.problems)
    good = [row.out for row in lines if not row.problems]
    rows = pd.DataFrame(good, columns=OUTPUT_COLUMNS)
    order = {c: i for i, c in enumerate(COLUMNS)}
    problems.sort(key=lambda p: (p.line or 0, order.get(p.column or "", len(order))))
    return rows, problems


def _check_known(con: duckdb.DuckDBPyConnection, lines: list[_Line]) -> None:
    """UAIs in ``school``, funders and territories in ``territory``, each territory within its funder."""
    uais = sorted({str(r.out["uai"]) for r in lines if r.out.get("uai")})
    known_uai = {u for (u,) in con.execute(read_sql("queries/budget_known_schools"), [uais]).fetchall()}
    wanted = {(str(r.out.get("funder_level")), str(r.out.get("funder_code"))) for r in lines}
    wanted |= {tuple(str(r.out["territory"]).split(":", 1)) for r in lines if r.out.get("territory")}  # type: ignore[misc]
    keys = [f"{level}:{code}" for level, code in wanted]
    parents = {
        f"{level}:{code}": {"region": reg, "departement": dep, "epci": epci}
        for level, code, reg, dep, epci in con.execute(read_sql("queries/budget_known_territories"), [keys]).fetchall()
    }
    payers = {key for (key,) in con.execute(read_sql("queries/budget_payers")).fetchall()}
    for row in lines:
        uai = row.out.get("uai")
        if uai and uai not in known_uai:
            row.fail("uai", f"UAI {uai} inconnu dans l'entrepôt : vérifiez-le dans l'annuaire de l'éducation.")
        level, code = row.out.get("funder_level"), row.out.get("funder_code")
        funder = f"{level}:{code}"
        if code and level != "etat" and funder not in parents:
            row.fail("financeur_code", f"financeur {funder} inconnu dans l'entrepôt (hors du périmètre chargé).")
            continue
        no_place = blank(row.cells.get("uai")) and not row.out.get("territory")
        if code and no_place and level != "etat" and funder not in payers:
            row.fail(
                "uai",
                f"le financeur {funder} ne finance aucun établissement du périmètre (compétence) : une "
                "dépense sans UAI ne pourrait être répartie ; indiquez l'UAI de l'établissement concerné.",
            )
        territory = row.out.get("territory")
        if not territory:
            continue
        if territory not in parents:
            row.fail("territoire", f"territoire {territory} inconnu dans l'entrepôt (hors du périmètre chargé).")
        elif code and level != "etat" and territory != funder and parents[territory].get(str(level)) != code:
            row.fail("territoire", f"le territoire {territory} n'est pas dans le ressort du financeur {funder}.")


def _check_duplicates(lines: list[_Line]) -> None:
    seen: dict[tuple[object, ...], int] = {}
    for row in lines:
        key = tuple("" if blank(v) else str(v).strip().lower() for v in row.cells.values())
        if key in seen:
            row.fail(None, f"ligne en double : identique à la ligne {seen[key]} ; supprimez l'une des deux.")
        else:
            seen[key] = row.line
