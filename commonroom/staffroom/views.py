"""The staffroom's pages: thin views over selectors, services and permissions."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from commonroom.accounts.permissions import acting_member
from commonroom.core.forms import form_status, service_error_onto_form
from commonroom.moderation import permissions as moderation_permissions
from commonroom.staffroom import permissions, selectors, services
from commonroom.staffroom.forms import (
    EditForm,
    HideForm,
    ModeratorEditForm,
    ReplyForm,
    ThreadForm,
    ThreadModerationForm,
)
from commonroom.staffroom.models import Category, Post, PostRevision, Thread


def _int(value: str | None) -> int | None:
    if value and value.isdigit() and len(value) <= 18:
        return int(value)
    return None


def categories(request: HttpRequest) -> HttpResponse:
    return render(request, "staffroom/categories.html", {"rows": selectors.categories()})


def category(request: HttpRequest, slug: str) -> HttpResponse:
    board = get_object_or_404(Category.objects.select_related("level", "subject"), slug=slug)
    page = Paginator(selectors.category_threads(board), selectors.THREADS_PAGE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "staffroom/category.html",
        {
            "category": board,
            "page": page,
            "unread": selectors.unread_thread_ids(request.user, page.object_list),
            "following": selectors.is_following(request.user, board),
        },
    )


@login_required
def thread_new(request: HttpRequest, slug: str) -> HttpResponse:
    board = get_object_or_404(Category, slug=slug)
    form = ThreadForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            thread = services.thread_start(
                category=board, author=acting_member(request), **form.cleaned_data
            )
        except ValidationError as exc:
            service_error_onto_form(form, exc, {"rate_limited": "body", "duplicate": "body"})
        else:
            if thread.opening_post is not None and thread.opening_post.held:
                messages.info(
                    request,
                    _("Your post contains a link; it appears after a moderator has seen it."),
                )
            return redirect(thread.get_absolute_url())
    return render(
        request,
        "staffroom/thread_new.html",
        {"category": board, "form": form},
        status=form_status(form),
    )


def thread(request: HttpRequest, thread_id: int) -> HttpResponse:
    topic = permissions.thread_for_view(request.user, thread_id)
    after = _int(request.GET.get("after"))
    before = _int(request.GET.get("before"))
    page = selectors.post_page(
        topic, request.user, after=after, before=before, last=request.GET.get("last") == "1"
    )
    seen = max((p.pk for p in page.posts), default=0)
    read_before = services.read_up_to(member=request.user, thread=topic, post_id=seen)
    new_ids = {p.pk for p in page.posts if read_before and p.pk > read_before}
    quote = _int(request.GET.get("quote"))
    return render(
        request,
        "staffroom/thread.html",
        {
            "thread": topic,
            "page": page,
            "items": permissions.post_items(
                request.user, topic, page.posts, new_ids, selectors.link_cards(page.posts)
            ),
            "first_unread_after": read_before
            if read_before and topic.last_post_id > read_before and not new_ids
            else None,
            "following": selectors.is_following(request.user, topic),
            "can_reply": permissions.can_reply(request.user, topic),
            "is_moderator": permissions.can_moderate_staffroom(request.user),
            "form": ReplyForm(initial={"quote": quote}),
        },
    )


def post_link(request: HttpRequest, post_id: int) -> HttpResponse:
    """A post's permanent address: its thread, from that post on."""
    post = permissions.post_for_view(request.user, post_id)
    return redirect(f"{post.thread.get_absolute_url()}?after={post.pk - 1}#post-{post.pk}")


@login_required
def reply(request: HttpRequest, thread_id: int) -> HttpResponse:
    topic = permissions.thread_for_view(request.user, thread_id)
    form = ReplyForm(request.POST or None, initial={"quote": _int(request.GET.get("quote"))})
    quote_id = _int(request.POST.get("quote") or request.GET.get("quote"))
    quoted = (
        Post.objects.visible().select_related("author").filter(pk=quote_id, thread=topic).first()
        if quote_id
        else None
    )
    if request.method == "POST" and form.is_valid():
        try:
            post = services.post_reply(
                thread=topic,
                author=acting_member(request),
                body=form.cleaned_data["body"],
                quote=quoted,
            )
        except ValidationError as exc:
            service_error_onto_form(form, exc, {"rate_limited": "body", "duplicate": "body"})
        else:
            if post.held:
                messages.info(
                    request,
                    _("Your reply contains a link; it appears after a moderator has seen it."),
                )
            return redirect(post.get_absolute_url())
    return render(
        request,
        "staffroom/reply.html",
        {"thread": topic, "form": form, "quoted": quoted},
        status=form_status(form),
    )


def _follow(request: HttpRequest, target: Thread | Category) -> HttpResponse:
    on = request.POST.get("follow") == "1"
    try:
        services.follow_set(member=acting_member(request), target=target, on=on)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _("You follow it now: you are told about what is new.")
            if on
            else _("You no longer follow it."),
        )
    return redirect(target.get_absolute_url())


@login_required
@require_POST
def thread_follow(request: HttpRequest, thread_id: int) -> HttpResponse:
    return _follow(request, permissions.thread_for_view(request.user, thread_id))


