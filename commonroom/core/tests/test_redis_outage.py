"""Issue 12 items 14 and 15: Redis away must neither take the site down nor
sign anyone out. Each test runs its own redis-server and kills it."""

import logging
import time
from collections.abc import Iterator

import pytest
from django.conf import settings as django_settings
from django.http import HttpResponse
from django.test import Client, RequestFactory, override_settings
from django.utils.module_loading import import_string

from commonroom.accounts.tests.factories import PASSWORD
from commonroom.core.logfilters import RepeatedErrorFilter
from commonroom.core.tests.redis_server import RedisServer, redis_server, settings_module_for
from commonroom.legal.models import MaintenanceMode

__all__ = ["redis_server"]  # the fixture


@pytest.fixture
def on_redis(redis_server: RedisServer) -> Iterator[RedisServer]:
    """The site configured as production configures it for REDIS_URL."""
    configured = settings_module_for(REDIS_URL=redis_server.url, TASKS_BACKEND="rq")
    # An outage another test caused moments ago must not keep this one's
    # errors out of the log (the filter tells each kind once per 30 s).
    for log_filter in logging.getLogger("django_redis.cache").filters:
        if isinstance(log_filter, RepeatedErrorFilter):
            log_filter.reset()
    with override_settings(
        CACHES=configured.CACHES,
        SESSION_ENGINE=configured.SESSION_ENGINE,
        RATELIMIT_FAIL_OPEN=getattr(configured, "RATELIMIT_FAIL_OPEN", False),
        TASKS=configured.TASKS,
        RQ_QUEUES=configured.RQ_QUEUES,
    ):
        yield redis_server


def signed_in(client: Client, member) -> Client:
    response = client.post("/accounts/login/", {"login": member.email, "password": PASSWORD})
    assert response.status_code == 302
    return client


def session_member_id(response: HttpResponse) -> object:
    return response.wsgi_request.user.pk


@pytest.mark.django_db
def test_item14_with_redis_down_pages_that_need_no_redis_keep_working(on_redis, member, caplog):
    member_client = signed_in(Client(), member)
    visitor = Client()
    assert visitor.get("/").status_code == 200
    on_redis.stop()
    answers = {
        "home": visitor.get("/").status_code,
        "terms": visitor.get("/terms/").status_code,
        "autocomplete (per-IP limit)": visitor.get("/search/suggest/", {"q": "frac"}).status_code,
        "member's home": member_client.get("/").status_code,
        "healthz": visitor.get("/healthz").status_code,
    }
    assert answers == {
        "home": 200,
        "terms": 200,
        "autocomplete (per-IP limit)": 200,
        "member's home": 200,
        "healthz": 200,
    }
    # Degraded, not silent: every ignored Redis error is logged.
    assert any(r.name.startswith("django_redis") for r in caplog.records)


@pytest.mark.django_db
def test_item14_member_rate_limits_let_posts_through_while_redis_is_down(on_redis, member):
    from commonroom.core.antispam import rate_limit_hit

    on_redis.stop()
    assert [rate_limit_hit(member=member, kind="reaction") for _ in range(30)] == [False] * 30


@pytest.mark.django_db
def test_item14_the_maintenance_flag_still_holds_with_redis_down(on_redis):
    MaintenanceMode.objects.create(enabled=True, message_en="Back at noon.")
    on_redis.stop()
    response = Client().get("/")
    assert response.status_code == 503
    assert "Back at noon." in response.content.decode()


def states(response):
    return {name: check["status"] for name, check in response.json()["checks"].items()}


@pytest.mark.django_db
def test_item14_readyz_names_the_dependency_that_is_down(on_redis):
    client = Client()
    up = client.get("/readyz")
    assert (up.status_code, up.json()["status"], up.json()["down"], states(up)) == (
        200,
        "ok",
        [],
        {"database": "ok", "cache": "ok", "storage": "ok", "queue": "ok"},
    )
    on_redis.stop()
    down = client.get("/readyz")
    assert (down.status_code, down.json()["status"], down.json()["down"], states(down)) == (
        503,
        "unavailable",
        ["cache", "queue"],
        {"database": "ok", "cache": "down", "storage": "ok", "queue": "down"},
    )
    on_redis.start()
    deadline = time.monotonic() + 5
    while client.get("/readyz").status_code != 200:
        assert time.monotonic() < deadline, "not ready within 5 s of Redis's return"
        time.sleep(0.1)


@pytest.mark.django_db
def test_item14_healthz_asks_no_dependency(member, django_assert_num_queries):
    client = Client()
    client.force_login(member)
    with django_assert_num_queries(0):
        response = client.get("/healthz", HTTP_HOST="10.0.0.7")
    assert (response.status_code, response.json()) == (
        200,
        {"status": "ok", "platform": "Commonroom"},
    )


@pytest.mark.django_db
def test_item15_a_signed_in_member_stays_signed_in_through_a_redis_outage(on_redis, member):
    client = signed_in(Client(), member)
    assert session_member_id(client.get("/")) == member.pk
    on_redis.stop()
    during = client.get("/")
    assert (during.status_code, session_member_id(during)) == (200, member.pk)
    assert "sessionid" not in during.cookies
    on_redis.start()
    after = client.get("/")
    assert (after.status_code, session_member_id(after)) == (200, member.pk)


@pytest.mark.django_db
@pytest.mark.parametrize("status", [500, 502, 503])
def test_item15_an_error_answer_never_deletes_the_session_cookie(status):
    """The session could not be found (so it looks empty) and the answer is
    an error: the member's cookie must survive for the next request."""

    def failing_view(request):
        request.session.get("_auth_user_id")
        return HttpResponse(status=status)

    path = next(m for m in django_settings.MIDDLEWARE if m.endswith(".SessionMiddleware"))
    middleware = import_string(path)(failing_view)
    request = RequestFactory().get("/")
    request.COOKIES["sessionid"] = "a-session-that-could-not-be-read"
    response = middleware(request)
    assert "sessionid" not in response.cookies
    assert response["Vary"] == "Cookie"


@pytest.mark.django_db
def test_item15_a_session_that_is_really_gone_still_loses_its_cookie():
    path = next(m for m in django_settings.MIDDLEWARE if m.endswith(".SessionMiddleware"))
    middleware = import_string(path)(
        lambda request: HttpResponse(request.session.get("_auth_user_id", "nobody"))
    )
    request = RequestFactory().get("/")
    request.COOKIES["sessionid"] = "a-session-that-expired-long-ago"
    response = middleware(request)
    assert response.cookies["sessionid"]["max-age"] == 0
