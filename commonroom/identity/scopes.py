"""What each scope lets a client app know, in plain words (consent screen,
granted apps page)."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

SCOPE_TEXTS: dict[str, Promise] = {
    "openid": _(
        "Recognise you when you sign in again (an anonymous number, not your e-mail address)"
    ),
    "profile": _("Your first name, surname and language"),
    "email": _("Your e-mail address, and whether you confirmed it"),
}


def scope_texts(scopes: list[str]) -> list[str]:
    return [str(SCOPE_TEXTS[s]) for s in scopes if s in SCOPE_TEXTS]
