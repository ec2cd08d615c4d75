"""The header's and footer's kept parts (``{% panel %}`` in ``base.html``)
are filed under the reader's language and roles and the instance's names:
no reader is shown another's menu, and a renamed instance shows its new
name at once."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from commonroom.accounts.tests.factories import MemberFactory, StaffFactory
from commonroom.moderation.tests.factories import moderator

pytestmark = pytest.mark.django_db


def menu_links(client: Client, language: str = "nl") -> set[str]:
    html = client.get(reverse("search:search"), HTTP_ACCEPT_LANGUAGE=language).content.decode()
    return set(re.findall(r'<a (?:class="[^"]*" )?href="([^"]+)"', html.split("<main", 1)[0]))


def test_r40_each_reader_gets_the_menu_of_their_own_roles():
    visitor, member, mod, staff = Client(), Client(), Client(), Client()
    member.force_login(MemberFactory())
    mod.force_login(moderator())
    staff.force_login(StaffFactory())
    queue, staff_page, join = (
        reverse("moderation:queue"),
        reverse("staff:members"),
        reverse("account_signup"),
    )

    # Staff first, so that a menu kept for the wrong reader would show.
    seen = {name: menu_links(c) for name, c in [("staff", staff), ("mod", mod)]}
    seen |= {name: menu_links(c) for name, c in [("member", member), ("visitor", visitor)]}

    assert {queue, staff_page} <= seen["staff"]
    assert queue in seen["mod"]
    assert staff_page not in seen["mod"]
    assert not {queue, staff_page} & seen["member"]
    assert reverse("library:saved") in seen["member"]
    assert join not in seen["member"]
    assert join in seen["visitor"]
    assert not {queue, staff_page, reverse("library:saved")} & seen["visitor"]


def test_r40_the_layout_follows_the_language_and_the_instances_name(client: Client, settings):
    dutch = client.get(reverse("search:search"), HTTP_ACCEPT_LANGUAGE="nl").content.decode()
    english = client.get(reverse("search:search"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert ">Gebruiksvoorwaarden</a>" in dutch
    assert ">Terms of use</a>" in english
    assert "Menu</summary>" in english

    settings.PLATFORM_NAME = "Leraarskamer Gent"
    renamed = client.get(reverse("search:search"), HTTP_ACCEPT_LANGUAGE="nl").content.decode()
    assert '<p class="footer-brand">Leraarskamer Gent</p>' in renamed
    assert '<span class="brand-mark" aria-hidden="true">◆</span> Leraarskamer Gent</a>' in renamed

    settings.OPERATOR_NAME = "Stad Gent"
    footer = (
        client.get(reverse("search:search"), HTTP_ACCEPT_LANGUAGE="nl")
        .content.decode()
        .split("<footer", 1)[1]
    )
    assert "Stad Gent" in footer

    settings.OPERATOR_ADDRESS = "Botermarkt 1, 9000 Gent"
    footer = (
        client.get(reverse("search:search"), HTTP_ACCEPT_LANGUAGE="nl")
        .content.decode()
        .split("<footer", 1)[1]
    )
    assert "Botermarkt 1, 9000 Gent" in footer
