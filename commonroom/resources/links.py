"""Checking that external links still answer (R35).

The checker fetches addresses members typed, so it refuses to connect to
private, loopback and link-local networks unless the operator allows it:
a link must not become a way to probe the servers around the platform.
"""

from __future__ import annotations

import ipaddress
import socket
import urllib.error
import urllib.request
from dataclasses import dataclass
from urllib.parse import urlparse

from django.conf import settings

USER_AGENT = "CommonroomLinkChecker/1.0 (+https://commonroom.example/)"


@dataclass(frozen=True)
class LinkStatus:
    ok: bool
    detail: str


def _address_allowed(host: str) -> bool:
    if settings.LINK_CHECK_ALLOW_PRIVATE:
        return True
    try:
        infos = socket.getaddrinfo(host, None)
    except OSError:
        return True  # the fetch itself will report the lookup failure
    for info in infos:
        address = ipaddress.ip_address(info[4][0])
        if (
            address.is_private
            or address.is_loopback
            or address.is_link_local
            or (address.is_reserved or address.is_multicast)
        ):
            return False
    return True


class _NoRedirectToPrivate(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        host = urlparse(newurl).hostname or ""
        if not _address_allowed(host):
            raise urllib.error.URLError("redirect to a private address")
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def check_link(url: str, *, timeout: float | None = None) -> LinkStatus:
    parsed = urlparse(url)
    if parsed.scheme not in ("http", "https") or not parsed.hostname:
        return LinkStatus(False, "not an http(s) address")
    if not _address_allowed(parsed.hostname):
        return LinkStatus(False, "private address, not checked")
    opener = urllib.request.build_opener(_NoRedirectToPrivate)
    timeout = timeout if timeout is not None else settings.LINK_CHECK_TIMEOUT
    for method in ("HEAD", "GET"):
        request = urllib.request.Request(url, method=method, headers={"User-Agent": USER_AGENT})  # noqa: S310
        try:
            with opener.open(request, timeout=timeout) as response:
                return LinkStatus(True, f"HTTP {response.status}")
        except urllib.error.HTTPError as error:
            # Some servers refuse HEAD; ask again with GET before judging.
            if method == "HEAD" and error.code in (403, 405, 501):
                continue
            return LinkStatus(False, f"HTTP {error.code}")
        except (urllib.error.URLError, TimeoutError, OSError) as error:
            reason = getattr(error, "reason", error)
            return LinkStatus(False, f"unreachable: {reason}")
    return LinkStatus(False, "no answer")
