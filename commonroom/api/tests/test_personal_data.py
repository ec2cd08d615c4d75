"""API tokens in the member's data export and gone when they leave (R6, R7)."""

from __future__ import annotations

import pytest

from commonroom.accounts.services import member_erase
from commonroom.accounts.tests.factories import MemberFactory
from commonroom.api.models import AccessToken, Scope
from commonroom.api.personal_data import export
from commonroom.api.services import token_create

pytestmark = pytest.mark.django_db


def test_r7_the_export_lists_tokens_without_their_secret() -> None:
    member = MemberFactory()
    token, secret = token_create(member=member, name="Gradebook", scope=Scope.READ)

    data = export(member)

    assert data == {
        "api_tokens": [
            {
                "name": "Gradebook",
                "scope": "read",
                "created_at": token.created_at.isoformat(),
                "expires_at": None,
                "last_used_at": None,
                "revoked_at": None,
            }
        ]
    }
    assert secret not in str(data)


def test_r6_leaving_the_platform_deletes_every_token() -> None:
    member = MemberFactory()
    other = MemberFactory()
    token_create(member=member, name="Gradebook", scope=Scope.WRITE)
    token_create(member=other, name="Planner", scope=Scope.READ)

    member_erase(member=member, actor=member)

    assert list(AccessToken.objects.values_list("member_id", flat=True)) == [other.pk]
