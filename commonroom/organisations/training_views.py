"""The directory of training course organisations (R23, R25), their offers
and the selection guide (keuzewijzer)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from commonroom.accounts.permissions import acting_member
from commonroom.core.forms import form_status, service_error_onto_form
from commonroom.organisations import directory as directory_index
from commonroom.organisations import offer_services, permissions, selectors
from commonroom.organisations.forms import DirectoryForm, GuideForm, OfferForm, answers_from_query
from commonroom.organisations.models import TrainingOffer

PAGE_SIZE = 20
# The guide shows this many matches; the best come first.
GUIDE_LIMIT = 30


def _page(request: HttpRequest, items: Any) -> dict[str, Any]:
    query = request.GET.copy()
    query.pop("page", None)
    page = Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))
    return {"page": page, "query": query.urlencode()}


@require_GET
def directory(request: HttpRequest) -> HttpResponse:
    form = DirectoryForm(request.GET)
    filters = form.filters()
    found = directory_index.search(**filters)
    themes, provinces = selectors.themes_and_provinces()
    listing = _page(request, found.ids)
    return render(
        request,
        "organisations/directory.html",
        {
            "form": form,
            "filters": filters,
            "themes": [(t, found.theme_counts.get(t.pk, 0)) for t in themes],
            "provinces": [(p, found.province_counts.get(p.pk, 0)) for p in provinces],
            "organisations": selectors.directory_page(listing["page"].object_list),
            **listing,
        },
    )


@require_GET
def guide(request: HttpRequest) -> HttpResponse:
    form = GuideForm(request.GET)
    answers = form.answers()
    matches = selectors.guide_result(answers)
    query = request.GET.urlencode()
    return render(
        request,
        "organisations/guide.html",
        {
            "form": form,
            "answered": not answers.empty,
            "matches": matches[:GUIDE_LIMIT],
            "total": len(matches),
            "share_url": request.build_absolute_uri(reverse("organisations:guide") + "?" + query),
            "query": query,
            "saved": selectors.saved_guides(request.user) if request.user.is_authenticated else [],
        },
    )


@login_required
@require_POST
def guide_save(request: HttpRequest) -> HttpResponse:
    raw = request.POST.get("query", "")[:1000]
    try:
        if answers_from_query(raw).empty:
            raise ValidationError(_("Answer at least one question first."), code="empty")
        offer_services.guide_save(member=acting_member(request), query=raw)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(request, _("Saved. We tell you when a new offer matches your answers."))
    return redirect(reverse("organisations:guide") + ("?" + raw if raw else ""))


@login_required
@require_POST
def guide_forget(request: HttpRequest, saved_id: int) -> HttpResponse:
    saved = permissions.saved_guide_for_member(request.user, saved_id)
    offer_services.guide_forget(saved=saved, member=acting_member(request))
    messages.success(request, _("You will no longer hear of new offers for these answers."))
    return redirect("organisations:guide")


def offer(request: HttpRequest, offer_id: int) -> HttpResponse:
    found = permissions.offer_for_view(request.user, offer_id)
    return render(
        request,
        "organisations/offer.html",
        {
            "offer": found,
            "organisation": found.organisation,
            "can_edit": permissions.can_manage_offers(request.user, found.organisation),
        },
    )


def _offer_form(
    request: HttpRequest, *, organisation: Any, instance: TrainingOffer | None
) -> HttpResponse:
    form = OfferForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        themes, provinces, levels = data.pop("themes"), data.pop("provinces"), data.pop("levels")
        if instance is not None:
            instance.refresh_from_db()
        try:
            saved = offer_services.offer_save(
                organisation=organisation,
                by=acting_member(request),
                offer=instance,
                themes=list(themes),
                provinces=list(provinces),
                levels=list(levels),
                **data,
            )
        except ValidationError as exc:
            service_error_onto_form(form, exc)
        else:
            messages.success(request, _("The offer is saved."))
            return redirect(saved.get_absolute_url())
    return render(
        request,
        "organisations/offer_form.html",
        {"form": form, "organisation": organisation, "offer": instance},
        status=form_status(form),
    )


@login_required
def offer_new(request: HttpRequest, organisation_id: int) -> HttpResponse:
    organisation = permissions.organisation_for_offers(request.user, organisation_id)
    return _offer_form(request, organisation=organisation, instance=None)


@login_required
def offer_edit(request: HttpRequest, offer_id: int) -> HttpResponse:
    found = permissions.offer_for_edit(request.user, offer_id)
    return _offer_form(request, organisation=found.organisation, instance=found)


@login_required
@require_POST
def offer_delete(request: HttpRequest, offer_id: int) -> HttpResponse:
    found = permissions.offer_for_edit(request.user, offer_id)
    organisation = found.organisation
    offer_services.offer_delete(offer=found, by=acting_member(request))
    messages.success(request, _("The offer is deleted."))
    return redirect(organisation.get_absolute_url())
