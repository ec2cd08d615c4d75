"""The kinds of notification, registered by the apps that own them.

There is no closed list: each app that tells members something declares its
kinds in its own ``<app>/notifications.py`` as ``NOTIFICATION_KINDS``, a
sequence of `NotificationKind` (found with ``core.discovery``). The
preferences page, the digest and the unsubscribe link read them from here,
so a new kind needs no change to this app.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass

from django.core.exceptions import ImproperlyConfigured
from django.utils.functional import Promise

from commonroom.core.discovery import app_modules
from commonroom.notifications.models import EmailFrequency
from commonroom.notifications.texts import KindText


class UnknownNotificationKind(LookupError):
    """A kind no app registered: a programming error, never a member's."""


@dataclass(frozen=True)
class NotificationKind:
    # Stored in Notification.kind and NotificationPreference.kind (≤ 40 characters).
    key: str
    # What the preferences page and the unsubscribe pages call it.
    label: str | Promise
    # E-mail for members who chose nothing (at once, in the daily digest or
    # never); in the app the notification always appears.
    default_email: str = EmailFrequency.IMMEDIATELY
    # How its title and body are written from `notify`'s ``context``, in the
    # active language; None when each caller writes its own (``text=``).
    text: KindText | None = None


@functools.cache
def registered_kinds() -> dict[str, NotificationKind]:
    """Every registered kind by key, in INSTALLED_APPS order."""
    kinds: dict[str, NotificationKind] = {}
    for module in app_modules("notifications"):
        declared: Sequence[NotificationKind] = getattr(module, "NOTIFICATION_KINDS", ())
        for kind in declared:
            if kind.key in kinds:
                raise ImproperlyConfigured(
                    f"Notification kind {kind.key!r} is registered twice ({module.__name__})."
                )
            if len(kind.key) > 40:
                raise ImproperlyConfigured(f"Notification kind {kind.key!r} is too long.")
            kinds[kind.key] = kind
    return kinds


def kind_get(key: str) -> NotificationKind:
    try:
        return registered_kinds()[key]
    except KeyError:
        raise UnknownNotificationKind(key) from None


def is_registered(key: str) -> bool:
    return key in registered_kinds()


def kind_label(key: str) -> str:
    """The kind's name in the active language; a kind no longer registered
    (its app removed) is shown by its key rather than failing a page."""
    kind = registered_kinds().get(key)
    return str(kind.label) if kind is not None else key
