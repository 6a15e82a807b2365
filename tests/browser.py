"""A real Streamlit server and headless Chromium for the browser tests (not a test module)."""

from __future__ import annotations

import contextlib
import math
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextlib.contextmanager
def streamlit_server(db: Path) -> Iterator[str]:
    """Run the app on ``db`` and yield its base URL; stop exactly that process afterwards."""
    port = free_port()
    env = {**os.environ, "EXPLORER_DB": str(db)}
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            str(ROOT / "streamlit_app.py"),
            "--server.headless",
            "true",
            "--server.address",
            "127.0.0.1",
            "--server.port",
            str(port),
            "--browser.gatherUsageStats",
            "false",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{base}/_stcore/health", timeout=2) as response:
                    if response.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline or process.poll() is not None:
                raise RuntimeError("le serveur Streamlit n'a pas démarré")
            time.sleep(0.3)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


@contextlib.contextmanager
def chromium_page(width: int = 1400, height: int = 1100) -> Iterator[object]:
    """A Playwright page in Debian's headless Chromium (skips when Chromium is not installed)."""
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} absent : installez le paquet Debian chromium (fait par .ci/run)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": width, "height": height})
            yield page
        finally:
            browser.close()


# True once the page has settled: the script run is over, no element of the previous run is
# still shown faded (stale), no skeleton is waiting for content and every Vega chart has drawn.
SETTLED_JS = """() => {
    const app = document.querySelector("[data-testid='stApp']");
    if (!app || app.getAttribute("data-test-script-state") !== "notRunning") return false;
    if (document.querySelector("[data-testid='stStatusWidget']")) return false;
    if (document.querySelector("[data-stale='true'], [data-testid='stSkeleton']")) return false;
    for (const chart of document.querySelectorAll("[data-testid='stVegaLiteChart']")) {
        if (!chart.querySelector("svg .mark-group, canvas")) return false;
    }
    return true;
}"""


def wait_until_settled(page, timeout_ms: int = 180_000) -> None:  # type: ignore[no-untyped-def]
    """Wait (event-driven, no fixed sleep) until :data:`SETTLED_JS` holds twice in a row.

    Twice, 100 ms apart on the browser's clock: a rerun triggered by the first draw (a widget
    writing its default into the URL) starts within that time and resets the condition. The
    timeout is generous: a first Typologie or Prospective run fits its models, and the test
    machine may be shared.
    """
    page.wait_for_function(
        """(settled) => {
            const now = eval(settled)();
            const was = window.__settledSince;
            if (!now) { window.__settledSince = undefined; return false; }
            if (was === undefined) { window.__settledSince = performance.now(); return false; }
            return performance.now() - was >= 100;
        }""",
        arg=SETTLED_JS,
        polling=50,
        timeout=timeout_ms,
    )


def lnglat_to_pixel(lon: float, lat: float, view: dict[str, float], width: float, height: float) -> tuple[float, float]:
    """Screen position (in a ``width`` × ``height`` deck canvas) of a point, Web Mercator as deck.gl."""

    def world(lo: float, la: float) -> tuple[float, float]:
        scale = 512 * 2 ** view["zoom"] / (2 * math.pi)
        x = scale * (math.radians(lo) + math.pi)
        y = scale * (math.pi - math.log(math.tan(math.pi / 4 + math.radians(la) / 2)))
        return x, y

    x, y = world(lon, lat)
    cx, cy = world(view["longitude"], view["latitude"])
    return width / 2 + (x - cx), height / 2 + (y - cy)
