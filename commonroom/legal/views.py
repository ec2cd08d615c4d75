from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_ratelimit.decorators import ratelimit

from commonroom.accounts.models import Member
from commonroom.accounts.permissions import acting_member
from commonroom.accounts.roles import is_staff
from commonroom.legal import selectors, services
from commonroom.legal.forms import ContactForm, MaintenanceForm
from commonroom.legal.models import DocumentKind, LegalDocument


def _document_page(request: HttpRequest, kind: str, document: LegalDocument | None) -> HttpResponse:
    return render(
        request,
        "legal/document.html",
        {
            "document": document,
            "kind": kind,
            "kind_label": DocumentKind(kind).label,
            "versions": selectors.document_versions(kind),
        },
    )


def terms(request: HttpRequest) -> HttpResponse:
    return _document_page(request, DocumentKind.TERMS, selectors.terms_current())


def privacy(request: HttpRequest) -> HttpResponse:
    return _document_page(request, DocumentKind.PRIVACY, selectors.privacy_current())


def copyright_in_education(request: HttpRequest) -> HttpResponse:
    """The guide on copyright in education that §3.3 of the terms refers to.

    The long text lives in one template per language rather than in the
    catalogue, so a translator edits a readable page, not hundreds of msgids.
    """
    language = get_language() or settings.LANGUAGE_CODE
    return render(
        request,
        [f"legal/copyright/{language}.html", f"legal/copyright/{settings.LANGUAGE_CODE}.html"],
    )


def document_version(request: HttpRequest, kind: str, version: str) -> HttpResponse:
    document = selectors.document_version_get(kind=kind, version=version)
    return _document_page(request, kind, document)


@require_POST
def terms_accept(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect("account_login")
    current = selectors.terms_current()
    if current:
        services.terms_accept(
            member=acting_member(request),
            document=current,
            language=get_language() or settings.LANGUAGE_CODE,
        )
        request.session["terms_accepted_id"] = current.pk
    next_url = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}, request.is_secure()):
        next_url = "/"
    return redirect(next_url)


def _contact_rate(group: str, request: HttpRequest) -> str:
    return settings.CONTACT_RATE_LIMIT


@ratelimit(key="ip", rate=_contact_rate, method="POST", block=False)
def contact(request: HttpRequest) -> HttpResponse:
    initial = {}
    if request.user.is_authenticated:
        initial = {"name": request.user.display_name, "email": request.user.email}
    form = ContactForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        if getattr(request, "limited", False):
            form.add_error(
                None,
                _(
                    "You have sent several messages in a short time. "
                    "Please wait an hour before sending another one."
                ),
            )
            status = 429
        elif form.is_valid():
            services.contact_message_send(
                member=request.user if isinstance(request.user, Member) else None,
                **form.cleaned_data,
            )
            return redirect("legal:contact_sent")
        else:
            status = 400
    return render(request, "legal/contact.html", {"form": form}, status=status)


def contact_sent(request: HttpRequest) -> HttpResponse:
    return render(request, "legal/contact_sent.html")


@login_required
def maintenance(request: HttpRequest) -> HttpResponse:
    if not is_staff(request.user):
        raise PermissionDenied
    state = selectors.maintenance_state()
    form = MaintenanceForm(request.POST or None, initial=state)
    if request.method == "POST" and form.is_valid():
        services.maintenance_set(by=acting_member(request), **form.cleaned_data)
        if form.cleaned_data["enabled"]:
            messages.warning(request, _("Maintenance mode is on: only staff can use the platform."))
        else:
            messages.success(request, _("Maintenance mode is off: the platform is open again."))
        return redirect("legal:maintenance")
    return render(request, "legal/maintenance_form.html", {"form": form, "state": state})
