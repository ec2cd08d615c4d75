"""Issue 13 item 1: the terms say the same in Dutch and English (every clause
of the original, in its order and numbering), and an acceptance records the
version and the language it was shown in."""

import json
import re
from collections import Counter
from dataclasses import dataclass, field
from html.parser import HTMLParser

import pytest
from django.test import Client

from commonroom.accounts.tests.test_signup import SIGNUP, signup_data
from commonroom.core.text import render_markdown_document
from commonroom.legal.models import DocumentKind, LegalDocument, TermsAcceptance
from commonroom.legal.seed import CURRENT_TERMS_VERSION, TEXTS, document_text, seed_documents
from commonroom.legal.selectors import terms_current

# The numbered clauses of the original terms (../shared/terms-of-use.txt,
# not available in CI), in their order. The original has no clause 2.3: 2.2
# is followed by 2.4, and the numbering is kept as it is.
CLAUSE_NUMBERS = [
    "1.", "1.1.", "1.2.", "2.", "2.1.", "2.2.", "2.4.", "3.", "3.1.", "3.2.", "3.3.", "4.",
]  # fmt: skip

# The unnumbered sections, by the key the structure uses for them.
UNNUMBERED = {
    "definitions": {"en": "Definitions used", "nl": "Gebruikte definities"},
    "personal data": {"en": "Personal data", "nl": "Persoonsgegevens"},
    "non-rescission": {"en": "Non-rescission clause", "nl": "Niet-verzakingsclausule"},
    "validity": {
        "en": "Validity of the Terms of Use",
        "nl": "Geldigheid van de Gebruiksvoorwaarden",
    },
    "law": {
        "en": "Applicable law and competent courts",
        "nl": "Toepasselijk recht en bevoegde rechtbanken",
    },
    "modifications": {
        "en": "Modifications to the Platform and/or Terms of Use",
        "nl": "Wijzigingen aan het Platform en/of de Gebruiksvoorwaarden",
    },
}

# (heading level on the page, clause number or section key, paragraphs,
# lists as (type, sub-items of each item)), in the order of the text.
EXPECTED_OUTLINE = [
    (2, "definitions", 4, [("ul", (0,) * 8)]),
    (2, "1.", 1, []),
    (3, "1.1.", 2, [("ul", (0, 0, 0, 0))]),
    (3, "1.2.", 7, [("ul", (0, 0, 0, 0)), ("ul", (4, 0, 0, 0))]),
    (2, "2.", 0, []),
    (3, "2.1.", 3, [("ul", (0,) * 11)]),
    (3, "2.2.", 12, []),
    (3, "2.4.", 5, []),
    (2, "3.", 1, []),
    (3, "3.1.", 5, [("ol", (0, 0))]),
    (3, "3.2.", 5, [("ul", (0, 0))]),
    (3, "3.3.", 6, []),
    (2, "4.", 1, []),
    (3, "personal data", 1, []),
    (3, "non-rescission", 1, []),
    (3, "validity", 1, []),
    (3, "law", 1, []),
    (3, "modifications", 3, []),
]


HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}


@dataclass
class Section:
    level: int
    key: str
    paragraphs: int = 0
    lists: list[tuple[str, tuple[int, ...]]] = field(default_factory=list)

    def outline(self) -> tuple[int, str, int, list[tuple[str, tuple[int, ...]]]]:
        return (self.level, self.key, self.paragraphs, self.lists)


