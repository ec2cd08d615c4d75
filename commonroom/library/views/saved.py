"""Saving a resource with one click, and the page of saved resources (R14)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from commonroom.accounts.permissions import acting_member
from commonroom.library import permissions, selectors, services
from commonroom.library.views.common import error_text, htmx_request, next_url
from commonroom.resources.models import Resource

SAVED_PER_PAGE = 24


@login_required
def saved_list(request: HttpRequest) -> HttpResponse:
    member = acting_member(request)
    page = Paginator(selectors.saved_items_for(member), SAVED_PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(request, "library/saved.html", {"page": page})


def _save_control(
    request: HttpRequest, resource: Resource, *, error: str = "", status: int = 200
) -> HttpResponse:
    is_saved, save_count = selectors.save_state(request.user, resource)
    return render(
        request,
        "library/_save_control.html",
        {
            "resource": resource,
            "is_saved": is_saved,
            "save_count": save_count,
            "next": next_url(request, resource.get_absolute_url()),
            "error": error,
        },
        status=status,
    )


@login_required
@require_POST
def saved_create(request: HttpRequest, resource_id: int) -> HttpResponse:
    resource = permissions.resource_for_saving(resource_id)
    error = ""
    try:
        services.saved_item_create(member=acting_member(request), resource=resource)
    except ValidationError as exc:
        error = error_text(exc)
    if htmx_request(request):
        return _save_control(request, resource, error=error)
    if error:
        messages.error(request, error)
    else:
        messages.success(
            request,
            _("“%(title)s” is saved. You find it under “My saved resources”.")
            % {"title": resource.title},
        )
    return redirect(next_url(request, resource.get_absolute_url()))


@login_required
@require_POST
def saved_delete(request: HttpRequest, resource_id: int) -> HttpResponse:
    resource = permissions.resource_for_unsaving(request.user, resource_id)
    services.saved_item_delete(member=acting_member(request), resource=resource)
    if htmx_request(request):
        return _save_control(request, resource)
    messages.success(request, _("“%(title)s” is no longer saved.") % {"title": resource.title})
    return redirect(next_url(request, resource.get_absolute_url()))
