"""Learning resources through the API: the search list (the site's query
language, facets and filters), one resource as its page shows it, and the
author's create, update and file upload through ``services`` (validated by
the site's own forms)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import HttpRequest, QueryDict
from ninja import File, Query, Router, Schema, UploadedFile

from commonroom.accounts.permissions import acting_member
from commonroom.api import auth
from commonroom.api.errors import ApiError, from_service
from commonroom.api.pagination import ObjectId, links
from commonroom.api.search import SearchParams, facet_parameters, plain, search_page
from commonroom.resources import permissions, services
from commonroom.resources.forms import ResourceCreateForm, ResourceForm
from commonroom.resources.models import FileState, Resource
from commonroom.resources.search import SEARCHABLE_KINDS

router = Router(tags=["resources"])
KIND = SEARCHABLE_KINDS[0]


class ResourceCardOut(Schema):
    id: int
    title: str
    snippet: str
    url: str


class FacetValueOut(Schema):
    slug: str
    label: str
    count: int
    selected: bool
    parent: str | None


class ResourceListOut(Schema):
    total: int
    items: list[ResourceCardOut]
    facets: dict[str, list[FacetValueOut]]
    messages: list[str]
    next: str | None
    attribution: str


class FileOut(Schema):
    id: int
    name: str
    mime_type: str
    size: int
    state: str


class ResourceOut(Schema):
    id: int
    title: str
    description: str
    state: str
    url: str
    author: str
    kind: str
    language: str
    subjects: list[str]
    levels: list[str]
    keywords: list[str]
    age_min: int | None
    age_max: int | None
    licence: str | None
    external_url: str
    video_url: str
    body: str
    published_at: datetime | None
    files: list[FileOut]
    attribution: str


class ResourceIn(Schema):
    title: str | None = None
    description: str | None = None
    kind: int | None = None
    language: int | None = None
    subjects: list[int] | None = None
    levels: list[int] | None = None
    keywords: list[str] | None = None
    age_min: int | None = None
    age_max: int | None = None
    external_url: str | None = None
    video_url: str | None = None
    body: str | None = None


class ResourceCreateIn(ResourceIn):
    rights_confirmed: bool = False


def _out(resource: Resource) -> dict[str, Any]:
    from commonroom.api.attribution import attribution_text

    files = [f for f in resource.files.all() if f.state == FileState.ACTIVE]
    return {
        "id": resource.pk,
        "title": resource.title,
        "description": resource.description,
        "state": resource.state,
        "url": settings.SITE_URL + resource.get_absolute_url(),
        "author": resource.author.display_name,
        "kind": resource.kind.slug,
        "language": resource.language.slug,
        "subjects": [s.slug for s in resource.subjects.all()],
        "levels": [level.slug for level in resource.levels.all()],
        "keywords": [str(k) for k in resource.keywords or []],
        "age_min": resource.age_min,
        "age_max": resource.age_max,
        "licence": resource.licence.slug if resource.licence else None,
        "external_url": resource.external_url,
        "video_url": resource.video_url,
        "body": resource.body,
        "published_at": resource.published_at,
        "files": [
            {"id": f.pk, "name": f.name, "mime_type": f.mime_type, "size": f.size, "state": f.state}
            for f in files
        ],
        "attribution": attribution_text(),
    }


def _loaded(resource_id: int) -> Resource:
    return (
        Resource.objects.select_related("author", "kind", "language", "licence")
        .prefetch_related("subjects", "levels", "files")
        .get(pk=resource_id)
    )


def _form_data(data: ResourceIn, resource: Resource | None) -> QueryDict:
    """The JSON body as the site's form would post it; fields left out keep
    the resource's values."""
    given = data.dict(exclude_unset=True)
    form_values: dict[str, Any] = {}
    if resource is not None:
        form_values = {
            "title": resource.title,
            "description": resource.description,
            "kind": resource.kind_id,
            "language": resource.language_id,
            "subjects": [s.pk for s in resource.subjects.all()],
            "levels": [level.pk for level in resource.levels.all()],
            "keywords": resource.keywords or [],
            "age_min": resource.age_min,
            "age_max": resource.age_max,
            "curriculum_goals": [g.pk for g in resource.curriculum_goals.all()],
            "external_url": resource.external_url,
            "video_url": resource.video_url,
            "body": resource.body,
        }
        if resource.adapted_from_id:
            form_values["adapted_from_link"] = str(resource.adapted_from_id)
    form_values.update({k: v for k, v in given.items() if k != "rights_confirmed"})
    query = QueryDict(mutable=True)
    for name, value in form_values.items():
        if value is None:
            continue
        if name == "keywords":
            query[name] = ", ".join(str(v) for v in value)
        elif isinstance(value, list):
            query.setlist(name, [str(v) for v in value])
        else:
            query[name] = str(value)
    if given.get("rights_confirmed"):
        query["rights_confirmed"] = "on"
    return query


