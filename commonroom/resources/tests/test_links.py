"""R35: dead links are found by a periodic check; tested against a local server."""

import ipaddress
import socket
import ssl
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import trustme

from commonroom.notifications.models import Notification
from commonroom.resources import link_checks, links
from commonroom.resources.links import (
    MAX_BODY_BYTES,
    MAX_REDIRECTS,
    check_link,
    is_globally_routable,
)
from commonroom.resources.tests.factories import PublishedResourceFactory


class Handler(BaseHTTPRequestHandler):
    sent_bytes: dict[str, int] = {"endless": 0}

    def _special(self) -> bool:
        if self.path == "/to-internal":
            self.send_response(302)
            self.send_header("Location", "http://internal.test/secret")
            self.end_headers()
        elif self.path == "/loop":
            self.send_response(301)
            self.send_header("Location", "/loop")
            self.end_headers()
        elif self.path == "/trickle":
            # A header line that never ends, one byte at a time.
            self.wfile.write(b"HTTP/1.1 200 OK\r\nX-Slow: ")
            for _ in range(40):
                try:
                    self.wfile.write(b"a")
                    self.wfile.flush()
                except OSError:
                    return True
                time.sleep(0.1)
        else:
            return False
        return True

    def do_HEAD(self) -> None:
        if self._special():
            return
        if self.path in ("/no-head", "/endless"):
            self.send_response(405)
        elif self.path == "/gone":
            self.send_response(404)
        else:
            self.send_response(200)
        self.end_headers()

    def do_GET(self) -> None:
        if self._special():
            return
        if self.path == "/endless":
            self.send_response(200)
            self.end_headers()
            chunk = b"x" * 65536
            try:
                for _ in range(10_000):
                    self.wfile.write(chunk)
                    Handler.sent_bytes["endless"] += len(chunk)
            except OSError:
                pass
            return
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
    # Not HTTP's English reason phrase: words that have a translation (item 9).
    assert (status.ok, str(status.detail)) == (False, "the page no longer exists (404)")


def test_r35_a_closed_port_is_unreachable(settings):
    settings.LINK_CHECK_ALLOW_PRIVATE = True
    status = check_link("http://127.0.0.1:9/", timeout=2)
    assert (status.ok, status.detail) == (False, "unreachable")


def test_r35_private_addresses_are_not_fetched(settings):
    settings.LINK_CHECK_ALLOW_PRIVATE = False
    assert check_link("http://127.0.0.1:8000/").detail == "private address, not checked"


@pytest.mark.django_db
def test_r35_periodic_check_flags_dead_links_to_author_and_moderators(local_site, staff):
    alive = PublishedResourceFactory(external_url=f"{local_site}/ok")
    dead = PublishedResourceFactory(external_url=f"{local_site}/gone")
    assert link_checks.links_check() == 2
    alive.refresh_from_db()
    dead.refresh_from_db()
    assert alive.link_broken_since is None
    assert dead.link_broken_since is not None
    recipients = set(
        Notification.objects.filter(kind="link_broken").values_list("recipient", flat=True)
    )
    assert recipients == {dead.author_id, staff.pk}
    # Checked again later: still dead, but nobody is told twice.
    assert link_checks.links_check() == 0


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


# --- Item 4: no SSRF through the link checker ---------------------------------
# No request leaves loopback: names resolve through a fake getaddrinfo, and a
# fake create_connection sends the "public" address to a local server.

PUBLIC = "93.184.216.34"


class Resolver:
    def __init__(self, answers: dict[str, list[str]]) -> None:
        self.answers = answers
        self.calls: list[str] = []

    def __call__(self, host, port, *args, **kwargs):
        self.calls.append(host)
        if host == "rebind.test":
            # DNS rebinding: public on the first lookup, loopback on the next.
            addresses = [self.answers[host][min(self.calls.count(host), 2) - 1]]
        else:
            addresses = self.answers[host]
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (a, port)) for a in addresses]


@pytest.fixture
def network(monkeypatch, local_site):
    """Fake DNS and connections: PUBLIC reaches the local server, nothing else connects."""
    server_port = int(local_site.rsplit(":", 1)[1])
    connections: list[tuple[str, int]] = []

    def create_connection(address, timeout=None, *args, **kwargs):
        connections.append(address)
        if address[0] != PUBLIC:
            raise ConnectionRefusedError("only the fake public address answers in tests")
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.settimeout(timeout)
        # Port 80 is the plain local server; any other port is a local one too.
        sock.connect(("127.0.0.1", server_port if address[1] == 80 else address[1]))
        return sock

    resolver = Resolver(
        {
            "public.test": [PUBLIC],
            "rebind.test": [PUBLIC, "127.0.0.1"],
            "cgnat.test": ["100.64.12.7"],
            "mixed.test": [PUBLIC, "10.1.2.3"],
            "internal.test": ["10.0.0.5"],
        }
    )
    monkeypatch.setattr(socket, "getaddrinfo", resolver)
    monkeypatch.setattr(socket, "create_connection", create_connection)
    return resolver, connections


