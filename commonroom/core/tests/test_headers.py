"""Issue 12 item 9: caching of members' answers, Permissions-Policy, the secret
key check and the demo-data guard."""

import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.management import CommandError, call_command

from commonroom.accounts.models import Member
from commonroom.core.tests.test_security import ROOT, production_env
from commonroom.resources.tests.factories import PublishedResourceFactory, ResourceFileFactory

NO_STORE = "no-store, private"


@pytest.mark.django_db
def test_item9_every_answer_to_a_signed_in_member_is_no_store_private(member_client):
    file = ResourceFileFactory(resource=PublishedResourceFactory())
    answers = {
        "page": member_client.get("/"),
        "download": member_client.get(file.get_absolute_url()),
        "data export": member_client.get("/accounts/my-data/"),
        "not found": member_client.get("/no-such-page/"),
    }
    assert {name: r.status_code for name, r in answers.items()} == {
        "page": 200,
        "download": 200,
        "data export": 200,
        "not found": 404,
    }
    assert {name: r["Cache-Control"] for name, r in answers.items()} == dict.fromkeys(
        answers, NO_STORE
    )


@pytest.mark.django_db
def test_item9_a_visitors_page_keeps_its_own_caching(client):
    assert not client.get("/").has_header("Cache-Control")


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/", "/no-such-page/", "/healthz", "/static/commonroom/site.js"])
def test_item9_every_answer_carries_a_permissions_policy(client, path):
    policy = client.get(path)["Permissions-Policy"]
    features = dict(item.split("=") for item in policy.split(", "))
    for feature in ("camera", "microphone", "geolocation", "payment", "usb", "serial"):
        assert features[feature] == "()"


def _check(**overrides: str) -> subprocess.CompletedProcess[str]:
    env = production_env()
    env.update(overrides)
    return subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT, env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip


def test_item9_the_example_environment_holds_the_refused_placeholder_key():
    example = (ROOT / "deploy" / "commonroom.env.example").read_text()
    key = re.search(r"^SECRET_KEY=(.*)$", example, re.M)
    assert key is not None
    assert key.group(1) in django_settings.PLACEHOLDER_SECRET_KEYS


def test_item9_production_refuses_the_placeholder_secret_key():
    result = _check(SECRET_KEY="change-me-to-50-random-characters")
    assert result.returncode == 1
    assert (
        "django.core.exceptions.ImproperlyConfigured: SECRET_KEY is the placeholder of "
        "deploy/commonroom.env.example: set it to 50 or more random characters"
    ) in result.stderr


def test_item9_production_refuses_a_secret_key_shorter_than_50_characters():
    result = _check(SECRET_KEY="k" * 49)
    assert result.returncode == 1
    assert (
        "ImproperlyConfigured: SECRET_KEY has 49 characters; at least 50 random "
        "characters are needed"
    ) in result.stderr
    assert _check(SECRET_KEY="k" * 50).returncode == 0


def test_item9_debug_still_starts_with_the_placeholder_key():
    result = _check(SECRET_KEY="change-me-to-50-random-characters", DEBUG="true")
    assert result.returncode == 0, result.stderr


def test_item9_the_test_settings_key_is_long_enough():
    assert len(django_settings.SECRET_KEY) >= 50


@pytest.mark.django_db
def test_item9_demo_data_is_refused_outside_the_embedded_database(settings):
    settings.DEMO_DATA = False
    with pytest.raises(CommandError) as error:
        call_command("demo_data", "--quiet")
    assert str(error.value) == (
        "Demo data not loaded: the database is not the embedded SQLite file "
        f"({settings.EMBEDDED_DATABASE}) and every demo member's password is published. "
        "Set DEMO_DATA=1 to load it into this database anyway."
    )
    assert Member.objects.count() == 0


@pytest.mark.django_db
def test_item9_make_run_serves_without_demo_outside_the_embedded_database(settings, capsys):
    settings.DEMO_DATA = False
    call_command("demo_data", "--if-empty")
    out, err = capsys.readouterr()
    assert out == ""
    assert err.startswith("Demo data not loaded: the database is not the embedded SQLite file")
    assert Member.objects.count() == 0


@pytest.mark.django_db
def test_item9_demo_data_is_allowed_in_the_embedded_sqlite_file_or_when_asked(settings):
    from django.db import connection

    from commonroom.demo.management.commands.demo_data import demo_data_allowed

    settings.DEMO_DATA = False
    assert demo_data_allowed() is False
    settings.DEMO_DATA = True
    assert demo_data_allowed() is True
    settings.DEMO_DATA = False
    settings.EMBEDDED_DATABASE = Path(str(connection.settings_dict["NAME"]))
    assert demo_data_allowed() is (connection.vendor == "sqlite")
