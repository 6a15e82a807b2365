"""Exports: French CSV, XLSX and PDF."""
