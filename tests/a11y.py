"""axe-core, the accessibility rules engine, injected into pages by the browser tests.

The pinned release is downloaded once from the npm registry, checked against its SHA-512 and
kept in ``.cache/`` (git-ignored).
"""

from __future__ import annotations

import hashlib
import io
import tarfile
import urllib.request
from pathlib import Path

AXE_VERSION = "4.10.3"
AXE_URL = f"https://registry.npmjs.org/axe-core/-/axe-core-{AXE_VERSION}.tgz"
AXE_SHA512 = (
    "5e6edba515e70d25f6604d9815f064d859c5d1ea7ab661bbc4f87c88779ef0c2"
    "1cae0abbeb636471ef39e9d62d2582e4b88a1866f19f4ecfcf6d986275e4dc12"
)
CACHE = Path(__file__).resolve().parents[1] / ".cache" / f"axe-core-{AXE_VERSION}" / "axe.min.js"
# WCAG 2.1 A and AA: the level RGAA 4.1 requires.
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BLOCKING = {"serious", "critical"}


def axe_source() -> str:
    """The text of ``axe.min.js`` (downloaded and verified on first use)."""
    if not CACHE.exists():
        with urllib.request.urlopen(AXE_URL, timeout=60) as response:
            archive = response.read()
        digest = hashlib.sha512(archive).hexdigest()
        if digest != AXE_SHA512:
            raise RuntimeError(f"axe-core {AXE_VERSION} : empreinte inattendue ({digest[:16]}…)")
        with tarfile.open(fileobj=io.BytesIO(archive), mode="r:gz") as tar:
            member = tar.extractfile("package/axe.min.js")
            assert member is not None
            CACHE.parent.mkdir(parents=True, exist_ok=True)
            CACHE.write_bytes(member.read())
    return CACHE.read_text(encoding="utf-8")


def audit(page) -> list[dict]:  # type: ignore[no-untyped-def]
    """Run axe on the loaded page; returns its violations (WCAG 2.1 A/AA rules)."""
    page.add_script_tag(content=axe_source())
    result = page.evaluate(
        "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}})",
        TAGS,
    )
    return result["violations"]


def describe(violations: list[dict]) -> str:
    lines = []
    for v in violations:
        lines.append(f"{v['impact']} {v['id']} — {v['help']}")
        for node in v["nodes"][:5]:
            lines.append(f"    {node['target']} : {node.get('failureSummary', '')[:200]}")
    return "\n".join(lines)
