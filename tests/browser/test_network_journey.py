"""Issue #4's main flow in Chromium: collections, follows, feed, reactions,
notifications, messages and blocking."""

import pytest
from django.core import mail

from commonroom.accounts.tests.factories import PASSWORD, MemberFactory
from commonroom.library.models import Collection
from commonroom.messaging.models import Message
from commonroom.notifications.models import Notification
from commonroom.resources.tests.factories import PublishedResourceFactory

pytestmark = [pytest.mark.browser]


def sign_in(page, email: str) -> None:
    # Leave the previous page first: a navigation still in flight could set
    # a new CSRF cookie after the sign-in form was served.
    page.goto("about:blank")
    page.context.clear_cookies()
    page.goto("/accounts/login/")
    page.locator("#id_login").fill(email)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("form.form button[type=submit]").click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


def add_to_collection(page, resource, *, new_title: str = "", existing: str = "") -> None:
    page.goto(resource.get_absolute_url())
    page.get_by_text("Add to a collection").click()
    if new_title:
        page.get_by_label("Name of the new collection").fill(new_title)
    else:
        page.get_by_label("Collection", exact=True).select_option(label=existing)
    with page.expect_navigation():
        page.get_by_role("button", name="Add to the collection").click()


def test_r13_r14_r18_r19_r22_network_journey(page, django_capture_on_commit_callbacks):
    anna = MemberFactory(first_name="Anna", last_name="Peeters")
    bram = MemberFactory(first_name="Bram", last_name="Wouters")
    first = PublishedResourceFactory(title="Leaf worksheet")
    second = PublishedResourceFactory(title="Seeds and bulbs")
    annas_own = PublishedResourceFactory(title="Anna's pond study", author=anna)

    # A saves a resource into a new collection and makes it public.
    sign_in(page, anna.email)
    add_to_collection(page, first, new_title="Plants")
    collection = Collection.objects.get(owner=anna, title="Plants")
    page.goto(f"/library/collections/{collection.pk}/edit/")
    page.get_by_label("Public collection").check()
    with page.expect_navigation():
        page.locator("form.form button[type=submit]").click()
    collection.refresh_from_db()
    assert collection.is_public

    # B follows A's collection.
    sign_in(page, bram.email)
    page.goto(collection.get_absolute_url())
    page.get_by_role("button", name="Follow this collection").click()
    page.get_by_role("button", name="Following").wait_for()

    # A adds the next item; B sees it in the feed.
    sign_in(page, anna.email)
    add_to_collection(page, second, existing="Plants (public)")
    sign_in(page, bram.email)
    page.goto("/feed/")
    assert page.get_by_role("link", name="Seeds and bulbs").is_visible()

    # B reacts on A's resource; A gets an in-app notification and an e-mail.
    mail.outbox.clear()
    page.goto(annas_own.get_absolute_url())
    page.get_by_label("Your reaction").fill("We did this with year 5, lovely!")
    page.get_by_role("button", name="Post reaction").click()
    page.get_by_text("We did this with year 5, lovely!").wait_for()
    assert Notification.objects.filter(recipient=anna, kind="reaction").count() == 1
    assert [m.to for m in mail.outbox] == [[anna.email]]
    sign_in(page, anna.email)
    page.goto("/notifications/")
    assert page.get_by_text("Bram Wouters reacted on “Anna's pond study”").is_visible()

    # A messages B.
    page.goto(f"/messages/new/?to={bram.pk}")
    page.get_by_label("Message").fill("Thanks Bram! Shall we swap worksheets?")
    with page.expect_navigation():
        page.get_by_role("button", name="Send").click()
    assert Message.objects.filter(sender=anna).count() == 1

    # B blocks A; A can no longer message B.
    sign_in(page, bram.email)
    page.goto("/messages/")
    page.get_by_role("link", name="Anna Peeters").first.click()
    with page.expect_navigation():
        page.get_by_role("button", name="Block Anna Peeters").click()
    sign_in(page, anna.email)
    page.goto(f"/messages/new/?to={bram.pk}")
    page.get_by_label("Message").fill("Are you still there?")
    page.get_by_role("button", name="Send").click()
    page.get_by_text("This member cannot receive your message.").wait_for()
    assert Message.objects.filter(sender=anna).count() == 1
