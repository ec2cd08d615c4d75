"""Facet options as nested lists of checkboxes. Written in Python rather
than a recursive template include: a subject tree has a hundred options and
the include cost most of the page's rendering time; and with ``html_text``
rather than ``format_html``, whose checks for lazy strings cost more than
the escaping (``core.html_parts``)."""

from __future__ import annotations

from django import template
from django.utils.safestring import SafeString

from commonroom.core.html_parts import html_text, joined
from commonroom.search.forms import Option

register = template.Library()


def _write(options: list[Option], out: list[str]) -> None:
    for option in options:
        out.append(
            f'<li><label><input type="checkbox" name="{html_text(option.name)}" '
            f'value="{html_text(option.slug)}"{" checked" if option.selected else ""}> '
            f'{html_text(option.label)} <span class="facet-count">({option.count:d})</span>'
            "</label>"
        )
        if option.children:
            out.append("<ul>")
            _write(option.children, out)
            out.append("</ul>")
        out.append("</li>")


@register.simple_tag
def facet_options(options: list[Option]) -> SafeString:
    out: list[str] = []
    _write(options, out)
    return joined(out)
