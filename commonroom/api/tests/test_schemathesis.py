"""Issue 18 acceptance, in CI: schemathesis generates requests for every
operation of /api/v1/openapi.json from the schema itself and checks each
answer against it (no server error, documented status, content type,
headers and body), then follows the schema's links in stateful runs. The
application is called in-process (WSGI) over the role matrix's world, with
a write token of its owner. The same run against a live server is
``st run`` (the closing note of issue 18 has the command)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, transaction
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.generation.stateful import run_state_machine_as_test
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from commonroom.api.models import Scope
from commonroom.api.services import token_create
from tests.role_matrix.world import build_world

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]
SETTINGS = settings(
    max_examples=8,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    database=None,
)


@pytest.fixture(scope="module")
def world_token(django_db_setup: None, django_db_blocker: Any) -> Iterator[str]:
    """The role matrix's world and a write token of its owner, built once
    and rolled back at the end."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer._from_testcase = True  # type: ignore[attr-defined]
        with outer:
            world = build_world()
            owner = world.members["owner"]
            assert owner is not None
            _token, secret = token_create(member=owner, name="schemathesis", scope=Scope.WRITE)
            yield secret
            transaction.set_rollback(True)


def _headers(secret: str) -> dict[str, str]:
    # The WSGI client does not unzip: ask for plain bodies.
    return {"Authorization": f"Bearer {secret}", "Accept-Encoding": "identity"}


@pytest.fixture
def api_schema(db: None, world_token: str) -> Iterator[Any]:
    # As Django's test client does: a request must not close the test's
    # connection (PostgreSQL would lose the world's transaction).
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield schemathesis.openapi.from_wsgi(
            # Not get_wsgi_application(): it runs django.setup() again, which
            # configures logging a second time (each logger's filters twice).
            "/api/v1/openapi.json",
            WSGIHandler(),
        )
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def test_issue18_every_operation_answers_as_its_schema_says(
    api_schema: Any, world_token: str
) -> None:
    headers = _headers(world_token)
    tested = []
    for result in api_schema.get_all_operations():
        operation = result.ok()

        @given(case=operation.as_strategy())
        @SETTINGS
        def run(case: Any) -> None:
            case.call_and_validate(headers=headers, checks=CHECKS)

        run()
        tested.append(operation.label)
    assert len(tested) == len([m for item in api_schema.raw_schema["paths"].values() for m in item])


def test_issue18_stateful_runs_follow_the_links(api_schema: Any, world_token: str) -> None:
    base = api_schema.as_state_machine()
    headers = _headers(world_token)

    class Machine(base):  # type: ignore[misc, valid-type]
        def get_call_kwargs(self, case: Any) -> dict[str, Any]:
            return {"headers": headers}

        def validate_response(self, response: Any, case: Any, **kwargs: Any) -> None:
            case.validate_response(response, checks=CHECKS, headers=headers)

    run_state_machine_as_test(
        Machine, settings=settings(SETTINGS, max_examples=15, stateful_step_count=6)
    )
