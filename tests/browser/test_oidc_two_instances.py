"""Issue 18, item 4 acceptance: sign-in both ways between two instances on loopback.

Instance A (the OpenID Connect provider) is the test's live server, on the
test database (SQLite, or PostgreSQL in the PostgreSQL run). Instance B (the
client) is gunicorn in a subprocess with a VAR_DIR and SQLite file of its own,
in both runs, configured through OIDC_PROVIDERS with A as its provider. A is
reached as http://localhost:…, B as http://127.0.0.1:…: cookies ignore the
port, so two host names keep the two sessions apart. No request leaves
loopback: B is started without proxy variables (NO_PROXY=*).

In Chromium a member signs in to B through A (code + PKCE S256, A's consent
screen), accepts B's terms and lands signed in on B; B's access token works at
A's userinfo; the member revokes the grant on A and the token gets 401.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import sqlite3
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from commonroom.accounts.tests.factories import PASSWORD, MemberFactory

pytestmark = [pytest.mark.browser]

ROOT = Path(__file__).resolve().parents[2]
PROVIDER_ID = "commonroom-a"
CLIENT_SECRET = "b-client-secret-0123456789-abcdefghij"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _get(url: str, token: str | None = None) -> tuple[int, bytes]:
    request = urllib.request.Request(url)  # noqa: S310 (http URLs of the two instances)
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    try:
        with opener.open(request, timeout=10) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


class InstanceB:
    """gunicorn serving Commonroom from a VAR_DIR of its own; stopped by its
    process group in the test's teardown."""

    def __init__(self, root: Path, provider_url: str) -> None:
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        var = root / "var"
        var.mkdir(parents=True)
        keep = {"PATH", "HOME", "LANG", "LC_ALL", "TMPDIR"}
        self.env = {k: v for k, v in os.environ.items() if k in keep} | {
            "DJANGO_SETTINGS_MODULE": "commonroom.settings",
            "VAR_DIR": str(var),
            "SECRET_KEY": "instance-b-secret-key-for-the-two-instance-test-0123456789",
            "DEBUG": "false",
            "HTTPS": "false",
            "STATIC_MANIFEST": "false",
            "TASKS_BACKEND": "immediate",
            "EMAIL_URL": "consolemail://",
            "BIND": f"127.0.0.1:{self.port}",
            "NO_PROXY": "*",
            "SOCIALACCOUNT_STORE_TOKENS": "true",
            "OIDC_PROVIDERS": json.dumps(
                [
                    {
                        "id": PROVIDER_ID,
                        "name": "Commonroom A",
                        "server_url": provider_url,
                        "client_id": "instance-b",
                        "secret": CLIENT_SECRET,
                    }
                ]
            ),
        }
        self.database = var / "commonroom.sqlite3"
        self.log = root / "b.log"
        self.process: subprocess.Popen[bytes] | None = None
        self.migrating = subprocess.Popen(  # noqa: S603
            ["/bin/sh", "-c", f"{ROOT}/.venv/bin/python manage.py migrate --noinput -v 0"
             f" && {ROOT}/.venv/bin/python manage.py createcachetable -v 0"],
            cwd=ROOT, env=self.env, stdout=self.log.open("ab"), stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip

    def start(self) -> None:
        assert self.migrating.wait(timeout=400) == 0, self.log.read_text()[-3000:]
        self.process = subprocess.Popen(  # noqa: S603
            [f"{ROOT}/.venv/bin/gunicorn", "commonroom.wsgi", "--bind", f"127.0.0.1:{self.port}",
             "--workers", "1", "--threads", "4", "--timeout", "60"],
            cwd=ROOT, env=self.env, stdout=self.log.open("ab"), stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if _get(f"{self.url}/healthz")[0] == 200:
                    return
            except urllib.error.URLError:
                pass  # not listening yet
            assert self.process.poll() is None, self.log.read_text()[-3000:]
            time.sleep(0.2)
        raise AssertionError("instance B did not start:\n" + self.log.read_text()[-3000:])

    def stop(self) -> None:
        for process in (self.migrating, self.process):
            if process is not None and process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
                process.wait(timeout=30)

    def access_token(self) -> str:
        with sqlite3.connect(self.database) as db:
            row = db.execute("SELECT token FROM socialaccount_socialtoken").fetchone()
        assert row is not None, "B stored no token"
        return str(row[0])

    def member_emails(self) -> list[str]:
        with sqlite3.connect(self.database) as db:
            return [r[0] for r in db.execute("SELECT email FROM accounts_member")]


@pytest.fixture
def instance_b(live_server: Any, tmp_path: Path) -> Iterator[InstanceB]:
    provider_url = live_server.url.replace("127.0.0.1", "localhost")
    instance = InstanceB(tmp_path, provider_url)
    try:
        yield instance
    finally:
        instance.stop()


@pytest.mark.timeout(900)
def test_issue18_b_signs_in_through_a_and_the_revoked_token_stops(
    browser: Any, live_server: Any, seeded: None, instance_b: InstanceB
) -> None:
    from oauth2_provider.models import Application

    a_url = live_server.url.replace("127.0.0.1", "localhost")
    member = MemberFactory(first_name="Mira", last_name="Desmet", email="mira@school.example")
    app = Application.objects.create(
        name="Instance B",
        client_id="instance-b",
        client_secret=CLIENT_SECRET,
        client_type=Application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
        redirect_uris=f"{instance_b.url}/accounts/oidc/{PROVIDER_ID}/login/callback/",
        algorithm=Application.RS256_ALGORITHM,
    )
    instance_b.start()

    context = browser.new_context(locale="en-GB", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(30_000)
    requests: list[str] = []
    context.on("request", lambda r: requests.append(r.url))
    page = context.new_page()
    try:
        # On B: sign in with Commonroom A.
        page.goto(f"{instance_b.url}/accounts/login/")
        page.get_by_role("link", name="Commonroom A").click()
        page.get_by_role("button", name="Continue").click()
        # On A: sign in with the password, then the consent screen.
        page.wait_for_url(f"{a_url}/accounts/login/**")
        page.get_by_label("Email").fill(member.email)
        page.locator("#id_password").fill(PASSWORD)
        page.get_by_role("button", name="Sign In").click()
        page.get_by_role(
            "heading", name="Sign in to Instance B with your Commonroom account?"
        ).wait_for()
        assert page.get_by_text("Your e-mail address, and whether you confirmed it").is_visible()
        page.get_by_role("button", name="Allow", exact=True).click()
        # Back on B: a new member accepts B's terms.
        page.wait_for_url(f"{instance_b.url}/accounts/3rdparty/signup/")
        assert page.get_by_label("First name").input_value() == "Mira"
        page.get_by_label("Year of birth").fill("1988")
        page.get_by_label("I am not a pupil in compulsory education.").check()
        page.locator("#id_accept_terms").check()
        page.get_by_role("button", name="Sign Up").click()
        page.wait_for_url(f"{instance_b.url}/")
        page.get_by_role("button", name="Sign out").or_(
            page.get_by_role("link", name="Sign out")
        ).first.wait_for(state="attached")
        assert instance_b.member_emails() == ["mira@school.example"]

        # B's access token works at A's userinfo.
        token = instance_b.access_token()
        status, body = _get(f"{a_url}/o/userinfo/", token)
        assert status == 200
        assert json.loads(body)["email"] == "mira@school.example"
        assert json.loads(body)["sub"] == str(member.pk)

        # On A: the member takes the access back; B's token stops at once.
        page.goto(f"{a_url}/accounts/apps/")
        page.get_by_role("button", name="Take back access from Instance B").click()
        page.get_by_text("Instance B can no longer sign you in or read your data.").wait_for()
        status, _body = _get(f"{a_url}/o/userinfo/", token)
        assert status == 401
        assert not app.accesstoken_set.exists()
    finally:
        context.close()
    hosts = {r.split("/")[2].split(":")[0] for r in requests if r.startswith("http")}
    assert hosts <= {"localhost", "127.0.0.1"}, hosts
