"""The API's role matrix (issue 18; the site's is tests/test_role_matrix.py,
which leaves /api/v1/ to this one): every operation of the OpenAPI schema
called as every role, over the role matrix's world, with the answer the
site's own permission rules give. Members call with their session (the
token's own rules are in test_tokens.py); a suspended member is refused
everywhere with the JSON error."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.db import transaction
from django.test import Client

from commonroom.api.site import API
from tests.role_matrix.world import ROLES, World, build_world

S = 403  # a suspended member, everywhere

Row = tuple[int, int, int, int, int, int, int, int]


def everyone(answer: int) -> Row:
    return (answer, answer, answer, answer, answer, S, answer, answer)


def members(answer: int) -> Row:
    return (401, answer, answer, answer, answer, S, answer, answer)


# (method, path with {names} of the world's objects, JSON body) -> answers in ROLES' order:
# visitor · unverified · member · new member · owner · suspended · moderator · staff
MATRIX: dict[tuple[str, str], Row] = {
    ("GET", "/api/v1/search"): everyone(200),
    ("GET", "/api/v1/resources"): everyone(200),
    ("GET", "/api/v1/resources/{resource}"): everyone(200),
    # A draft does not exist for others; moderators see every resource.
    ("GET", "/api/v1/resources/{draft}"): (404, 404, 404, 404, 200, S, 200, 200),
    # An empty body is refused by the upload form's rules (422), once signed in.
    ("POST", "/api/v1/resources"): members(422),
    # Only the author edits: others are refused, moderators too.
    ("PATCH", "/api/v1/resources/{draft}"): (401, 404, 404, 404, 200, S, 403, 403),
    ("PATCH", "/api/v1/resources/{resource}"): (401, 403, 403, 403, 200, S, 403, 403),
    # Without a file the request is invalid for anyone signed in.
    ("POST", "/api/v1/resources/{resource}/files"): members(422),
    ("GET", "/api/v1/collections"): everyone(200),
    ("GET", "/api/v1/collections?mine=true"): members(200),
    ("GET", "/api/v1/collections/{collection}"): everyone(200),
    # A private collection is its owner's alone (moderators too are others).
    ("GET", "/api/v1/collections/{collection_private}"): (404, 404, 404, 404, 200, S, 404, 404),
    ("GET", "/api/v1/threads"): everyone(200),
    ("GET", "/api/v1/threads/{thread}"): everyone(200),
    ("GET", "/api/v1/organisations"): everyone(200),
    ("GET", "/api/v1/organisations/{organisation}"): everyone(200),
    # A proposal: its administrators and the moderation team only.
    ("GET", "/api/v1/organisations/{organisation_proposal}"): (
        404, 404, 404, 404, 200, S, 200, 200,
    ),
    ("GET", "/api/v1/training-offers"): everyone(200),
    ("GET", "/api/v1/training-offers/{offer}"): everyone(200),
    ("GET", "/api/v1/training-offers/{offer_excluded}"): (404, 404, 404, 404, 404, S, 200, 200),
    ("GET", "/api/v1/me"): members(200),
    ("GET", "/api/v1/me/notifications"): members(200),
    ("POST", "/api/v1/me/notifications/read"): members(200),
}  # fmt: skip


def _template(path: str) -> str:
    """The schema's path of a row ({draft} and {resource} are both {resource_id})."""
    import re

    names = {
        "resource": "resource_id",
        "draft": "resource_id",
        "collection": "collection_id",
        "collection_private": "collection_id",
        "thread": "thread_id",
        "organisation": "organisation_id",
        "organisation_proposal": "organisation_id",
        "offer": "offer_id",
        "offer_excluded": "offer_id",
    }
    bare = path.split("?", 1)[0]
    return re.sub(r"\{(\w+)\}", lambda m: "{" + names[m.group(1)] + "}", bare)


def test_issue18_every_operation_has_a_row_in_the_api_role_matrix() -> None:
    schema = API.get_openapi_schema(path_prefix="/api/v1")
    operations = {
        (method.upper(), path)
        for path, item in schema["paths"].items()
        for method in item
        if method in ("get", "post", "put", "patch", "delete")
    }
    covered = {(method, _template(path)) for method, path in MATRIX}
    assert operations - covered == set()
    assert covered - operations == set()


@pytest.fixture(scope="module")
def world(django_db_setup: None, django_db_blocker: Any) -> Iterator[World]:
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer._from_testcase = True  # type: ignore[attr-defined]
        with outer:
            yield build_world()
            transaction.set_rollback(True)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("method", "path"), list(MATRIX))
def test_issue18_api_role_matrix(db: None, world: World, method: str, path: str, role: str) -> None:
    url = path.format(**world.ids)
    client = Client()
    member = world.members[role]
    if member is not None:
        client.force_login(member)
    body: dict[str, Any] = {}
    if method == "PATCH":
        body = {"title": "Retitled by the API"}
    response = client.generic(method, url, data=_json(body), content_type="application/json")
    expected = MATRIX[(method, path)][ROLES.index(role)]
    assert response.status_code == expected, (
        f"{method} {url} as {role}: expected {expected}, got {response.status_code} "
        f"{response.content[:200]!r}"
    )
    if response.status_code >= 400:
        assert set(response.json()) == {"code", "message", "fields"}


def _json(body: dict[str, Any]) -> str:
    import json

    return json.dumps(body)
