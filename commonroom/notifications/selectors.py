"""Reads of the notifications app: a member's notifications and e-mail settings."""

from __future__ import annotations

from django.db.models import QuerySet

from commonroom.accounts.models import Member
from commonroom.notifications.kinds import kind_get, registered_kinds
from commonroom.notifications.models import Notification, NotificationPreference


def frequency_for(member: Member, kind: str) -> str:
    """How ``member`` gets e-mail of ``kind``: their choice, else the kind's default."""
    row = NotificationPreference.objects.filter(member=member, kind=kind).first()
    if row is not None:
        return row.frequency
    return kind_get(kind).default_email


def frequencies_for(member: Member) -> dict[str, str]:
    """`frequency_for` every registered kind, in one query (the preferences page)."""
    chosen = dict(
        NotificationPreference.objects.filter(member=member).values_list("kind", "frequency")
    )
    return {key: chosen.get(key, kind.default_email) for key, kind in registered_kinds().items()}


def notifications_for(member: Member) -> QuerySet[Notification]:
    """The member's notifications, newest first (the notification centre)."""
    return Notification.objects.filter(recipient=member)


def unread_count(member: Member) -> int:
    return Notification.objects.filter(recipient=member, read_at__isnull=True).count()
