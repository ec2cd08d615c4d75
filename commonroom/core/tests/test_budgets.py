"""R34: anonymous clients get a budget of pages (commonroom.core.budgets).

The budgets are off in the test settings (the test client is 127.0.0.1 for
the whole suite); these tests switch them on with the defaults of
commonroom/settings.py, on a cache of their own and a stopped clock.
"""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime

import pytest
import redis
from django.core.cache import caches
from django.test import Client
from django_ratelimit.core import _get_window as ratelimit_window

from commonroom.core import budgets
from commonroom.core.tests.redis_server import redis_server, settings_module_for

__all__ = ["redis_server"]  # the fixture

PROXY = "127.0.0.1"
PAGE = "/terms/"  # a public page that is cheap to render


@pytest.fixture
def budgets_on(settings, time_machine):
    settings.ANONYMOUS_BUDGET_PAGES = "300/10m"
    settings.ANONYMOUS_BUDGET_SEARCH = "120/10m"
    settings.MEMBER_BUDGET_PAGES = "1500/10m"
    settings.CACHES = {
        **settings.CACHES,
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "r34"},
    }
    caches["default"].clear()
    time_machine.move_to(datetime(2026, 3, 2, 9, 0, 0, tzinfo=UTC), tick=False)
    yield
    caches["default"].clear()


def statuses(client: Client, path: str, times: int, **extra: str) -> list[int]:
    return [client.get(path, **extra).status_code for _ in range(times)]  # type: ignore[arg-type]


@pytest.mark.django_db
@pytest.mark.usefixtures("budgets_on")
def test_r34_800_anonymous_requests_from_one_address_are_throttled_after_the_budget():
    copier = Client(REMOTE_ADDR="203.0.113.7")
    answers = statuses(copier, PAGE, 800)
    assert answers[:300] == [200] * 300
    assert answers[300:] == [429] * 500
    refused = copier.get(PAGE)
    assert refused.status_code == 429
    retry_after = int(refused["Retry-After"])
    # The rest of the address's window, its last second included (windows
    # are staggered per key by django-ratelimit; the clock is stopped).
    assert retry_after == ratelimit_window("203.0.113.7", 600) - int(time.time()) + 1
    assert refused["Content-Type"].startswith("text/html")
    page = refused.content.decode()
    assert "may not be copied" in page
    assert "OAI-PMH" in page
    # Another address is served as before.
    assert Client(REMOTE_ADDR="198.51.100.20").get(PAGE).status_code == 200


@pytest.mark.django_db
@pytest.mark.usefixtures("budgets_on")
def test_r34_the_budget_resets_when_retry_after_has_passed(time_machine):
    client = Client(REMOTE_ADDR="203.0.113.7")
    assert statuses(client, PAGE, 301)[-1] == 429
    retry_after = int(client.get(PAGE)["Retry-After"])
    time_machine.shift(retry_after)
    assert client.get(PAGE).status_code == 200


@pytest.mark.django_db
@pytest.mark.usefixtures("budgets_on")
def test_r34_a_teacher_browsing_100_pages_in_10_minutes_is_never_stopped(time_machine):
    teacher = Client(REMOTE_ADDR="203.0.113.50")
    paths = ["/", "/resources/", PAGE, "/staffroom/", "/organisations/training/"]
    answers = []
    for n in range(100):
        answers.append(teacher.get(paths[n % len(paths)]).status_code)
        time_machine.shift(6)
    assert answers == [200] * 100
    # A teacher who searches 60 times meanwhile is not stopped either.
    assert statuses(teacher, "/search/?q=breuken", 60) == [200] * 60


@pytest.mark.django_db
@pytest.mark.usefixtures("budgets_on")
def test_r34_1000_anonymous_searches_are_throttled_while_a_second_client_is_not():
    first = Client(REMOTE_ADDR="203.0.113.7")
    answers = [first.get("/search/", {"q": f"word{n}"}).status_code for n in range(1000)]
    assert answers[:120] == [200] * 120
    assert answers[120:] == [429] * 880
    # Search has its own bucket: the client's other pages are still served.
    assert first.get(PAGE).status_code == 200
    second = Client(REMOTE_ADDR="198.51.100.20")
    assert second.get("/search/", {"q": "word"}).status_code == 200


@pytest.mark.django_db
@pytest.mark.usefixtures("budgets_on")
def test_r34_the_client_behind_a_trusted_proxy_is_budgeted_by_its_own_address(settings):
    settings.TRUSTED_PROXIES = [PROXY]
    first = Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="203.0.113.7")
    assert statuses(first, PAGE, 301)[-1] == 429
    # Another school behind the same nginx is served.
    second = Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="198.51.100.20")
    assert second.get(PAGE).status_code == 200


@pytest.mark.django_db
@pytest.mark.usefixtures("budgets_on")
def test_r34_an_untrusted_client_cannot_escape_the_budget_with_x_forwarded_for(settings):
    settings.TRUSTED_PROXIES = [PROXY]
    answers = [
        Client(REMOTE_ADDR="192.0.2.66", HTTP_X_FORWARDED_FOR=f"203.0.113.{n % 250}")
        .get(PAGE)
        .status_code
        for n in range(301)
    ]
    assert answers[:300] == [200] * 300
    assert answers[300] == 429


@pytest.mark.django_db
@pytest.mark.usefixtures("budgets_on")
def test_r34_an_ipv6_client_is_budgeted_by_its_64_network():
    answers = [Client(REMOTE_ADDR=f"2001:db8:1:2::{n:x}").get(PAGE).status_code for n in range(301)]
    assert answers[-1] == 429
    assert Client(REMOTE_ADDR="2001:db8:1:3::1").get(PAGE).status_code == 200


