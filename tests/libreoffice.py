"""LibreOffice Calc as a French user opens a CSV: headless conversion to XLSX, read back with openpyxl.

Debian's ``libreoffice-calc-nogui`` (installed by ``.ci/run``) provides ``soffice``. Without it the
tests skip on a workstation but fail in CI (``EXPLORER_CI=1``, set by ``.ci/run``): a round trip
that silently did not run would prove nothing.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet

# CSV filter options: separator « ; » (59), text delimiter « " » (34), UTF-8 (76), from line 1,
# standard column types, French (France) language (1036), then the import dialog's own defaults
# in LibreOffice 7.4 (registry Office.Calc/Dialogs/CSVImport): quoted fields NOT as text,
# special numbers NOT detected, spaces kept, formulas NOT evaluated.
FRENCH_DEFAULTS = "59,34,76,1,,1036,false,false,false,false,false,-1,false"
# The same with the one box docs/diagnostic.md asks to tick: « Formater les champs entre
# guillemets comme texte ».
QUOTED_AS_TEXT = "59,34,76,1,,1036,true,false,false,false,false,-1,false"


def soffice() -> str:
    """Path of ``soffice``; skips (workstation) or fails (CI) when LibreOffice is not installed."""
    path = shutil.which("soffice")
    if path is None:
        message = "soffice absent : installez le paquet Debian libreoffice-calc-nogui (fait par .ci/run)"
        if os.environ.get("EXPLORER_CI"):
            pytest.fail(message)
        pytest.skip(message)
    return path


def calc_open(files: dict[str, bytes], options: str, folder: Path) -> dict[str, Worksheet]:
    """Open each CSV (name → bytes) in LibreOffice Calc with the CSV filter ``options``, save it
    as XLSX and return its first sheet: the cells a user would see, with their types and formats."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, content in files.items():
        path = folder / f"{name}.csv"
        path.write_bytes(content)
        paths.append(str(path))
    out = folder / "xlsx"
    # A private profile: a first start writes it (a few seconds), and concurrent runs do not share a lock.
    profile = (folder / "profile").as_uri()
    subprocess.run(
        [
            soffice(),
            f"-env:UserInstallation={profile}",
            "--headless",
            "--norestore",
            "--convert-to",
            "xlsx",
            f"--infilter=CSV:{options}",
            "--outdir",
            str(out),
            *paths,
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    return {name: load_workbook(out / f"{name}.xlsx").active for name in files}


def rows(ws: Worksheet) -> list[list[object]]:
    """The sheet's values, row by row."""
    return [[c.value for c in r] for r in ws.iter_rows()]
