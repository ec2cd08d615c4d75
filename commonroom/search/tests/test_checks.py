"""Issue 15, item 6: ``manage.py check --database default`` warns about the
PostgreSQL settings search at a million resources needs."""

import pytest
from django.core import checks
from django.db import connection

from commonroom.search.checks import (
    ServerSettings,
    postgresql_settings,
    read_settings,
    settings_warnings,
)

GB = 1024**3
MB = 1024**2
TUNED = ServerSettings(
    jit=False,
    shared_buffers=8 * GB,
    work_mem=64 * MB,
    search_bytes=6 * GB,
    match_pages=200_000,
)


def ids(messages):
    return [message.id for message in messages]


def test_r11_issue15_a_tuned_server_raises_no_warning():
    assert settings_warnings(TUNED) == []


def test_r11_issue15_jit_on_is_a_warning_naming_the_setting():
    server = ServerSettings(**{**TUNED.__dict__, "jit": True})
    [warning] = settings_warnings(server)
    assert warning.id == "commonroom.W031"
    assert warning.level == checks.WARNING
    assert "jit = off" in warning.hint


def test_r11_issue15_shared_buffers_must_hold_the_search_tables_and_indexes():
    server = ServerSettings(**{**TUNED.__dict__, "shared_buffers": 5 * GB})
    [warning] = settings_warnings(server)
    assert warning.id == "commonroom.W032"
    assert warning.msg == (
        "PostgreSQL (default) has shared_buffers = 5120MB, less than the search "
        "tables and indexes (6144MB)."
    )
    assert warning.hint.startswith("Set shared_buffers = 6144MB or more")
    at_the_line = ServerSettings(**{**TUNED.__dict__, "shared_buffers": 6 * GB})
    assert settings_warnings(at_the_line) == []


def test_r11_issue15_work_mem_must_hold_an_exact_bitmap_of_the_match_table():
    # 200,000 pages × 64 bytes = 12.2 MB.
    server = ServerSettings(**{**TUNED.__dict__, "work_mem": 4 * MB})
    [warning] = settings_warnings(server)
    assert warning.id == "commonroom.W033"
    assert warning.hint.startswith("Set work_mem = 13MB or more")
    enough = ServerSettings(**{**TUNED.__dict__, "work_mem": 13 * MB})
    assert settings_warnings(enough) == []


def test_r11_issue15_a_small_index_needs_only_the_defaults():
    laptop = ServerSettings(
        jit=False, shared_buffers=128 * MB, work_mem=4 * MB, search_bytes=20 * MB, match_pages=900
    )
    assert settings_warnings(laptop) == []


def test_r11_issue15_every_problem_at_once():
    server = ServerSettings(
        jit=True, shared_buffers=128 * MB, work_mem=4 * MB, search_bytes=GB, match_pages=200_000
    )
    assert ids(settings_warnings(server)) == [
        "commonroom.W031",
        "commonroom.W032",
        "commonroom.W033",
    ]


def test_r11_issue15_the_check_runs_only_for_the_default_database_when_asked():
    assert postgresql_settings(databases=None) == []
    assert postgresql_settings(databases=["replica_1"]) == []


def test_r11_issue15_the_check_is_a_database_check():
    # Not on a plain `manage.py check` (nor `check --deploy`, which runs
    # without a database); `check --database default` and `migrate` run it.
    registered = checks.registry.registry.get_checks(include_deployment_checks=True)
    assert postgresql_settings in registered
    assert checks.Tags.database in postgresql_settings.tags


@pytest.mark.django_db
def test_r11_issue15_sqlite_is_skipped():
    if connection.vendor != "sqlite":
        pytest.skip("SQLite only")
    assert read_settings("default") is None
    assert postgresql_settings(databases=["default"]) == []


@pytest.mark.django_db
def test_r11_issue15_postgresql_reports_what_the_session_sees():
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only")
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL jit = on")
        cursor.execute("SET LOCAL work_mem = '64kB'")
    server = read_settings("default")
    assert server is not None
    assert server.jit is True
    assert server.work_mem == 64 * 1024
    assert server.search_bytes > 0
    found = ids(postgresql_settings(databases=["default"]))
    assert "commonroom.W031" in found
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL jit = off")
    assert "commonroom.W031" not in ids(postgresql_settings(databases=["default"]))


def test_r11_issue15_an_unreachable_database_is_skipped(monkeypatch):
    from django.db import OperationalError

    class Down:
        vendor = "postgresql"

        def cursor(self):
            raise OperationalError("connection refused")

    monkeypatch.setattr("commonroom.search.checks.connections", {"default": Down()})
    assert read_settings("default") is None
    assert postgresql_settings(databases=["default"]) == []
