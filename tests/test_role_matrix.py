"""The role matrix (issue 14, item 6; DESIGN.md, Roles): every URL pattern of
the site, the admin included, answered for every role as the policy in
tests/role_matrix/policy.py says; and the moderators' and staff's actions
refused, with nothing changed, to a member who forges them.

A new URL fails test_issue14_every_pattern_has_an_answer_for_every_role
(and its own cases) until its row is written: nobody adds a page without
deciding who may see it.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.db import transaction
from django.http import HttpResponse
from django.test import Client
from django.urls import reverse

from tests.role_matrix import policy
from tests.role_matrix.actions import ACTIONS, changed_tables, database_state
from tests.role_matrix.policy import Answer
from tests.role_matrix.urls import NoURL, case_keys, cases
from tests.role_matrix.world import ROLES, World, build_world

Clients = dict[str, tuple[Client, dict[str, str]]]

# (key, role) answers that break the policy: real permission bugs, listed
# in the issue's report; each must fail until it is fixed.
KNOWN_BUGS: dict[tuple[str, str], str] = {}


@pytest.fixture(scope="module")
def world(django_db_setup: None, django_db_blocker: Any) -> Iterator[World]:
    """Built once for the module and rolled back at its end; each test runs
    in a savepoint inside it. Marked like a TestCase's own transaction, so
    the services' durable blocks run inside it."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer._from_testcase = True  # type: ignore[attr-defined]
        with outer:
            yield build_world()
            transaction.set_rollback(True)


@pytest.fixture(scope="module")
def case_urls(world: World) -> dict[str, str | NoURL]:
    return cases(world)


@pytest.fixture(scope="module")
def clients(world: World) -> Clients:
    """One client per role, signed in once (a client loads the middleware
    once), with the cookies each test starts from: a request may sign its
    member out (a suspended member's does) or change the session."""
    made: Clients = {}
    for role, member in world.members.items():
        client = Client()
        if member is not None:
            client.force_login(member)
        made[role] = (client, {name: morsel.value for name, morsel in client.cookies.items()})
    return made


def client_for(clients: Clients, role: str) -> Client:
    client, cookies = clients[role]
    client.cookies.clear()
    for name, value in cookies.items():
        client.cookies[name] = value
    return client


def answer(response: HttpResponse) -> int | str:
    """The status code, or where a redirect leads: sign-in, admin sign-in, elsewhere."""
    if response.status_code in (301, 302, 303, 307, 308):
        path = urlsplit(response["Location"]).path
        if path == reverse("account_login"):
            return policy.LOGIN
        if path == reverse("admin:login"):
            return policy.ADMIN_LOGIN
        return policy.REDIRECT
    return response.status_code


def test_issue14_every_pattern_has_an_answer_for_every_role() -> None:
    keys = case_keys()
    missing = [key for key in keys if key not in policy.EXPECTED]
    assert missing == [], f"URL patterns without a row in tests/role_matrix/policy.py: {missing}"
    stale = sorted(set(policy.EXPECTED) - set(keys))
    assert stale == [], f"Rows of tests/role_matrix/policy.py that no URL pattern has: {stale}"
    assert {len(row) for row in policy.EXPECTED.values()} == {len(ROLES)}


def _matrix() -> list[Any]:
    params = []
    for key in case_keys():
        for role in ROLES:
            if not policy.asked(key, role):
                continue
            bug = KNOWN_BUGS.get((key, role))
            marks = [pytest.mark.xfail(strict=True, reason=bug)] if bug else []
            params.append(pytest.param(key, role, marks=marks, id=f"{key}-{role}"))
    return params


@pytest.mark.parametrize(("key", "role"), _matrix())
def test_issue14_role_matrix_get(
    db: None, clients: Clients, case_urls: dict[str, str | NoURL], key: str, role: str
) -> None:
    url = case_urls[key]
    if isinstance(url, NoURL):
        pytest.fail(str(url))
    if key not in policy.EXPECTED:
        pytest.fail(f"GET {url} ({key!r}) has no row in tests/role_matrix/policy.py")
    expected = policy.expected(key, role)
    got = answer(client_for(clients, role).get(url))
    assert got == expected, f"GET {url} ({key!r}) as {role}: expected {expected}, got {got}"


# --- forged actions: POSTs a member must not get through ---------------------------------


def _forgeries() -> list[Any]:
    params = []
    for title, action in ACTIONS.items():
        params.append(pytest.param(title, "member", action.member, id=f"{title}-member"))
        if action.owner is not None:
            params.append(pytest.param(title, "owner", action.owner, id=f"{title}-owner"))
        assert (action.actor == "staff") == (action.moderator is not None), title
        if action.moderator is not None:
            params.append(
                pytest.param(title, "moderator", action.moderator, id=f"{title}-moderator")
            )
    return params


@pytest.mark.parametrize(("title", "role", "refusal"), _forgeries())
def test_issue14_forged_moderation_and_staff_actions_are_refused(
    db: None, world: World, clients: Clients, title: str, role: str, refusal: Answer
) -> None:
    action = ACTIONS[title]
    url = action.url(world)
    before = database_state()
    got = answer(client_for(clients, role).post(url, action.post_data(world)))
    assert got == refusal, f"POST {url} ({title}) as {role}: expected {refusal}, got {got}"
    changed = changed_tables(before)
    assert changed == [], f"POST {url} ({title}) as {role} changed {changed}"


@pytest.mark.parametrize("title", [title for title, a in ACTIONS.items() if a.proven])
def test_issue14_the_actions_work_for_their_role(
    db: None, world: World, clients: Clients, title: str
) -> None:
    """The forged POSTs above carry what a moderator or staff member sends:
    from them, the same POST acts (or, on their own work, is refused)."""
    action = ACTIONS[title]
    url = action.url(world)
    before = database_state()
    got = answer(client_for(clients, action.actor).post(url, action.post_data(world)))
    if action.refused_to_actor is not None:
        assert got == action.refused_to_actor, (
            f"POST {url} ({title}) as {action.actor}, on their own work: "
            f"expected {action.refused_to_actor}, got {got}"
        )
        changed = changed_tables(before)
        assert changed == [], f"POST {url} ({title}) on one's own work changed {changed}"
    else:
        assert got == policy.REDIRECT, f"POST {url} ({title}) as {action.actor}: got {got}"
        assert changed_tables(before) != [], (
            f"POST {url} ({title}) as {action.actor} changed nothing"
        )
