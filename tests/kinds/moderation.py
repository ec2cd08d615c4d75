"""The test kind's notes are moderated and reportable like any kind: this
adapter is all a new kind needs (moderation/protocol.py, report_registry.py);
nothing in moderation/ knows it."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from commonroom.accounts.models import Member
from commonroom.moderation.kinds import StateFieldKind
from commonroom.moderation.lifecycle import PUBLIC_STATES
from commonroom.moderation.report_registry import Reportable
from commonroom.moderation.services import item_remove
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


# --- reports (R21): a reported note is taken offline through the kernel's own
# removal, as a kind without services of its own would do.


def _remove(note: Note, by: Member, reason: str) -> None:
    item_remove(item=note, by=by, reason=reason)


def _visible(note: Note, user: Any) -> bool:
    return note.state in PUBLIC_STATES or (user.is_authenticated and note.author_id == user.pk)


def _notes() -> QuerySet[Note]:
    notes: QuerySet[Note] = Note.objects.select_related("author")
    return notes


REPORTABLE = {
    "test_note": Reportable(
        model=Note,
        label="Note",
        author=lambda note: note.author,
        excerpt=lambda note: f"{note.title} · {note.body}"[:300],
        url=lambda note: note.get_absolute_url(),
        hide=_remove,
        remove=_remove,
        visible_to=_visible,
        queryset=_notes,
    )
}
