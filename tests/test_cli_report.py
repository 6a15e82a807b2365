"""``python -m explorer report`` end to end on the Rennes warehouse."""

from __future__ import annotations

import subprocess
import sys

import pandas as pd
from openpyxl import load_workbook
from pypdf import PdfReader

from explorer.cli.main import main


def test_report_pdf_xlsx_csv(rennes_db, tmp_path, capsys):
    for fmt in ("pdf", "xlsx", "csv"):
        out = tmp_path / f"fiche.{fmt}"
        code = main(
            ["report", "--territory", "departement:35", "--format", fmt, "--db", str(rennes_db), "--out", str(out)]
        )
        assert code == 0
        assert out.stat().st_size > 1000
    printed = capsys.readouterr().out
    assert "Fiche Ille-et-Vilaine (département 35), période 2021-2025" in printed
    assert 1 <= len(PdfReader(tmp_path / "fiche.pdf").pages) <= 2
    assert load_workbook(tmp_path / "fiche.xlsx").sheetnames[0] == "Fiche"
    frame = pd.read_csv(tmp_path / "fiche.csv", sep=";", decimal=",", encoding="utf-8-sig")
    assert "Ille-et-Vilaine" in frame.columns


def test_report_with_chosen_peers_and_period(rennes_db, tmp_path):
    out = tmp_path / "fiche.csv"
    args = ["report", "--territory", "departement:35", "--format", "csv", "--db", str(rennes_db)]
    assert main([*args, "--out", str(out), "--peers", "22,29", "--period", "2022-2024"]) == 0
    frame = pd.read_csv(out, sep=";", decimal=",", encoding="utf-8-sig")
    assert "Pairs (2 départements)" in frame.columns
    assert set(frame["Période"]) == {"2022-2024"}


def test_report_errors_exit_2_with_a_french_message(rennes_db, tmp_path):
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "explorer",
            "report",
            "--territory",
            "departement:99",
            "--format",
            "pdf",
            "--db",
            str(rennes_db),
            "--out",
            str(tmp_path / "x.pdf"),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 2
    assert "Territoire « departement:99 » absent de l'entrepôt" in result.stderr
    assert not (tmp_path / "x.pdf").exists()
    assert main(["report", "--territory", "35", "--format", "pdf", "--db", str(rennes_db), "--out", "x.pdf"]) == 2
