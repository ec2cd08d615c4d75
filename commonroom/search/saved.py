"""Saved searches (R12): a member names a search and may ask for alerts.

``saved_search_alerts`` (hourly, core.scheduler) runs every saved search
whose daily or weekly interval has passed, restricted to resources
published after the newest one it has already reported, and tells the
member through ``notify`` (kind "saved_search"); ``notify`` sends the
e-mail at once, in the daily digest or never, as the member chose.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta
from functools import partial

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from commonroom.accounts.models import Member
from commonroom.notifications.services import notify
from commonroom.search.backends import get_backend
from commonroom.search.facets import apply_filters
from commonroom.search.forms import MAX_VALUES_PER_FACET, Vocabulary
from commonroom.search.models import AlertFrequency, SavedSearch, SearchDocument
from commonroom.search.notifications import SAVED_SEARCH
from commonroom.search.query import MAX_QUERY_CHARS, parse
from commonroom.search.selectors import Sort

MAX_SAVED_SEARCHES = 50
ALERT_TITLES = 10
CHUNK = 500
INTERVALS = {AlertFrequency.DAILY: timedelta(days=1), AlertFrequency.WEEKLY: timedelta(days=7)}
# The job runs hourly: a search checked at 10:00:05 is due again the next
# day at 10:00:00, not at 11:00.
GRACE = timedelta(minutes=10)


def _require_owner(saved_search: SavedSearch, by: Member) -> None:
    # Views check too; the service refuses on its own so no caller can skip it.
    if saved_search.member_id != by.pk:
        raise PermissionDenied


def parameters_from(params: Mapping[str, list[str]] | QueryDict) -> tuple[str, dict, str]:
    """The query text, filters (facet -> slugs, unknown slugs dropped) and
    sort of a search page's query string."""
    data = params if isinstance(params, QueryDict) else _querydict(params)
    text = "".join(c if c.isprintable() else " " for c in data.get("q", ""))
    query = " ".join(text.split())[:MAX_QUERY_CHARS]
    sort = data.get("sort", "")
    if sort not in Sort.ALL:
        sort = ""
    vocabulary = Vocabulary.load()
    filters: dict[str, list[str]] = {}
    for name, terms in vocabulary.terms.items():
        wanted = data.getlist(name)[:MAX_VALUES_PER_FACET]
        known = {t.slug for t in terms}
        chosen = sorted({slug for slug in wanted if slug in known})
        if chosen:
            filters[name] = chosen
    return query, filters, sort


def _querydict(params: Mapping[str, list[str]]) -> QueryDict:
    data = QueryDict(mutable=True)
    for key, values in params.items():
        data.setlist(key, list(values))
    return data


@transaction.atomic
def saved_search_create(
    *,
    member: Member,
    name: str,
    params: Mapping[str, list[str]] | QueryDict,
    frequency: str = AlertFrequency.DAILY,
) -> SavedSearch:
    """Save the search described by a search page's query string. Alerts
    start from now: what is already findable is not reported."""
    # Serialise one member's saves, so the limit holds.
    Member.objects.select_for_update().filter(pk=member.pk).values_list("pk").first()
    if SavedSearch.objects.filter(member=member).count() >= MAX_SAVED_SEARCHES:
        raise ValidationError(
            _("You can keep at most %(n)d saved searches; delete one first.")
            % {"n": MAX_SAVED_SEARCHES},
            code="too_many",
        )
    query, filters, sort = parameters_from(params)
    now = timezone.now()
    saved_search = SavedSearch(
        member=member,
        name=name.strip(),
        query=query,
        filters=filters,
        sort=sort,
        frequency=frequency,
        created_at=now,
        last_checked_at=now,
        last_seen_published_at=now,
    )
    saved_search.full_clean()
    saved_search.save()
    return saved_search


@transaction.atomic
def saved_search_update(
    *, saved_search: SavedSearch, by: Member, name: str, frequency: str
) -> SavedSearch:
    _require_owner(saved_search, by)
    saved_search = SavedSearch.objects.select_for_update().get(pk=saved_search.pk)
    if saved_search.frequency == AlertFrequency.NONE and frequency != AlertFrequency.NONE:
        # Alerts switched on: report what is new from now, not since saving.
        now = timezone.now()
        saved_search.last_checked_at = now
        saved_search.last_seen_published_at = now
    saved_search.name = name.strip()
    saved_search.frequency = frequency
    saved_search.full_clean()
    saved_search.save()
    return saved_search


