"""Issue 13's accessibility acceptance: axe-core over every page, each as
the role that sees most of it (axe_pages.py), in Dutch and English at 390
and 1280 px: no violation of WCAG 2.1 A/AA nor of axe's best practices; and
in the same pass the reflow check of WCAG 1.4.10: at 320 px no page is
wider than the viewport. Every failure is reported at once.

Runs once per CI run: it is skipped when DATABASE_URL points to PostgreSQL
(CI runs the suite on SQLite first), because what it checks is the HTML and
CSS, which do not depend on the database, and it takes minutes.
"""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any

import pytest

from commonroom.demo.management.commands.demo_data import DEMO_PASSWORD
from tests.browser.axe_pages import (
    ROLE_NAMES,
    VISITOR,
    Page,
    pages,
    unvisited_patterns,
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        os.environ.get("DATABASE_URL", "").startswith(("postgres", "pgsql")),
        reason="the axe pass runs once per CI run, on SQLite (pages do not depend on the database)",
    ),
]

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]
RUN_AXE = """async (tags) => {
  const result = await axe.run(document, {runOnly: {type: 'tag', values: tags},
                                          resultTypes: ['violations']});
  return result.violations.map(v => ({id: v.id, help: v.help,
                                      targets: v.nodes.map(n => n.target.join(' '))}));
}"""
WIDTHS = {390: 844, 1280: 900}
REFLOW_WIDTH = 320


def _sign_in(page: Any, base: str, email: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_login", email)
    page.fill("#id_password", DEMO_PASSWORD)
    with page.expect_navigation():
        page.click("form.form button[type=submit]")


def _check(page: Any, base: str, item: Page, lang: str, failures: list[str]) -> None:
    where = f"{item.path} as {ROLE_NAMES.get(item.role, item.role)}, {lang}"
    expected = item.status
    for width, height in WIDTHS.items():
        page.set_viewport_size({"width": width, "height": height})
        response = page.goto(base + item.path)
        if page.url.startswith(f"{base}/accounts/reauthenticate/"):
            # allauth asks for the password again before 2FA set-up.
            page.fill("#id_password", DEMO_PASSWORD)
            with page.expect_navigation():
                page.click("form.form button[type=submit]")
            response = page.goto(base + item.path)
        if response is None or response.status != expected:
            status = response.status if response else "no response"
            failures.append(f"{where}: status {status}, expected {expected}")
        if page.url.split("?")[0] != (base + item.path).split("?")[0]:
            failures.append(f"{where}: redirected to {page.url.removeprefix(base)}")
        if page.evaluate("() => document.documentElement.lang") != lang:
            failures.append(f"{where}: the page is not in {lang}")
        for violation in page.evaluate(RUN_AXE, AXE_TAGS):
            targets = "; ".join(violation["targets"][:5])
            failures.append(
                f"{where}, {width} px: {violation['id']} ({violation['help']}): {targets}"
            )
        if width == 390:
            # WCAG 1.4.10: 320 CSS px, as 1280 px zoomed to 400 % (a resize, not a reload).
            page.set_viewport_size({"width": REFLOW_WIDTH, "height": 800})
            wide = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
            if wide[0] > wide[1]:
                failures.append(f"{where}, 320 px: reflow: the page is {wide[0]} px wide")


@pytest.mark.timeout(1200)
def test_item13_axe_every_page_both_languages_two_widths_and_reflow(
    browser: Any, live_server: Any, seeded: None, settings: Any, tmp_path: Path
) -> None:
    if not AXE.exists():
        pytest.skip("axe-core is not installed: `npm ci` (make test runs it where npm exists)")
    settings.MEDIA_ROOT = tmp_path / "media"
    started = time.monotonic()
    every_page = pages()
    seeded_in = time.monotonic() - started
    failures = [f"not visited: {m}" for m in unvisited_patterns({p.view for p in every_page})]
    base = live_server.url
    roles = list(dict.fromkeys(p.role for p in every_page))
    for role in roles:
        for lang in ("nl", "en"):
            # axe comes in as an init script (DevTools' addScriptToEvaluateOnNewDocument):
            # the site's strict CSP (script-src 'self', no 'unsafe-inline') stays
            # on, as a <script> tag with axe's code would need bypass_csp; and it
            # is a third faster than add_script_tag after every load.
            context = browser.new_context(base_url=base, locale=lang)  # type: ignore[attr-defined]
            context.add_init_script(path=str(AXE))
            context.add_cookies([{"name": "django_language", "value": lang, "url": base}])
            context.set_default_timeout(20_000)
            page = context.new_page()
            if role != VISITOR:
                _sign_in(page, base, role)
            for item in every_page:
                if item.role == role:
                    _check(page, base, item, lang, failures)
            context.close()
            print(f"axe: {ROLE_NAMES.get(role, role)}, {lang}: {time.monotonic() - started:.0f} s")
    took = time.monotonic() - started
    print(f"\naxe: {len(every_page)} pages x 2 languages x 2 widths (+ reflow at 320 px)")
    print(f"in {took:.0f} s (seeding {seeded_in:.0f} s)")
    problems = list(dict.fromkeys(failures))  # a wrong status shows at both widths
    assert not problems, f"{len(problems)} problems:\n" + "\n".join(problems)