def _invalid(form: ResourceForm) -> ApiError:
    fields = {name: [str(m) for m in errors] for name, errors in form.errors.items()}
    return ApiError(
        422,
        "validation_error",
        "; ".join(fields.get("__all__", [])) or "Some fields are not valid.",
        fields=fields,
    )


@router.get(
    "/resources",
    response=ResourceListOut,
    auth=auth.PUBLIC,
    summary="Search learning resources",
    operation_id="resource_list",
    description="The search page's query language, facets and filters, kept to learning resources.",
    openapi_extra=facet_parameters(KIND.facets)
    | links(200, GetResource=("resource_detail", "resource_id", "/items/0/id")),
)
def resource_list(request: HttpRequest, params: Query[SearchParams]) -> dict[str, Any]:
    result, body = search_page(request, params, kind=KIND.key, facets_shown=KIND.facets)
    items = []
    for hit in result.hits:
        resource = hit.object
        items.append(
            {
                "id": resource.pk,
                "title": resource.title,
                "snippet": plain(hit.snippet),
                "url": settings.SITE_URL + resource.get_absolute_url(),
            }
        )
    return {**body, "items": items}


@router.get(
    "/resources/{resource_id}",
    response=ResourceOut,
    auth=auth.PUBLIC,
    summary="One learning resource",
    operation_id="resource_detail",
)
def resource_detail(request: HttpRequest, resource_id: ObjectId) -> dict[str, Any]:
    resource = permissions.resource_for_view(request.user, resource_id)
    return _out(_loaded(resource.pk))


@router.post(
    "/resources",
    response={201: ResourceOut},
    auth=auth.WRITE,
    summary="Create a draft resource",
    operation_id="resource_create",
    openapi_extra=links(
        201,
        GetResource=("resource_detail", "resource_id", "/id"),
        UpdateResource=("resource_update", "resource_id", "/id"),
        AddFile=("resource_file_upload", "resource_id", "/id"),
    ),
    description="As the upload form: the author confirms the rights; add files afterwards.",
)
def resource_create(request: HttpRequest, data: ResourceCreateIn) -> tuple[int, dict[str, Any]]:
    member = acting_member(request)
    form = ResourceCreateForm(_form_data(data, None))
    # The API adds files in a second step; a draft needs content to be submitted, not saved.
    if not form.is_valid() and set(form.errors) - {"__all__"}:
        raise _invalid(form)
    form.errors.pop("__all__", None)
    try:
        resource = services.resource_create(
            author=member,
            fields=form.service_fields(),
            rights_confirmed=bool(form.cleaned_data.get("rights_confirmed")),
        )
    except ValidationError as exc:
        raise from_service(exc) from exc
    return 201, _out(_loaded(resource.pk))


@router.patch(
    "/resources/{resource_id}",
    response=ResourceOut,
    auth=auth.WRITE,
    summary="Edit one's own resource",
    operation_id="resource_update",
    openapi_extra=links(200, GetResource=("resource_detail", "resource_id", "/id")),
    description="A published resource's edit waits for a moderator, as on the site.",
)
def resource_update(
    request: HttpRequest, resource_id: ObjectId, data: ResourceIn
) -> dict[str, Any]:
    resource = permissions.resource_for_edit(request.user, resource_id)
    form = ResourceForm(_form_data(data, resource), instance=resource)
    if not form.is_valid():
        raise _invalid(form)
    try:
        services.resource_update(
            resource=resource, by=acting_member(request), fields=form.service_fields()
        )
    except ValidationError as exc:
        raise from_service(exc) from exc
    return _out(_loaded(resource.pk))


@router.post(
    "/resources/{resource_id}/files",
    response={201: ResourceOut},
    auth=auth.WRITE,
    summary="Add a file to one's own resource",
    operation_id="resource_file_upload",
    openapi_extra=links(201, GetResource=("resource_detail", "resource_id", "/id")),
)
def resource_file_upload(
    request: HttpRequest, resource_id: ObjectId, file: File[UploadedFile]
) -> tuple[int, dict[str, Any]]:
    resource = permissions.resource_for_edit(request.user, resource_id)
    try:
        services.resource_update(
            resource=resource, by=acting_member(request), fields={}, uploads=[file]
        )
    except ValidationError as exc:
        raise from_service(exc) from exc
    return 201, _out(_loaded(resource.pk))


ROUTERS = [("", router)]
