"""Helpers for the provider's tests: a registered client app and one run of
the authorization code flow with PKCE through the Django test client."""

from __future__ import annotations

import base64
import hashlib
import secrets
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

from django.test import Client
from oauth2_provider.models import Application

REDIRECT_URI = "http://127.0.0.1:9/callback"
SECRET = "client-secret-for-tests-0123456789"


def application_create(name: str = "Klasplanner") -> Application:
    return Application.objects.create(
        name=name,
        client_type=Application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
        redirect_uris=REDIRECT_URI,
        client_secret=SECRET,
        algorithm=Application.RS256_ALGORITHM,
    )


def pkce_pair() -> tuple[str, str]:
    verifier = secrets.token_urlsafe(48)
    digest = hashlib.sha256(verifier.encode()).digest()
    return verifier, base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def authorize_params(app: Application, challenge: str | None, **extra: str) -> dict[str, str]:
    params = {
        "response_type": "code",
        "client_id": app.client_id,
        "redirect_uri": REDIRECT_URI,
        "scope": "openid profile email",
        "state": "state-42",
        "nonce": "nonce-42",
    }
    if challenge is not None:
        params |= {"code_challenge": challenge, "code_challenge_method": "S256"}
    return params | extra


def query_of(location: str) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlsplit(location).query).items()}


@dataclass
class Tokens:
    access_token: str
    id_token: str
    refresh_token: str
    body: dict[str, Any]


def consent(client: Client, params: dict[str, str], *, allow: bool = True) -> Any:
    data = {k: v for k, v in params.items()}
    if allow:
        data["allow"] = "Authorize"
    return client.post("/o/authorize/", data)


def sign_in(client: Client, app: Application, scope: str = "openid profile email") -> Tokens:
    verifier, challenge = pkce_pair()
    params = authorize_params(app, challenge, scope=scope)
    page = client.get("/o/authorize/?" + urlencode(params))
    assert page.status_code == 200, page.content[:500]
    answer = consent(client, params)
    assert answer.status_code == 302, answer.content[:500]
    code = query_of(answer["Location"])["code"]
    token = Client().post(
        "/o/token/",
        {
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": REDIRECT_URI,
            "client_id": app.client_id,
            "client_secret": SECRET,
            "code_verifier": verifier,
        },
    )
    assert token.status_code == 200, token.content
    body = token.json()
    return Tokens(
        body["access_token"], body.get("id_token", ""), body.get("refresh_token", ""), body
    )


def userinfo(access_token: str) -> Any:
    return Client().get("/o/userinfo/", HTTP_AUTHORIZATION=f"Bearer {access_token}")
