"""Views do not write to the database themselves: every write goes through an action.

Actions are where the audit entry, the checks across objects and the side effects live; a view
that saves a row directly skips all of them (as the minutes page once did when it resolved an
objection). This test reads the source of every module that holds a view of the project (every
``views.py``, every ``views/`` package and every module a URL pattern points into) and fails on
ORM write calls in it. ``form.save(commit=False)`` builds an unsaved object for an action and is
fine; receivers that are plain dicts or sets built in the same function are not the database.
"""

from __future__ import annotations

import ast
import inspect
from pathlib import Path

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

ROOT = Path(__file__).resolve().parent.parent

WRITE_METHODS = frozenset(
    {
        "save",
        "delete",
        "update",
        "create",
        "bulk_create",
        "bulk_update",
        "get_or_create",
        "update_or_create",
        "add",
        "remove",
        "clear",
        "set",
        "execute",
        "raw",
    }
)

# (module path, call as written) → why it is not a database write
ALLOWED: dict[tuple[str, str], str] = {
    ("ops/views.py", "cursor.execute"): "the health check's SELECT 1 proves the database answers; it writes nothing",
    ("ops/views.py", "devmail.clear"): "empties the development mailbox, files under var/mail/, not the database",
}

pytestmark = pytest.mark.sqlite_fast


def _callbacks(patterns):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _callbacks(pattern.url_patterns)
        elif isinstance(pattern, URLPattern):
            yield pattern.callback


def _view_modules() -> list[Path]:
    files = set(ROOT.glob("*/views.py")) | set(ROOT.glob("*/views/*.py"))
    for callback in _callbacks(get_resolver().url_patterns):
        view = getattr(callback, "view_class", None) or inspect.unwrap(callback)
        source = inspect.getsourcefile(view)
        if source and Path(source).resolve().is_relative_to(ROOT) and ".venv" not in Path(source).parts:
            files.add(Path(source).resolve())
    return sorted(path for path in files if "tests" not in path.relative_to(ROOT).parts)


def _plain_containers(function: ast.AST) -> set[str]:
    """Names bound in ``function`` to a dict or set literal, comprehension or constructor."""
    names = set()
    for node in ast.walk(function):
        if isinstance(node, ast.Assign):
            targets, value = node.targets, node.value
        elif isinstance(node, ast.AnnAssign) and node.value is not None:
            targets, value = [node.target], node.value
        else:
            continue
        plain = isinstance(value, (ast.Dict, ast.DictComp, ast.Set, ast.SetComp)) or (
            isinstance(value, ast.Call) and isinstance(value.func, ast.Name) and value.func.id in {"dict", "set"}
        )
        if plain:
            names.update(target.id for target in targets if isinstance(target, ast.Name))
    return names


def _is_unsaved_build(call: ast.Call) -> bool:
    return any(
        keyword.arg == "commit" and isinstance(keyword.value, ast.Constant) and keyword.value.value is False
        for keyword in call.keywords
    )


def writes_in(path: Path, root: Path = ROOT) -> list[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    relative = str(path.relative_to(root))
    found = []
    scopes = [node for node in ast.walk(tree) if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))]
    for scope in scopes:
        containers = _plain_containers(scope)
        for node in ast.walk(scope):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
                continue
            if node.func.attr not in WRITE_METHODS or _is_unsaved_build(node):
                continue
            receiver = node.func.value
            if isinstance(receiver, ast.Name) and receiver.id in containers:
                continue
            written = ast.unparse(node.func)
            if (relative, written) in ALLOWED:
                continue
            found.append(f"{relative}:{node.lineno}: {written}(…)")
    return sorted(set(found))


def test_view_modules_are_found():
    modules = {str(path.relative_to(ROOT)) for path in _view_modules()}
    assert {"meetings/core/views.py", "meetings/minutes/views.py", "members/views.py", "monitoring/views/manage.py"} <= modules


def test_views_write_only_through_actions():
    found = [line for path in _view_modules() for line in writes_in(path)]
    assert not found, "Views writing to the database directly (move the write into an action):\n" + "\n".join(found)


def test_the_check_sees_a_direct_write(tmp_path):
    module = tmp_path / "views.py"
    module.write_text(
        "def resolve(request, minutes, form):\n"
        "    initial = {}\n"
        "    initial.update(a=1)\n"
        "    form.save(commit=False)\n"
        "    minutes.objections.filter(pk=1).update(resolved=True)\n"
    )
    assert writes_in(module, root=tmp_path) == ["views.py:5: minutes.objections.filter(pk=1).update(…)"]
