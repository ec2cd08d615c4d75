"""Issue 13 item 10: allauth's mails greet and sign with the platform's name,
never the host the request came in on, in English and Dutch; the Dutch
catalogue members read uses "je", never "u", and one word for two-step
verification."""

import gettext
import re
from pathlib import Path

import allauth
import django.contrib.auth
import pytest
from allauth.core import context as allauth_context
from django.conf import settings
from django.core import mail
from django.test import RequestFactory
from django.utils import translation

from commonroom.accounts.adapter import AccountAdapter
from commonroom.accounts.tests.factories import MemberFactory

HOST = "127.0.0.1:8101"
GREETING = {"en": "Hello from Commonroom!", "nl": "Hallo van Commonroom!"}
SIGN_OFF = {
    "en": "Thank you for using Commonroom!",
    "nl": "Bedankt voor het gebruiken van Commonroom!",
}

# Each mail allauth sends a member, with the context allauth gives it.
MAIL_KINDS = {
    "account/email/email_confirmation_signup": {"activate_url": "https://x/confirm/k/", "key": "k"},
    "account/email/email_confirmation": {"activate_url": "https://x/confirm/k/", "key": "k"},
    "account/email/password_reset_key": {"password_reset_url": "https://x/reset/k/"},
    "account/email/unknown_account": {"signup_url": "https://x/accounts/signup/"},
    "account/email/account_already_exists": {
        "password_reset_url": "https://x/reset/",
        "signup_url": "https://x/accounts/signup/",
    },
}


def render_mail(template_prefix: str, extra: dict, language: str) -> list[mail.EmailMessage]:
    member = MemberFactory(email="ada@school.example")
    request = RequestFactory().get("/", HTTP_HOST=HOST)
    mail.outbox.clear()
    with translation.override(language), allauth_context.request_context(request):
        AccountAdapter(request).send_mail(template_prefix, member.email, {"user": member, **extra})
    return mail.outbox


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["en", "nl"])
@pytest.mark.parametrize("template_prefix", sorted(MAIL_KINDS))
def test_item10_every_allauth_mail_greets_and_signs_with_the_platform_name(
    template_prefix, language, settings, django_capture_on_commit_callbacks
):
    settings.PLATFORM_NAME = "Commonroom"
    settings.SITE_URL = "https://commonroom.example"
    with django_capture_on_commit_callbacks(execute=True):
        outbox = render_mail(template_prefix, MAIL_KINDS[template_prefix], language)

    assert len(outbox) == 1
    body = outbox[0].body
    assert body.splitlines()[0] == GREETING[language]
    assert SIGN_OFF[language] in body
    assert HOST not in body
    assert "127.0.0.1" not in outbox[0].subject
    assert outbox[0].subject.startswith("[Commonroom] ")


# "u"/"uw" as a pronoun, the polite "alstublieft"/"a.u.b.", and the other
# word for two-step verification.
FORMAL = re.compile(r"\b(u|uw|uzelf)\b|alstublieft|a\.u\.b\.|twee-?factor", re.IGNORECASE)
CATALOGUES = [
    Path(settings.BASE_DIR) / "commonroom" / "locale" / "nl" / "LC_MESSAGES" / "django.mo",
    Path(allauth.__file__).parent / "locale" / "nl" / "LC_MESSAGES" / "django.mo",
    # Django's accounts texts: the password rules listed under every password field.
    Path(django.contrib.auth.__file__).parent / "locale" / "nl" / "LC_MESSAGES" / "django.mo",
]


def test_item10_dutch_members_read_je_and_tweestapsverificatie_everywhere():
    msgids: set[str] = set()
    for path in CATALOGUES:
        with path.open("rb") as handle:
            catalog = gettext.GNUTranslations(handle)._catalog  # type: ignore[attr-defined]
        msgids |= {key for key in catalog if isinstance(key, str) and key and "\x04" not in key}

    offending = {}
    with translation.override("nl"):
        for msgid in sorted(msgids):
            text = translation.gettext(msgid)
            if FORMAL.search(text):
                offending[msgid] = text
    assert offending == {}


def test_item10_unknown_account_mail_has_no_typo_in_dutch():
    with translation.override("nl"):
        text = translation.gettext(
            "You are receiving this email because you, or someone else, tried to access an "
            "account with email %(email)s. However, we do not have any record of such an "
            "account in our database."
        )
    assert text.startswith("Je ontvangt deze e-mail")
