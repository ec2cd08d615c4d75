"""The test kind's notes are searchable like any kind: a published note is
found by its words and its subject, through this adapter only."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, cast

from django.db.models import QuerySet
from django.utils.safestring import SafeString

from commonroom.search.cards import card_from_template
from commonroom.search.protocol import Document
from commonroom.search.selectors import Hit
from commonroom.search.vocabularies import SUBJECT
from tests.kinds.models import Note

PUBLIC_STATES = ("published",)


class NoteSearch:
    key = "test_note"
    label = "Note"
    noun = "note"
    model = Note
    facets = (SUBJECT,)

    def public(self) -> QuerySet[Note]:
        return cast("QuerySet[Note]", Note.objects.filter(state__in=PUBLIC_STATES))

    def documents(self, object_ids: Sequence[int]) -> list[Document]:
        return [
            Document(
                object_id=note.pk,
                title=note.title,
                body=note.body,
                published_at=note.created_at,
                facets={"subject": [note.subject_id] if note.subject_id else []},
            )
            for note in self.public().filter(pk__in=list(object_ids)).order_by("pk")
        ]

    def cards(self, object_ids: Sequence[int]) -> dict[int, Any]:
        return {note.pk: note for note in self.public().filter(pk__in=list(object_ids))}

    def card(self, hit: Hit, position: int) -> SafeString:
        return card_from_template("test_kinds/_search_card.html", hit, position)

    def url(self, object_id: int, title: str) -> str:
        return Note(pk=object_id, title=title).get_absolute_url()

    def found_text(self, n: int) -> str:
        return f"{n} notes found"


SEARCHABLE_KINDS = (NoteSearch(),)
