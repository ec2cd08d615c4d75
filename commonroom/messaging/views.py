"""Private messages (R18, R20, R21, R22): thin views over services.py."""

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from commonroom.accounts.models import Member
from commonroom.accounts.permissions import acting_member
from commonroom.core.fields import id_from
from commonroom.core.forms import service_error_onto_form
from commonroom.messaging import permissions, selectors, services
from commonroom.messaging.forms import (
    ComposeForm,
    MessageReportForm,
    ModerationNoteForm,
    ReplyForm,
)
from commonroom.messaging.models import Message
from commonroom.moderation.models import Report
from commonroom.moderation.report_services import report_dismiss

INBOX_PAGE = 25
HELD_SHOWN = 50
# Refusals about the recipients belong next to the "To" field of the compose form.
RECIPIENT_CODES = {"cannot_receive", "blocked_by_you", "too_many", "no_recipient"}


def _refuse(form: forms.Form, exc: ValidationError) -> int:
    """Show a service's refusal in the form, keeping the typed text; the
    HTTP status says whether to wait (429) or to change something (400)."""
    service_error_onto_form(form, exc, dict.fromkeys(RECIPIENT_CODES, "to"))
    coded = not hasattr(exc, "error_dict")
    return 429 if coded and exc.code == "rate_limited" else 400


def _held_warning(request: HttpRequest) -> None:
    messages.warning(
        request,
        _(
            "Your message waits for a moderator because it contains a link. "
            "The others will see it once a moderator has checked it."
        ),
    )


def _ids(values: list[str]) -> list[int]:
    ids = (id_from(v) for v in values)
    return list(dict.fromkeys(i for i in ids if i is not None))[: services.MAX_RECIPIENTS + 1]


def _next_or(request: HttpRequest, default: str) -> str:
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    member = acting_member(request)
    page = Paginator(selectors.inbox_for(member), INBOX_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "messaging/inbox.html",
        {"page": page, "can_moderate": permissions.can_moderate_messages(member)},
    )


def _candidates(
    member: Member, chosen_ids: list[int], query: str
) -> tuple[list[Member], list[Member]]:
    """The members already chosen, then those found by name; and all found."""
    chosen = selectors.members_by_ids(member, chosen_ids)
    ordered = [chosen[i] for i in chosen_ids if i in chosen and i != member.pk]
    found = selectors.recipient_search(member, query)
    return ordered + [m for m in found if m.pk not in chosen], found


def _shared_resource_text(request: HttpRequest, resource_id: str) -> str:
    """ "Send to a colleague" (R13): the message starts with the resource's link."""
    from commonroom.resources.models import Resource

    pk = id_from(resource_id)
    if pk is None:
        return ""
    resource = Resource.objects.published().filter(pk=pk).first()
    if resource is None:
        return ""
    url = request.build_absolute_uri(resource.get_absolute_url())
    return _("I thought this could be useful for you: “%(title)s”\n%(url)s") % {
        "title": resource.title,
        "url": url,
    }


@login_required
def compose(request: HttpRequest) -> HttpResponse:
    """Write to members chosen by a link (?to=12&to=15) or found by name."""
    member = acting_member(request)
    data = request.POST if request.method == "POST" else request.GET
    chosen_ids = _ids(data.getlist("to"))
    query = data.get("q", "").strip()[:100]
    candidates, found = _candidates(member, chosen_ids, query)
    status = 200
    if request.method == "POST" and "search" not in request.POST:
        form = ComposeForm(request.POST, candidates=candidates)
        if form.is_valid():
            try:
                conversation = services.conversation_start(
                    sender=member,
                    recipients=form.cleaned_data["to"],
                    body=form.cleaned_data["body"],
                )
            except ValidationError as exc:
                status = _refuse(form, exc)
            else:
                return _sent(request, conversation.pk)
        else:
            status = 400
    else:
        # Searching re-shows the form unbound: no errors yet, nothing typed is lost.
        body = data.get("body", "") or _shared_resource_text(request, data.get("resource", ""))
        initial = {"to": [str(i) for i in chosen_ids], "q": query, "body": body}
        form = ComposeForm(initial=initial, candidates=candidates)
    return render(
        request,
        "messaging/compose.html",
        {"form": form, "query": query, "found": found},
        status=status,
    )


def _sent(request: HttpRequest, conversation_id: int) -> HttpResponse:
    newest = Message.objects.filter(conversation_id=conversation_id).order_by("-pk").first()
    if newest is not None and newest.held:
        _held_warning(request)
    else:
        messages.success(request, _("Your message has been sent."))
    return redirect("messaging:conversation", conversation_id)