@pytest.fixture
def public_only(settings):
    settings.LINK_CHECK_ALLOW_PRIVATE = False


def test_item4_dns_rebinding_resolves_once_and_connects_to_the_checked_address(
    network, public_only
):
    resolver, connections = network
    status = check_link("http://rebind.test/ok")
    assert (status.ok, str(status.detail)) == (True, "200 OK")
    assert resolver.calls == ["rebind.test"]
    assert [address[0] for address in connections] == [PUBLIC]


def test_item4_shared_address_space_100_64_is_refused(network, public_only):
    _resolver, connections = network
    status = check_link("http://cgnat.test/")
    assert (status.ok, str(status.detail)) == (False, "private address, not checked")
    assert connections == []


def test_item4_a_name_with_any_private_address_is_refused(network, public_only):
    _resolver, connections = network
    status = check_link("http://mixed.test/")
    assert (status.ok, str(status.detail)) == (False, "private address, not checked")
    assert connections == []


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1",
        "10.0.0.1",
        "100.64.0.1",
        "169.254.169.254",
        "0.0.0.0",  # noqa: S104
        "224.0.0.251",
        "::1",
        "fe80::1",
        "fc00::1",
        "::ffff:127.0.0.1",
        "64:ff9b::a00:1",
        "2002:7f00:1::1",
    ],
)
def test_item4_addresses_that_are_not_globally_routable(address):
    assert is_globally_routable(ipaddress.ip_address(address)) is False


@pytest.mark.parametrize("address", [PUBLIC, "2606:2800:220:1:248:1893:25c8:1946"])
def test_item4_public_addresses_are_routable(address):
    assert is_globally_routable(ipaddress.ip_address(address)) is True


def test_item4_a_redirect_is_checked_again(network, public_only):
    resolver, connections = network
    status = check_link("http://public.test/to-internal")
    assert (status.ok, str(status.detail)) == (False, "private address, not checked")
    assert resolver.calls == ["public.test", "internal.test"]
    assert [address[0] for address in connections] == [PUBLIC]


def test_item4_redirects_are_followed_a_limited_number_of_times(network, public_only):
    _resolver, connections = network
    status = check_link("http://public.test/loop")
    assert (status.ok, str(status.detail)) == (False, "too many redirects")
    assert len(connections) == MAX_REDIRECTS + 1


def test_item4_a_trickling_server_is_cut_at_the_deadline(network, public_only):
    started = time.monotonic()
    status = check_link("http://public.test/trickle", timeout=1.0)
    elapsed = time.monotonic() - started
    assert (status.ok, str(status.detail)) == (False, "unreachable")
    assert elapsed < 2.0


def test_item4_an_endless_body_is_not_read_to_the_end(network, public_only):
    started = time.monotonic()
    status = check_link("http://public.test/endless", timeout=5.0)
    assert (status.ok, str(status.detail)) == (True, "200 OK")
    assert time.monotonic() - started < 2.0
    assert Handler.sent_bytes["endless"] < MAX_BODY_BYTES + 8 * 1024 * 1024


@pytest.mark.django_db
def test_item4_the_author_is_told_the_status_in_words_never_a_socket_error(settings):
    settings.LINK_CHECK_ALLOW_PRIVATE = True
    refused = PublishedResourceFactory(external_url="http://127.0.0.1:9/")
    assert link_checks.links_check() == 1
    body = Notification.objects.get(recipient=refused.author, kind="link_broken").body
    assert body == "http://127.0.0.1:9/ did not answer as expected (unreachable). Please check it."


@pytest.fixture
def tls_site(monkeypatch, network):
    """A local HTTPS server whose certificate names public.test, trusted by the checker."""
    authority = trustme.CA()
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server_context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    authority.issue_cert("public.test").configure_cert(server_context)
    names: list[str | None] = []
    server_context.sni_callback = lambda sock, name, context: names.append(name)
    server.socket = server_context.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()

    def trusting_context() -> ssl.SSLContext:
        context = ssl.create_default_context()
        authority.configure_trust(context)
        return context

    monkeypatch.setattr(links, "tls_context", trusting_context)
    yield server.server_address[1], names
    server.shutdown()
    server.server_close()


def test_item4_https_goes_to_the_checked_address_with_the_hosts_name_for_tls(
    tls_site, network, public_only
):
    port, names = tls_site
    resolver, connections = network
    status = check_link(f"https://public.test:{port}/ok")
    assert (status.ok, str(status.detail)) == (True, "200 OK")
    assert resolver.calls == ["public.test"]
    assert [address[0] for address in connections] == [PUBLIC]
    assert names == ["public.test"]


def test_item4_https_certificate_must_name_the_host(tls_site, network, public_only):
    port, names = tls_site
    resolver, _connections = network
    resolver.answers["other.test"] = [PUBLIC]
    status = check_link(f"https://other.test:{port}/ok")
    assert (status.ok, str(status.detail)) == (False, "unreachable")
    assert names == ["other.test"]
