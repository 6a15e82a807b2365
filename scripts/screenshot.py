"""Full-page screenshot of a running Streamlit page with Debian's Chromium.

Usage: ``python scripts/screenshot.py URL OUT.png [--wait-text TEXT] [--width 1400]
[--height 900] [--settle 3]``. Waits until ``TEXT`` is on the page (default « Données
simulées ») and no Streamlit spinner remains, then a few seconds for charts to draw.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from playwright.sync_api import TimeoutError as PlaywrightTimeout
from playwright.sync_api import sync_playwright

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

FULL_HEIGHT_JS = """
() => Math.max(
    document.documentElement.scrollHeight,
    ...[...document.querySelectorAll(
        "[data-testid='stMain'], [data-testid='stAppViewContainer'], section.main"
    )].map((el) => el.scrollHeight)
)
"""


def screenshot(
    url: str,
    out: Path,
    wait_text: str = "Données simulées",
    width: int = 1400,
    height: int = 900,
    settle_s: float = 3.0,
    timeout_s: float = 60.0,
) -> Path:
    """Load ``url``, wait for ``wait_text`` and the end of the script run, save a PNG."""
    out.parent.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": width, "height": height}, locale="fr-FR")
            page.goto(url, wait_until="domcontentloaded", timeout=timeout_s * 1000)
            page.get_by_text(wait_text).first.wait_for(timeout=timeout_s * 1000)
            # Streamlit shows a "running" status widget while the script runs.
            page.wait_for_selector("[data-testid='stStatusWidget']", state="detached", timeout=timeout_s * 1000)
            page.wait_for_timeout(settle_s * 1000)
            # Streamlit scrolls an inner container, not the document: grow the viewport to
            # the content's height so that "full page" really holds the whole page.
            content_height = page.evaluate(FULL_HEIGHT_JS)
            if content_height > height:
                page.set_viewport_size({"width": width, "height": int(content_height)})
                page.wait_for_timeout(settle_s * 1000)
            page.screenshot(path=str(out), full_page=True)
        finally:
            browser.close()
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("url")
    parser.add_argument("out", type=Path)
    parser.add_argument("--wait-text", default="Données simulées")
    parser.add_argument("--width", type=int, default=1400)
    parser.add_argument("--height", type=int, default=900)
    parser.add_argument("--settle", type=float, default=3.0, help="seconds after rendering")
    args = parser.parse_args(argv)
    try:
        path = screenshot(args.url, args.out, args.wait_text, args.width, args.height, args.settle)
    except PlaywrightTimeout as exc:
        print(f"Page not ready: {exc}", file=sys.stderr)
        return 1
    print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
