"""Issue 13 item 7: the page on copyright in education that §3.3 refers to."""

import re

import pytest
from django.test import Client

from commonroom.resources.tests.factories import ResourceFactory
from commonroom.taxonomy.models import Licence

PAGE = "/copyright/"


def headings(html: str) -> list[tuple[str, str]]:
    """(level, id) of every heading in the page's article, in order."""
    article = html.split('<article class="document', 1)[1].split("</article>", 1)[0]
    return re.findall(r"<h([1-6]) id=\"([a-z0-9-]+)\"", article)


def heading_texts(html: str) -> list[str]:
    article = html.split('<article class="document', 1)[1].split("</article>", 1)[0]
    return re.findall(r"<h[1-6][^>]*>(.*?)</h[1-6]>", article)


@pytest.mark.django_db
def test_item7_page_renders_in_both_languages_with_the_same_sections(client: Client):
    dutch = client.get(PAGE, HTTP_ACCEPT_LANGUAGE="nl")
    english = client.get(PAGE, HTTP_ACCEPT_LANGUAGE="en")
    assert dutch.status_code == english.status_code == 200
    nl_html, en_html = dutch.content.decode(), english.content.decode()
    assert '<html lang="nl"' in nl_html
    assert '<html lang="en"' in en_html
    expected = [
        ("1", "title"),
        ("2", "what-is-copyright"),
        ("2", "education-exception"),
        ("3", "exception-limits"),
        ("2", "publishing-here"),
        ("2", "creative-commons"),
        ("3", "choosing-a-licence"),
        ("3", "licence-and-platform-rule"),
        ("2", "images-and-videos"),
        ("2", "portrait-rights"),
        ("2", "crediting-sources"),
        ("2", "your-work-here"),
        ("2", "asking-permission"),
        ("2", "general-information"),
    ]
    assert headings(nl_html) == expected
    assert headings(en_html) == expected
    nl_texts, en_texts = heading_texts(nl_html), heading_texts(en_html)
    assert nl_texts[0] == "Auteursrecht in het onderwijs"
    assert en_texts[0] == "Copyright in education"
    # Each heading is written in its own language, none left untranslated.
    assert all(nl != en for nl, en in zip(nl_texts, en_texts, strict=True))


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["nl", "en"])
def test_item7_page_names_the_law_and_links_the_notice_route(client: Client, language: str):
    html = client.get(PAGE, HTTP_ACCEPT_LANGUAGE=language).content.decode()
    for article in ("XI.190", "XI.191/1"):
        assert article in html
    assert 'href="https://creativecommons.org/licenses/' in html
    assert 'href="/contact/"' in html
    assert 'href="/terms/"' in html


@pytest.mark.django_db
def test_item7_footer_links_the_page(client: Client):
    html = client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    footer = html.split('<footer class="site-footer">', 1)[1]
    assert '<a href="/copyright/">Copyright in education</a>' in footer


@pytest.mark.django_db
def test_item7_upload_form_links_the_page(member_client: Client):
    html = member_client.get("/resources/new/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'href="/copyright/#publishing-here"' in html


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("slug", "says"),
    [
        ("cc-by-4.0", "also commercially"),
        ("cc-by-nc-4.0", "draws the same line as the platform"),
    ],
)
def test_item7_licence_wizard_relates_the_licence_to_the_platform_rule(
    member, member_client: Client, slug: str, says: str
):
    resource = ResourceFactory(author=member, licence=Licence.objects.get(slug=slug))
    html = member_client.get(
        f"/resources/{resource.pk}/licence/", HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    assert 'href="/copyright/#licence-and-platform-rule"' in html
    assert "§3.2" in html
    assert says in html
