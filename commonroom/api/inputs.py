"""Input every operation refuses before it runs.

- Text holding a NUL character. PostgreSQL cannot store or even compare it
  (a ``DataError``, so a 500), and Django's forms refuse it on the site's
  pages; the API's query parameters and bodies get the same answer, a 422
  naming the field.
- A query string over ``QUERY_STRING_MAX`` characters: a 414 with the one
  error body. No filter list needs that much, and gunicorn (whose request
  line limit is above it) would otherwise be the one to refuse, in HTML."""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpRequest

NUL = "\x00"
QUERY_STRING_MAX = 4096
_JSON_TYPES = ("application/json", "application/merge-patch+json")


def query_string_too_long(request: HttpRequest) -> bool:
    return len(request.META.get("QUERY_STRING", "")) > QUERY_STRING_MAX


def nul_fields(request: HttpRequest) -> list[str]:
    """The names of the parameters and body fields holding a NUL."""
    fields = [name for name, value in _pairs(request) if NUL in name or NUL in value]
    return sorted(set(fields))


def _pairs(request: HttpRequest) -> list[tuple[str, str]]:
    pairs = [(k, v) for k, values in request.GET.lists() for v in values]
    if request.method in ("GET", "HEAD", "OPTIONS", "DELETE"):
        return pairs
    if request.content_type in _JSON_TYPES:
        try:
            body = json.loads(request.body or b"null")
        except (ValueError, UnicodeDecodeError):
            return pairs  # ninja answers an unreadable body itself
        return pairs + list(_json_strings(body, ""))
    if request.content_type in ("multipart/form-data", "application/x-www-form-urlencoded"):
        pairs += [(k, v) for k, values in request.POST.lists() for v in values]
    return pairs


def _json_strings(value: Any, path: str) -> list[tuple[str, str]]:
    if isinstance(value, str):
        return [(path or "body", value)]
    if isinstance(value, dict):
        found: list[tuple[str, str]] = []
        for key, item in value.items():
            name = f"{path}.{key}" if path else str(key)
            found += [(name, key)] if NUL in str(key) else []
            found += _json_strings(item, name)
        return found
    if isinstance(value, list):
        return [
            pair
            for i, item in enumerate(value)
            for pair in _json_strings(item, f"{path}.{i}" if path else str(i))
        ]
    return []
