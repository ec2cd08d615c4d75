"""The OAI-PMH settings, with their defaults (README, Configuration)."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings


def require_key() -> bool:
    return bool(getattr(settings, "OAI_REQUIRE_KEY", False))


def page_size() -> int:
    return int(getattr(settings, "OAI_PAGE_SIZE", 100))


def token_seconds() -> int:
    return int(getattr(settings, "OAI_TOKEN_HOURS", 24)) * 3600


def harvester_rate() -> str:
    return str(getattr(settings, "OAI_HARVESTER_RATE", "120/m"))


def anonymous_rate() -> str:
    return str(getattr(settings, "OAI_ANONYMOUS_RATE", "30/m"))


def repository_id() -> str:
    """The namespace part of record identifiers: the site's host name."""
    return urlsplit(settings.SITE_URL).hostname or "localhost"


def site_url() -> str:
    return str(settings.SITE_URL).rstrip("/")
