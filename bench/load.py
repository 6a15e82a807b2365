"""Load benchmark: N concurrent browser sessions through the main pages of one server.

Run: ``.venv/bin/python bench/load.py [--db data/warehouse.duckdb] [--sessions 20]``.
Starts the app on a free local port (read-only warehouse, as in production), then drives
``--sessions`` headless-Chromium sessions at once, each opening the pages of :data:`VISITS`
in order. Prints the page latency (from navigation to the end of the script run, page title
shown) as p50 / p95 / max, the number of errors (a Streamlit exception or error box, or a
timeout: must be 0), and the server's peak memory (VmHWM of its process).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from playwright.async_api import async_playwright

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"]
# (path, heading that says the page is there)
VISITS = [
    ("/", "Explorateur investissements × usages numériques"),
    ("/carte?niveau=departement", "Carte"),
    ("/carte?niveau=commune&territoire=departement:35", "Carte"),
    ("/diagnostic?territoire=departement:29", "Diagnostic"),
    ("/donnees", "Données"),
]


def peak_rss_mb(pid: int) -> float:
    """Peak resident memory of a process (Linux VmHWM), in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


async def session(browser, base: str, latencies: list[float], errors: list[str]) -> None:  # type: ignore[no-untyped-def]
    context = await browser.new_context(viewport={"width": 1400, "height": 1000})
    page = await context.new_page()
    try:
        for path, title in VISITS:
            start = time.perf_counter()
            try:
                await page.goto(base + path)
                await page.get_by_role("heading", name=title, exact=True).first.wait_for(timeout=180_000)
                await page.wait_for_selector("[data-testid='stStatusWidget']", state="detached", timeout=180_000)
            except Exception as exc:  # every failure is counted, the run goes on
                errors.append(f"{path}: {type(exc).__name__}")
                continue
            latencies.append(time.perf_counter() - start)
            if await page.locator("[data-testid='stException'], [data-testid='stAlertContentError']").count():
                errors.append(f"{path}: erreur affichée")
    finally:
        await context.close()


async def drive(base: str, sessions: int) -> tuple[list[float], list[str], float]:
    latencies: list[float] = []
    errors: list[str] = []
    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        start = time.perf_counter()
        await asyncio.gather(*(session(browser, base, latencies, errors) for _ in range(sessions)))
        wall = time.perf_counter() - start
        await browser.close()
    return latencies, errors, wall


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", type=Path, default=ROOT / "data" / "warehouse.duckdb")
    parser.add_argument("--sessions", type=int, default=20)
    args = parser.parse_args()
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(ROOT / "streamlit_app.py"), "--server.headless", "true",
         "--server.address", "127.0.0.1", "--server.port", str(port), "--browser.gatherUsageStats", "false"],
        cwd=ROOT, env={**os.environ, "EXPLORER_DB": str(args.db.resolve())},
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(200):
            try:
                with urllib.request.urlopen(f"{base}/_stcore/health", timeout=2):
                    break
            except OSError:
                time.sleep(0.3)
        latencies, errors, wall = asyncio.run(drive(base, args.sessions))
        peak = peak_rss_mb(server.pid)
    finally:
        server.terminate()
        server.wait(timeout=20)
    latencies.sort()
    p95 = latencies[min(len(latencies) - 1, int(0.95 * len(latencies)))] if latencies else float("nan")
    print(f"Entrepôt : {args.db} ; {args.sessions} sessions simultanées × {len(VISITS)} pages ({wall:.0f} s en tout)")
    print(f"  pages chargées      {len(latencies)} / {args.sessions * len(VISITS)}")
    print(f"  latence p50         {statistics.median(latencies):.2f} s" if latencies else "  latence p50  n.d.")
    print(f"  latence p95         {p95:.2f} s")
    print(f"  latence max         {max(latencies):.2f} s" if latencies else "")
    print(f"  erreurs             {len(errors)}" + (f" : {', '.join(sorted(set(errors)))}" if errors else ""))
    print(f"  mémoire pic serveur {peak:.0f} Mo")
    return 0 if not errors else 1


if __name__ == "__main__":
    sys.exit(main())