@transaction.atomic
def saved_search_delete(*, saved_search: SavedSearch, by: Member) -> None:
    _require_owner(saved_search, by)
    SavedSearch.objects.filter(pk=saved_search.pk).delete()


def saved_searches_of(member: Member) -> QuerySet[SavedSearch]:
    return SavedSearch.objects.filter(member=member).order_by("name", "pk")


def saved_searches_due(now: datetime) -> QuerySet[SavedSearch]:
    due = Q(last_checked_at__isnull=True)
    for frequency, interval in INTERVALS.items():
        due |= Q(frequency=frequency, last_checked_at__lte=now - interval + GRACE)
    return SavedSearch.objects.filter(
        due, frequency__in=list(INTERVALS), member__is_active=True
    ).order_by("pk")


def new_matches(
    saved_search: SavedSearch, vocabulary: Vocabulary, *, limit: int = ALERT_TITLES
) -> tuple[int, list[tuple[str, datetime]]]:
    """How many documents match the saved search and were published after
    ``last_seen_published_at``, with the newest ``limit`` titles."""
    filters = vocabulary.filters(QueryDict(saved_search.query_string()))
    documents = SearchDocument.objects.all()
    matched = apply_filters(get_backend().match(documents, parse(saved_search.query)), filters)
    matched = matched.filter(published_at__isnull=False)
    if saved_search.last_seen_published_at:
        matched = matched.filter(published_at__gt=saved_search.last_seen_published_at)
    newest = matched.order_by("-published_at", "-pk").values_list("title", "published_at")
    rows = [(title, published) for title, published in newest[:limit] if published is not None]
    total = matched.count() if len(rows) == limit else len(rows)
    return total, rows


def _alert_text(saved_search: SavedSearch, total: int, titles: list[str]) -> tuple[str, str]:
    """Title and body of the notification, in the active language. The
    title names the first results too: the digest e-mail shows titles."""
    head = ngettext(
        "%(n)d new result for your search “%(name)s”",
        "%(n)d new results for your search “%(name)s”",
        total,
    ) % {"n": total, "name": saved_search.name}
    title = f"{head}: {', '.join(titles[:3])}"
    if total > 3:
        title += " " + _("and more")
    if len(title) > 300:
        title = title[:299] + "…"
    lines = [f"- {t}" for t in titles]
    if total > len(titles):
        lines.append(_("… and %(n)d more.") % {"n": total - len(titles)})
    return title, "\n".join(lines)


def saved_search_alert(*, saved_search: SavedSearch, vocabulary: Vocabulary, now: datetime) -> bool:
    """Check one saved search and notify its member of new matches; returns
    whether a notification was made."""
    with transaction.atomic():
        locked = (
            saved_searches_due(now)
            .select_related("member")
            .select_for_update(of=("self",))
            .filter(pk=saved_search.pk)
            .first()
        )
        if locked is None:  # deleted, switched off or checked meanwhile
            return False
        total, rows = new_matches(locked, vocabulary)
        locked.last_checked_at = now
        if rows:
            locked.last_seen_published_at = max(published for _title, published in rows)
        locked.save(update_fields=["last_checked_at", "last_seen_published_at"])
        if not rows:
            return False
        member = locked.member
        notify(
            recipient=member,
            kind=SAVED_SEARCH,
            text=partial(_alert_text, locked, total, [t for t, _published in rows]),
            url=locked.get_search_url(),
        )
        return True


def saved_search_alerts(*, now: datetime | None = None) -> int:
    """Run every due saved search; returns how many members were told."""
    now = now or timezone.now()
    vocabulary = Vocabulary.load()
    told = 0
    last = 0
    while chunk := list(saved_searches_due(now).filter(pk__gt=last)[:CHUNK]):
        for saved_search in chunk:
            told += saved_search_alert(saved_search=saved_search, vocabulary=vocabulary, now=now)
        last = chunk[-1].pk
    return told
