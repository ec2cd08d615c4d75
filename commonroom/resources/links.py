"""Checking that external links still answer (R35).

The checker fetches addresses members typed, so it must not become a way to
reach the servers around the platform (SSRF). Each host is resolved exactly
once; every address it resolves to must be globally routable, and the
connection goes to the address that was checked, so a name that answers
differently the second time (DNS rebinding) gains nothing. Redirects are
followed by hand, each hop checked the same way, and the whole check has a
deadline and reads a bounded number of bytes.
"""

from __future__ import annotations

import contextlib
import http.client
import ipaddress
import logging
import socket
import ssl
import threading
import time
from dataclasses import dataclass
from http import HTTPStatus
from urllib.parse import urljoin, urlsplit

from django.conf import settings
from django.utils.functional import Promise
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

logger = logging.getLogger(__name__)

USER_AGENT = "CommonroomLinkChecker/1.0 (+https://commonroom.example/)"
MAX_REDIRECTS = 5
# Enough to see that a page answers; nothing is parsed.
MAX_BODY_BYTES = 64 * 1024
_READ_CHUNK = 8 * 1024
_DEFAULT_PORTS = {"http": 80, "https": 443}
_REDIRECTS = {301, 302, 303, 307, 308}
# Some servers refuse HEAD; these answers are asked again with GET before judging.
_HEAD_REFUSED = {403, 405, 501}

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


@dataclass(frozen=True)
class LinkStatus:
    ok: bool
    # Shown to the author: a lazy text, so it reads in the recipient's language.
    detail: str | Promise


class _Refused(Exception):
    """The check stops here; `detail` says why, in words for the author."""

    def __init__(self, detail: str | Promise) -> None:
        super().__init__(str(detail))
        self.detail = detail


def _embedded_ipv4(address: ipaddress.IPv6Address) -> list[ipaddress.IPv4Address]:
    """IPv4 addresses an IPv6 address carries, which is where its packets really go."""
    embedded: list[ipaddress.IPv4Address] = []
    if address.ipv4_mapped is not None:
        embedded.append(address.ipv4_mapped)
    if address.sixtofour is not None:
        embedded.append(address.sixtofour)
    if address.teredo is not None:
        embedded.extend(address.teredo)
    if address in ipaddress.IPv6Network("64:ff9b::/96"):  # NAT64
        embedded.append(ipaddress.IPv4Address(int(address) & 0xFFFFFFFF))
    return embedded


def is_globally_routable(address: IPAddress) -> bool:
    """True only for unicast addresses on the public internet (not 100.64.0.0/10, not loopback)."""
    if address.is_multicast or not address.is_global:
        return False
    if isinstance(address, ipaddress.IPv6Address):
        return all(is_globally_routable(inner) for inner in _embedded_ipv4(address))
    return True


def _resolve(host: str, port: int) -> IPAddress:
    """Resolve `host` once and return the address to connect to, or refuse.

    Every address the name resolves to must be public: a name with one public
    and one private address could otherwise be steered to the private one.
    """
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError) as exc:
        # The technical reason ("[Errno -2] Name or service not known") is for
        # the logs; the author reads a word in their own language.
        logger.info("Link check: %s does not resolve: %s", host, exc)
        raise _Refused(_("unreachable")) from exc
    addresses = [ipaddress.ip_address(info[4][0]) for info in infos]
    if not addresses:
        raise _Refused(_("unreachable"))
    if not settings.LINK_CHECK_ALLOW_PRIVATE and not all(map(is_globally_routable, addresses)):
        raise _Refused(_("private address, not checked"))
    return addresses[0]


def tls_context() -> ssl.SSLContext:
    """The system's trusted certificates, host names checked (tests trust their own CA here)."""
    return ssl.create_default_context()


class _PinnedHTTPConnection(http.client.HTTPConnection):
    """Connects to the checked address; the Host header still names the host."""

    def __init__(self, host: str, port: int, *, address: IPAddress, timeout: float) -> None:
        super().__init__(host, port, timeout=timeout)
        self.pinned_address = address

    def connect(self) -> None:
        self.sock = socket.create_connection((str(self.pinned_address), self.port), self.timeout)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    """As above, with TLS: the certificate is verified for the host's name (SNI too)."""

    def __init__(self, host: str, port: int, *, address: IPAddress, timeout: float) -> None:
        self.tls_context = tls_context()
        super().__init__(host, port, timeout=timeout, context=self.tls_context)
        self.pinned_address = address

    def connect(self) -> None:
        raw = socket.create_connection((str(self.pinned_address), self.port), self.timeout)
        self.sock = self.tls_context.wrap_socket(raw, server_hostname=self.host)


