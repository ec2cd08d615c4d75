"""Moderators' pages for resources only (R27): correcting metadata, removing
a resource or one of its files; and the notice (R29) and report (R21) forms
on a resource. Their URLs are in the moderation namespace
(``resources.moderation.moderation_urls``)."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django_ratelimit.decorators import ratelimit

from commonroom.accounts.models import Member
from commonroom.accounts.permissions import acting_member
from commonroom.core.forms import form_status
from commonroom.moderation import appeals, permissions, report_services, services, visitor_reports
from commonroom.moderation.forms import NoticeForm, RemovalForm, ReportForm
from commonroom.moderation.views import back_to_review, show_error
from commonroom.resources import permissions as resource_permissions
from commonroom.resources.models import Resource, ResourceFile
from commonroom.resources.moderation import file_remove_by_moderator, resource_edit_by_moderator
from commonroom.resources.moderation_forms import ModeratorEditForm
from commonroom.resources.permissions import User


def resource_for_moderator(user: User, resource_id: int) -> Resource:
    permissions.moderator(user)
    return get_object_or_404(Resource.objects.select_related("author"), pk=resource_id)


def file_for_moderator(user: User, file_id: int) -> ResourceFile:
    permissions.moderator(user)
    return get_object_or_404(
        ResourceFile.objects.exclude(state="removed").select_related("resource"), pk=file_id
    )


def _notice_rate(group: str, request: HttpRequest) -> str:
    return str(settings.NOTICE_RATE_LIMIT)


def _report_rate(group: str, request: HttpRequest) -> str:
    return str(settings.REPORT_RATE_LIMIT)


# --- acting on a resource outside the queue (R27) ---------------------------------------------


@login_required
def edit(request: HttpRequest, resource_id: int) -> HttpResponse:
    resource = resource_for_moderator(request.user, resource_id)
    by = permissions.moderator(request.user)
    title = resource.title
    form = ModeratorEditForm(request.POST or None, instance=resource)
    if request.method == "POST" and form.is_valid():
        try:
            resource_edit_by_moderator(
                resource=resource,
                by=by,
                fields=form.service_fields(),
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            show_error(form, exc)
        else:
            messages.success(request, _("The metadata is corrected; the author has been told."))
            return redirect(back_to_review(request, resource.get_absolute_url()))
    return render(
        request,
        "moderation/edit.html",
        {"form": form, "resource": resource, "title": title},
        status=form_status(form),
    )


@login_required
def remove(request: HttpRequest, resource_id: int) -> HttpResponse:
    resource = resource_for_moderator(request.user, resource_id)
    by = permissions.moderator(request.user)
    form = RemovalForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.item_remove(
                item=resource,
                by=by,
                reason=form.cleaned_data["reason"],
                criteria=list(form.cleaned_data["criteria"]),
            )
        except ValidationError as exc:
            show_error(form, exc)
        else:
            messages.success(request, _("The resource is removed; the author has been told."))
            return redirect("moderation:queue")
    return render(
        request,
        "moderation/remove.html",
        {"form": form, "resource": resource},
        status=form_status(form),
    )


@login_required
def file_remove(request: HttpRequest, file_id: int) -> HttpResponse:
    file = file_for_moderator(request.user, file_id)
    by = permissions.moderator(request.user)
    form = RemovalForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            file_remove_by_moderator(
                file=file,
                by=by,
                reason=form.cleaned_data["reason"],
                criteria=list(form.cleaned_data["criteria"]),
            )
        except ValidationError as exc:
            show_error(form, exc)
        else:
            messages.success(request, _("The file is removed; the author has been told."))
            return redirect(back_to_review(request, file.resource.get_absolute_url()))
    return render(
        request,
        "moderation/file_remove.html",
        {"form": form, "file": file},
        status=form_status(form),
    )


@ratelimit(key="ip", rate=_notice_rate, method="POST", block=False)
def notice_new(request: HttpRequest, resource_id: int) -> HttpResponse:
    """Anyone, with or without an account, may notify an infringement."""
    resource = resource_permissions.resource_for_view(request.user, resource_id)
    member = request.user if isinstance(request.user, Member) else None
    initial = {"name": member.display_name, "email": member.email} if member else {}
    form = NoticeForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        if getattr(request, "limited", False):
            form.add_error(
                None,
                _(
                    "You have sent several notices in a short time. "
                    "Please wait an hour before sending another one."
                ),
            )
            status = 429
        elif form.is_valid():
            try:
                appeals.notice_file(item=resource, filed_by=member, **form.cleaned_data)
            except ValidationError as exc:
                show_error(form, exc)
            else:
                return redirect("moderation:notice_sent")
        status = 400 if status == 200 and form.errors else status
    return render(
        request, "moderation/notice_new.html", {"form": form, "resource": resource}, status=status
    )


@ratelimit(key="user_or_ip", rate=_report_rate, method="POST", block=False)
def report_new(request: HttpRequest, resource_id: int) -> HttpResponse:
    resource = resource_permissions.resource_for_view(request.user, resource_id)
    if not request.user.is_authenticated:
        return visitor_reports.visitor_report(
            request,
            target=resource,
            url=resource.get_absolute_url(),
            template="moderation/report_new.html",
            context={"resource": resource},
            form_class=visitor_reports.VisitorReportForm,
        )
    form = ReportForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if getattr(request, "limited", False):
            form.add_error(
                None,
                _(
                    "You have sent many reports in a short time. "
                    "Please wait an hour before sending another one."
                ),
            )
            status = 429
        elif form.is_valid():
            try:
                report_services.report_file(
                    target=resource, reporter=acting_member(request), **form.cleaned_data
                )
            except ValidationError as exc:
                show_error(form, exc)
            else:
                messages.success(request, _("Thank you. Moderators will look at your report."))
                return redirect(resource.get_absolute_url())
        status = 400 if status == 200 and form.errors else status
    return render(
        request, "moderation/report_new.html", {"form": form, "resource": resource}, status=status
    )
