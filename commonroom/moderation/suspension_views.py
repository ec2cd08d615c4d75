"""Staff pages to find a member, suspend them and lift a suspension (R5)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from commonroom.accounts import permissions, selectors
from commonroom.accounts.forms import SuspensionForm
from commonroom.accounts.models import Suspension
from commonroom.accounts.permissions import acting_member
from commonroom.moderation import suspensions


@login_required
def staff_members(request: HttpRequest) -> HttpResponse:
    if not permissions.can_suspend(request.user):
        raise PermissionDenied
    query = request.GET.get("q", "").strip()
    return render(
        request,
        "accounts/staff_members.html",
        {"members": selectors.members_for_staff(query), "query": query},
    )


@login_required
def staff_suspend(request: HttpRequest, member_id: int) -> HttpResponse:
    member = permissions.member_for_staff_get(request.user, member_id)
    if not permissions.can_suspend(request.user, member):
        raise PermissionDenied
    form = SuspensionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        suspensions.member_suspend(
            member=member,
            reason=form.cleaned_data["reason"],
            until=form.cleaned_data["ends_at"],
            by=acting_member(request),
        )
        messages.success(request, _("%(name)s is suspended.") % {"name": member.display_name})
        return redirect("staff:members")
    status = 400 if form.errors else 200
    return render(
        request,
        "accounts/staff_suspend.html",
        {"form": form, "member": member, "active": selectors.suspension_active_for(member)},
        status=status,
    )


@login_required
@require_POST
def staff_suspension_lift(request: HttpRequest, suspension_id: int) -> HttpResponse:
    if not permissions.can_suspend(request.user):
        raise PermissionDenied
    suspension = get_object_or_404(Suspension.objects.active(), pk=suspension_id)
    suspensions.suspension_lift(suspension=suspension, by=acting_member(request))
    messages.success(request, _("The suspension is lifted."))
    return redirect("staff:members")
