"""Chromium launching and accessibility assertions for Playwright tests.

``playwright install`` cannot download browsers in CI here, so we always use
the distribution's Chromium at /usr/bin/chromium.  A missing browser is an
error, never a skip: silently skipped browser tests would hide regressions.

Environment:
    CHROMIUM_EXECUTABLE  alternative Chromium binary (default /usr/bin/chromium).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page, Playwright

CHROMIUM_PATH = "/usr/bin/chromium"

# Headless mode comes from Playwright's headless=True, not from a flag here.
CHROMIUM_ARGS: list[str] = [
    "--no-sandbox",  # CI containers run as root, where the sandbox cannot start
    "--disable-gpu",
    "--disable-background-networking",  # no surprise traffic (machine is offline)
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
    "--disable-dev-shm-usage",  # /dev/shm is tiny in Docker; use /tmp instead
]

AXE_TAGS: list[str] = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]
FAILING_IMPACTS: frozenset[str] = frozenset({"serious", "critical"})

_axe = Axe()


def chromium_executable() -> str:
    """Path of the Chromium binary; RuntimeError (not skip) if it is missing."""
    path = os.environ.get("CHROMIUM_EXECUTABLE") or CHROMIUM_PATH
    if not (Path(path).is_file() and os.access(path, os.X_OK)):
        raise RuntimeError(
            f"Chromium not found at {path}. Browser tests must run, not skip: "
            "install it (Debian: `apt-get install -y chromium`) "
            "or set CHROMIUM_EXECUTABLE. "
            "`playwright install` is not used in this project."
        )
    return path


def launch_chromium(playwright: Playwright, **launch_kwargs: Any) -> Browser:
    """Launch headless system Chromium with CI-safe flags.

    Extra keyword arguments are passed to ``chromium.launch()``.
    """
    executable = chromium_executable()  # fail before touching Playwright
    args = list(CHROMIUM_ARGS) + list(launch_kwargs.pop("args", []))
    options: dict[str, Any] = {"headless": True, "timeout": 60_000}
    options.update(launch_kwargs)
    return playwright.chromium.launch(
        executable_path=executable,
        args=args,
        **options,
    )


def _short_url(url: str, limit: int = 160) -> str:
    """Keep error messages readable when the page is a long data: URL."""
    return url if len(url) <= limit else url[: limit - 1] + "…"


def _format_violation(violation: dict[str, Any]) -> str:
    """One readable block per axe violation: rule, impact, help and a few targets."""
    nodes = violation.get("nodes", [])
    targets = []
    for node in nodes[:3]:
        target = node.get("target", [])
        # axe targets are lists (one entry per frame/shadow level).
        targets.append(" > ".join(str(t) for t in target) if isinstance(target, list) else str(target))
    more = f" (+{len(nodes) - 3} more)" if len(nodes) > 3 else ""
    return (
        f"- [{violation.get('impact')}] {violation.get('id')}: "
        f"{violation.get('help')}\n"
        f"    {violation.get('helpUrl', '')}\n"
        f"    targets: {', '.join(targets) or '(none)'}{more}"
    )


def axe_violations(page: Page, *, tags: list[str] | None = None) -> list[dict[str, Any]]:
    """Run axe-core on the current page and return all violations (any impact)."""
    options = {
        "runOnly": {"type": "tag", "values": list(tags or AXE_TAGS)},
        "resultTypes": ["violations"],
    }
    results = _axe.run(page, options=options)
    return list(results.response.get("violations", []))


def assert_accessible(page: Page, *, context: str = "") -> None:
    """Fail on serious/critical axe violations (WCAG 2.0/2.1 A+AA, best practice)."""
    violations = [v for v in axe_violations(page) if v.get("impact") in FAILING_IMPACTS]
    if violations:
        where = f" ({context})" if context else ""
        details = "\n".join(_format_violation(v) for v in violations)
        raise AssertionError(
            f"{len(violations)} serious/critical accessibility violation(s) on {_short_url(page.url)}{where}:\n{details}"
        )


_OVERFLOW_SCRIPT = """
() => {
  const vw = window.innerWidth;
  const doc = document.documentElement;
  const describe = (el) => {
    let s = el.tagName.toLowerCase();
    if (el.id) s += '#' + el.id;
    if (typeof el.className === 'string' && el.className.trim())
      s += '.' + el.className.trim().split(/\\s+/).join('.');
    return s;
  };
  const offenders = [];
  for (const el of document.body ? document.body.querySelectorAll('*') : []) {
    const r = el.getBoundingClientRect();
    if (r.width > 0 && Math.ceil(r.right) > vw + 1) {
      offenders.push(describe(el) + ' (right=' + Math.round(r.right) + 'px)');
      if (offenders.length >= 5) break;
    }
  }
  return {scrollWidth: doc.scrollWidth, innerWidth: vw, offenders: offenders};
}
"""


def assert_no_horizontal_scroll(page: Page, *, context: str = "") -> None:
    """WCAG 1.4.10 reflow: at the current viewport (e.g. 320px) no sideways scroll."""
    info = page.evaluate(_OVERFLOW_SCRIPT)
    if info["scrollWidth"] > info["innerWidth"]:
        where = f" ({context})" if context else ""
        offenders = "\n".join(f"  - {o}" for o in info["offenders"]) or "  (none identified)"
        raise AssertionError(
            f"Horizontal scrolling on {_short_url(page.url)}{where}: "
            "document scrollWidth "
            f"{info['scrollWidth']}px > viewport {info['innerWidth']}px. "
            f"Widest elements:\n{offenders}"
        )
