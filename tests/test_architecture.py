"""The house rules that a folder tree cannot show: checked on the source code itself."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

_SQL_ROOT = Path(__file__).resolve().parents[1]
_SQL_PACKAGES = ("explorer", "forecasting", "ui", "pages")
# SQL statements still allowed in Python strings (the brief of issue 14): a handful of
# one-word statements, settings and DDL generated from the contract.
_SQL_MAX_INLINE = 10
_SQL_CALLS = frozenset({"execute", "executemany", "sql"})
_SQL_START = re.compile(r"^\s*(select|insert|create|delete|update|with|attach|copy|alter|drop)\b", re.IGNORECASE)


def _sql_text(node: ast.expr) -> str | None:
    """Text of a string constant, or the literal parts of an f-string; None for anything else."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(v.value for v in node.values if isinstance(v, ast.Constant) and isinstance(v.value, str))
    return None


def _sql_docstrings(tree: ast.Module) -> set[int]:
    """Ids of the docstring nodes (module, classes, functions): prose, not SQL."""
    out = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and _sql_text(first.value) is not None:
                out.add(id(first.value))
    return out


def _sql_sites(path: Path) -> Iterator[tuple[int, str]]:
    """(line, first words) of every SQL statement written in a Python string of ``path``."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    skip = _sql_docstrings(tree)
    found: dict[int, tuple[int, str]] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in _SQL_CALLS:
            for arg in node.args[:1]:
                text = _sql_text(arg)
                if text is not None:
                    found[id(arg)] = (arg.lineno, text)
        elif isinstance(node, ast.Constant | ast.JoinedStr) and id(node) not in skip:
            text = _sql_text(node)
            if text is not None and _SQL_START.match(text):
                found[id(node)] = (node.lineno, text)
    # an f-string's literal parts are Constant nodes of their own: count the f-string only
    for node in ast.walk(tree):
        if isinstance(node, ast.JoinedStr):
            for part in node.values:
                found.pop(id(part), None)
    for line, text in sorted(found.values()):
        yield line, " ".join(text.split())[:70]


def _sql_inline() -> list[str]:
    sites = []
    for package in _SQL_PACKAGES:
        for path in sorted((_SQL_ROOT / package).rglob("*.py")):
            for line, text in _sql_sites(path):
                sites.append(f"{path.relative_to(_SQL_ROOT)}:{line}: {text}")
    return sites


def test_sql_lives_in_sql_files() -> None:
    sites = _sql_inline()
    assert len(sites) <= _SQL_MAX_INLINE, (
        f"{len(sites)} SQL statements in Python strings (at most {_SQL_MAX_INLINE}); "
        "move them to explorer/warehouse/sql/<folder>/<name>.sql and read them with read_sql:\n" + "\n".join(sites)
    )