@login_required
@require_POST
def category_follow(request: HttpRequest, slug: str) -> HttpResponse:
    return _follow(request, get_object_or_404(Category, slug=slug))


@login_required
def post_edit(request: HttpRequest, post_id: int) -> HttpResponse:
    post = permissions.post_for_view(request.user, post_id)
    if not permissions.can_edit_post(request.user, post):
        raise PermissionDenied
    form = EditForm(request.POST or None, initial={"body": post.body})
    if request.method == "POST" and form.is_valid():
        try:
            services.post_edit(post=post, by=acting_member(request), body=form.cleaned_data["body"])
        except ValidationError as exc:
            service_error_onto_form(form, exc)
        else:
            messages.success(request, _("Your post is changed."))
            return redirect(post.get_absolute_url())
    return render(
        request,
        "staffroom/post_edit.html",
        {"post": post, "form": form, "moderating": False},
        status=form_status(form),
    )


@login_required
@require_POST
def post_answer(request: HttpRequest, post_id: int) -> HttpResponse:
    post = permissions.post_for_view(request.user, post_id)
    topic = services.answer_mark(thread=post.thread, post=post, by=acting_member(request))
    messages.success(
        request,
        _("This reply is marked as the answer.")
        if topic.accepted_post_id
        else _("This reply is no longer marked as the answer."),
    )
    return redirect(post.get_absolute_url())


def _moderator_form(
    request: HttpRequest, post_id: int, form_class: type[Any], template: str
) -> tuple[Post, Any]:
    moderation_permissions.moderator(request.user)
    post = permissions.post_for_view(request.user, post_id)
    return post, form_class(request.POST or None, initial={"body": post.body})


@login_required
def post_hide(request: HttpRequest, post_id: int) -> HttpResponse:
    post, form = _moderator_form(request, post_id, HideForm, "staffroom/post_hide.html")
    if request.method == "POST" and form.is_valid():
        try:
            services.post_hide(post=post, by=acting_member(request), **form.cleaned_data)
        except ValidationError as exc:
            service_error_onto_form(form, exc)
        else:
            messages.success(request, _("The post is hidden; its author has been told."))
            return redirect(post.thread.get_absolute_url())
    return render(
        request, "staffroom/post_hide.html", {"post": post, "form": form}, status=form_status(form)
    )


@login_required
def post_moderate(request: HttpRequest, post_id: int) -> HttpResponse:
    post, form = _moderator_form(request, post_id, ModeratorEditForm, "staffroom/post_edit.html")
    if request.method == "POST" and form.is_valid():
        try:
            services.post_edit_by_moderator(
                post=post, by=acting_member(request), **form.cleaned_data
            )
        except ValidationError as exc:
            service_error_onto_form(form, exc)
        else:
            messages.success(request, _("The post is changed; its author has been told why."))
            return redirect(post.get_absolute_url())
    return render(
        request,
        "staffroom/post_edit.html",
        {"post": post, "form": form, "moderating": True},
        status=form_status(form),
    )


@login_required
def post_history(request: HttpRequest, post_id: int) -> HttpResponse:
    """Earlier versions of a post, for moderators."""
    moderation_permissions.moderator(request.user)
    post = permissions.post_for_view(request.user, post_id)
    revisions = PostRevision.objects.filter(post=post).select_related("edited_by")
    return render(request, "staffroom/post_history.html", {"post": post, "revisions": revisions})


@login_required
def thread_moderate(request: HttpRequest, thread_id: int) -> HttpResponse:
    moderation_permissions.moderator(request.user)
    topic = permissions.thread_for_view(request.user, thread_id)
    form = ThreadModerationForm(request.POST or None, initial={"category": topic.category_id})
    if request.method == "POST" and form.is_valid():
        by, data = acting_member(request), form.cleaned_data
        action, reason = data["action"], data["reason"]
        try:
            if action in ("lock", "unlock"):
                services.thread_lock(thread=topic, by=by, locked=action == "lock", reason=reason)
            elif action in ("pin", "unpin"):
                services.thread_pin(thread=topic, by=by, pinned=action == "pin")
            elif action == "merge":
                into = Thread.objects.filter(pk=data["into"] or 0).first()
                if into is None:
                    raise ValidationError({"into": _("There is no thread with this number.")})
                topic = services.thread_merge(thread=topic, by=by, into=into, reason=reason)
            elif action == "split":
                post = Post.objects.filter(pk=data["split_from"] or 0, thread=topic).first()
                if post is None:
                    raise ValidationError(
                        {"split_from": _("Choose a reply of this thread to split off from.")}
                    )
                topic = services.thread_split(
                    thread=topic, by=by, post=post, title=data["title"], reason=reason
                )
            elif data["category"] is None:
                raise ValidationError({"category": _("Choose the category to move it to.")})
            else:
                services.thread_move(thread=topic, by=by, category=data["category"], reason=reason)
        except ValidationError as exc:
            service_error_onto_form(form, exc, {"not_a_reply": "split_from"})
        else:
            messages.success(request, _("Done: the thread is changed."))
            return redirect(topic.get_absolute_url())
    return render(
        request,
        "staffroom/thread_moderate.html",
        {"thread": topic, "form": form},
        status=form_status(form),
    )
