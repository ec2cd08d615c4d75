"""Reading and finding the staffroom (issue 16): pages in a pinned number of
queries at 5,000 replies, search with the kind facet, personal data (R6, R7)."""

from __future__ import annotations

import pytest
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.urls import reverse

from commonroom.accounts.services import member_erase, member_export
from commonroom.search.services import search_index_sync
from commonroom.staffroom import selectors, services
from commonroom.staffroom.models import Category, Post, ReadMarker, Thread
from commonroom.staffroom.search import KEY
from commonroom.staffroom.tests.factories import category, colleague, reply, thread

pytestmark = pytest.mark.django_db

# A page of a thread: the session and member, the thread, its page of posts
# and whether more lie beyond, the read marker (read and moved), the follow
# and the header's counts. The same for the first, a middle and the last page.
THREAD_PAGE_QUERIES = 12


@pytest.fixture(autouse=True)
def _content_types_cached() -> None:
    """Follows are looked up by content type, cached per process after its
    first use: warm it, so the counts do not depend on the tests before."""
    ContentType.objects.get_for_models(Thread, Category)


@pytest.fixture
def long_thread():
    return thread(replies=5000)


def _queries(client: Client, url: str, django_assert_max_num_queries) -> str:
    with django_assert_max_num_queries(THREAD_PAGE_QUERIES):
        response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_issue16_a_thread_of_5000_replies_pages_in_pinned_queries(
    long_thread, django_assert_max_num_queries
):
    client = Client()
    client.force_login(colleague())
    ids = list(Post.objects.filter(thread=long_thread).order_by("pk").values_list("pk", flat=True))
    url = long_thread.get_absolute_url()
    client.get(reverse("staffroom:categories"))  # the session's first request sets it up
    counts = []
    for query in ("", f"?after={ids[2500]}", "?last=1", f"?before={ids[-25]}"):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as captured:
            html = client.get(url + query).content.decode()
        counts.append(len(captured))
        assert "OFFSET" not in " ".join(q["sql"] for q in captured.captured_queries)
        assert html.count('<article id="post-') == selectors.PAGE_SIZE
    # The first visit creates the read marker; every later page costs the same.
    # First page (the read marker created), a middle one (is there an earlier
    # page?), the last (the marker moved), one before it (is there a later page?).
    assert counts == [11, 10, 9, 9], counts
    html = _queries(client, url + "?last=1", django_assert_max_num_queries)
    assert f'id="post-{ids[-1]}"' in html


def test_issue16_the_category_pages_run_in_fixed_queries(django_assert_num_queries):
    board = category(name="Rekenen")
    for n in range(5):
        thread(board=board, title=f"Vraag {n}", replies=n)
    client = Client()
    client.force_login(colleague())
    client.get(reverse("staffroom:categories"))  # warm the session and caches
    with django_assert_num_queries(6):
        assert client.get(reverse("staffroom:categories")).status_code == 200
    with django_assert_num_queries(9):
        html = client.get(board.get_absolute_url()).content.decode()
    assert html.count('class="staffroom-thread-row') == 5


def test_issue16_threads_are_found_with_the_kind_facet(client):
    board = category(name="Taal")
    topic = thread(board=board, title="Spelling oefenen", body="Dictee met een zwalkontrakt.")
    reply(topic, body="Ik gebruik flitskaarten.")
    search_index_sync(kind=KEY, object_id=topic.pk)
    url = reverse("search:search")
    html = client.get(url, {"q": "flitskaarten", "type": KEY}).content.decode()
    assert f'href="/staffroom/t/{topic.pk}/"' in html
    assert "1 staffroom thread found" in html
    html = client.get(url, {"q": "zwalkontrakt", "staffroom_category": board.pk}).content.decode()
    assert "Spelling oefenen" in html


def test_r7_export_includes_the_members_posts():
    author = colleague()
    topic = thread(author=author, title="Mijn vraag")
    post = reply(topic, author=author, body="Mijn antwoord.")
    services.post_edit(post=post, by=author, body="Mijn beter antwoord.")
    data = member_export(member=author)
    assert [t["title"] for t in data["staffroom_threads"]] == ["Mijn vraag"]
    posts = {p["id"]: p for p in data["staffroom_posts"]}
    assert set(posts) == {topic.opening_post_id, post.pk}
    assert posts[post.pk]["body"] == "Mijn beter antwoord."
    assert posts[post.pk]["earlier_versions"] == ["Mijn antwoord."]
    assert posts[post.pk]["thread_title"] == "Mijn vraag"


def test_r6_erasure_keeps_the_posts_with_the_name():
    author = colleague(first_name="Els", last_name="Janssens")
    topic = thread(author=author, title="Huiswerkbeleid")
    post = reply(topic, author=author, body="Geen huiswerk in het eerste.")
    Client().get(topic.get_absolute_url())
    services.read_up_to(member=author, thread=topic, post_id=post.pk)
    member_erase(member=author)
    post.refresh_from_db()
    assert post.body == "Geen huiswerk in het eerste."
    assert post.author.display_name == "Els Janssens"
    assert post.author.email is None
    assert not ReadMarker.objects.filter(member=author).exists()
    html = Client().get(topic.get_absolute_url()).content.decode()
    assert "Els Janssens" in html
    assert "Geen huiswerk in het eerste." in html
