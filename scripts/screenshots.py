"""Write one PNG per page to docs/screenshots/ (``make screenshots``).

Starts the app on the warehouse of ``$EXPLORER_DB`` (default ``data/warehouse.duckdb``) on
a free local port, screenshots every page with Debian's Chromium, and stops exactly the
server it started.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))

from screenshot import screenshot  # noqa: E402

# (file name, path and query); WAIT_TEXT: a text drawn once the page's last section is, for the
# pages that compute longer than the status widget shows.
PAGES = [
    ("accueil.png", "/"),
    ("carte_france.png", "/carte?niveau=departement&indicateur=invest_per_pupil&periode=2021-2025"),
    ("carte_departement_35.png", "/carte?niveau=commune&territoire=departement:35&indicateur=invest_per_pupil"),
    ("carte_etablissements_combourg.png", "/carte?niveau=etablissement&territoire=commune:35085"),
    ("diagnostic.png", "/diagnostic?territoire=departement:29&periode=2021-2025&indicateur=ent_visits_per_pupil_week"),
    # a mayor's commune of two écoles, and one of its schools (national demo, make build's seed)
    ("diagnostic_commune_esse.png", "/diagnostic?territoire=commune:35108&periode=2021-2025"),
    ("diagnostic_etablissement.png", "/diagnostic?territoire=etablissement:0350218X&periode=2021-2025"),
    ("comparer.png", "/comparer?territoire=departement:29&periode=2021-2025&indicateur=ent_visits_per_pupil_week"),
    ("typologie.png", "/typologie"),
    ("investissement_usage.png", "/investissement_usage"),
    ("prospective.png", "/prospective"),
    ("donnees.png", "/donnees"),
]


WAIT_TEXT = {
    "diagnostic.png": "Exporter la fiche",
    "diagnostic_commune_esse.png": "Exporter la fiche",
    "diagnostic_etablissement.png": "Exporter la fiche",
    "investissement_usage.png": "Les programmes de l'État",
    "typologie.png": "Vue d'ensemble : plan principal",
}


def main() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    db = Path(os.environ.get("EXPLORER_DB") or ROOT / "data" / "warehouse.duckdb").resolve()
    server = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(ROOT / "streamlit_app.py"), "--server.headless", "true",
         "--server.address", "127.0.0.1", "--server.port", str(port), "--browser.gatherUsageStats", "false"],
        cwd=ROOT, env={**os.environ, "EXPLORER_DB": str(db)}, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(200):
            try:
                with urllib.request.urlopen(f"{base}/_stcore/health", timeout=2):
                    break
            except OSError:
                time.sleep(0.3)
        out = ROOT / "docs" / "screenshots"
        for name, path in PAGES:
            wait = WAIT_TEXT.get(name, "Données simulées")
            print(screenshot(base + path, out / name, wait_text=wait, settle_s=5.0, timeout_s=240.0))
    finally:
        server.terminate()
        server.wait(timeout=10)
    return 0


if __name__ == "__main__":
    sys.exit(main())
