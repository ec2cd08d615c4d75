"""Issue 13 item 14 in Chromium: no page named in the issue (nor home,
search and a resource page) scrolls sideways at 320 px, in Dutch and
English (WCAG 1.4.10), with long names, addresses and file names; the
header is one compact row on a phone and one row on a desktop."""

import pytest
from django.contrib.auth.models import Group

from commonroom.accounts.roles import MODERATORS
from commonroom.accounts.tests.factories import PASSWORD, MemberFactory
from commonroom.resources.tests.factories import PublishedResourceFactory, ResourceFileFactory
from commonroom.social.services.follows import follow

pytestmark = [pytest.mark.browser]

LONG_EMAIL = "maximiliaan.vandenbroucke-desmedt.wiskunde@basisschool-sint-jan-berchmans.example"
SIDEWAYS = "() => document.documentElement.scrollWidth - window.innerWidth"
# On failure: the elements that reach past the window's right edge.
WIDE_ELEMENTS = """() => [...document.querySelectorAll('body *')]
  .filter(e => e.getBoundingClientRect().right > window.innerWidth + 0.5)
  .map(e => e.tagName.toLowerCase() + '.' + e.className).slice(-3)"""


def sign_in(page, email: str, language: str, base_url: str) -> None:
    page.goto("about:blank")
    page.context.clear_cookies()
    page.context.add_cookies([{"name": "django_language", "value": language, "url": base_url}])
    page.goto("/accounts/login/")
    page.locator("#id_login").fill(email)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("form.form button[type=submit]").click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


def as_visitor(page, language: str, base_url: str) -> None:
    page.goto("about:blank")
    page.context.clear_cookies()
    page.context.add_cookies([{"name": "django_language", "value": language, "url": base_url}])


def overflow(page, path: str) -> tuple[int, list[str]]:
    page.goto(path)
    pixels = int(page.evaluate(SIDEWAYS))
    return pixels, page.evaluate(WIDE_ELEMENTS) if pixels > 0 else []


@pytest.fixture
def people(seeded):
    member = MemberFactory(
        email=LONG_EMAIL, first_name="Maximiliaan-Alexander", last_name="Vandenbroucke-Desmedt"
    )
    moderator = MemberFactory()
    moderator.groups.add(Group.objects.get(name=MODERATORS))
    resource = PublishedResourceFactory(
        author=member,
        title="Breuken-en-kommagetallen-oefenbundel-voor-het-vijfde-leerjaar-deel-twee",
        subjects=["mathematics"],
    )
    ResourceFileFactory(
        resource=resource, name="breuken-en-kommagetallen-oefenbundel-vijfde-leerjaar-v2.pdf"
    )
    # A followed colleague with a long name, for the following page.
    follow(
        follower=member,
        target=MemberFactory(first_name="Anne-Sophie", last_name="Vanderstraeten-Verhoeven"),
    )
    return member, moderator, resource


def test_item14_no_page_scrolls_sideways_at_320_px(page, live_server, people):
    member, moderator, resource = people
    page.set_viewport_size({"width": 320, "height": 800})
    visitor_pages = ["/", "/search/?q=breuken", resource.get_absolute_url(), "/terms/", "/privacy/"]
    member_pages = [
        "/",
        "/accounts/profile/",
        "/accounts/sessions/",
        "/accounts/email/",
        "/people/following/",
        resource.get_absolute_url(),
    ]
    moderator_pages = ["/moderation/transparency/"]
    sideways: dict[str, tuple[int, list[str]]] = {}
    for language in ("en", "nl"):
        as_visitor(page, language, live_server.url)
        for path in visitor_pages:
            sideways[f"{language} visitor {path}"] = overflow(page, path)
        sign_in(page, member.email, language, live_server.url)
        for path in member_pages:
            sideways[f"{language} member {path}"] = overflow(page, path)
        sign_in(page, moderator.email, language, live_server.url)
        for path in moderator_pages:
            sideways[f"{language} moderator {path}"] = overflow(page, path)
    assert len(sideways) == 24
    assert {where: wide for where, wide in sideways.items() if wide[0] > 0} == {}


def _rows(page) -> dict[str, float]:
    """The vertical centre of each part of the header bar."""
    return page.evaluate(
        """() => Object.fromEntries(['.brand', '.header-search', '.account-nav', '.language-form']
          .map(s => { const r = document.querySelector(s).getBoundingClientRect();
                      return [s, r.top + r.height / 2]; }))"""
    )


def test_item14_the_header_is_one_short_row_on_a_phone_with_a_menu(page, live_server, people):
    member, _, _ = people
    page.set_viewport_size({"width": 390, "height": 844})
    for language in ("en", "nl"):
        sign_in(page, member.email, language, live_server.url)
        page.goto("/")
        header = page.locator(".site-header").bounding_box()
        assert header is not None
        assert header["height"] <= 80
        profile = "My profile" if language == "en" else "Mijn profiel"
        assert not page.get_by_role("link", name=profile).is_visible()
        page.locator("summary.menu-button").click()
        assert page.get_by_role("link", name=profile).is_visible()
        page.locator("summary.menu-button").click()
        assert not page.get_by_role("link", name=profile).is_visible()


def test_item14_the_header_is_one_row_on_a_desktop_in_both_languages(page, live_server, people):
    member, _, _ = people
    for language in ("en", "nl"):
        sign_in(page, member.email, language, live_server.url)
        for width in (1024, 1280):
            page.set_viewport_size({"width": width, "height": 900})
            page.goto("/")
            rows = _rows(page)
            brand = rows.pop(".brand")
            assert {part: abs(y - brand) < 8 for part, y in rows.items()} == {
                ".header-search": True,
                ".account-nav": True,
                ".language-form": True,
            }, (language, width, rows, brand)
            assert not page.locator("summary.menu-button").is_visible()


@pytest.mark.usefixtures("seeded")
def test_item14_the_menu_works_without_javascript(browser, live_server):
    context = browser.new_context(
        base_url=live_server.url, java_script_enabled=False, viewport={"width": 320, "height": 700}
    )
    page = context.new_page()
    try:
        page.goto("/")
        sign_in_link = page.locator(".account-nav").get_by_role("link", name="Sign in")
        assert not sign_in_link.is_visible()
        page.locator("summary.menu-button").focus()
        page.keyboard.press("Enter")
        assert sign_in_link.is_visible()
        assert page.locator(".main-nav").get_by_role("link", name="Learning resources").is_visible()
        assert int(page.evaluate(SIDEWAYS)) == 0
    finally:
        context.close()