@pytest.mark.django_db
@pytest.mark.usefixtures("budgets_on")
def test_r34_json_clients_and_the_api_get_a_json_429(settings):
    settings.ANONYMOUS_BUDGET_PAGES = "2/10m"
    client = Client(REMOTE_ADDR="203.0.113.7")
    statuses(client, PAGE, 2)
    refused = client.get(PAGE, HTTP_ACCEPT="application/json")
    assert refused.status_code == 429
    body = json.loads(refused.content)
    assert body["code"] == "rate_limited"
    assert body["retry_after"] == int(refused["Retry-After"])
    assert "message" in body
    api = client.get("/api/v1/resources")
    assert api.status_code == 429
    assert json.loads(api.content)["code"] == "rate_limited"


@pytest.mark.django_db
@pytest.mark.usefixtures("budgets_on")
def test_r34_tokens_harvester_keys_thumbnails_and_probes_are_not_counted(settings):
    settings.ANONYMOUS_BUDGET_PAGES = "2/10m"
    client = Client(REMOTE_ADDR="203.0.113.7")
    # Left to the API's and OAI's own budgets (their views may not exist here: 404s).
    for _ in range(5):
        client.get("/api/v1/resources", HTTP_AUTHORIZATION="Bearer abc")
        client.get("/oai", {"verb": "Identify", "key": "harvester"})
        assert client.get("/healthz").status_code == 200
        client.get("/static/commonroom/site.css")
        client.get("/robots.txt")
    assert statuses(client, PAGE, 3) == [200, 200, 429]
    # A spent budget still lets the probes and the API's tokens through.
    assert client.get("/healthz").status_code == 200
    assert client.get("/api/v1/x", HTTP_AUTHORIZATION="Bearer abc").status_code != 429


@pytest.mark.django_db
@pytest.mark.usefixtures("budgets_on")
def test_r34_redirects_and_errors_are_not_counted(settings):
    settings.ANONYMOUS_BUDGET_PAGES = "2/10m"
    client = Client(REMOTE_ADDR="203.0.113.7")
    for _ in range(5):
        assert client.get("/no-such-page/").status_code == 404
        assert client.get("/resources/mine/").status_code == 302
    assert statuses(client, PAGE, 3) == [200, 200, 429]


@pytest.mark.django_db
@pytest.mark.usefixtures("budgets_on")
def test_r34_signed_in_members_have_a_larger_budget_of_their_own(settings, member):
    settings.MEMBER_BUDGET_PAGES = "5/10m"
    settings.ANONYMOUS_BUDGET_PAGES = "2/10m"
    client = Client(REMOTE_ADDR="203.0.113.7")
    client.force_login(member)
    assert statuses(client, PAGE, 6) == [200] * 5 + [429]
    # The visitor's bucket at the same address is untouched by the member's pages.
    assert Client(REMOTE_ADDR="203.0.113.7").get(PAGE).status_code == 200


@pytest.mark.django_db
@pytest.mark.usefixtures("budgets_on")
def test_r34_the_429_page_speaks_dutch_and_is_a_page_with_landmarks(settings):
    settings.ANONYMOUS_BUDGET_PAGES = "1/10m"
    client = Client(REMOTE_ADDR="203.0.113.7")
    client.get(PAGE)
    refused = client.get(PAGE, HTTP_ACCEPT_LANGUAGE="nl")
    assert refused.status_code == 429
    page = refused.content.decode()
    assert '<html lang="nl">' in page
    assert '<main id="main"' in page
    assert "<h1>" in page


def test_r34_an_empty_setting_switches_a_bucket_off(rf, settings):
    settings.ANONYMOUS_BUDGET_PAGES = ""
    request = rf.get(PAGE)
    request.user = type("Anonymous", (), {"is_authenticated": False})()
    assert budgets.bucket_for(request) is None
    settings.ANONYMOUS_BUDGET_PAGES = "300/10m"
    bucket = budgets.bucket_for(request)
    assert bucket == budgets.Bucket("budget:pages", "300/10m", per_member=False)


@pytest.fixture
def budgets_on_redis(redis_server, settings, time_machine):
    """The budgets as production keeps them with REDIS_URL: in Redis."""
    configured = settings_module_for(REDIS_URL=redis_server.url, TASKS_BACKEND="rq")
    settings.CACHES = configured.CACHES
    settings.RATELIMIT_FAIL_OPEN = configured.RATELIMIT_FAIL_OPEN
    settings.ANONYMOUS_BUDGET_PAGES = "3/10m"
    time_machine.move_to(datetime(2026, 3, 2, 9, 0, 0, tzinfo=UTC), tick=False)
    return redis_server


@pytest.mark.django_db
def test_r34_the_budget_is_kept_in_redis_and_lets_pages_through_while_redis_is_down(
    budgets_on_redis,
):
    client = Client(REMOTE_ADDR="203.0.113.7")
    assert statuses(client, PAGE, 4) == [200, 200, 200, 429]
    # Every web process reads the same count: it is in Redis, not in this one.
    keys = redis.Redis(port=budgets_on_redis.port).keys("commonroom:*:rl:*")
    assert len(keys) == 1
    budgets_on_redis.stop()
    # Redis only counts: while it is away, pages are served (and the miss logged).
    assert client.get(PAGE).status_code == 200
