"""Issue 18: personal access tokens, the API's authentication and scopes,
its one error body, its budget per token (R34) and the attribution (§3.3)."""

from __future__ import annotations

import hashlib
import time
from datetime import timedelta

import pytest
from django.test import Client, override_settings
from django.utils import timezone
from django_ratelimit.core import _get_window as ratelimit_window

from commonroom.accounts.tests.factories import MemberFactory, StaffFactory
from commonroom.api.models import AccessToken, Scope
from commonroom.api.services import token_revoke
from commonroom.api.tests.helpers import TokenClient, token_for
from commonroom.moderation.suspensions import member_suspend
from commonroom.notifications.models import Notification

pytestmark = pytest.mark.django_db

ME = "/api/v1/me"
READ_ALL = "/api/v1/me/notifications/read"


def _error(response) -> dict:
    body = response.json()
    assert set(body) == {"code", "message", "fields"}
    return body


def test_issue18_a_token_is_made_on_the_account_page_shown_once_and_kept_only_as_a_hash(
    member_client, member
):
    response = member_client.post(
        "/api/tokens/", {"name": "School library", "scope": "read", "expires_on": ""}
    )
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    secret = response.context["secret"]
    assert secret.startswith("cr_")
    assert secret in response.content.decode()
    token = AccessToken.objects.get(member=member)
    assert (token.name, token.scope, token.expires_at) == ("School library", Scope.READ, None)
    assert token.secret_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in {token.name, token.prefix, token.secret_hash}
    # Shown once: the page again lists the token but not its secret.
    again = member_client.get("/api/tokens/")
    assert secret not in again.content.decode()
    assert token.prefix in again.content.decode()


def test_issue18_the_token_page_refuses_a_past_expiry_with_a_message(member_client, member):
    yesterday = (timezone.localdate() - timedelta(days=1)).isoformat()
    response = member_client.post(
        "/api/tokens/", {"name": "Old", "scope": "read", "expires_on": yesterday}
    )
    assert response.status_code == 400
    assert response.context["form"].errors == {"expires_on": ["Choose a date in the future."]}
    assert AccessToken.objects.count() == 0


def test_issue18_last_use_is_shown_on_the_token_page(member_client, member):
    token, secret = token_for(member, Scope.READ)
    assert TokenClient(secret).get(ME).status_code == 200
    token.refresh_from_db()
    assert token.last_used_at is not None
    page = member_client.get("/api/tokens/").content.decode()
    assert "Last used" in page
    assert "never" not in page.split("Last used", 1)[1].split("</dd>", 1)[0]


def test_issue18_bearer_token_signs_the_member_in(member):
    _token, secret = token_for(member, Scope.READ)
    response = TokenClient(secret).get(ME)
    assert response.status_code == 200
    assert response.json()["id"] == member.pk
    assert response.json()["token_scope"] == "read"


def test_issue18_a_read_token_cannot_write_and_nothing_changes(member):
    Notification.objects.create(recipient=member, kind="test", title="Hello")
    _token, secret = token_for(member, Scope.READ)
    response = TokenClient(secret).post(READ_ALL)
    assert response.status_code == 403
    assert _error(response)["code"] == "insufficient_scope"
    assert Notification.objects.get().read_at is None


def test_issue18_a_write_token_writes(member):
    Notification.objects.create(recipient=member, kind="test", title="Hello")
    _token, secret = token_for(member, Scope.WRITE)
    response = TokenClient(secret).post(READ_ALL)
    assert response.status_code == 200
    assert response.json() == {"marked": 1}
    assert Notification.objects.get().read_at is not None


def test_issue18_a_revoked_token_is_refused_at_once(member, member_client):
    token, secret = token_for(member, Scope.READ)
    client = TokenClient(secret)
    assert client.get(ME).status_code == 200
    response = member_client.post(f"/api/tokens/{token.pk}/revoke/")
    assert response.status_code == 302
    refused = client.get(ME)
    assert refused.status_code == 401
    assert _error(refused)["code"] == "invalid_token"


def test_issue18_only_the_owner_revokes_a_token(member):
    token, _secret = token_for(member, Scope.READ)
    other = MemberFactory()
    client = Client()
    client.force_login(other)
    assert client.post(f"/api/tokens/{token.pk}/revoke/").status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None
    with pytest.raises(Exception, match="not your token"):
        token_revoke(token=token, by=other)


