"""Browser journeys in Debian's Chromium, driven by Playwright; never a
downloaded browser. Skipped (with the reason) where Chromium is missing."""

from collections.abc import Iterator
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    if not CHROMIUM.exists():
        pytest.skip("Debian's chromium is not installed: `make test` installs it when run as root")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server, seeded, settings, tmp_path) -> Iterator[object]:
    settings.MEDIA_ROOT = tmp_path / "media"
    context = browser.new_context(  # type: ignore[attr-defined]
        base_url=live_server.url, locale="en-GB", accept_downloads=True,
        viewport={"width": 1280, "height": 900},
    )  # fmt: skip
    context.set_default_timeout(20_000)
    page = context.new_page()
    yield page
    context.close()
