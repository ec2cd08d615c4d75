"""Issue 12 item 1: the client's address behind the trusted proxy."""

import ipaddress

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import Client

from commonroom.core.clientip import client_ip_resolve, proxy_networks_parse

PROXY = "127.0.0.1"
TOO_MANY = "Too many failed login attempts. Try again later."


def behind_proxy(client_address: str) -> Client:
    """A browser whose requests nginx passes on from 127.0.0.1."""
    return Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=client_address)


def sign_in_fails(client: Client, email: str) -> str:
    response = client.post("/accounts/login/", {"login": email, "password": "wrong-password"})
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def trusted_proxy(settings) -> None:
    settings.TRUSTED_PROXIES = [PROXY]


@pytest.mark.django_db
@pytest.mark.usefixtures("trusted_proxy", "start_of_a_minute")
def test_item1_two_clients_behind_trusted_proxy_have_separate_buckets_for_failed_sign_ins(
    settings,
):
    settings.ACCOUNT_RATE_LIMITS = {"login_failed": "3/m/ip"}
    first = behind_proxy("203.0.113.10")
    for attempt in range(3):
        assert TOO_MANY not in sign_in_fails(first, f"nobody{attempt}@school.example")
    assert TOO_MANY in sign_in_fails(first, "nobody9@school.example")
    # Another school behind the same nginx still may try.
    second = behind_proxy("198.51.100.20")
    assert TOO_MANY not in sign_in_fails(second, "nobody0@school.example")


@pytest.mark.django_db
@pytest.mark.usefixtures("trusted_proxy", "start_of_a_minute")
def test_item1_two_clients_behind_trusted_proxy_have_separate_suggest_buckets(settings):
    settings.SUGGEST_RATE_LIMIT = "2/m"
    first = behind_proxy("203.0.113.10")
    assert [first.get("/search/suggest/", {"q": "frac"}).status_code for _ in range(3)] == [
        200,
        200,
        429,
    ]
    second = behind_proxy("198.51.100.20")
    assert second.get("/search/suggest/", {"q": "frac"}).status_code == 200


@pytest.mark.django_db
@pytest.mark.usefixtures("trusted_proxy", "start_of_a_minute")
def test_item1_a_direct_client_cannot_spoof_its_address(settings):
    settings.SUGGEST_RATE_LIMIT = "2/m"
    settings.ACCOUNT_RATE_LIMITS = {"login_failed": "2/m/ip"}
    statuses = []
    for n in range(3):
        spoofer = Client(REMOTE_ADDR="192.0.2.66", HTTP_X_FORWARDED_FOR=f"203.0.113.{n}")
        statuses.append(spoofer.get("/search/suggest/", {"q": "frac"}).status_code)
    assert statuses == [200, 200, 429]
    pages = [
        sign_in_fails(
            Client(REMOTE_ADDR="192.0.2.66", HTTP_X_FORWARDED_FOR=f"203.0.113.{n}"),
            f"nobody{n}@school.example",
        )
        for n in range(3)
    ]
    assert [TOO_MANY in page for page in pages] == [False, False, True]


@pytest.mark.django_db
@pytest.mark.usefixtures("trusted_proxy")
def test_item1_the_resolved_address_is_what_every_limit_sees():
    from allauth.account.adapter import get_adapter

    response = behind_proxy("203.0.113.10, 198.51.100.20").get("/search/suggest/")
    request = response.wsgi_request
    assert request.META["REMOTE_ADDR"] == "198.51.100.20"
    assert get_adapter(request).get_client_ip(request) == "198.51.100.20"


@pytest.mark.django_db
def test_item1_without_trusted_proxies_the_header_is_ignored():
    response = behind_proxy("203.0.113.10").get("/search/suggest/")
    assert response.wsgi_request.META["REMOTE_ADDR"] == PROXY


TRUSTED = proxy_networks_parse(["127.0.0.1", "10.0.0.0/8", "::1"])


@pytest.mark.parametrize(
    ("remote_addr", "forwarded_for", "client"),
    [
        # nginx on the same machine, one hop.
        ("127.0.0.1", "203.0.113.7", "203.0.113.7"),
        # The client's own (made-up) entries left of the real one are ignored.
        ("127.0.0.1", "1.2.3.4, 203.0.113.7", "203.0.113.7"),
        # A load balancer in 10/8 before nginx: skip both trusted hops.
        ("127.0.0.1", "1.2.3.4, 203.0.113.7, 10.0.0.5", "203.0.113.7"),
        # Not from a trusted proxy: the header is not believed at all.
        ("192.0.2.66", "203.0.113.7", "192.0.2.66"),
        # Ports, brackets and IPv4-mapped addresses are read as addresses.
        ("::1", "[2001:db8::5]:443", "2001:db8::5"),
        ("127.0.0.1", "203.0.113.7:51000", "203.0.113.7"),
        ("127.0.0.1", "::ffff:203.0.113.7", "203.0.113.7"),
        # Garbage ends the chain: the last hop a trusted proxy vouched for wins.
        ("127.0.0.1", "203.0.113.7, not-an-address", "127.0.0.1"),
        ("127.0.0.1", "", "127.0.0.1"),
    ],
)
def test_item1_client_address_is_the_first_untrusted_hop_from_the_right(
    remote_addr, forwarded_for, client
):
    assert (
        client_ip_resolve(remote_addr=remote_addr, forwarded_for=forwarded_for, trusted=TRUSTED)
        == client
    )


def test_item1_a_mistyped_trusted_proxy_stops_the_start():
    with pytest.raises(ImproperlyConfigured) as error:
        proxy_networks_parse(["127.0.0.1", "10.0.0.0/33"])
    assert str(error.value) == (
        "TRUSTED_PROXIES: '10.0.0.0/33' is not an IP address or network "
        "(write e.g. 127.0.0.1 or 10.0.0.0/8)."
    )
    assert proxy_networks_parse([" 10.1.2.3/8 "]) == (ipaddress.ip_network("10.0.0.0/8"),)
