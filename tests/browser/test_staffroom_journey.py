"""Issue 16's acceptance in Chromium: A opens a question thread; B replies
quoting A and mentions C; A and C are notified (in-app and by mail); A marks
B's reply as the answer; a moderator locks the thread and B's further reply
is refused with a message; the thread is found through search with the kind
facet."""

import pytest
from django.core import mail

from commonroom.accounts.tests.factories import MemberFactory
from commonroom.moderation.tests.factories import moderator
from commonroom.notifications.models import Notification
from commonroom.resources.tests.factories import PublishedResourceFactory
from commonroom.search.services import search_rebuild
from commonroom.staffroom.models import Post, Thread
from commonroom.staffroom.notifications import MENTION, QUOTE
from commonroom.staffroom.tests.factories import category
from tests.browser.test_network_journey import sign_in

pytestmark = [pytest.mark.browser]

TITLE = "How do you teach fractions with zwalkontrakt?"


def test_r19_r21_issue16_staffroom_journey(page):
    anna = MemberFactory(first_name="Anna", last_name="Peeters")
    bram = MemberFactory(first_name="Bram", last_name="Wouters")
    chris = MemberFactory(first_name="Chris", last_name="Claes")
    mod = moderator(first_name="Mo", last_name="Derator")
    category(name="Mathematics corner", slug="maths")

    # A opens a question thread from the main menu.
    sign_in(page, anna.email)
    page.goto("/")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Staffroom").click()
    page.get_by_role("link", name="Mathematics corner").click()
    page.get_by_role("link", name="Start a thread").click()
    page.get_by_label("Title").fill(TITLE)
    page.get_by_label("Question").check()
    page.get_by_label("Message").fill("My pupils get lost as soon as fractions are written down.")
    with page.expect_navigation():
        page.get_by_role("button", name="Post thread").click()
    page.get_by_role("heading", name=TITLE).wait_for()
    thread = Thread.objects.get(title=TITLE)

    # B replies quoting A and mentions C.
    mail.outbox.clear()
    sign_in(page, bram.email)
    page.goto(thread.get_absolute_url())
    page.get_by_role("link", name="Quote the post by Anna Peeters").click()
    page.get_by_text("You quote Anna Peeters:").wait_for()
    page.get_by_label("Your reply").fill("Strips of paper first. @Chris Claes, you use them too?")
    with page.expect_navigation():
        page.get_by_role("button", name="Post reply").click()
    page.get_by_text("Strips of paper first.").wait_for()
    assert page.get_by_text("Anna Peeters wrote:").is_visible()
    reply = Post.objects.get(thread=thread, author=bram)

    # A and C are notified, in the app and by mail.
    kinds = dict(Notification.objects.values_list("recipient_id", "kind"))
    assert kinds == {anna.pk: QUOTE, chris.pk: MENTION}
    assert sorted(str(m.to[0]) for m in mail.outbox) == sorted([str(anna.email), str(chris.email)])
    sign_in(page, chris.email)
    page.goto("/notifications/")
    page.get_by_text(f"Bram Wouters mentioned you in “{TITLE}”").wait_for()
    sign_in(page, anna.email)
    page.goto("/notifications/")
    page.get_by_text(f"Bram Wouters quoted you in “{TITLE}”").click()
    page.locator(f"#post-{reply.pk}").wait_for()

    # A marks B's reply as the answer.
    with page.expect_navigation():
        page.locator(f"#post-{reply.pk}").get_by_role("button", name="Mark as answer").click()
    page.locator(f"#post-{reply.pk}").get_by_text("Accepted answer").wait_for()
    thread.refresh_from_db()
    assert thread.accepted_post_id == reply.pk

    # B starts another reply; meanwhile a moderator locks the thread.
    second = page.context.browser.new_context(base_url=page.url.split("/staffroom")[0])
    other = second.new_page()
    sign_in(other, bram.email)
    other.goto(thread.get_absolute_url())
    other.get_by_label("Your reply").fill("One more thing about strips.")

    sign_in(page, mod.email)
    page.goto(thread.get_absolute_url())
    page.get_by_role("link", name="Moderate this thread").click()
    page.get_by_label("Action").select_option("lock")
    page.get_by_label("Reason (for the audit log)").fill("Answered.")
    with page.expect_navigation():
        page.get_by_role("button", name="Apply").click()
    page.get_by_text("This thread is locked: it takes no more replies.").first.wait_for()

    with other.expect_navigation():
        other.get_by_role("button", name="Post reply").click()
    other.get_by_text("This thread is locked: it takes no more replies.").first.wait_for()
    assert other.locator("#id_body").input_value() == "One more thing about strips."
    second.close()
    assert Post.objects.filter(thread=thread).count() == 2

    # The thread is found through search, with the kind facet.
    PublishedResourceFactory(title="Fractions zwalkontrakt worksheet", keywords=[])
    search_rebuild()
    page.goto("/search/?q=zwalkontrakt")
    page.get_by_text("2 results found").wait_for()
    page.locator("input[name=type][value=staffroom_thread]").check()
    page.get_by_role("button", name="Apply filters").click()
    page.get_by_text("1 staffroom thread found").wait_for()
    page.get_by_role("link", name=TITLE).click()
    page.get_by_role("heading", name=TITLE).wait_for()
