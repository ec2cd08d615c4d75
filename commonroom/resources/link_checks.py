"""The daily check of published resources' external links (R35): a link
that newly fails is reported once to the author and the moderators."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from commonroom.accounts.models import Member
from commonroom.resources.models import Resource


def links_check(*, limit: int = 200, now: datetime | None = None) -> int:
    """Check external links of published resources not checked for a day;
    a link that newly fails is reported to the author and the moderators
    (R35). Returns how many links were checked."""
    from commonroom.resources.links import check_link

    now = now or timezone.now()
    due_before = now - timedelta(hours=settings.LINK_CHECK_INTERVAL_HOURS)
    candidates = list(
        Resource.objects.published()
        .exclude(external_url="")
        .filter(Q(link_checked_at__isnull=True) | Q(link_checked_at__lt=due_before))
        .select_related("author")
        .order_by("link_checked_at", "pk")[:limit]
    )
    checked = 0
    for resource in candidates:
        # A run can outlast the scheduler's hour (200 slow links), so two runs
        # may hold the same candidates; each link is claimed by one run only,
        # and only the one that claimed it checks it and reports it.
        claimed = Resource.objects.filter(
            pk=resource.pk, link_checked_at=resource.link_checked_at
        ).update(link_checked_at=now)
        if not claimed:
            continue
        status = check_link(resource.external_url)
        _link_result_record(resource=resource, ok=status.ok, detail=status.detail, now=now)
        checked += 1
    return checked


@transaction.atomic
def _link_result_record(
    *, resource: Resource, ok: bool, detail: str | Promise, now: datetime
) -> None:
    rows = Resource.objects.filter(pk=resource.pk)
    if ok:
        rows.update(link_checked_at=now, link_broken_since=None)
        return
    # Decided by the database, not by the copy read before the check: the
    # first run to mark the link broken is the one that tells people.
    newly_broken = rows.filter(link_broken_since__isnull=True).update(
        link_checked_at=now, link_broken_since=now
    )
    if not newly_broken:
        rows.update(link_checked_at=now)
        return
    _report_broken_link(resource, detail)


def _report_broken_link(resource: Resource, detail: str | Promise) -> None:
    # ``detail`` is a lazy text: it reads in each recipient's language below.

    from commonroom.accounts.roles import MODERATORS
    from commonroom.notifications.services import notify
    from commonroom.resources.notifications import LINK_BROKEN

    moderators = Member.objects.filter(
        Q(groups__name=MODERATORS) | Q(is_staff=True), is_active=True
    ).distinct()
    # An author who moderates is told once, not once in each role.
    recipients = {member.pk: member for member in [*moderators, resource.author]}
    for recipient in recipients.values():
        notify(
            recipient=recipient,
            kind=LINK_BROKEN,
            text=lambda: (
                _("A link seems broken: “%(title)s”") % {"title": resource.title},
                _("%(url)s did not answer as expected (%(detail)s). Please check it.")
                % {"url": resource.external_url, "detail": detail},
            ),
            url=resource.get_absolute_url(),
            email=recipient.pk == resource.author_id,
        )
