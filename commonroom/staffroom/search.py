"""Staffroom threads as searchable documents (search/protocol.py): a thread's
title and the text of its visible posts, with its category and the level
and subject its category is about, in the same search page as resources,
told apart by the kind filter."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db.models import QuerySet
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from commonroom.core.text import markdown_to_text
from commonroom.search.cards import card_from_template
from commonroom.search.protocol import Document, Facet
from commonroom.search.selectors import Hit
from commonroom.search.vocabularies import LEVEL, SUBJECT
from commonroom.staffroom.models import Category, Post, Thread

KEY = "staffroom_thread"
# A thread's document holds the text of its first posts up to this length:
# enough to find what a thread is about, without reading 5,000 replies on
# every reply.
BODY_CHARS = 20000
BODY_POSTS = 200

CATEGORY = Facet(
    name="staffroom_category",
    title=_("Staffroom category"),
    terms=lambda: list(Category.objects.order_by("position", "name")),
)


def _body(thread_ids: list[int]) -> dict[int, str]:
    texts: dict[int, list[str]] = {pk: [] for pk in thread_ids}
    sizes = dict.fromkeys(thread_ids, 0)
    counts = dict.fromkeys(thread_ids, 0)
    posts = (
        Post.objects.visible()
        .filter(thread_id__in=thread_ids)
        .order_by("thread_id", "pk")
        .values_list("thread_id", "body")
    )
    for thread_id, body in posts.iterator(chunk_size=500):
        if sizes[thread_id] >= BODY_CHARS or counts[thread_id] >= BODY_POSTS:
            continue
        text = markdown_to_text(body)
        texts[thread_id].append(text)
        sizes[thread_id] += len(text)
        counts[thread_id] += 1
    return {pk: "\n".join(parts)[:BODY_CHARS] for pk, parts in texts.items()}


class ThreadSearch:
    key = KEY
    label = _("Staffroom thread")
    noun = _("staffroom thread")
    model = Thread
    facets = (SUBJECT, LEVEL, CATEGORY)

    def public(self) -> QuerySet[Thread]:
        return Thread.objects.visible()

    def documents(self, object_ids: Sequence[int]) -> list[Document]:
        threads = list(
            self.public().filter(pk__in=list(object_ids)).select_related("category").order_by("pk")
        )
        bodies = _body([t.pk for t in threads])
        return [
            Document(
                object_id=thread.pk,
                title=thread.title,
                description=thread.category.name,
                body=bodies.get(thread.pk, ""),
                published_at=thread.created_at,
                facets={
                    "staffroom_category": [thread.category_id],
                    "level": [thread.category.level_id] if thread.category.level_id else [],
                    "subject": [thread.category.subject_id] if thread.category.subject_id else [],
                },
            )
            for thread in threads
        ]

    def cards(self, object_ids: Sequence[int]) -> dict[int, Any]:
        threads = self.public().filter(pk__in=list(object_ids)).select_related("category", "author")
        return {t.pk: t for t in threads}

    def card(self, hit: Hit, position: int) -> SafeString:
        return card_from_template("staffroom/_search_card.html", hit, position)

    def url(self, object_id: int, title: str) -> str:
        return Thread(pk=object_id, title=title).get_absolute_url()

    def found_text(self, n: int) -> str:
        return ngettext("%(n)s staffroom thread found", "%(n)s staffroom threads found", n) % {
            "n": n
        }


SEARCHABLE_KINDS = (ThreadSearch(),)
