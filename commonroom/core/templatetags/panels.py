"""``{% panel name key %}…{% endpanel %}``: the part of a template between
the tags comes from the fragment cache under ``key`` (``core.fragments``), or
is rendered and kept there; with no key (a signed-in member) it is simply
rendered."""

from __future__ import annotations

from django import template
from django.conf import settings
from django.core.cache import caches
from django.template.base import FilterExpression, NodeList, Parser, Token
from django.template.context import Context
from django.utils.safestring import SafeString, mark_safe

from commonroom.core.fragments import FRAGMENT_CACHE

register = template.Library()


class PanelNode(template.Node):
    def __init__(self, name: str, key: FilterExpression, nodelist: NodeList) -> None:
        self.name = name
        self.key = key
        self.nodelist = nodelist

    def render(self, context: Context) -> SafeString:
        key = self.key.resolve(context)
        if not key:
            rendered: SafeString = self.nodelist.render(context)
            return rendered
        cache = caches[FRAGMENT_CACHE]
        cache_key = f"panel:{self.name}:{key}"
        html: str | None = cache.get(cache_key)
        if html is None:
            html = str(self.nodelist.render(context))
            cache.set(cache_key, html, settings.FRAGMENT_CACHE_SECONDS)
        return mark_safe(html)  # noqa: S308 -- our own rendered template, kept as it was


@register.tag("panel")
def do_panel(parser: Parser, token: Token) -> PanelNode:
    bits = token.split_contents()
    if len(bits) != 3:
        raise template.TemplateSyntaxError("{% panel name key %} takes a name and a key")
    nodelist = parser.parse(("endpanel",))
    parser.delete_first_token()
    return PanelNode(bits[1], parser.compile_filter(bits[2]), nodelist)
