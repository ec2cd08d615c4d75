from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from commonroom.accounts.permissions import acting_member
from commonroom.notifications import selectors, services
from commonroom.notifications.forms import PreferencesForm
from commonroom.notifications.kinds import kind_label

PAGE_SIZE = 30


@login_required
def centre(request: HttpRequest) -> HttpResponse:
    """The member's notifications, newest first; opening the page reads them."""
    member = acting_member(request)
    page = Paginator(selectors.notifications_for(member), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    # Evaluated before marking them read, so the page can still show which are new.
    items = list(page.object_list)
    services.notifications_mark_read(recipient=member)
    return render(request, "notifications/centre.html", {"page": page, "items": items})


@login_required
def preferences(request: HttpRequest) -> HttpResponse:
    member = acting_member(request)
    current = selectors.frequencies_for(member)
    form = PreferencesForm(request.POST or None, current=current)
    if request.method == "POST" and form.is_valid():
        for kind, frequency in form.cleaned_data.items():
            if frequency != current[kind]:
                services.preference_set(member=member, kind=kind, frequency=frequency)
        messages.success(request, _("Your e-mail settings are saved."))
        return redirect("notifications:preferences")
    return render(request, "notifications/preferences.html", {"form": form})


@csrf_exempt  # mail clients post here for one-click unsubscribe (RFC 8058); the token is the proof
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """GET shows what will stop; POST (the button, or the mail client) stops it."""
    if request.method == "POST":
        result = services.unsubscribe(token=token)
        if result is None:
            raise Http404
        _member, kind = result
        return render(request, "notifications/unsubscribed.html", {"kind_label": kind_label(kind)})
    return render(request, "notifications/unsubscribe.html", {"token": token})
