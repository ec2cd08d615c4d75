import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from commonroom.accounts.tests.test_suspension import every_url_without_arguments

ROOT = Path(__file__).resolve().parents[3]


def production_env(**extra: str) -> dict[str, str]:
    skip = {"HTTPS", "DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {k: v for k, v in os.environ.items() if k not in skip}
    env.update(
        DEBUG="false",
        SECRET_KEY="a-production-secret-" + "x7Qp9" * 12,
        ALLOWED_HOSTS="commonroom.example",
        **extra,
    )
    return env


def test_production_settings_pass_check_deploy_without_warnings():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT, env=production_env(), capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip() == "System check identified no issues (0 silenced)."


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    env = production_env(SECRET_KEY_FILE=str(tmp_path / "missing"))
    env.pop("SECRET_KEY")
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT, env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert result.returncode != 0
    assert "No secret key: set SECRET_KEY" in result.stderr


@pytest.mark.django_db
def test_home_page_carries_the_security_headers(client):
    response = client.get("/")
    csp = response["Content-Security-Policy"]
    directives = dict(d.strip().split(" ", 1) for d in csp.split(";"))
    assert directives["script-src"] == "'self'"
    assert "unsafe-inline" not in csp
    assert directives["frame-ancestors"] == "'none'"
    assert directives["object-src"] == "'none'"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"


@pytest.mark.django_db
def test_pages_have_no_inline_script_or_style(member_client, staff_client, client):
    urls = [u for u in every_url_without_arguments() if not u.startswith("/admin")]
    # A JSON-LD data block (issue 18) is not run, so the CSP has nothing to allow.
    inline_script = re.compile(
        r'<script(?![^>]*\bsrc=)(?![^>]*\btype="application/ld\+json")[^>]*>', re.IGNORECASE
    )
    style_attribute = re.compile(r"<[^>]+\sstyle=", re.IGNORECASE)
    checked = 0
    for browser in (client, member_client, staff_client):
        for url in urls:
            response = browser.get(url)
            if response.status_code != 200 or "text/html" not in response["Content-Type"]:
                continue
            html = response.content.decode()
            assert not inline_script.search(html), url
            assert not style_attribute.search(html), url
            assert "<style" not in html, url
            checked += 1
    assert checked > 25
