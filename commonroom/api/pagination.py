"""Cursor pagination for every list of the API: the ``next`` link carries
an opaque, signed cursor (a tampered or foreign one is a 400
``invalid_cursor``). Lists of rows page by key (newest first, ``-pk``), so
a page never repeats or skips a row when others are added; search pages by
the search's own page number, kept in the cursor."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Annotated, Any, TypeVar

from django.core import signing
from django.db.models import Model, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Path, Query, Schema

from commonroom.api.attribution import attribution_text
from commonroom.api.errors import ApiError

DEFAULT_LIMIT = 20
MAX_LIMIT = 100
_SALT = "commonroom.api.cursor"

M = TypeVar("M", bound=Model)


class PageParams(Schema):
    """The parameters of every list: where to go on, and how many at once."""

    cursor: str | None = None
    limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT)


class PageOut(Schema):
    next: str | None
    attribution: str


def cursor_make(state: dict[str, Any]) -> str:
    return signing.dumps(state, salt=_SALT, compress=True)


def cursor_read(cursor: str | None) -> dict[str, Any]:
    if not cursor:
        return {}
    try:
        state = signing.loads(cursor, salt=_SALT)
    except signing.BadSignature as exc:
        raise ApiError(400, "invalid_cursor", _("This cursor is not valid.")) from exc
    if not isinstance(state, dict):
        raise ApiError(400, "invalid_cursor", _("This cursor is not valid."))
    return state


def next_link(request: HttpRequest, state: dict[str, Any] | None) -> str | None:
    if state is None:
        return None
    params = request.GET.copy()
    params["cursor"] = cursor_make(state)
    return request.build_absolute_uri(f"{request.path}?{params.urlencode()}")


def keyset_page(
    request: HttpRequest,
    queryset: QuerySet[M],
    page: PageParams,
    *,
    serialise: Callable[[Sequence[M]], list[Any]],
) -> dict[str, Any]:
    """One page of ``queryset``, newest first by primary key, with the link
    to the next; ``serialise`` turns the page's rows into items (in fixed
    queries)."""
    state = cursor_read(page.cursor)
    before = state.get("before")
    if before is not None and not isinstance(before, int):
        raise ApiError(400, "invalid_cursor", _("This cursor is not valid."))
    rows = queryset.order_by("-pk")
    if before is not None:
        rows = rows.filter(pk__lt=before)
    found = list(rows[: page.limit + 1])
    more = len(found) > page.limit
    found = found[: page.limit]
    following = {"before": found[-1].pk} if more and found else None
    return {
        "items": serialise(found),
        "next": next_link(request, following),
        "attribution": attribution_text(),
    }


def links(status: int, **targets: tuple[str, str, str]) -> dict[str, Any]:
    """OpenAPI links from one response to other operations (for clients and
    schemathesis' stateful runs): ``name=(operation_id, parameter, pointer)``,
    the pointer into the response body (``/items/0/id``)."""
    return {
        "responses": {
            str(status): {
                "links": {
                    name: {
                        "operationId": operation_id,
                        "parameters": {parameter: f"$response.body#{pointer}"},
                    }
                    for name, (operation_id, parameter, pointer) in targets.items()
                }
            }
        }
    }


# The largest id a column holds (a larger one is a 422, not a database error).
MAX_ID = 2**63 - 1


# A path parameter naming an object by id, and an optional query parameter.
ObjectId = Annotated[int, Path(ge=1, le=MAX_ID)]
ObjectIdQuery = Annotated[int | None, Query(ge=1, le=MAX_ID)]