class _Outline(HTMLParser):
    """The sections of a rendered terms text: headings, paragraphs outside
    lists and the shape of each list. Reads only inside div.prose when the
    HTML is a whole page."""

    def __init__(self, language: str, whole_page: bool) -> None:
        super().__init__()
        self.language = language
        self.sections: list[Section] = []
        self.definitions: list[str] = []
        self._inside = 0 if whole_page else 1
        self._heading: list[str] | None = None
        self._heading_level = 0
        self._lists: list[tuple[str, list[int]]] = []
        self._item_text: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if not self._inside:
            if tag == "div" and "prose" in (dict(attrs).get("class") or "").split():
                self._inside = 1
            return
        if tag == "div":
            self._inside += 1
        elif tag in HEADINGS:
            self._heading, self._heading_level = [], int(tag[1])
        elif tag in {"ul", "ol"}:
            self._lists.append((tag, []))
        elif tag == "li":
            if len(self._lists) == 1:
                self._lists[0][1].append(0)
                self._item_text = []
            elif len(self._lists) == 2:
                self._lists[0][1][-1] += 1
        elif tag == "p" and not self._lists:
            self.sections[-1].paragraphs += 1

    def handle_endtag(self, tag: str) -> None:
        if not self._inside:
            return
        if tag == "div":
            self._inside -= 1
        elif tag in HEADINGS and self._heading is not None:
            self.sections.append(Section(self._heading_level, self._key("".join(self._heading))))
            self._heading = None
        elif tag in {"ul", "ol"}:
            list_tag, items = self._lists.pop()
            if not self._lists:
                self.sections[-1].lists.append((list_tag, tuple(items)))
        elif tag == "li" and len(self._lists) == 1 and self._item_text is not None:
            if self.sections[-1].key == "definitions":
                self.definitions.append("".join(self._item_text))
            self._item_text = None

    def handle_data(self, data: str) -> None:
        if self._heading is not None:
            self._heading.append(data)
        if self._item_text is not None:
            self._item_text.append(data)

    def _key(self, title: str) -> str:
        title = " ".join(title.split())
        number = re.match(r"(\d+(?:\.\d+)*\.) ", title)
        if number:
            return number.group(1)
        for key, titles in UNNUMBERED.items():
            if titles[self.language] == title:
                return key
        return f"unknown: {title}"


def outline_of(html: str, language: str, *, whole_page: bool = False) -> _Outline:
    parser = _Outline(language, whole_page)
    parser.feed(html)
    parser.close()
    return parser


def defined_terms(parser: _Outline) -> list[str]:
    """The quoted terms the definitions define, in their order."""
    return [re.match(r"“([^”]+)”:", item).group(1) for item in parser.definitions]  # type: ignore[union-attr]


def placeholders_by_section(source: str) -> list[Counter[str]]:
    """The instance names ({platform}, {liability_cap}, ...) each section uses."""
    sections = re.split(r"^#+ .*$", source, flags=re.MULTILINE)[1:]
    return [Counter(re.findall(r"\{(\w+)\}", section)) for section in sections]


def words(text: str) -> int:
    return len(text.split())


def _in(language: str, client: Client | None = None) -> Client:
    client = client or Client()
    client.cookies["django_language"] = language
    return client


@pytest.mark.django_db
def test_item1_terms_have_the_same_clause_structure_in_both_languages():
    document = terms_current()
    assert document is not None
    assert document.version == CURRENT_TERMS_VERSION == "1.1"
    rendered = {
        "file": {
            language: outline_of(
                render_markdown_document(document_text("terms", language)), language
            )
            for language in ("en", "nl")
        },
        "published": {
            "en": outline_of(render_markdown_document(document.body_en), "en"),
            "nl": outline_of(render_markdown_document(document.body_nl), "nl"),
        },
        "page": {
            language: outline_of(
                _in(language).get("/terms/").content.decode(), language, whole_page=True
            )
            for language in ("en", "nl")
        },
    }

    for source, by_language in rendered.items():
        en = [s.outline() for s in by_language["en"].sections]
        nl = [s.outline() for s in by_language["nl"].sections]
        assert en == EXPECTED_OUTLINE, source
        assert nl == en, source
        numbered = [s.key for s in by_language["en"].sections if s.key[0].isdigit()]
        assert numbered == CLAUSE_NUMBERS
        assert defined_terms(by_language["en"]) == [
            "Platform", "Database", "Information", "Use", "Visitor", "Registered User",
            "(the) Operator", "Commonroom team",
        ]  # fmt: skip
        assert defined_terms(by_language["nl"]) == [
            "Platform", "Databank", "Informatie", "Gebruik", "Bezoeker",
            "Geregistreerde Gebruiker", "(de) Aanbieder", "Commonroom-team",
        ]  # fmt: skip

    # The Markdown types one heading level per rank (## clauses, ### sub-clauses)
    # in both languages, so the page needs no renumbering to read h1, h2, h3.
    for language in ("en", "nl"):
        source = (TEXTS / f"terms.{language}.md").read_text(encoding="utf-8")
        levels = [len(m.group(1)) for m in re.finditer(r"^(#+) ", source, flags=re.MULTILINE)]
        assert levels == [level for level, *_rest in EXPECTED_OUTLINE]
        # The same instance names in the same sections (the liability cap in
        # 2.2, the courts' city in "Applicable law", ...).
    en_source = (TEXTS / "terms.en.md").read_text(encoding="utf-8")
    nl_source = (TEXTS / "terms.nl.md").read_text(encoding="utf-8")
    assert placeholders_by_section(nl_source) == placeholders_by_section(en_source)
    assert len(placeholders_by_section(en_source)) == len(EXPECTED_OUTLINE)


