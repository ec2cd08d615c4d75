"""Collections: create, edit, delete, fill, order, follow and show (R13, R14)."""

from typing import Literal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from commonroom.accounts.permissions import acting_member
from commonroom.core.fields import id_from
from commonroom.core.forms import service_error_onto_form
from commonroom.library import permissions, selectors, services
from commonroom.library.forms import (
    AddToCollectionForm,
    CollectionForm,
    DeleteCollectionForm,
    ItemNoteForm,
)
from commonroom.library.models import Collection, CollectionItem
from commonroom.library.sharing import share_for_collection
from commonroom.library.views.common import error_text, htmx_request, next_url
from commonroom.resources.attribution import attribution_for


def _posted(request: HttpRequest) -> QueryDict | None:
    """The form data of a POST, even an empty one; None for a GET."""
    return request.POST if request.method == "POST" else None


def _item_anchor(item: CollectionItem) -> str:
    return f"{item.collection.get_absolute_url()}#item-{item.pk}"


@login_required
def collection_list(request: HttpRequest) -> HttpResponse:
    member = acting_member(request)
    return render(
        request,
        "library/collections.html",
        {
            "collections": selectors.collections_of(member),
            "followed": selectors.collections_followed_by(member),
        },
    )


@login_required
def collection_create(request: HttpRequest) -> HttpResponse:
    form = CollectionForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            collection = services.collection_create(
                owner=acting_member(request),
                title=form.cleaned_data["title"],
                description=form.cleaned_data["description"],
                is_public=form.cleaned_data["is_public"],
            )
        except ValidationError as exc:
            service_error_onto_form(form, exc)
        else:
            messages.success(
                request, _("Your collection is made. Add resources to it from their pages.")
            )
            return redirect(collection.get_absolute_url())
    return render(
        request,
        "library/collection_form.html",
        {"form": form},
        status=400 if form.errors else 200,
    )


def collection_detail(request: HttpRequest, collection_id: int, slug: str = "") -> HttpResponse:
    collection = permissions.collection_for_view(request.user, collection_id)
    if slug != collection.slug:
        return redirect(collection.get_absolute_url(), permanent=collection.is_public)
    items = list(selectors.collection_items_for(collection, request.user))
    entries = [
        (
            item,
            attribution_for(
                item.resource,
                absolute_url=request.build_absolute_uri(item.resource.get_absolute_url()),
            ),
        )
        for item in items
    ]
    is_following, follower_count = selectors.follow_state(request.user, collection)
    is_owner = permissions.is_owner(request.user, collection)
    return render(
        request,
        "library/collection.html",
        {
            "collection": collection,
            "entries": entries,
            "is_owner": is_owner,
            "can_edit": permissions.can_edit_collection(request.user, collection),
            "can_follow": permissions.can_follow_collection(request.user, collection),
            "is_following": is_following,
            "follower_count": follower_count,
            "share": share_for_collection(request, collection) if collection.is_public else None,
            "note_max": CollectionItem._meta.get_field("note").max_length,
        },
    )


@login_required
def collection_edit(request: HttpRequest, collection_id: int) -> HttpResponse:
    collection = permissions.collection_for_edit(request.user, collection_id)
    form = CollectionForm(_posted(request), instance=collection)
    if request.method == "POST" and form.is_valid():
        try:
            services.collection_update(
                collection=collection,
                by=acting_member(request),
                title=form.cleaned_data["title"],
                description=form.cleaned_data["description"],
                is_public=form.cleaned_data["is_public"],
            )
        except ValidationError as exc:
            service_error_onto_form(form, exc)
        else:
            messages.success(request, _("Your changes are saved."))
            return redirect(collection.get_absolute_url())
    if form.errors:
        collection.refresh_from_db()  # the form wrote its values onto the instance
    return render(
        request,
        "library/collection_form.html",
        {"form": form, "collection": collection},
        status=400 if form.errors else 200,
    )


@login_required
def collection_delete(request: HttpRequest, collection_id: int) -> HttpResponse:
    collection = permissions.collection_for_edit(request.user, collection_id)
    form = DeleteCollectionForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        title = collection.title
        services.collection_delete(collection=collection, by=acting_member(request))
        messages.success(request, _("“%(title)s” is deleted.") % {"title": title})
        return redirect("library:collections")
    return render(
        request,
        "library/collection_delete.html",
        {"collection": collection, "form": form},
        status=400 if form.errors else 200,
    )


