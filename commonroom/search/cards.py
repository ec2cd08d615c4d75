"""Result cards: each kind writes its own (``protocol.SearchableKind.card``),
most of them from a template of their app."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.template.loader import get_template
from django.utils.safestring import SafeString, mark_safe

from commonroom.search import registry

if TYPE_CHECKING:
    from commonroom.search.selectors import Hit


def card_from_template(template_name: str, hit: Hit, position: int) -> SafeString:
    """The card rendered from ``template_name``, which gets ``hit`` and
    ``position`` (from 1)."""
    html = get_template(template_name).render({"hit": hit, "position": position})
    return mark_safe(html)  # noqa: S308 -- rendered by the template engine, which escaped it


def card_of(hit: Hit, position: int) -> SafeString:
    """The card of ``hit`` as its kind writes it."""
    return registry.kinds()[hit.kind].card(hit, position)
