"""Who may harvest, and how fast: harvester keys (``?key=`` or
``Authorization: Bearer``), each with its own budget (``OAI_HARVESTER_RATE``);
anonymous harvesting, unless ``OAI_REQUIRE_KEY``, within a budget per
client address (``OAI_ANONYMOUS_RATE``), on top of the site's own."""

from __future__ import annotations

import time
from dataclasses import dataclass

from django.http import HttpRequest
from django.utils import timezone
from django_ratelimit.core import _split_rate, is_ratelimited

from commonroom.core.clientip import client_ip
from commonroom.oai import conf
from commonroom.oai.models import HarvesterKey
from commonroom.oai.services import harvester_key_touch, key_hash


@dataclass(frozen=True)
class Verdict:
    status: int  # 200 to go on, else 401, 403 or 429
    message: str = ""
    retry_after: int = 0
    key: HarvesterKey | None = None


def presented_key(request: HttpRequest) -> str:
    header = request.headers.get("Authorization", "")
    if header.lower().startswith("bearer "):
        return header[7:].strip()
    return (request.GET.get("key") or request.POST.get("key") or "").strip()


def _retry_after(rate: str) -> int:
    _count, period = _split_rate(rate)
    return max(1, period - int(time.time()) % period)


def check(request: HttpRequest) -> Verdict:
    raw = presented_key(request)
    key = None
    if raw:
        key = HarvesterKey.objects.active().filter(key_hash=key_hash(raw)).first()
        if key is None:
            return Verdict(403, "This harvester key is unknown or revoked.")
    elif conf.require_key():
        return Verdict(401, "A harvester key is required: ask the operator for one.")
    if key is not None:
        rate = conf.harvester_rate()
        limited = is_ratelimited(
            request,
            group="oai-harvester",
            key=lambda _group, _request: str(key.pk),
            rate=rate,
            increment=True,
        )
    else:
        rate = conf.anonymous_rate()
        limited = is_ratelimited(
            request,
            group="oai-anonymous",
            key=lambda _group, r: client_ip(r),
            rate=rate,
            increment=True,
        )
    if limited:
        return Verdict(429, "Too many requests: wait and resume.", _retry_after(rate), key)
    if key is not None:
        harvester_key_touch(key=key, now=timezone.now())
    return Verdict(200, key=key)
