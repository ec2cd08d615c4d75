"""Issue 13 item 12: what `make run` / scripts/serve hand to the settings, and
what the worker prints between the mails."""

import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from django_tasks import task

from commonroom.core.logfilters import MinimumLevelFilter
from commonroom.settings import site_url_from_bind

ROOT = Path(__file__).resolve().parents[3]


@pytest.mark.parametrize(
    ("bind", "site_url"),
    [
        ("127.0.0.1:8000", "http://127.0.0.1:8000"),
        ("127.0.0.1:8104", "http://127.0.0.1:8104"),
        ("0.0.0.0:9000", "http://127.0.0.1:9000"),
        (":9001", "http://127.0.0.1:9001"),
        ("[::]:8080", "http://[::1]:8080"),
        ("[::1]:8081", "http://[::1]:8081"),
        ("school.example:8002", "http://school.example:8002"),
    ],
)
def test_item12a_site_url_follows_bind(bind, site_url):
    assert site_url_from_bind(bind) == site_url


@pytest.mark.parametrize(
    ("bind", "message"),
    [
        ("unix:/run/commonroom.sock", "BIND=unix:/run/commonroom.sock is not a TCP address"),
        ("fd://3", "BIND=fd://3 is not a TCP address"),
        ("localhost", "BIND=localhost has no port: write it as HOST:PORT"),
        ("127.0.0.1:http", "BIND=127.0.0.1:http has no port"),
        ("127.0.0.1:70000", "BIND=127.0.0.1:70000 has no port"),
    ],
)
def test_item12a_bind_without_a_tcp_port_asks_for_site_url(bind, message):
    with pytest.raises(ImproperlyConfigured, match=message.replace("(", r"\(")):
        site_url_from_bind(bind)


def _settings_in_fresh_process(**environment: str) -> str:
    env = {k: v for k, v in os.environ.items() if k not in {"SITE_URL", "BIND"}}
    env.update(environment, DJANGO_SETTINGS_MODULE="commonroom.settings")
    code = "from django.conf import settings; print(settings.SITE_URL)"
    done = subprocess.run(  # noqa: S603 - our own interpreter, fixed code
        [sys.executable, "-c", code], env=env, cwd=ROOT, capture_output=True, text=True, check=True
    )
    return done.stdout.strip()


def test_item12a_settings_take_site_url_from_bind_unless_set():
    assert _settings_in_fresh_process(BIND="127.0.0.1:8104") == "http://127.0.0.1:8104"
    assert _settings_in_fresh_process() == "http://127.0.0.1:8000"
    assert (
        _settings_in_fresh_process(BIND="127.0.0.1:8104", SITE_URL="https://school.example")
        == "https://school.example"
    )


@task()
def item12_succeeds() -> int:
    return 1


@task()
def item12_fails() -> int:
    raise ValueError("item 12 broke")


def test_item12c_worker_logs_failed_tasks_but_not_successful_ones(caplog):
    # As `db_worker -v 1` leaves it: the logger itself at INFO.
    logging.getLogger("django_tasks").setLevel(logging.INFO)
    caplog.set_level(logging.INFO)

    ok = item12_succeeds.enqueue()
    failed = item12_fails.enqueue()

    tasks_lines = [
        (r.levelname, r.getMessage()) for r in caplog.records if r.name == "django_tasks"
    ]
    path = "commonroom.core.tests.test_serve_settings.item12_fails"
    assert tasks_lines == [("ERROR", f"Task id={failed.id} path={path} state=FAILED")]
    assert str(ok.id) not in caplog.text


def test_item12c_minimum_level_filter():
    quiet = MinimumLevelFilter("WARNING")

    def record(level: int) -> logging.LogRecord:
        return logging.LogRecord("django_tasks", level, __file__, 1, "m", None, None)

    assert [quiet.filter(record(level)) for level in (10, 20, 30, 40, 50)] == [
        False,
        False,
        True,
        True,
        True,
    ]
