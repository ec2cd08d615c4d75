"""Facet options as nested lists of checkboxes. Written in Python rather
than a recursive template include: a subject tree has a hundred options and
the include cost most of the page's rendering time."""

from __future__ import annotations

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

from commonroom.search.forms import Option

register = template.Library()


def _option(option: Option) -> SafeString:
    children = format_html("<ul>{}</ul>", _options(option.children)) if option.children else ""
    return format_html(
        '<li><label><input type="checkbox" name="{}" value="{}"{}> {} '
        '<span class="facet-count">({})</span></label>{}</li>',
        option.name,
        option.slug,
        mark_safe(" checked") if option.selected else "",
        option.label,
        option.count,
        children,
    )


def _options(options: list[Option]) -> SafeString:
    return format_html_join("", "{}", ((_option(o),) for o in options))


@register.simple_tag
def facet_options(options: list[Option]) -> SafeString:
    return _options(options)
