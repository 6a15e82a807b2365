"""Write the budget templates ``data/templates/budget_numerique.csv`` and ``.xlsx``.

Usage: ``python scripts/make_budget_templates.py [OUT_DIR]``. The CSV is what French Excel
writes (``;``, UTF-8 with BOM, decimal comma); the workbook has the lines on its first sheet
« Budget » (codes stored as text so that leading zeros survive) and a sheet « Aide » that
explains each column. The example UAIs are schools of the demo warehouse of académie 14
(``build --scope academie:14 --seed 7``, the tests' fixture): replace them with your own.
"""

from __future__ import annotations

import csv
import datetime as dt
import sys
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Font

HEADER = [
    "annee",
    "financeur_niveau",
    "financeur_code",
    "programme",
    "categorie",
    "uai",
    "territoire",
    "montant_eur",
    "libelle",
]
# annee;financeur_niveau;financeur_code;programme;categorie;uai;territoire;montant_eur;libelle
EXAMPLE_LINES = """
2024;commune;35238;droit_commun;equipement;0350490T;;12500.00;Tablettes de l'école Jacques Prévert
2024;commune;35238;droit_commun;reseau;;commune:35238;8400.00;Câblage et bornes Wi-Fi des écoles
2025;departement;35;droit_commun;ent_logiciels;;departement:35;45000.00;Licences ENT de tous les collèges
2025;departement;35;droit_commun;Équipement;0350769W;;23750.50;Classe mobile du collège Condorcet
2024;region;53;droit_commun;maintenance;;;60000.00;Maintenance informatique des lycées
2025;epci;242900702;droit_commun;ressources;;epci:242900702;9800.00;Abonnements de ressources numériques
2025;etat;FR;TNE;formation;0350491U;;3200.00;Formation des enseignants au numérique
"""
EXAMPLES = [
    (int(y), level, code, prog, cat, uai, terr, float(amount), label)
    for y, level, code, prog, cat, uai, terr, amount, label in (
        line.split(";") for line in EXAMPLE_LINES.strip().splitlines()
    )
]
HELP = [
    ("Colonne", "Obligatoire", "Contenu", "Exemple"),
    ("annee", "oui", "Exercice budgétaire, sur 4 chiffres.", "2024"),
    ("financeur_niveau", "oui", "Qui paie : etat, region, departement, epci ou commune.", "commune"),
    (
        "financeur_code",
        "oui",
        "FR pour l'État ; sinon le code INSEE (région 2 chiffres, département, commune 5 caractères) "
        "ou le SIREN de l'EPCI (9 chiffres).",
        "35238",
    ),
    ("programme", "non", "Dispositif ; vide = droit_commun (budget courant). Ex. SNEE, TNE.", "droit_commun"),
    (
        "categorie",
        "oui",
        "equipement, reseau, ent_logiciels, ressources, formation ou maintenance "
        "(les libellés « Réseau et connectivité », « ENT et logiciels »… sont acceptés).",
        "equipement",
    ),
    (
        "uai",
        "non",
        "UAI de l'établissement bénéficiaire (7 chiffres et 1 lettre). "
        "Vide si la dépense concerne plusieurs établissements.",
        "0350490T",
    ),
    (
        "territoire",
        "non",
        "Quand la dépense n'est pas rattachée à un établissement : NIVEAU:CODE du territoire concerné "
        "(contrôlé ; la dépense est répartie entre les établissements dont le financeur a la charge).",
        "commune:35238",
    ),
    ("montant_eur", "oui", "Montant en euros, positif ; virgule ou point décimal.", "12500,00"),
    ("libelle", "non", "Texte libre de 200 caractères au plus (pas de balise HTML).", "Tablettes de l'école"),
]
TEXT_COLUMNS = ("B", "C", "D", "E", "F", "G", "I")  # codes stay text: « 01001 » is not 1001
FIXED_TIME = dt.datetime(2026, 1, 1)


def french_amount(value: float) -> str:
    return f"{value:.2f}".replace(".", ",")


def write_csv(path: Path) -> None:
    with open(path, "w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh, delimiter=";", lineterminator="\r\n")
        writer.writerow(HEADER)
        for row in EXAMPLES:
            writer.writerow([*row[:7], french_amount(row[7]), row[8]])


def write_xlsx(path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "Budget"
    ws.append(HEADER)
    for row in EXAMPLES:
        ws.append([value if value != "" else None for value in row])
    for letter in TEXT_COLUMNS:
        for cell in ws[letter]:
            cell.number_format = "@"
    for cell in ws["H"][1:]:
        cell.number_format = "#,##0.00"
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for letter, width in zip("ABCDEFGHI", (8, 18, 16, 16, 16, 12, 18, 14, 44), strict=True):
        ws.column_dimensions[letter].width = width
    aide = wb.create_sheet("Aide")
    for line in HELP:
        aide.append(line)
    for cell in aide[1]:
        cell.font = Font(bold=True)
    for letter, width in zip("ABCD", (18, 12, 90, 18), strict=True):
        aide.column_dimensions[letter].width = width
    wb.properties.created = FIXED_TIME
    wb.properties.modified = FIXED_TIME
    wb.save(path)


def main(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    write_csv(out / "budget_numerique.csv")
    write_xlsx(out / "budget_numerique.xlsx")
    print(f"Modèles écrits dans {out}")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path("data/templates"))