def test_issue18_an_expired_or_unknown_token_is_refused(member, time_machine):
    _token, secret = token_for(member, Scope.READ, expires_at=timezone.now() + timedelta(days=1))
    time_machine.move_to(timezone.now() + timedelta(days=2))
    for bad in (secret, "cr_nope", "not-even-a-token"):
        response = TokenClient(bad).get("/api/v1/resources")
        assert response.status_code == 401, bad
        assert _error(response)["code"] == "invalid_token"


def test_issue18_a_suspended_members_token_is_refused(member):
    _token, secret = token_for(member, Scope.READ)
    member_suspend(member=member, reason="Spam", until=None, by=StaffFactory())
    response = TokenClient(secret).get(ME)
    assert response.status_code == 403
    assert _error(response)["code"] == "suspended"


def test_issue18_a_visitor_is_not_authenticated_for_own_data():
    response = Client().get(ME)
    assert response.status_code == 401
    assert _error(response)["code"] == "not_authenticated"
    response = Client().post(READ_ALL)
    assert response.status_code == 401


def test_issue18_session_writes_need_the_csrf_token(member):
    client = Client(enforce_csrf_checks=True)
    client.force_login(member)
    assert client.get(ME).status_code == 200
    response = client.post(READ_ALL)
    assert response.status_code == 403
    assert _error(response)["code"] == "csrf_failed"


def test_issue18_errors_have_one_body_for_404_422_and_400():
    missing = Client().get("/api/v1/no-such-operation")
    assert missing.status_code == 404
    assert _error(missing) == {"code": "not_found", "message": "Not found.", "fields": {}}
    gone = Client().get("/api/v1/resources/99999")
    assert gone.status_code == 404
    assert _error(gone)["code"] == "not_found"
    invalid = Client().get("/api/v1/collections?limit=0")
    assert invalid.status_code == 422
    assert _error(invalid)["fields"] == {"limit": ["Input should be greater than or equal to 1"]}
    cursor = Client().get("/api/v1/collections?cursor=forged")
    assert cursor.status_code == 400
    assert _error(cursor)["code"] == "invalid_cursor"


@override_settings(API_TOKEN_RATE="3/m")
def test_r34_a_token_over_its_budget_gets_429_with_retry_after(member, start_of_a_minute):
    token, secret = token_for(member, Scope.READ)
    client = TokenClient(secret)
    assert [client.get(ME).status_code for _ in range(3)] == [200, 200, 200]
    refused = client.get(ME)
    assert refused.status_code == 429
    assert _error(refused)["code"] == "rate_limited"
    # The seconds left in the token's window (django-ratelimit staggers each
    # key's windows; the clock is stopped).
    window_end = ratelimit_window(f"token:{token.pk}", 60)
    assert int(refused["Retry-After"]) == max(1, window_end - int(time.time()))
    # Another token has its own budget.
    _other, other_secret = token_for(MemberFactory(), Scope.READ)
    assert TokenClient(other_secret).get(ME).status_code == 200


@override_settings(DATABASE_NAME="Klasbank", OPERATOR_NAME="The Department")
def test_r33_every_api_answer_names_the_source_and_the_database():
    for path in ("/api/v1/collections", "/api/v1/no-such-operation", ME):
        response = Client().get(path)
        assert response["X-Database-Name"] == "Klasbank"
        assert "Klasbank" in response["X-Attribution"]
        assert "The Department" in response["X-Attribution"]
    body = Client().get("/api/v1/collections").json()
    assert "Source: Klasbank" in body["attribution"]


def test_issue18_the_docs_page_lists_every_operation_without_script():
    response = Client().get("/api/v1/docs")
    assert response.status_code == 200
    page = response.content.decode()
    for operation in ("GET /api/v1/resources", "POST /api/v1/resources", "GET /api/v1/threads"):
        assert operation in page
    assert "<script>" not in page


def test_issue18_the_openapi_schema_documents_the_error_body_and_links():
    schema = Client().get("/api/v1/openapi.json").json()
    assert schema["openapi"].startswith("3.")
    create = schema["paths"]["/api/v1/resources"]["post"]
    assert create["responses"]["403"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/Error"
    }
    assert set(create["responses"]["201"]["links"]) == {"GetResource", "UpdateResource", "AddFile"}
