"""``{% search_card hit forloop.counter %}``: one result card, written by
the hit's kind (``search.cards``)."""

from __future__ import annotations

from django import template
from django.utils.safestring import SafeString

from commonroom.search.cards import card_of
from commonroom.search.selectors import Hit

register = template.Library()


@register.simple_tag
def search_card(hit: Hit, position: int) -> SafeString:
    return card_of(hit, position)
