"""Text in another language than the page's is marked with ``lang``
(WCAG 3.1.2), by one rule (``taxonomy.languages``) on every page that
shows a resource's own words."""

from __future__ import annotations

import pytest
from django.template import Context, Template
from django.test import Client
from django.utils import translation

from commonroom.resources.models import State
from commonroom.resources.tests.factories import ResourceFactory
from commonroom.taxonomy.languages import is_english, label_in, lang_attribute, text_in
from commonroom.taxonomy.models import Language


@pytest.mark.parametrize(
    ("page", "slug", "expected"),
    [
        ("nl", "en", "en"),
        ("en", "nl", "nl"),
        ("nl", "nl", ""),
        ("en", "en", ""),
        ("nl", "other", ""),
        ("en", "", ""),
    ],
)
def test_lang_attribute_names_only_a_language_other_than_the_pages(
    page: str, slug: str, expected: str
):
    with translation.override(page):
        assert lang_attribute(slug) == expected


@pytest.mark.django_db
def test_lang_attr_tag_writes_the_attribute_or_nothing():
    template = Template("<h2{% load languages %}{% lang_attr language %}>x</h2>")
    english = Language.objects.get(slug="en")
    with translation.override("nl"):
        assert template.render(Context({"language": english})) == '<h2 lang="en">x</h2>'
        assert template.render(Context({"language": None})) == "<h2>x</h2>"
    with translation.override("en"):
        assert template.render(Context({"language": english})) == "<h2>x</h2>"


@pytest.mark.django_db
def test_resource_page_marks_the_resources_words_in_its_own_language(client: Client):
    resource = ResourceFactory(
        state=State.PUBLISHED, language=Language.objects.get(slug="en"), title="Tides"
    )

    dutch = client.get(resource.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="nl").content.decode()
    english = client.get(resource.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert '<h1 id="resource-title" lang="en">Tides</h1>' in dutch
    assert '<p class="lead" lang="en">' in dutch
    assert '<h1 id="resource-title">Tides</h1>' in english
    assert 'lang="en"' not in english.split("<main", 1)[1]


@pytest.mark.parametrize(("page", "expected"), [("nl", "Breuken"), ("en", "Fractions")])
def test_label_in_gives_the_pages_language(page: str, expected: str):
    assert label_in("Breuken", "Fractions", page) == expected
    with translation.override(page):
        assert label_in("Breuken", "Fractions") == expected


@pytest.mark.parametrize(
    ("page", "english"), [("nl", False), ("en", True), ("en-gb", True), ("fy", False)]
)
def test_is_english_reads_the_pages_language(page: str, english: bool):
    assert is_english(page) is english
    with translation.override(page):
        assert is_english() is english


@pytest.mark.parametrize(
    ("page", "nl", "en", "expected"),
    [
        ("nl", "Om 14:00 terug", "Back at 14:00", "Om 14:00 terug"),
        ("en", "Om 14:00 terug", "Back at 14:00", "Back at 14:00"),
        ("en", "Om 14:00 terug", "", "Om 14:00 terug"),
        ("nl", "", "Back at 14:00", "Back at 14:00"),
        ("nl", "", "", ""),
    ],
)
def test_text_in_falls_back_to_the_other_language_where_one_is_empty(
    page: str, nl: str, en: str, expected: str
):
    assert text_in(nl, en, page) == expected
    with translation.override(page):
        assert text_in(nl, en) == expected
