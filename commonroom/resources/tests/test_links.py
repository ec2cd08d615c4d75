"""R35: dead links are found by a periodic check; tested against a local server."""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from commonroom.resources import services
from commonroom.resources.links import check_link
from commonroom.resources.tests.factories import PublishedResourceFactory
from commonroom.social.models import Notification


class Handler(BaseHTTPRequestHandler):
    def do_HEAD(self) -> None:
        if self.path == "/no-head":
            self.send_response(405)
        elif self.path == "/gone":
            self.send_response(404)
        else:
            self.send_response(200)
        self.end_headers()

    def do_GET(self) -> None:
        self.send_response(404 if self.path == "/gone" else 200)
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def local_site(settings):
    settings.LINK_CHECK_ALLOW_PRIVATE = True
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_r35_a_live_link_answers(local_site):
    assert check_link(f"{local_site}/ok").ok
    assert check_link(f"{local_site}/no-head").ok  # falls back to GET


def test_r35_a_dead_link_is_reported(local_site):
    status = check_link(f"{local_site}/gone")
    assert (status.ok, status.detail) == (False, "HTTP 404")


def test_r35_a_closed_port_is_unreachable(settings):
    settings.LINK_CHECK_ALLOW_PRIVATE = True
    status = check_link("http://127.0.0.1:9/", timeout=2)
    assert status.ok is False
    assert status.detail.startswith("unreachable")


def test_r35_private_addresses_are_not_fetched(settings):
    settings.LINK_CHECK_ALLOW_PRIVATE = False
    assert check_link("http://127.0.0.1:8000/").detail == "private address, not checked"


@pytest.mark.django_db
def test_r35_periodic_check_flags_dead_links_to_author_and_moderators(local_site, staff):
    alive = PublishedResourceFactory(external_url=f"{local_site}/ok")
    dead = PublishedResourceFactory(external_url=f"{local_site}/gone")
    assert services.links_check() == 2
    alive.refresh_from_db()
    dead.refresh_from_db()
    assert alive.link_broken_since is None
    assert dead.link_broken_since is not None
    recipients = set(
        Notification.objects.filter(kind="link_broken").values_list("recipient", flat=True)
    )
    assert recipients == {dead.author_id, staff.pk}
    # Checked again later: still dead, but nobody is told twice.
    assert services.links_check() == 0


@pytest.mark.django_db
def test_scheduler_queues_each_job_once_per_interval():
    from datetime import timedelta

    from django.utils import timezone

    from commonroom.core.scheduler import Job, scheduler_tick

    jobs = (Job("links_check", timedelta(hours=1), "commonroom.resources.tasks.links_check"),)
    now = timezone.now()
    assert scheduler_tick(now=now, jobs=jobs) == ["links_check"]
    assert scheduler_tick(now=now + timedelta(minutes=30), jobs=jobs) == []
    assert scheduler_tick(now=now + timedelta(minutes=61), jobs=jobs) == ["links_check"]