@login_required
def collection_add(request: HttpRequest) -> HttpResponse:
    """Add a resource to a collection: posted from the resource page, or
    shown as a page of its own (without JavaScript, and after an error)."""
    member = acting_member(request)
    resource_id = id_from(request.POST.get("resource") or request.GET.get("resource") or "")
    if resource_id is None:
        raise Http404
    resource = permissions.resource_for_saving(resource_id)
    form = AddToCollectionForm(_posted(request), owner=member)
    if request.method == "POST" and form.is_valid():
        collection: Collection | None = form.cleaned_data["collection"]
        try:
            if collection is None:
                collection = services.collection_create(
                    owner=member, title=form.cleaned_data["new_title"]
                )
            services.collection_item_add(
                collection=collection, resource=resource, by=member, note=form.cleaned_data["note"]
            )
        except ValidationError as exc:
            service_error_onto_form(form, exc)
        else:
            messages.success(
                request,
                _("“%(resource)s” is added to “%(collection)s”.")
                % {"resource": resource.title, "collection": collection.title},
            )
            return redirect(next_url(request, collection.get_absolute_url()))
    return render(
        request,
        "library/collection_add.html",
        {"form": form, "resource": resource, "next": next_url(request, "")},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def item_move(request: HttpRequest, collection_id: int, item_id: int) -> HttpResponse:
    item = permissions.item_for_edit(request.user, collection_id, item_id)
    direction: Literal["up", "down"] = "up" if request.POST.get("direction") == "up" else "down"
    services.collection_item_move(item=item, by=acting_member(request), direction=direction)
    return redirect(_item_anchor(item))


@login_required
def item_note(request: HttpRequest, collection_id: int, item_id: int) -> HttpResponse:
    item = permissions.item_for_edit(request.user, collection_id, item_id)
    form = ItemNoteForm(_posted(request), initial={"note": item.note})
    if request.method == "POST" and form.is_valid():
        services.collection_item_note_set(
            item=item, by=acting_member(request), note=form.cleaned_data["note"]
        )
        messages.success(request, _("The note is saved."))
        return redirect(_item_anchor(item))
    return render(
        request,
        "library/item_note.html",
        {"form": form, "item": item, "collection": item.collection},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def item_remove(request: HttpRequest, collection_id: int, item_id: int) -> HttpResponse:
    item = permissions.item_for_edit(request.user, collection_id, item_id)
    services.collection_item_remove(item=item, by=acting_member(request))
    messages.success(
        request,
        _("“%(title)s” is removed from the collection.") % {"title": item.resource.title},
    )
    return redirect(item.collection.get_absolute_url())


def _follow_response(request: HttpRequest, collection: Collection, error: str = "") -> HttpResponse:
    if htmx_request(request):
        is_following, follower_count = selectors.follow_state(request.user, collection)
        return render(
            request,
            "library/_follow_control.html",
            {
                "collection": collection,
                "is_following": is_following,
                "follower_count": follower_count,
                "can_follow": True,
                "error": error,
            },
        )
    if error:
        messages.error(request, error)
    return redirect(collection.get_absolute_url())


@login_required
@require_POST
def collection_follow(request: HttpRequest, collection_id: int) -> HttpResponse:
    collection = permissions.collection_for_follow(request.user, collection_id)
    try:
        services.collection_follow(collection=collection, member=acting_member(request))
    except ValidationError as exc:
        return _follow_response(request, collection, error=error_text(exc))
    if not htmx_request(request):
        messages.success(
            request,
            _("You follow “%(title)s”. You will hear when resources are added.")
            % {"title": collection.title},
        )
    return _follow_response(request, collection)


@login_required
@require_POST
def collection_unfollow(request: HttpRequest, collection_id: int) -> HttpResponse:
    collection = permissions.collection_for_follow(request.user, collection_id)
    services.collection_unfollow(collection=collection, member=acting_member(request))
    if not htmx_request(request):
        messages.success(
            request, _("You no longer follow “%(title)s”.") % {"title": collection.title}
        )
    return _follow_response(request, collection)


def collection_short(request: HttpRequest, collection_id: int) -> HttpResponse:
    collection = permissions.collection_for_view(request.user, collection_id)
    return redirect(collection.get_absolute_url())
