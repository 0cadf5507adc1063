"""Find literal calendar dates in the tests that will expire.

A test that types "2026-12-01" as a *future* date turns red the day after; one that treats
"2026-06-01" as "recent" does so a few months later. Both are caught here, cheaply and without
running anything: every date written into a test (ISO ``2026-12-01``, German ``01.12.2026``,
``date(2026, 12, 1)`` / ``datetime(2026, 12, 1, …)``) that is not safely in the past is reported,
unless the test runs on frozen time (a ``time_machine.travel`` or ``pytest.mark.time_machine``
decorator on the test or its class, either of them in the module's ``pytestmark``, or a
``with time_machine.travel(...)`` block around the line) or the
line says why the date is harmless with a ``# fixed-date: <reason>`` comment (a whole module that never
compares its dates with today says so once with ``# fixed-dates: <reason>``).

"Safely in the past" is more than 400 days before today. The rule only ever relaxes as time
passes, so the check itself can never turn red on a later day.

Usage: ``python -m tests.support.check_dates [PATH ...]`` (default: ``tests``); exit 1 with a list.
"""

from __future__ import annotations

import ast
import datetime as dt
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

SAFE_PAST = dt.timedelta(days=400)
MARKER = "# fixed-date:"
MODULE_MARKER = "# fixed-dates:"
ISO = re.compile(r"(?<![\d-])(\d{4})-(\d{2})-(\d{2})(?!\d)")
GERMAN = re.compile(r"(?<![\d.])(\d{2})\.(\d{2})\.(\d{4})(?!\d)")


@dataclass(frozen=True)
class Finding:
    path: Path
    line: int
    date: dt.date
    text: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.date.isoformat()} — {self.text.strip()}"


def _dates_in_string(value: str) -> Iterator[dt.date]:
    for year, month, day in ISO.findall(value):
        try:
            yield dt.date(int(year), int(month), int(day))
        except ValueError:
            continue
    for day, month, year in GERMAN.findall(value):
        try:
            yield dt.date(int(year), int(month), int(day))
        except ValueError:
            continue


def _date_of_call(node: ast.Call) -> dt.date | None:
    name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
    if name not in {"date", "datetime"} or len(node.args) < 3:
        return None
    try:
        parts = [a.value for a in node.args[:3] if isinstance(a, ast.Constant) and isinstance(a.value, int)]
        return dt.date(*parts) if len(parts) == 3 else None
    except (ValueError, TypeError):
        return None


def _is_travel(node: ast.AST) -> bool:
    """`time_machine.travel(...)` / `travel(...)` (decorator or context manager) or `pytest.mark.time_machine(...)`."""
    call = node if isinstance(node, ast.Call) else None
    if call is None:
        return False
    func = call.func
    name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
    return name in {"travel", "time_machine"}


def _frozen_spans(tree: ast.Module) -> list[tuple[int, int]]:
    """Line ranges that run on frozen time."""
    spans: list[tuple[int, int]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            if any(_is_travel(d) for d in node.decorator_list):
                spans.append((node.lineno, node.end_lineno or node.lineno))
        elif isinstance(node, ast.With | ast.AsyncWith):
            if any(_is_travel(item.context_expr) for item in node.items):
                spans.append((node.lineno, node.end_lineno or node.lineno))
        elif isinstance(node, ast.Assign) and any(getattr(t, "id", "") == "pytestmark" for t in node.targets):
            if any(_is_travel(n) for n in ast.walk(node.value)):
                spans.append((1, 10**9))
        elif _is_travel(node) and isinstance(node, ast.expr | ast.stmt):
            spans.append((node.lineno, node.end_lineno or node.lineno))  # the travel target itself
    return spans


def _span(node: ast.stmt) -> tuple[int, int]:
    """First and last line of a statement, its decorators included."""
    decorators = getattr(node, "decorator_list", [])
    return min([node.lineno, *(d.lineno for d in decorators)]), node.end_lineno or node.lineno


def check_file(path: Path, today: dt.date) -> list[Finding]:
    source = path.read_text(encoding="utf-8")
    if MODULE_MARKER in source:
        return []
    tree = ast.parse(source, filename=str(path))
    lines = source.splitlines()
    frozen = _frozen_spans(tree)
    statements = [_span(n) for n in ast.walk(tree) if isinstance(n, ast.stmt)]
    horizon = today - SAFE_PAST
    findings: list[Finding] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            dates = list(_dates_in_string(node.value))
        elif isinstance(node, ast.Call):
            found = _date_of_call(node)
            dates = [found] if found else []
        else:
            continue
        for date in dates:
            if date < horizon:
                continue
            line = node.lineno
            if any(start <= line <= end for start, end in frozen):
                continue
            # The reason may stand anywhere in the innermost statement holding the date (formatters move comments).
            holding = [span for span in statements if span[0] <= line <= span[1]] or [(line, node.end_lineno or line)]
            start, end = min(holding, key=lambda sp: sp[1] - sp[0])
            if any(MARKER in lines[n - 1] for n in range(start, end + 1)):
                continue
            findings.append(Finding(path, line, date, lines[line - 1]))
    return findings


def main(argv: list[str]) -> int:
    roots = [Path(a) for a in argv] or [Path("tests")]
    today = dt.date.today()
    findings = [f for root in roots for path in sorted(root.rglob("*.py")) for f in check_file(path, today)]
    for finding in findings:
        print(finding)
    if findings:
        print(
            f"\n{len(findings)} Datumsangabe(n) in Tests, die nicht sicher in der Vergangenheit liegen: relativ zu heute "
            f"rechnen, time_machine.travel verwenden oder mit '{MARKER} <Grund>' begründen.",
            file=sys.stderr,
        )
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