@pytest.mark.django_db
def test_item1_the_dutch_terms_are_at_least_85_percent_of_the_english_words():
    document = terms_current()
    assert document is not None
    english, dutch = words(document.body_en), words(document.body_nl)
    assert english > 3400
    assert dutch >= 0.85 * english
    assert words(document_text("terms", "nl")) >= 0.85 * words(document_text("terms", "en"))


@pytest.mark.django_db
def test_item1_version_1_0_keeps_the_text_it_was_published_with():
    first = LegalDocument.objects.get(kind=DocumentKind.TERMS, version="1.0")
    current = LegalDocument.objects.get(kind=DocumentKind.TERMS, version="1.1")

    assert first.body_nl == document_text("versions/terms-1.0", "nl")
    assert first.body_en == document_text("versions/terms-1.0", "en")
    # 1.0's Dutch was the short summary this version replaces.
    assert words(first.body_nl) < 1000
    assert first.published_at <= current.published_at  # type: ignore[operator]
    assert first.summary_en == first.summary_nl == ""
    assert "Version 1.0 was only online in Dutch as a summary." in current.summary_en
    assert "Versie 1.0 stond in het Nederlands alleen als samenvatting online." in (
        current.summary_nl
    )
    assert "no clause 2.3" in current.summary_en
    assert "geen artikel 2.3" in current.summary_nl


@pytest.mark.django_db
def test_item1_seeding_publishes_1_1_only_over_the_shipped_1_0():
    LegalDocument.objects.filter(kind=DocumentKind.TERMS, version="1.1").delete()
    own = LegalDocument.objects.create(
        kind=DocumentKind.TERMS, version="2026-own", body_en="Our own terms.", body_nl="Eigen."
    )
    own.published_at = own.created_at
    own.save()

    seed_documents(LegalDocument)

    assert not LegalDocument.objects.filter(version="1.1").exists()
    assert terms_current() == own

    own.delete()
    seed_documents(LegalDocument)

    assert terms_current().version == "1.1"  # type: ignore[union-attr]
    assert list(
        LegalDocument.objects.filter(kind=DocumentKind.TERMS)
        .order_by("published_at", "id")
        .values_list("version", flat=True)
    ) == ["1.0", "1.1"]


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["nl", "en"])
def test_item1_signup_records_the_language_the_terms_were_shown_in(
    language, django_capture_on_commit_callbacks
):
    client = _in(language)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(SIGNUP, signup_data())

    assert response.status_code == 302
    acceptance = TermsAcceptance.objects.get(member__email="lotte.verbeke@school.example")
    assert acceptance.document.version == "1.1"
    assert acceptance.language == language


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "summary"),
    [
        ("nl", "Versie 1.0 stond in het Nederlands alleen als samenvatting online."),
        ("en", "Version 1.0 was only online in Dutch as a summary."),
    ],
)
def test_item1_a_member_who_accepted_1_0_accepts_1_1_in_the_language_shown(
    member, language, summary
):
    first = LegalDocument.objects.get(kind=DocumentKind.TERMS, version="1.0")
    TermsAcceptance.objects.filter(member=member).delete()
    TermsAcceptance.objects.create(member=member, document=first)
    client = Client()
    client.force_login(member)
    _in(language, client)

    page = client.get("/").content.decode()
    assert summary in page
    assert 'href="/legal/terms/1.1/"' in page

    response = client.post("/terms/accept/", {"next": "/"})

    assert response.status_code == 302
    acceptance = TermsAcceptance.objects.get(member=member, document__version="1.1")
    assert acceptance.language == language
    assert summary not in client.get("/").content.decode()


@pytest.mark.django_db
def test_item1_personal_data_export_shows_version_and_language_of_each_acceptance(
    member, member_client
):
    first = LegalDocument.objects.get(kind=DocumentKind.TERMS, version="1.0")
    TermsAcceptance.objects.filter(member=member).delete()
    TermsAcceptance.objects.create(member=member, document=first)  # before languages were kept
    _in("nl", member_client).post("/terms/accept/", {"next": "/"})

    data = json.loads(member_client.get("/accounts/my-data/").content)

    assert [(a["version"], a["language"]) for a in data["terms_accepted"]] == [
        ("1.1", "nl"),
        ("1.0", None),
    ]
    assert set(data["terms_accepted"][0]) == {"version", "language", "accepted_at"}
