"""The test kind's notes are moderated like any kind: this adapter is all a
new kind needs (moderation/protocol.py); nothing in moderation/ knows it."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from commonroom.moderation.kinds import StateFieldKind
from tests.kinds.models import Note


class ModeratedNotes(StateFieldKind):
    model = Note
    # Anyone may say a public note copies their work (R29).
    accepts_notices = True

    def title(self, item: Note) -> str:
        return item.title

    def authors(self, item: Note) -> frozenset[int]:
        return frozenset({item.author_id})

    def author(self, item: Note) -> Any:
        return item.author

    def authored_by(self, member: Any) -> QuerySet[Note]:
        notes: QuerySet[Note] = Note.objects.filter(author=member)
        return notes

    def public_url(self, item: Note) -> str:
        return item.get_absolute_url()

    def review_text(self, item: Note) -> str:
        return item.body


MODERATED = [ModeratedNotes()]
