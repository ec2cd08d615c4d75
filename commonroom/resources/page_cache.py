"""The resource page's own panels, rendered once for all visitors (issue 15
item 4: the page is read far more often than anything on it changes).

A visitor who is not signed in sees the same title, text, files, licence,
attribution and facts as every other visitor; those panels come from the
fragment cache (``core.fragments``) under a key made of everything they
show: every column of the resource's row and of its author's, whatever an
app annotated on it (``resource_page.py``: an organisation's name), the
files, the source it adapts, the vocabularies' terms, the language, the
address and what the visitor may download.

The panels of other apps (saves, ratings, reactions) and the site's frame
are rendered for each request; a signed-in member's page is rendered whole.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import get_language

from commonroom.core.fragments import key_of, row
from commonroom.resources.models import Resource


def visitor_panels_key(request: HttpRequest, resource: Resource, **shown: Any) -> str | None:
    """The key of this page's panels for a visitor, or None for a member.
    ``shown``: the other plain values the view hands the panels."""
    if request.user.is_authenticated:
        return None
    source = resource.adapted_from if resource.adapted_from_id else None
    return key_of(
        get_language(),
        request.scheme,
        request.get_host(),
        request.path,
        sorted(shown.items()),
        row(resource),
        row(resource.author),
        [row(f) for f in getattr(resource, "visible_files", ())],
        [
            row(term)
            for name in ("subject_list", "level_list", "goal_list")
            for term in getattr(resource, name, ())
        ],
        [row(getattr(resource, name, None)) for name in ("kind", "language", "licence")],
        [row(source), row(source.author), row(source.licence)] if source else [],
    )
