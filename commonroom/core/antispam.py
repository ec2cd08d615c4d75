"""Anti-spam and anti-flood for everything members post (R20).

Two checks before a post is stored, one call after:

- a rate limit per member and kind of post, counted in the cache so that
  every process agrees (Redis at scale), lower during an account's first days;
- a near-duplicate check against the member's posts of the last day, after
  normalising case, punctuation and spacing, so that the same text sent to
  many people, or pasted again with small changes, is refused.

`check_post` raises ValidationError with code "rate_limited" or
"duplicate" and a message the form shows, keeping what was typed;
`record_post` remembers an accepted post. Links posted by new accounts are
held for review: `check_post` says so and the caller stores the post hidden.
"""

from __future__ import annotations

import difflib
import logging
import re
import unicodedata
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from commonroom.core.models import PostFingerprint

logger = logging.getLogger(__name__)

LINK = re.compile(r"(https?://|www\.)\S+|\b[\w-]+\.(com|net|org|be|nl|eu|io|info|shop)\b", re.I)
PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
SIMILAR = 0.9  # difflib ratio from which two normalised texts count as the same


@dataclass(frozen=True)
class PostCheck:
    held_for_review: bool


def normalise(text: str) -> str:
    """Lower case, accents and punctuation removed, spacing collapsed."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    letters = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(re.sub(r"[^\w\s]", " ", letters).split())[:500]


def is_new_account(member: object) -> bool:
    joined = getattr(member, "date_joined", None)
    return joined is not None and timezone.now() - joined < timedelta(
        days=settings.NEW_ACCOUNT_DAYS
    )


def _rate(member: object, kind: str) -> tuple[int, int]:
    table = (
        settings.NEW_ACCOUNT_RATE_LIMITS if is_new_account(member) else settings.POST_RATE_LIMITS
    )
    count, _slash, period = table[kind].partition("/")
    unit = period[-1]
    number = int(period[:-1] or 1)
    return int(count), number * PERIODS[unit]


def rate_limit_hit(*, member: object, kind: str) -> bool:
    """Count one attempt; True when it is over the member's limit.

    A fixed window per member and kind: cache.add creates the counter with
    the window as its lifetime, cache.incr is atomic on Redis, so several
    web processes share one count.
    """
    limit, seconds = _rate(member, kind)
    window = int(timezone.now().timestamp()) // seconds
    key = f"antispam:{kind}:{getattr(member, 'pk', member)}:{window}"
    cache.add(key, 0, timeout=seconds + 5)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=seconds + 5)
        count = 1
    if count is None:
        # The cache (Redis) is away and ignores the call: let the post
        # through rather than refuse every member's post for the outage.
        logger.warning("Rate limit %s not counted: the cache is unreachable", kind)
        return False
    return bool(count > limit)


def _duplicates(member: Any, kind: str, text: str) -> int:
    since = timezone.now() - timedelta(hours=24)
    recent = PostFingerprint.objects.filter(
        member=member, kind=kind, created_at__gte=since
    ).values_list("text", flat=True)[:200]
    return sum(
        1
        for earlier in recent
        if earlier == text or difflib.SequenceMatcher(None, earlier, text).ratio() >= SIMILAR
    )


def check_post(*, member: Any, kind: str, text: str) -> PostCheck:
    """Refuse a flood or a repeated text; say whether links must wait for review."""
    if rate_limit_hit(member=member, kind=kind):
        raise ValidationError(
            _("You are posting very quickly. Please wait a while before you post again."),
            code="rate_limited",
        )
    normalised = normalise(text)
    allowed_times = settings.DUPLICATE_ALLOWANCE.get(kind, 1)
    if normalised and _duplicates(member, kind, normalised) >= allowed_times:
        raise ValidationError(
            _(
                "You have already posted this, or something very like it. Repeating the same "
                "message is not allowed on this platform."
            ),
            code="duplicate",
        )
    return PostCheck(held_for_review=is_new_account(member) and bool(LINK.search(text)))


def record_post(*, member: Any, kind: str, text: str) -> None:
    PostFingerprint.objects.create(member=member, kind=kind, text=normalise(text))
    # Old fingerprints are of no use any more; trim a member's own as we go.
    PostFingerprint.objects.filter(
        member=member, created_at__lt=timezone.now() - timedelta(days=2)
    ).delete()
