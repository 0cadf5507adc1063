"""The meetings package stays easy to change: no import circles between its modules, and no module so long
that a newcomer cannot find their way in it.

The graph is read from the source with ``ast`` (nothing is imported). Every ``import`` statement counts,
wherever it stands: at module level, inside a function, or under ``if TYPE_CHECKING``. A late import inside
a function hides a circle from Python at import time, not from the reader, so it counts the same.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

pytestmark = pytest.mark.sqlite_fast

PACKAGE = "meetings"
ROOT = Path(__file__).resolve().parents[2] / PACKAGE
MAX_LINES = 600
# The models stay one module on purpose: the split must not touch models or migrations (one app, same label).
LONG_ALLOWED = {"meetings.models"}


def _modules() -> dict[str, Path]:
    found = {}
    for path in ROOT.rglob("*.py"):
        rel = path.relative_to(ROOT.parent).with_suffix("")
        if "migrations" in rel.parts:
            continue
        parts = list(rel.parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


def _resolve(module: str, path: Path, node: ast.ImportFrom) -> str:
    if not node.level:
        return node.module or ""
    package = module.split(".") if path.name == "__init__.py" else module.split(".")[:-1]
    base = package[: len(package) - (node.level - 1)]
    return ".".join(base + ([node.module] if node.module else []))


def import_graph() -> dict[str, set[str]]:
    """module -> the modules of the package it imports (``from meetings import access`` is meetings.access)."""
    modules = _modules()
    graph: dict[str, set[str]] = {name: set() for name in modules}
    for name, path in modules.items():
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            targets: list[str] = []
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = _resolve(name, path, node)
                targets = [base] + [f"{base}.{alias.name}" for alias in node.names]
            for target in targets:
                if target in modules and target != name and target != PACKAGE:
                    graph[name].add(target)
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(graph[node]):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_the_graph_sees_the_package() -> None:
    graph = import_graph()
    assert "meetings.models" in graph
    assert any("meetings.models" in targets for targets in graph.values())


def test_meetings_modules_import_each_other_without_circles() -> None:
    found = cycles(import_graph())
    assert found == [], "import circles in meetings: " + "; ".join(" ↔ ".join(c) for c in found)


def test_no_meetings_module_is_too_long() -> None:
    long = {
        name: len(path.read_text().splitlines())
        for name, path in _modules().items()
        if name not in LONG_ALLOWED and len(path.read_text().splitlines()) > MAX_LINES
    }
    assert long == {}, f"modules above {MAX_LINES} lines: {long}"


def test_the_detector_finds_a_circle_through_a_late_import() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert cycles(graph) == [["a", "b", "c"]]
