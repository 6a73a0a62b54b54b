"""What the browser journeys use: headless Debian Chromium driven by Playwright, the
axe-core and Nu Html Checker packages from ``tests/browser/node_modules`` (``make
test`` installs them with ``npm ci``), keyboard-only helpers and screenshots.

Every page a journey visits goes through :meth:`Audit.check`: axe-core (loaded into
every page of the browser context by :func:`prepare_context`, outside the DOM) runs in
the page (WCAG 2.1 A and AA rules), the page's HTML as the server sent it is kept for the
Nu Html Checker, and a screenshot is written to ``test-artifacts/screenshots/``."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
AXE = HERE / "node_modules" / "axe-core" / "axe.min.js"
VNU = HERE / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 375, "height": 740}

# Nu Html Checker findings we accept, each with its reason.
ACCEPTED_HTML_FINDINGS: dict[str, str] = {}


def chromium_path() -> str:
    """Debian's Chromium (``apt-get install chromium``); never a downloaded browser."""
    path = os.environ.get("SAMVERKAN_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(path).exists():
        raise RuntimeError(
            "Debian's chromium package is missing: `make test` installs it with apt-get "
            "(or set SAMVERKAN_CHROMIUM to a Chromium binary)."
        )
    return path


CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def prepare_context(context: Any) -> None:
    """Load axe-core into every page the context opens (as an init script, so the
    page's DOM, which the Nu Html Checker reads, stays as the server made it)."""
    context.add_init_script(path=str(AXE))


@dataclass
class Audit:
    """axe-core results, HTML sources and screenshots of the pages a run visits."""

    pages: list[str] = field(default_factory=list)
    violations: list[str] = field(default_factory=list)
    rules_checked: set[str] = field(default_factory=set)
    html: dict[str, str] = field(default_factory=dict)
    seconds: float = 0.0

    def check(self, page: Any, name: str) -> None:
        started = time.perf_counter()
        try:
            self._check(page, name)
        finally:
            self.seconds += time.perf_counter() - started

    def _check(self, page: Any, name: str) -> None:
        page.wait_for_load_state("load")
        self.pages.append(name)
        result = page.evaluate(
            """async (tags) => {
                const r = await axe.run(document, {runOnly: {type: 'tag', values: tags},
                                                   resultTypes: ['violations']});
                return {
                  violations: r.violations.map(v => ({id: v.id, help: v.help,
                    nodes: v.nodes.map(n => n.target.join(' ') + ' :: ' + n.failureSummary)})),
                  rules: [...r.passes, ...r.inapplicable, ...r.incomplete, ...r.violations]
                    .map(x => x.id),
                };
            }""",
            WCAG_TAGS,
        )
        self.rules_checked.update(result["rules"])
        for violation in result["violations"]:
            self.violations.append(
                f"{name}: {violation['id']} ({violation['help']}): " + "; ".join(violation["nodes"])
            )
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"{_slug(name)}.png"), full_page=True)

    def keep_html(self, name: str, html: str) -> None:
        self.html[name] = html

    def html_findings(self, folder: Path) -> list[str]:
        """Run the Nu Html Checker once over every kept page; its errors, less the
        accepted ones, as "page: message" lines."""
        if not self.html:
            return []
        files = {}
        for name, html in self.html.items():
            path = folder / f"{_slug(name)}.html"
            path.write_text(html, encoding="utf-8")
            files[path.resolve().as_uri()] = name
        messages = nu_messages(sorted(folder.glob("*.html")))
        found = []
        for message in messages:
            if message.get("type") == "info" and message.get("subType") != "warning":
                continue
            text = message.get("message", "")
            if any(re.search(pattern, text) for pattern in ACCEPTED_HTML_FINDINGS):
                continue
            page = files.get(message.get("url", ""), message.get("url", ""))
            found.append(f"{page}:{message.get('lastLine')}: {message.get('type')}: {text}")
        return found


def nu_messages(paths: list[Path]) -> list[dict[str, Any]]:
    """Every message of the Nu Html Checker (vnu.jar) on the HTML files ``paths``."""
    run = subprocess.run(  # noqa: S603 - our own checker on our own files
        [
            shutil.which("java") or "/usr/bin/java",
            "-jar",
            str(VNU),
            "--format",
            "json",
            "--stdout",
            *map(str, paths),
        ],
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    messages: list[dict[str, Any]] = json.loads(run.stdout or "{}").get("messages", [])
    return messages


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


# --- The keyboard ---------------------------------------------------------------------

FOCUS_STATE = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const style = getComputedStyle(el);
  const visible = (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0)
                  || style.boxShadow !== 'none';
  const r = el.getBoundingClientRect();
  return {visible, tag: el.tagName, text: (el.innerText || el.value || el.name || '').slice(0, 60),
          id: el.id, inView: r.width > 0 && r.height > 0};
}"""


class KeyboardTrapError(AssertionError):
    pass


def tab_to(page: Any, locator: Any, *, limit: int = 120) -> None:
    """Press Tab until ``locator`` has the focus, checking at every stop that the
    focused control shows a visible focus indicator. Fails if the control is never
    reached (not reachable, or focus is trapped elsewhere)."""
    target = locator.element_handle()
    assert target is not None
    for _ in range(limit):
        page.keyboard.press("Tab")
        state = page.evaluate(FOCUS_STATE)
        if state is None:
            continue
        assert state["visible"], f"focus not visible on {state}"
        if page.evaluate("(el) => el === document.activeElement", target):
            return
    raise KeyboardTrapError(f"not reached with Tab in {limit} presses: {locator}")
