"""The member's own notifications through the API: list (newest first,
each in the reader's language as the centre shows it) and mark read."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema

from commonroom.accounts.permissions import acting_member
from commonroom.api import auth
from commonroom.api.pagination import PageParams, keyset_page
from commonroom.notifications import selectors, services
from commonroom.notifications.models import Notification
from commonroom.notifications.texts import shown_text

router = Router(tags=["me"])


class NotificationOut(Schema):
    id: int
    kind: str
    title: str
    body: str
    url: str
    created_at: datetime
    read: bool


class NotificationListOut(Schema):
    items: list[NotificationOut]
    unread: int
    next: str | None
    attribution: str


class MarkedOut(Schema):
    marked: int


def _serialise(page: Sequence[Notification]) -> list[dict[str, Any]]:
    items = []
    for n in page:
        title, body = shown_text(n)
        items.append(
            {
                "id": n.pk,
                "kind": n.kind,
                "title": title,
                "body": body,
                "url": n.url,
                "created_at": n.created_at,
                "read": n.read_at is not None,
            }
        )
    return items


@router.get(
    "/me/notifications",
    response=NotificationListOut,
    auth=auth.READ,
    summary="One's own notifications",
    operation_id="notification_list",
)
def notification_list(
    request: HttpRequest,
    page: Query[PageParams],
    unread: bool = False,
) -> dict[str, Any]:
    member = acting_member(request)
    notifications = selectors.notifications_for(member)
    if unread:
        notifications = notifications.filter(read_at__isnull=True)
    found = keyset_page(request, notifications, page, serialise=_serialise)
    return {**found, "unread": selectors.unread_count(member)}


@router.post(
    "/me/notifications/read",
    response=MarkedOut,
    auth=auth.WRITE,
    summary="Mark all one's notifications read",
    operation_id="notifications_read",
)
def notifications_read(request: HttpRequest) -> dict[str, int]:
    return {"marked": services.notifications_mark_read(recipient=acting_member(request))}


ROUTERS = [("", router)]
