"""Issue 13 item 18 (a-d): language of parts, scrollable table regions, named
search landmarks and a heading outline without gaps, read from the HTML."""

from html.parser import HTMLParser
from itertools import pairwise

import pytest
from django.test import Client
from django.urls import reverse

from commonroom.accounts.tests.factories import StaffFactory
from commonroom.moderation.models import Decision, Objection
from commonroom.resources.models import State
from commonroom.resources.tests.factories import published_resource
from commonroom.taxonomy.models import Language

pytestmark = pytest.mark.django_db

Element = tuple[str, dict[str, str]]


class _Elements(HTMLParser):
    """Every start tag with its attributes, plus the text inside each id'd element."""

    def __init__(self) -> None:
        super().__init__()
        self.elements: list[Element] = []
        self.text_by_id: dict[str, str] = {}
        self._open_ids: list[tuple[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {name: value or "" for name, value in attrs}
        self.elements.append((tag, attributes))
        if "id" in attributes:
            self._open_ids.append((tag, attributes["id"]))
            self.text_by_id[attributes["id"]] = ""

    def handle_endtag(self, tag: str) -> None:
        if self._open_ids and self._open_ids[-1][0] == tag:
            self._open_ids.pop()

    def handle_data(self, data: str) -> None:
        for _tag, element_id in self._open_ids:
            self.text_by_id[element_id] += data


def _parse(response) -> _Elements:  # type: ignore[no-untyped-def]
    assert response.status_code == 200
    parser = _Elements()
    parser.feed(response.content.decode())
    return parser


def _with_class(parser: _Elements, tag: str, css_class: str) -> list[dict[str, str]]:
    return [a for t, a in parser.elements if t == tag and css_class in a.get("class", "").split()]


def _in(language: str, client: Client | None = None) -> Client:
    client = client or Client()
    client.cookies["django_language"] = language
    return client


# (a) WCAG 3.1.2: a resource in another language than the UI says so.


def test_item18a_english_resource_in_dutch_ui_has_lang_on_title_description_body():
    resource = published_resource(title="Fractions with pizza")

    page = _parse(_in("nl").get(resource.get_absolute_url()))

    h1 = [a for t, a in page.elements if t == "h1"]
    assert h1 == [{"id": "resource-title", "lang": "en"}]
    assert _with_class(page, "p", "lead") == [{"class": "lead", "lang": "en"}]
    assert _with_class(page, "div", "prose") == [{"class": "prose", "lang": "en"}]


def test_item18a_english_resource_in_english_ui_has_no_lang_of_its_own():
    resource = published_resource(title="Fractions with pizza")

    page = _parse(_in("en").get(resource.get_absolute_url()))

    assert [a for t, a in page.elements if t == "h1"] == [{"id": "resource-title"}]
    assert _with_class(page, "p", "lead") == [{"class": "lead"}]


def test_item18a_resource_cards_carry_the_resource_language():
    published_resource(title="Fractions with pizza")
    published_resource(title="Breuken met pizza", language=Language.objects.get(slug="nl"))
    published_resource(title="Mixed", language=Language.objects.get(slug="multi"))

    dutch = _parse(_in("nl").get(reverse("resources:list")))
    english = _parse(_in("en").get(reverse("resources:list")))

    def card_title_langs(page: _Elements) -> list[str | None]:
        return [a.get("lang") for t, a in page.elements if t == "h2"]

    # Newest first: the mixed-language one gets no lang, the Dutch one only in English.
    assert card_title_langs(dutch) == [None, None, "en"]
    assert card_title_langs(english) == [None, "nl", None]


# (b) Tables that scroll sideways can be scrolled from the keyboard.


def test_item18b_objections_table_wrapper_is_a_named_focusable_region(staff_client):
    resource = published_resource(state=State.OBJECTION_FILED)
    decision = Decision.objects.create(
        target=resource,
        moderator=StaffFactory(),
        action=Decision.Action.REJECT,
        reason="Off topic",
    )
    Objection.objects.create(decision=decision, author=resource.author, text="It fits.")

    page = _parse(staff_client.get(reverse("moderation:objections")))

    wrappers = _with_class(page, "div", "table-wrap")
    assert wrappers == [
        {
            "class": "table-wrap",
            "tabindex": "0",
            "role": "region",
            "aria-labelledby": "objections-caption",
        }
    ]
    assert page.text_by_id["objections-caption"] == "Objections, oldest first"


# (c) Each search landmark on a page has a name of its own.


@pytest.mark.parametrize(
    ("url", "labels"),
    [
        ("/", ["Site search"]),
        ("/search/?q=pizza", ["Site search", "Search with filters"]),
    ],
)
def test_item18c_search_landmarks_have_distinct_labels(url, labels):
    page = _parse(_in("en").get(url))

    searches = [a for t, a in page.elements if t == "search" or a.get("role") == "search"]

    assert [a.get("aria-label") for a in searches] == labels


# (d) The terms go h1, h2, h3 ... without skipping a level.


@pytest.mark.parametrize("language", ["nl", "en"])
def test_item18d_terms_headings_skip_no_level(language):
    page = _parse(_in(language).get("/terms/"))

    levels = [int(t[1]) for t, _a in page.elements if t in {"h1", "h2", "h3", "h4", "h5", "h6"}]

    assert levels[0] == 1
    assert len(levels) > 5
    jumps = [(a, b) for a, b in pairwise(levels) if b > a + 1]
    assert jumps == []


def test_item18d_document_markdown_headings_are_renumbered_without_gaps():
    from commonroom.core.text import render_markdown_document

    html = render_markdown_document("### Definitions\n\n## 1. Aim\n\n#### 1.1 Detail\n\n# Top")

    assert html == ("<h2>Definitions</h2>\n<h2>1. Aim</h2>\n<h3>1.1 Detail</h3>\n<h2>Top</h2>\n")
