"""Turning member-written Markdown into HTML that is safe to show."""

import functools
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


@functools.lru_cache(maxsize=256)
def render_markdown(source: str) -> SafeString:
    """Markdown to sanitised HTML; links from members never pass on rank.
    The same text gives the same HTML, so each process keeps the last 256
    (a resource's body and its reactions are rendered on every view)."""
    html = _markdown.render(source or "")
    clean = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        link_rel="noopener nofollow ugc",
        url_schemes={"http", "https", "mailto"},
    )
    return mark_safe(clean)  # noqa: S308 -- nh3 has just sanitised it


def render_markdown_document(source: str, *, top_level: int = 2) -> SafeString:
    """Markdown for a page of its own under an h1 (terms, privacy statement):
    like render_markdown, but the headings are renumbered so the first is
    h<top_level> and none skips a level (WCAG 1.3.1), whatever levels the
    author typed: a screen reader's heading list then shows the outline."""
    tokens = _markdown.parse(source or "")
    previous = top_level - 1
    for token in tokens:
        if token.type == "heading_open":
            level = min(max(int(token.tag[1:]), top_level), previous + 1)
            token.tag = f"h{level}"
            previous = level
        elif token.type == "heading_close":
            token.tag = f"h{previous}"
    html_text = _markdown.renderer.render(tokens, _markdown.options, {})
    clean = nh3.clean(
        html_text,
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
