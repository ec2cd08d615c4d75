"""The test kind's notification: a comment on a member's note. Registered
here only, to prove that a kind an app registers is notified, shown,
respected by preferences, digests and unsubscribe, with no change in
commonroom/notifications."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.translation import get_language

from commonroom.notifications.kinds import NotificationKind
from commonroom.notifications.models import EmailFrequency

NOTE_COMMENTED = "test_note_commented"


def _note_commented_text(context: Mapping[str, Any]) -> tuple[str, str]:
    # Not translated with gettext (test texts have no catalogue): the active
    # language is written into the text, to see which language was built.
    language = get_language()
    return f"[{language}] Comment on {context['note'].title}", f"[{language}] {context['comment']}"


NOTIFICATION_KINDS = (
    NotificationKind(
        key=NOTE_COMMENTED,
        label="A comment on my test note",
        default_email=EmailFrequency.DAILY,
        text=_note_commented_text,
    ),
)
