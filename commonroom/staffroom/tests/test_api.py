"""Issue 18: staffroom threads through the API, with the site's visibility
rules: a hidden thread and a held reply are not shown to others."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import timezone

from commonroom.staffroom.models import Post
from commonroom.staffroom.tests.factories import reply, thread

pytestmark = pytest.mark.django_db


def test_issue18_hidden_threads_and_held_posts_stay_out_of_the_api():
    shown = thread(title="Fractions?")
    hidden = thread(title="Spam")
    Post.objects.filter(pk=hidden.opening_post_id).update(hidden_at=timezone.now())
    held = reply(shown, body="Buy my course")
    Post.objects.filter(pk=held.pk).update(held=True)
    body = Client().get("/api/v1/threads").json()
    assert [t["id"] for t in body["items"]] == [shown.pk]
    assert Client().get(f"/api/v1/threads/{hidden.pk}").status_code == 404
    posts = Client().get(f"/api/v1/threads/{shown.pk}").json()["posts"]
    assert [p["id"] for p in posts] == [shown.opening_post_id]


def test_issue18_the_thread_list_cost_two_queries_per_page(django_assert_num_queries):
    thread()
    Client().get("/api/v1/threads")  # the site's state is cached by the first request
    with django_assert_num_queries(2):
        Client().get("/api/v1/threads")
    for _ in range(4):
        thread()
    with django_assert_num_queries(2):
        Client().get("/api/v1/threads")
