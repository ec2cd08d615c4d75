"""The one place that writes and reads a notification's title and body in a
language: `notify` writes them once in every language of the site, and the
notification centre, the e-mails and the digest read the recipient's (or the
reader's) language back from here."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.utils import translation

if TYPE_CHECKING:
    from commonroom.notifications.models import Notification

# Title and body of one notification, written in the active language.
NotificationText = Callable[[], tuple[str, str]]
# How a kind writes its text from what `notify` was given (its ``context``),
# in the active language: registered with the kind (notifications.kinds).
KindText = Callable[[Mapping[str, Any]], tuple[str, str]]

TITLE_LENGTH = 300


def texts_in_every_language(text: NotificationText) -> dict[str, dict[str, str]]:
    """``text`` written once in each language of the site. A member may read
    the site in another language than the one their mails come in, and the
    parts a text is made of (a moderation criterion, a field's name, why a
    link failed) are only known now, so every language is written now."""
    texts = {}
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            title, body = text()
        texts[language] = {"title": str(title)[:TITLE_LENGTH], "body": str(body)}
    return texts


def text_in(notification: Notification, language: str) -> tuple[str, str]:
    """Title and body in ``language``, else as the recipient first read them
    (rows made before texts were kept per language)."""
    text = notification.texts.get(language) or notification.texts.get(language.split("-")[0])
    if not isinstance(text, dict):
        return notification.title, notification.body
    return str(text.get("title") or notification.title), str(text.get("body", notification.body))


def shown_text(notification: Notification) -> tuple[str, str]:
    """Title and body in the active language: the reader's on a page, the
    recipient's inside a mail (built under ``translation.override``)."""
    return text_in(notification, translation.get_language() or settings.LANGUAGE_CODE)
