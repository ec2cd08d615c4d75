"""The client's address, as every per-IP limit must see it.

Behind nginx every request comes from 127.0.0.1; the client's address is in
X-Forwarded-For, which anyone can also send. The header is believed only
when the request comes from a proxy listed in TRUSTED_PROXIES, and only as
far back as the chain of trusted proxies goes: walking it from the right,
the first address that is not a trusted proxy is the client (every address
to its left was written by the client itself and may be made up).

ClientIPMiddleware writes the result into REMOTE_ADDR before anything else
runs, so allauth's limits, django-ratelimit's key="ip" and the app's own
limits all count the same address.
"""

import ipaddress
import logging
from collections.abc import Callable, Iterable, Sequence
from functools import lru_cache

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest, HttpResponse

logger = logging.getLogger(__name__)

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
Address = ipaddress.IPv4Address | ipaddress.IPv6Address


def proxy_networks_parse(values: Iterable[str]) -> tuple[Network, ...]:
    """TRUSTED_PROXIES as networks; a value that is no address or CIDR stops the start."""
    networks = []
    for value in values:
        try:
            networks.append(ipaddress.ip_network(value.strip(), strict=False))
        except ValueError as error:
            raise ImproperlyConfigured(
                f"TRUSTED_PROXIES: {value!r} is not an IP address or network "
                "(write e.g. 127.0.0.1 or 10.0.0.0/8)."
            ) from error
    return tuple(networks)


@lru_cache(maxsize=8)
def _trusted(values: tuple[str, ...]) -> tuple[Network, ...]:
    return proxy_networks_parse(values)


def _address(value: str) -> Address | None:
    value = value.strip()
    if value.startswith("[") and "]" in value:  # [2001:db8::1]:443
        value = value[1 : value.index("]")]
    elif value.count(":") == 1:  # 203.0.113.7:51000
        value = value.split(":", 1)[0]
    try:
        address = ipaddress.ip_address(value)
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        return address.ipv4_mapped
    return address


def _is_trusted(address: Address, networks: Sequence[Network]) -> bool:
    return any(address in network for network in networks)


def client_ip_resolve(*, remote_addr: str, forwarded_for: str, trusted: Sequence[Network]) -> str:
    """The client's address for a request from remote_addr with this header."""
    peer = _address(remote_addr)
    if peer is None or not forwarded_for or not _is_trusted(peer, trusted):
        return remote_addr
    client = peer
    for hop in reversed(forwarded_for.split(",")):
        address = _address(hop)
        if address is None:
            # A hop we cannot read ends the chain we can vouch for; the last
            # readable hop (written by a trusted proxy) is the client.
            logger.warning("X-Forwarded-For has an unreadable address: %r", hop.strip()[:64])
            break
        client = address
        if not _is_trusted(address, trusted):
            break
    return str(client)


def address_within(value: str, networks: Sequence[str]) -> bool:
    """Whether the address ``value`` is in one of ``networks`` (addresses or
    networks, as TRUSTED_PROXIES)."""
    address = _address(value)
    return address is not None and _is_trusted(address, _trusted(tuple(networks)))


def from_trusted_proxy(remote_addr: str) -> bool:
    """Whether a connection from ``remote_addr`` is one of TRUSTED_PROXIES
    (whose headers, X-Forwarded-For and X-Request-ID, are believed)."""
    return address_within(remote_addr, settings.TRUSTED_PROXIES)


def client_ip(request: HttpRequest) -> str:
    """The resolved address (the middleware has already put it in REMOTE_ADDR)."""
    resolved = getattr(request, "client_ip", None)
    if resolved is None:
        resolved = client_ip_resolve(
            remote_addr=request.META.get("REMOTE_ADDR", ""),
            forwarded_for=request.META.get("HTTP_X_FORWARDED_FOR", ""),
            trusted=_trusted(tuple(settings.TRUSTED_PROXIES)),
        )
    return str(resolved)


class ClientIPMiddleware:
    """First in MIDDLEWARE: REMOTE_ADDR becomes the client's address."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        _trusted(tuple(settings.TRUSTED_PROXIES))  # a mistyped proxy stops the start

    def __call__(self, request: HttpRequest) -> HttpResponse:
        address = client_ip(request)
        if address != request.META.get("REMOTE_ADDR"):
            request.META["PROXY_ADDR"] = request.META.get("REMOTE_ADDR", "")
            request.META["REMOTE_ADDR"] = address
        request.client_ip = address  # type: ignore[attr-defined]
        return self.get_response(request)
