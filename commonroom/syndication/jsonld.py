"""Structured data in a page: JSON in a ``<script type="application/ld+json">``.

A data block is not executed, so the strict CSP (script-src 'self') does not
apply to it; it still must not end its own element: ``<``, ``>`` and ``&``
are written as JSON escapes (as Django's ``json_script`` does), so a title
with ``</script>`` in it stays inside the JSON.
"""

from __future__ import annotations

import json
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.utils.safestring import SafeString, mark_safe

_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def json_ld_text(data: dict[str, Any]) -> str:
    return json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False).translate(_ESCAPES)


def json_ld_script(data: dict[str, Any]) -> SafeString:
    return mark_safe(  # noqa: S308 - escaped above: no markup can end the element
        f'<script type="application/ld+json">{json_ld_text(data)}</script>'
    )


def publisher(*, name: str, url: str) -> dict[str, Any]:
    """The platform as schema.org's publisher of every page."""
    return {"@type": "Organization", "name": name, "url": url}
