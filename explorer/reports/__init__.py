"""Exports: French CSV (csv.py), XLSX (xlsx.py), PDF (pdf.py) and the territory sheet (sheet.py)."""

APP_NAME = "Explorateur investissements × usages numériques"  # author of every workbook and PDF
