"""Turning member-written Markdown into HTML that is safe to show."""

import html

import nh3
from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt

_markdown = MarkdownIt("commonmark", {"html": False, "linkify": False}).enable("table")

ALLOWED_TAGS = {
    "a", "p", "br", "strong", "em", "ul", "ol", "li", "blockquote", "code", "pre",
    "h2", "h3", "h4", "table", "thead", "tbody", "tr", "th", "td", "hr",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}


def render_markdown(source: str) -> SafeString:
    """Markdown to sanitised HTML; links from members never pass on rank."""
    html = _markdown.render(source or "")
    clean = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        link_rel="noopener nofollow ugc",
        url_schemes={"http", "https", "mailto"},
    )
    return mark_safe(clean)  # noqa: S308 -- nh3 has just sanitised it


def markdown_to_text(source: str) -> str:
    """Markdown as the plain text a reader sees, for places that show no HTML
    (notifications, their e-mails and the digest): the rendered HTML with
    every tag removed, blocks kept on their own lines."""
    rendered = _markdown.render(source or "")
    text = html.unescape(nh3.clean(rendered, tags=set()))
    lines = [line.strip() for line in text.splitlines()]
    return "\n".join(line for line in lines if line)
