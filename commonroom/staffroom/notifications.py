"""What the staffroom tells members (notifications.kinds): a mention, a
quote, a reply in a followed thread, a new thread in a followed category,
and an accepted answer. Each text reads its ``context``: the writer's
``name``, the thread's ``title`` (and the category's ``category``) and an
``excerpt`` of the post as plain text."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from commonroom.notifications.kinds import NotificationKind
from commonroom.notifications.models import EmailFrequency

MENTION = "staffroom_mention"
QUOTE = "staffroom_quote"
REPLY = "staffroom_reply"
NEW_THREAD = "staffroom_new_thread"
ANSWER = "staffroom_answer"


def _mention_text(context: Mapping[str, Any]) -> tuple[str, str]:
    title = _("%(name)s mentioned you in “%(title)s”") % {
        "name": context["name"],
        "title": context["title"],
    }
    return title, str(context["excerpt"])


def _quote_text(context: Mapping[str, Any]) -> tuple[str, str]:
    title = _("%(name)s quoted you in “%(title)s”") % {
        "name": context["name"],
        "title": context["title"],
    }
    return title, str(context["excerpt"])


def _reply_text(context: Mapping[str, Any]) -> tuple[str, str]:
    title = _("%(name)s replied in “%(title)s”") % {
        "name": context["name"],
        "title": context["title"],
    }
    return title, str(context["excerpt"])


def _new_thread_text(context: Mapping[str, Any]) -> tuple[str, str]:
    title = _("New in %(category)s: “%(title)s” by %(name)s") % {
        "category": context["category"],
        "title": context["title"],
        "name": context["name"],
    }
    return title, str(context["excerpt"])


def _answer_text(context: Mapping[str, Any]) -> tuple[str, str]:
    title = _("%(name)s accepted your reply as the answer to “%(title)s”") % {
        "name": context["name"],
        "title": context["title"],
    }
    return title, ""


NOTIFICATION_KINDS = (
    NotificationKind(
        key=MENTION, label=gettext_lazy("A mention in the staffroom"), text=_mention_text
    ),
    NotificationKind(
        key=QUOTE, label=gettext_lazy("A quote of my post in the staffroom"), text=_quote_text
    ),
    NotificationKind(
        key=REPLY,
        label=gettext_lazy("A reply in a staffroom thread I follow"),
        default_email=EmailFrequency.DAILY,
        text=_reply_text,
    ),
    NotificationKind(
        key=NEW_THREAD,
        label=gettext_lazy("A new thread in a staffroom category I follow"),
        default_email=EmailFrequency.DAILY,
        text=_new_thread_text,
    ),
    NotificationKind(
        key=ANSWER,
        label=gettext_lazy("My reply accepted as the answer"),
        text=_answer_text,
    ),
)
