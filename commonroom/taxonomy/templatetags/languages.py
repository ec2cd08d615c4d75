"""``{% lang_attr resource.language %}``: a ` lang="en"` attribute where
the resource's language is not the page's (``taxonomy.languages``)."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

from commonroom.taxonomy.languages import lang_attribute

register = template.Library()


@register.simple_tag
def lang_attr(language: Any) -> SafeString | str:
    """``language``: anything with a ``slug`` (a ``Language`` or a card's
    label), or None for a resource without one."""
    code = lang_attribute(getattr(language, "slug", "") or "")
    return format_html(' lang="{}"', code) if code else ""