@login_required
def conversation(request: HttpRequest, conversation_id: int) -> HttpResponse:
    participation = permissions.participation_for_view(acting_member(request), conversation_id)
    member = acting_member(request)
    current = participation.conversation
    form = ReplyForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                message = services.message_send(
                    conversation=current, sender=member, body=form.cleaned_data["body"]
                )
            except ValidationError as exc:
                status = _refuse(form, exc)
            else:
                if message.held:
                    _held_warning(request)
                return redirect(f"{current.get_absolute_url()}#message-{message.pk}")
        else:
            status = 400
    before = request.GET.get("before", "")
    thread = selectors.thread_for(member, current, before=id_from(before))
    participants = selectors.participants_of(current)
    others = [p for p in participants if p.member_id != member.pk]
    blocked = selectors.blocked_ids(member, [p.member_id for p in others])
    last_read = participation.last_read_at
    new_ids = {
        m.pk
        for m in thread.messages
        if m.sender_id != member.pk and (last_read is None or m.created_at > last_read)
    }
    if request.method == "GET":
        services.conversation_mark_read(conversation=current, member=member)
    return render(
        request,
        "messaging/conversation.html",
        {
            "conversation": current,
            "thread": thread,
            "others": others,
            "names": ", ".join(p.member.display_name for p in others),
            "blocked": blocked,
            "new_ids": new_ids,
            "form": form,
        },
        status=status,
    )


@login_required
def report_message(request: HttpRequest, message_id: int) -> HttpResponse:
    message = permissions.message_for_report(acting_member(request), message_id)
    form = MessageReportForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.message_report(
                    message=message, reporter=acting_member(request), **form.cleaned_data
                )
            except ValidationError as exc:
                status = _refuse(form, exc)
            else:
                messages.success(request, _("Thank you. Moderators will look at your report."))
                return redirect(message.conversation.get_absolute_url())
        else:
            status = 400
    return render(
        request, "messaging/report_new.html", {"form": form, "message": message}, status=status
    )


# --- blocking (R22) ------------------------------------------------------------------------------


@login_required
def blocked(request: HttpRequest) -> HttpResponse:
    blocks = selectors.blocks_of(acting_member(request))
    return render(request, "messaging/blocked.html", {"blocks": blocks})


@login_required
@require_POST
def block(request: HttpRequest, member_id: int) -> HttpResponse:
    other = permissions.member_to_block(acting_member(request), member_id)
    services.member_block(blocker=acting_member(request), blocked=other)
    messages.success(
        request,
        _("You have blocked %(name)s. They can no longer write to you, and they are not told.")
        % {"name": other.display_name},
    )
    return redirect(_next_or(request, reverse("messaging:blocked")))


@login_required
@require_POST
def unblock(request: HttpRequest, member_id: int) -> HttpResponse:
    other = permissions.member_to_block(acting_member(request), member_id)
    if services.member_unblock(blocker=acting_member(request), blocked=other):
        messages.success(request, _("You have unblocked %(name)s.") % {"name": other.display_name})
    return redirect(_next_or(request, reverse("messaging:blocked")))


# --- moderation (R20, R21) -----------------------------------------------------------------------


@login_required
def reports(request: HttpRequest) -> HttpResponse:
    """Held messages; reports on messages are in moderation's one report queue."""
    permissions.moderator(request.user)
    held = list(selectors.held_messages()[: HELD_SHOWN + 1])
    return render(
        request,
        "messaging/reports.html",
        {"held": held[:HELD_SHOWN], "more_held": len(held) > HELD_SHOWN},
    )


def _moderate(request: HttpRequest, *, message: Message, report: Report | None) -> HttpResponse:
    by = permissions.moderator(request.user)
    form = ModerationNoteForm(request.POST or None)
    action = request.POST.get("action", "")
    actions: dict[str, Any] = {"hide": services.message_hide, "release": services.message_release}
    if request.method == "POST" and form.is_valid():
        note = form.cleaned_data["note"]
        try:
            if action == "dismiss" and report is not None:
                report_dismiss(report=report, by=by, reason=note)
                done = _("The report is dismissed; the reporter has been told.")
            elif action in actions:
                actions[action](message=message, by=by, reason=note)
                done = {
                    "hide": _("The message is removed; the sender has been told."),
                    "release": _("The message is released; the others can now read it."),
                }[action]
            else:
                raise ValidationError(_("Choose an action."), code="no_action")
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, done)
            return redirect("messaging:reports")
        return redirect(request.path)
    view = selectors.conversation_around(message)
    return render(
        request,
        "messaging/moderate.html",
        {"view": view, "report": report, "form": form},
        status=400 if form.errors else 200,
    )


@login_required
def report_detail(request: HttpRequest, report_id: int) -> HttpResponse:
    report = permissions.report_for_moderator(request.user, report_id)
    return _moderate(request, message=selectors.reported_message(report), report=report)


@login_required
def held_detail(request: HttpRequest, message_id: int) -> HttpResponse:
    message = permissions.held_message_for_moderator(request.user, message_id)
    return _moderate(request, message=message, report=None)
