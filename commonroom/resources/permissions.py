"""Who may see, edit and download a resource (R2, R15)."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from commonroom.accounts.roles import User, is_moderator
from commonroom.resources.models import PUBLIC_STATES, Resource, ResourceFile, State


def can_view(user: User, resource: Resource) -> bool:
    if resource.state in PUBLIC_STATES:
        return True
    # Removed pending investigation: the page stays, saying so, files withheld.
    if resource.state == State.REMOVED_PENDING:
        return True
    return bool(user.is_authenticated and (resource.author_id == user.pk or is_moderator(user)))


def can_edit(user: User, resource: Resource) -> bool:
    return bool(user.is_authenticated and resource.author_id == user.pk and user.is_active)


def can_download(user: User, resource: Resource) -> bool:
    if resource.files_withheld:
        return False
    if settings.DOWNLOAD_REQUIRES_ACCOUNT and not user.is_authenticated:
        return False
    return can_view(user, resource)


def resource_for_view(user: User, resource_id: int) -> Resource:
    resource = get_object_or_404(Resource.objects.select_related("author"), pk=resource_id)
    if not can_view(user, resource):
        raise Http404
    return resource


def resource_for_edit(user: User, resource_id: int) -> Resource:
    resource = resource_for_view(user, resource_id)
    if not can_edit(user, resource):
        raise PermissionDenied
    return resource


def file_for_download(user: User, resource_id: int, file_id: int) -> ResourceFile:
    """A file the user may download; moderators and the author also reach
    files of an edit that waits for review."""
    resource = resource_for_view(user, resource_id)
    file = get_object_or_404(
        ResourceFile.objects.exclude(state="removed"), pk=file_id, resource=resource
    )
    privileged = user.is_authenticated and (resource.author_id == user.pk or is_moderator(user))
    if file.state == "quarantined" and not is_moderator(user):
        raise Http404
    if file.state == "pending" and not privileged:
        raise Http404
    if not can_download(user, resource) and not (privileged and not resource.files_withheld):
        raise PermissionDenied
    return file
