"""Screenshots of pages at phone and desktop widths, in Dutch and English.

Usage: .venv/bin/python scripts/screenshots.py [BASE_URL] [OUT_DIR] [PATH ...]
Signs in as the demo member for paths under /accounts/ and as staff for /staff/.
The server must be running (make run).
"""

import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

BASE = sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8000"
OUT = Path(sys.argv[2] if len(sys.argv) > 2 else "screenshots")
PATHS = sys.argv[3:] or ["/", "/accounts/signup/", "/accounts/login/", "/terms/", "/contact/"]
SIZES = {"phone": (390, 844), "desktop": (1280, 900)}
DEMO_PASSWORD = "demo-Commonroom-2026"  # noqa: S105


def sign_in(page, email: str) -> None:  # type: ignore[no-untyped-def]
    page.context.clear_cookies()
    page.goto(f"{BASE}/accounts/login/")
    page.fill("#id_login", email)
    page.fill("#id_password", DEMO_PASSWORD)
    page.click("form.form button[type=submit]")


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path="/usr/bin/chromium",
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run"],
        )  # fmt: skip
        for lang in ("nl", "en"):
            for size_name, (width, height) in SIZES.items():
                context = browser.new_context(
                    locale=lang, viewport={"width": width, "height": height}
                )
                page = context.new_page()
                signed_in_as = None
                for path in PATHS:
                    wanted = (
                        "staff@demo.commonroom.example" if path.startswith("/staff")
                        else "teacher@demo.commonroom.example"
                        if path.startswith("/accounts/") and "signup" not in path
                        and "login" not in path else None
                    )  # fmt: skip
                    if wanted and wanted != signed_in_as:
                        sign_in(page, wanted)
                        signed_in_as = wanted
                    page.goto(f"{BASE}{path}")
                    name = path.strip("/").replace("/", "_") or "home"
                    target = OUT / f"{name}.{lang}.{size_name}.png"
                    page.screenshot(path=str(target), full_page=True)
                    print(target)
                context.close()
        browser.close()


if __name__ == "__main__":
    main()
