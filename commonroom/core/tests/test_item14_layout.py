"""Issue 13 item 14: a compact header that works without JavaScript, pages
that reflow, and a resource page whose source order puts Save, Download and
the licence before the reactions. (The widths are checked in a browser:
tests/browser/test_reflow.py.)"""

import re

import pytest
from django.test import Client

from commonroom.resources.tests.factories import ResourceFileFactory, published_resource

pytestmark = pytest.mark.django_db


def _header(content: str) -> str:
    return content[content.index('<header class="site-header">') : content.index("</header>")]


def test_item14_the_menu_is_a_details_disclosure_holding_every_navigation(member_client):
    header = _header(member_client.get("/").content.decode())
    menu = header[header.index('<details class="site-menu">') : header.index("</details>")]
    assert re.search(
        r'<summary class="menu-button"><svg [^>]*aria-hidden="true"[^>]*>.*?</svg>Menu</summary>',
        menu,
    )
    assert '<nav class="account-nav" aria-label="Account">' in menu
    assert '<nav class="main-nav" aria-label="Main">' in menu
    assert '<form class="language-form"' in menu
    # Outside the menu: the brand, the search box (wide screens) and the
    # search link (small screens), so both are one tap away.
    before = header[: header.index("<details")]
    assert '<a class="brand" href="/">' in before
    assert 'role="search" aria-label="Site search"' in before
    assert '<a class="header-search-link" href="/search/">' in before
    assert "<script" not in header
    assert " style=" not in header
    assert " onclick" not in header


def test_item14_the_skip_link_comes_first():
    content = Client().get("/").content.decode()
    body = content[content.index("<body") :]
    first_link = body.index("<a ")
    assert body[first_link:].startswith(
        '<a class="skip-link" href="#main">Skip to main content</a>'
    )


def test_item14_the_language_switch_is_one_button_naming_the_other_language(client):
    english = _header(client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode())
    dutch = _header(client.get("/", HTTP_ACCEPT_LANGUAGE="nl").content.decode())
    assert re.findall(
        r'<button type="submit" name="language" value="(\w+)" lang="(\w+)"', english
    ) == [("nl", "nl")]
    assert re.findall(
        r'<button type="submit" name="language" value="(\w+)" lang="(\w+)"', dutch
    ) == [("en", "en")]
    assert english.count("<select") == 0
    assert re.search(r"</svg>Nederlands</button>", english)
    response = client.post("/i18n/setlang/", {"language": "nl", "next": "/terms/"})
    assert response["Location"] == "/terms/"


def test_item14_sessions_are_a_list_that_wraps_a_long_browser_name(member, member_client):
    from allauth.usersessions.models import UserSession

    UserSession.objects.create(
        user=member,
        ip="192.0.2.7",
        session_key=member_client.session.session_key,
        user_agent="Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 Chrome/131.0",
    )
    content = member_client.get("/accounts/sessions/").content.decode()
    assert "<table" not in content
    assert '<ul class="session-list">' in content
    assert "<dt>Started At</dt>" in content
    assert "<dt>IP Address</dt>" in content
    assert '<span class="badge badge-ok">Current</span>' in content


def test_item14_resource_page_puts_save_download_and_licence_before_the_reactions(
    member_client,
):
    resource = published_resource()
    ResourceFileFactory(resource=resource)
    content = member_client.get(resource.get_absolute_url()).content.decode()
    download = content.index(">Download<")
    save = content.index('id="library-actions-title"')
    licence = content.index('id="licence-title"')
    rating = content.index('id="rating-title"')
    reactions = content.index('id="reactions-title"')
    reaction_form = content.index('class="form reaction-form"')
    assert download < save < licence < rating < reactions < reaction_form
    assert content.index('<div class="resource-discussion">') > content.index("</aside>")
