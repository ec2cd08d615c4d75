"""Resumption tokens: stateless and signed. A token carries the request
(format, set, from, until), where the list goes on (the stream: a kind or
the tombstones, and the last primary key given), how many records came
before (the cursor) and the list's size, counted on the first page."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime, timedelta

from django.core import signing
from django.utils import timezone

from commonroom.oai import conf

SALT = "commonroom.oai.resumption"


@dataclass(frozen=True)
class Position:
    prefix: str
    set_spec: str
    from_: str
    until: str
    stream: int
    after: int
    cursor: int
    total: int


class BadToken(Exception):
    pass


def token_make(position: Position) -> str:
    return signing.dumps(asdict(position), salt=SALT, compress=True)


def token_read(token: str) -> Position:
    try:
        data = signing.loads(token, salt=SALT, max_age=conf.token_seconds())
        return Position(**data)
    except (signing.BadSignature, TypeError, ValueError) as exc:
        raise BadToken(str(exc)) from exc


def token_expiry(now: datetime | None = None) -> datetime:
    return (now or timezone.now()) + timedelta(seconds=conf.token_seconds())
