"""axe-core, the accessibility rules engine, injected into pages by the browser tests.

``axe.min.js`` comes from the PyPI package ``axe-playwright-python`` (pinned in
``requirements-dev.txt``, installed by ``pip`` like every other test dependency): no download
at test time. Only its copy of axe-core is used; the audit itself is the few lines below.
"""

from __future__ import annotations

from functools import cache
from importlib.resources import files

AXE_PACKAGE = "axe_playwright_python"
# WCAG 2.1 A and AA: the level RGAA 4.1 requires.
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BLOCKING = {"serious", "critical"}


@cache
def axe_source() -> str:
    """The text of the ``axe.min.js`` shipped by the pinned ``axe-playwright-python``."""
    return (files(AXE_PACKAGE) / "axe.min.js").read_text(encoding="utf-8")


def audit(page) -> list[dict]:  # type: ignore[no-untyped-def]
    """Run axe on the loaded page; returns its violations (WCAG 2.1 A/AA rules)."""
    page.add_script_tag(content=axe_source())
    result = page.evaluate(
        "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}})",
        TAGS,
    )
    return result["violations"]


def axe_version(page) -> str:  # type: ignore[no-untyped-def]
    """The axe-core release injected by :func:`audit` (read from the engine itself)."""
    return str(page.evaluate("() => axe.version"))


def describe(violations: list[dict]) -> str:
    lines = []
    for v in violations:
        lines.append(f"{v['impact']} {v['id']} — {v['help']}")
        for node in v["nodes"][:5]:
            lines.append(f"    {node['target']} : {node.get('failureSummary', '')[:200]}")
    return "\n".join(lines)
