"""Marking text written in another language than the page's.

A resource's title, description and body are in the resource's own
language. Where that is not the language the page is shown in, the
element holding them carries ``lang`` (WCAG 3.1.2), so that a screen
reader pronounces the words in the right language. Only two-letter
codes are marked: "other" and "mixed" name no language a reader knows."""

from __future__ import annotations

from django.utils.translation import get_language


def lang_attribute(language_slug: str, page_language: str | None = None) -> str:
    """The ``lang`` value for text in the language ``language_slug`` on a
    page in ``page_language`` (the current one where not given), or ""
    where none is needed."""
    if len(language_slug) != 2:
        return ""
    return "" if language_slug == (page_language or get_language()) else language_slug


def is_english(page_language: str | None = None) -> bool:
    """Whether a page in ``page_language`` (the current one where not
    given) is shown in English; every other page is Dutch, the platform's
    first language."""
    return (page_language or get_language() or "nl").startswith("en")


def label_in(label_nl: str, label_en: str, page_language: str | None = None) -> str:
    """A term's label for a page in ``page_language`` (the current one
    where not given): English on an English page, else Dutch."""
    return label_en if is_english(page_language) else label_nl


def text_in(text_nl: str, text_en: str, page_language: str | None = None) -> str:
    """Text an operator wrote in both languages, for a page in
    ``page_language``: the page's own, or the other where that one was
    left empty (a notice is better read in the other language than not
    at all)."""
    return (text_en or text_nl) if is_english(page_language) else (text_nl or text_en)
