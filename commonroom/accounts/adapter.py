from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.internal.stagekit import clear_login
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.translation import get_language

from commonroom.accounts import selectors, services
from commonroom.accounts.models import Member
from commonroom.accounts.views import suspension_response
from commonroom.core.clientip import client_ip
from commonroom.core.mail import email_send_on_commit

# Session flag read by home/home.html (as request.session.first_sign_in).
FIRST_SIGN_IN_SESSION_KEY = "first_sign_in"


@dataclass(frozen=True)
class MailSite:
    """What allauth's mails call the "current site". Without
    django.contrib.sites allauth falls back to the request's host, so mails
    greeted "Hello from 127.0.0.1:8101!"; they greet and sign with the
    platform's name and its public address instead."""

    name: str = field(default_factory=lambda: settings.PLATFORM_NAME)
    domain: str = field(
        default_factory=lambda: urlsplit(settings.SITE_URL).netloc or settings.SITE_URL
    )


class AccountAdapter(DefaultAccountAdapter):
    def save_user(self, request: HttpRequest, user: Any, form: Any, commit: bool = True) -> Member:
        member = super().save_user(request, user, form, commit=False)
        return self.register(
            member=member, form=form, language=get_language() or settings.LANGUAGE_CODE
        )

    def register(self, *, member: Member, form: Any, language: str) -> Member:
        """Store the new member; legal.signup's adapter also records the terms."""
        return services.member_register(
            member=member, birth_year=form.cleaned_data["birth_year"], language=language
        )

    def get_client_ip(self, request: HttpRequest) -> str:
        # The address every other per-IP limit counts (TRUSTED_PROXIES), not
        # allauth's own reading of X-Forwarded-For.
        return client_ip(request)

    def pre_login(self, request: HttpRequest, user: Any, **kwargs: Any) -> HttpResponse | None:
        suspension = selectors.suspension_active_for(user)
        if suspension is not None:
            clear_login(request)
            return suspension_response(request, suspension)
        return super().pre_login(request, user, **kwargs)

    def login(self, request: HttpRequest, user: Any) -> None:
        # Django stamps last_login while signing in, so whether this is the
        # member's first sign-in is only known now; the home page greets a
        # newcomer with "Welcome", not "Welcome back", for this session.
        first_sign_in = user.last_login is None
        super().login(request, user)
        if first_sign_in:
            request.session[FIRST_SIGN_IN_SESSION_KEY] = True

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        from allauth.core import context as allauth_context

        request = allauth_context.request
        ctx = {"request": request, "email": email, "current_site": MailSite()}
        ctx.update(context)
        # Rendered now: the one-time links in allauth's mails cannot be
        # rendered again in the worker. The outbox deletes the text once it
        # has been sent, and erasure deletes it with the member it concerns.
        user = context.get("user")
        member_id = (
            user.pk
            if isinstance(user, Member)
            else Member.objects.filter(email__iexact=email).values_list("pk", flat=True).first()
        )
        email_send_on_commit(self.render_mail(template_prefix, email, ctx), member_id=member_id)
