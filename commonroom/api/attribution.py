"""The attribution every API response carries (terms §3.3, R33/R34): the
source, the producer and the database's name."""

from __future__ import annotations

from urllib.parse import quote

from django.conf import settings
from django.http import HttpResponseBase
from django.utils.translation import gettext as _

from commonroom.core.naming import database_name


def attribution_text() -> str:
    return _(
        "Source: %(database)s (%(site)s), produced by %(producer)s. "
        "Name the source, the producer and the database whenever you use this information."
    ) % {
        "database": database_name(),
        "site": settings.SITE_URL,
        "producer": settings.OPERATOR_NAME,
    }


def _header_safe(text: str) -> str:
    """Header values are Latin-1: anything else is percent-encoded."""
    try:
        text.encode("latin-1")
    except UnicodeEncodeError:
        return quote(text, safe=" ,.:;()/-'\"")
    return text


def add_headers(response: HttpResponseBase) -> HttpResponseBase:
    response["X-Attribution"] = _header_safe(attribution_text())
    response["X-Database-Name"] = _header_safe(database_name())
    response["Link"] = f'<{settings.SITE_URL}/>; rel="author"'
    return response
