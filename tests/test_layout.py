"""The house's floor plan, checked on the source: few top-level modules, no import cycle,
typed errors in one place per package, streamlit only in the UI layer."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("explorer", "forecasting")


def _modules() -> dict[str, Path]:
    """Dotted name → file of every module of the packages (``pkg/__init__.py`` is ``pkg``)."""
    out = {}
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            parts = path.relative_to(ROOT).with_suffix("").parts
            if parts[-1] == "__init__":
                parts = parts[:-1]
            out[".".join(parts)] = path
    return out


def _imports(path: Path, name: str, modules: dict[str, Path]) -> set[str]:
    """Project modules that ``path`` imports, at module level or inside a function."""
    is_package = path.name == "__init__.py"
    package = name if is_package else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            # ``from pkg import module`` imports the module (running pkg/__init__ on the way is not
            # an edge); ``from module import name`` imports the module.
            for alias in node.names:
                found.add(f"{base}.{alias.name}" if f"{base}.{alias.name}" in modules else base)
    return {m for m in found if m in modules and m != name}


def test_explorer_top_level_holds_at_most_eight_modules():
    top = sorted(p.name for p in (ROOT / "explorer").glob("*.py"))
    assert len(top) <= 8, top


def test_no_import_cycle():
    modules = _modules()
    graph = {name: _imports(path, name, modules) for name, path in modules.items()}
    state: dict[str, int] = {}
    cycles: list[list[str]] = []

    def visit(node: str, stack: list[str]) -> None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                cycles.append([*stack[stack.index(nxt) :], nxt])
            elif nxt not in state:
                visit(nxt, stack)
        stack.pop()
        state[node] = 2

    for name in sorted(graph):
        if name not in state:
            visit(name, [])
    assert cycles == [], "\n".join(" → ".join(c) for c in cycles)
    # The walk sees real edges: the CLI imports the build, the build imports the demo builder.
    assert "explorer.warehouse.build" in graph["explorer.cli.main"]
    assert "explorer.warehouse.build_demo" in graph["explorer.warehouse.build"]


def _exception_classes(path: Path) -> list[str]:
    out = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ClassDef):
            bases = [b.id if isinstance(b, ast.Name) else getattr(b, "attr", "") for b in node.bases]
            if any(b.endswith(("Error", "Exception")) for b in bases):
                out.append(node.name)
    return out


def test_exception_classes_live_in_errors_modules():
    misplaced = {
        str(path.relative_to(ROOT)): classes
        for path in _modules().values()
        if path.name != "errors.py" and (classes := _exception_classes(path))
    }
    assert misplaced == {}
    # The check finds classes where they are.
    assert "ContractError" in _exception_classes(ROOT / "explorer" / "errors.py")
    assert "ScenarioError" in _exception_classes(ROOT / "forecasting" / "errors.py")


def _imports_streamlit(path: Path) -> bool:
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import) and any(a.name.split(".")[0] == "streamlit" for a in node.names):
            return True
        if isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "streamlit":
            return True
    return False


def test_streamlit_only_in_the_ui_layer():
    allowed = {ROOT / "streamlit_app.py", *ROOT.glob("pages/*.py"), *ROOT.glob("ui/*.py")}
    sources = [*ROOT.glob("explorer/**/*.py"), *ROOT.glob("forecasting/**/*.py"), *allowed]
    offenders = sorted(str(p.relative_to(ROOT)) for p in sources if p not in allowed and _imports_streamlit(p))
    assert offenders == []
    assert _imports_streamlit(ROOT / "streamlit_app.py")
