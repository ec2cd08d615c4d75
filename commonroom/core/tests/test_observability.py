"""/metrics, /readyz's parts, request ids and JSON logs (issue 19, item 4)."""

from __future__ import annotations

import io
import json
import logging
import re
from collections.abc import Iterator

import pytest
from django.core.cache import cache
from django.db import transaction
from django.test import Client
from django_tasks import task
from prometheus_client import REGISTRY
from prometheus_client.parser import text_string_to_metric_families

from commonroom.core.models import OutboxEntry
from commonroom.core.outbox import outbox_run_entry, task_enqueue_on_commit
from commonroom.core.requestlog import JsonFormatter, RequestIdFilter, request_id_bound
from commonroom.core.tests.redis_server import free_port

pytestmark = pytest.mark.django_db

task_logger = logging.getLogger("commonroom.core.tests.task")


@task()
def say_hello() -> None:
    task_logger.info("hello from the task")


@task()
def break_down() -> None:
    raise RuntimeError("broken")


@pytest.fixture
def json_log() -> Iterator[io.StringIO]:
    """What the root logger writes, as settings write it with LOG_FORMAT=json."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RequestIdFilter())
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        yield stream
    finally:
        root.removeHandler(handler)


def lines(stream: io.StringIO) -> list[dict[str, object]]:
    return [json.loads(line) for line in stream.getvalue().splitlines()]


def scraped(client: Client, **headers: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    response = client.get("/metrics", **headers)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain; version=")
    samples = {}
    for family in text_string_to_metric_families(response.content.decode()):
        for sample in family.samples:
            samples[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return samples


def responses(samples, route: str, status: str) -> float:
    key = (
        "commonroom_http_responses_total",
        (("method", "GET"), ("route", route), ("status", status)),
    )
    return samples.get(key, 0.0)


def test_r_item19_metrics_count_requests_by_route_name_never_by_path(client):
    before = scraped(client)
    client.get("/")
    client.get("/")
    client.get("/resources/987654/")  # no such resource: the route, not the path
    client.get("/no-such-page/")
    after = scraped(client)
    assert responses(after, "home", "200") - responses(before, "home", "200") == 2
    assert (
        responses(after, "resources:detail_short", "404")
        - responses(before, "resources:detail_short", "404")
        == 1
    )
    assert responses(after, "unmatched", "404") - responses(before, "unmatched", "404") == 1
    assert not any("987654" in str(labels) for _, labels in after)
    count = (
        "commonroom_http_request_duration_seconds_count",
        (("method", "GET"), ("route", "home")),
    )
    assert after[count] - before.get(count, 0.0) == 2


def test_r_item19_metrics_report_search_time_cache_reads_and_the_queue(client):
    search = ("commonroom_search_duration_seconds_count", (("selector", "search_documents"),))
    hits = ("commonroom_cache_requests_total", (("result", "hit"),))
    misses = ("commonroom_cache_requests_total", (("result", "miss"),))
    before = scraped(client)
    client.get("/search/", {"q": "fractions"})
    cache.set("metrics:probe", 1)
    assert (cache.get("metrics:probe"), cache.get("metrics:absent")) == (1, None)
    assert cache.get_many(["metrics:probe", "metrics:absent"]) == {"metrics:probe": 1}
    with transaction.atomic():
        task_enqueue_on_commit(task=say_hello)
        task_enqueue_on_commit(task=say_hello)
    after = scraped(client)
    assert after[search] - before.get(search, 0.0) == 1
    assert after[hits] - before.get(hits, 0.0) >= 2
    assert after[misses] - before.get(misses, 0.0) >= 2
    # The test's transaction never commits: both wait in the outbox.
    assert after[("commonroom_outbox_entries", (("state", "pending"),))] == 2
    assert after[("commonroom_outbox_entries", (("state", "done"),))] == 0


def test_r_item19_a_failing_task_counts_as_a_failure(settings):
    settings.OUTBOX_MAX_ATTEMPTS = 2
    labels = {"task": break_down.module_path}

    def value(name: str, **more: str) -> float:
        return REGISTRY.get_sample_value(name, {**labels, **more}) or 0.0

    before = (
        value("commonroom_task_failures_total"),
        value("commonroom_task_runs_total", outcome="retry"),
        value("commonroom_task_runs_total", outcome="failed"),
    )
    entry = OutboxEntry.objects.create(
        task_path=break_down.module_path, next_attempt_at="2026-01-01T00:00:00Z"
    )
    assert outbox_run_entry(entry_id=entry.pk) == OutboxEntry.State.PENDING
    OutboxEntry.objects.filter(pk=entry.pk).update(next_attempt_at="2026-01-01T00:00:00Z")
    assert outbox_run_entry(entry_id=entry.pk) == OutboxEntry.State.FAILED
    after = (
        value("commonroom_task_failures_total"),
        value("commonroom_task_runs_total", outcome="retry"),
        value("commonroom_task_runs_total", outcome="failed"),
    )
    assert [a - b for a, b in zip(after, before, strict=True)] == [2, 1, 1]


def test_r_item19_metrics_only_for_allowed_networks_or_the_token(client, settings):
    settings.METRICS_TOKEN = "s3cret-token"
    outside = {"REMOTE_ADDR": "203.0.113.9"}
    assert client.get("/metrics", **outside).status_code == 403
    wrong = client.get("/metrics", **outside, HTTP_AUTHORIZATION="Bearer nope")
    assert wrong.status_code == 403
    right = client.get("/metrics", **outside, HTTP_AUTHORIZATION="Bearer s3cret-token")
    assert right.status_code == 200
    assert client.get("/metrics").status_code == 200  # loopback
    # Behind a trusted proxy it is the client's address that counts.
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    proxied = client.get("/metrics", HTTP_X_FORWARDED_FOR="203.0.113.9")
    assert proxied.status_code == 403


def test_r_item19_request_id_is_made_returned_and_logged_once_per_request(
    client, settings, json_log
):
    settings.REQUEST_LOG = True
    response = client.get("/", HTTP_X_REQUEST_ID="from-a-stranger")
    rid = response["X-Request-ID"]
    assert re.fullmatch(r"[0-9a-f]{32}", rid)  # a client's own id is not believed
    [line] = [entry for entry in lines(json_log) if entry["logger"] == "commonroom.requests"]
    assert {k: line[k] for k in ("method", "route", "status", "request_id")} == {
        "method": "GET",
        "route": "home",
        "status": 200,
        "request_id": rid,
    }
    assert isinstance(line["duration_ms"], float)
    assert line["level"] == "INFO"


def test_r_item19_a_trusted_proxys_request_id_is_kept(client, settings):
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    assert client.get("/", HTTP_X_REQUEST_ID="abc123-nginx")["X-Request-ID"] == "abc123-nginx"
    bad = client.get("/", HTTP_X_REQUEST_ID="not valid\n")["X-Request-ID"]
    assert re.fullmatch(r"[0-9a-f]{32}", bad)


def test_r_item19_a_task_logs_with_the_id_of_the_request_that_queued_it(
    json_log, django_capture_on_commit_callbacks
):
    with request_id_bound("req-7f3a"), django_capture_on_commit_callbacks(execute=False):
        entry = task_enqueue_on_commit(task=say_hello)
    assert OutboxEntry.objects.get().request_id == "req-7f3a"
    # Later, in the worker: no request around it.
    assert outbox_run_entry(entry_id=entry.pk) == OutboxEntry.State.DONE
    [line] = [e for e in lines(json_log) if e["message"] == "hello from the task"]
    assert (line["request_id"], line["logger"]) == ("req-7f3a", "commonroom.core.tests.task")


def test_r_item19_a_contact_message_sent_in_a_request_carries_its_id_to_the_mail_task(
    client, settings, django_capture_on_commit_callbacks
):
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    with django_capture_on_commit_callbacks(execute=False):
        response = client.post(
            "/contact/",
            {"name": "Ann", "email": "ann@example.org", "subject": "Hi", "message": "Hello!"},
            HTTP_X_REQUEST_ID="nginx-42",
        )
    assert response.status_code == 302
    assert list(OutboxEntry.objects.values_list("request_id", flat=True)) == ["nginx-42"]


def test_r_item19_readyz_reports_each_part_with_its_time(client):
    response = client.get("/readyz")
    body = response.json()
    assert (response.status_code, body["status"], body["down"]) == (200, "ok", [])
    assert list(body["checks"]) == ["database", "cache", "storage", "queue"]
    for part in body["checks"].values():
        assert (part["status"], part["required"]) == ("ok", True)
        assert isinstance(part["ms"], float)
    assert body["checks"]["queue"]["depth"] == 0


def test_r_item19_readyz_is_503_when_the_cache_is_down(client, settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "commonroom.core.cache.MeasuredRedisCache",
            "LOCATION": f"redis://127.0.0.1:{free_port()}/0",  # nothing listens there
            "OPTIONS": {"IGNORE_EXCEPTIONS": True, "SOCKET_CONNECT_TIMEOUT": 0.5},
        }
    }
    response = client.get("/readyz")
    body = response.json()
    assert (response.status_code, body["status"], body["down"]) == (503, "unavailable", ["cache"])
    assert {name: part["status"] for name, part in body["checks"].items()} == {
        "database": "ok",
        "cache": "down",
        "storage": "ok",
        "queue": "ok",
    }


def test_r_item19_json_log_lines_carry_extras_and_tracebacks(json_log):
    log = logging.getLogger("commonroom.core.tests.json")
    with request_id_bound("r-1"):
        try:
            raise ValueError("boom")
        except ValueError:
            log.exception("It failed for %s", "Ann", extra={"entry": 3})
    [line] = [e for e in lines(json_log) if e["logger"] == "commonroom.core.tests.json"]
    assert (line["message"], line["request_id"], line["entry"], line["level"]) == (
        "It failed for Ann",
        "r-1",
        3,
        "ERROR",
    )
    assert "ValueError: boom" in str(line["exception"])
