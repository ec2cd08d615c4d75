"""The test kind's notes are personal data like any kind's: exported with the
member's data and erased with the member."""

from typing import Any

from tests.kinds.models import Note


def export(member: Any) -> dict[str, Any]:
    return {
        "test_notes": [
            {"title": note.title, "body": note.body, "state": note.state}
            for note in Note.objects.filter(author=member).order_by("pk")
        ]
    }


def erase(member: Any) -> None:
    Note.objects.filter(author=member).delete()