def _cut(connection: http.client.HTTPConnection, cut: threading.Event) -> None:
    """Wake a read blocked on the connection (closing the socket would not)."""
    cut.set()
    sock = connection.sock
    if sock is not None:
        # The plain socket's shutdown, also for TLS: SSLSocket.shutdown would
        # drop its TLS state under the reading thread.
        with contextlib.suppress(OSError):
            socket.socket.shutdown(sock, socket.SHUT_RDWR)


def _status_words(code: int) -> str | Promise:
    """What an answer means for the author, in their language; HTTP's own
    reason phrases ("Not Found") are English whatever the reader's language."""
    if 200 <= code < 300:
        try:
            return f"{code} {HTTPStatus(code).phrase}"  # never shown: the link works
        except ValueError:
            return f"HTTP {code}"
    if code in (404, 410):
        return format_lazy("{} ({})", _("the page no longer exists"), code)
    if code in (401, 403):
        return format_lazy("{} ({})", _("the page refuses visitors"), code)
    if code >= 500:
        return format_lazy("{} ({})", _("the server has a problem"), code)
    return format_lazy("{} ({})", _("unexpected answer"), code)


def _request(url: str, method: str, deadline: float) -> tuple[int, str | None]:
    """One request to one checked address; returns the status and the Location header."""
    parts = urlsplit(url)
    if parts.scheme not in _DEFAULT_PORTS or not parts.hostname:
        raise _Refused(_("not an http(s) address"))
    try:
        port = parts.port or _DEFAULT_PORTS[parts.scheme]
    except ValueError as exc:
        raise _Refused(_("not an http(s) address")) from exc
    address = _resolve(parts.hostname, port)
    remaining = deadline - time.monotonic()
    if remaining <= 0:
        raise _Refused(_("unreachable"))
    connection_class = _PinnedHTTPSConnection if parts.scheme == "https" else _PinnedHTTPConnection
    connection = connection_class(parts.hostname, port, address=address, timeout=remaining)
    # The socket timeout bounds each wait; this bounds the whole exchange, so a
    # server that trickles a byte at a time cannot hold the worker.
    cut = threading.Event()
    watchdog = threading.Timer(remaining, _cut, args=(connection, cut))
    watchdog.start()
    try:
        path = parts.path or "/"
        if parts.query:
            path = f"{path}?{parts.query}"
        connection.request(method, path, headers={"User-Agent": USER_AGENT, "Accept": "*/*"})
        response = connection.getresponse()
        if cut.is_set():
            # Headers cut short at the deadline look complete to http.client.
            raise _Refused(_("unreachable"))
        read = 0
        while read < MAX_BODY_BYTES and (chunk := response.read(_READ_CHUNK)):
            read += len(chunk)
        return response.status, response.getheader("Location")
    except (OSError, http.client.HTTPException, ValueError) as exc:
        logger.info("Link check: %s did not answer: %s", url, exc)
        raise _Refused(_("unreachable")) from exc
    finally:
        watchdog.cancel()
        connection.close()


def check_link(url: str, *, timeout: float | None = None) -> LinkStatus:
    """Whether `url` answers with a success, following at most MAX_REDIRECTS redirects."""
    budget = timeout if timeout is not None else settings.LINK_CHECK_TIMEOUT
    deadline = time.monotonic() + budget
    method = "HEAD"
    hops = 0
    try:
        while True:
            status, location = _request(url, method, deadline)
            if method == "HEAD" and status in _HEAD_REFUSED:
                method = "GET"
                continue
            if status in _REDIRECTS and location:
                hops += 1
                if hops > MAX_REDIRECTS:
                    return LinkStatus(False, _("too many redirects"))
                # The next hop is resolved and checked afresh in _request.
                url = urljoin(url, location)
                continue
            return LinkStatus(200 <= status < 300, _status_words(status))
    except _Refused as refused:
        return LinkStatus(False, refused.detail)
