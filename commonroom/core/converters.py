"""Path converters: an id in a URL is validated once, where the URL is
resolved, so no view ever passes a number beyond any row's id to the
database (SQLite raises OverflowError, PostgreSQL DataError: a 500)."""

from __future__ import annotations

from django.urls import register_converter
from django.urls.converters import get_converters

from commonroom.core.fields import MAX_ID


class IdConverter:
    """A row id: 1 to 2**63 - 1 (BigAutoField's range), ASCII digits without
    a sign. Anything else does not match the route, so the answer is a 404."""

    # At most 19 digits: 2**63 - 1 has 19; a longer number cannot be an id.
    regex = "[0-9]{1,19}"

    def to_python(self, value: str) -> int:
        number = int(value)
        if not 1 <= number <= MAX_ID:
            # Django treats ValueError from a converter as "no match".
            raise ValueError(value)
        return number

    def to_url(self, value: int | str) -> str:
        return str(int(value))


def register() -> None:
    """Called once the core app is ready, before any URLconf is loaded."""
    if "id" not in get_converters():
        register_converter(IdConverter, "id")
