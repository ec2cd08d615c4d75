"""Configuration read by settings.py: no Django imports here.

- the RS256 key that signs the ID tokens of Commonroom as an OpenID Connect
  provider, generated on first use in a file under VAR_DIR (never committed),
  like the secret key;
- the external OpenID Connect providers the operator configured, from the
  environment, as allauth's ``SOCIALACCOUNT_PROVIDERS``.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit


def signing_key_pem(path: Path) -> str:
    """The PEM of the RSA key in `path`, created (mode 0600) when missing.

    Created under a temporary name and linked into place, so processes that
    start together all end up with the one key that won."""
    if not path.exists():
        from cryptography.hazmat.primitives import serialization
        from cryptography.hazmat.primitives.asymmetric import rsa

        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        pem = key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(f".{path.name}.{os.getpid()}")
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(pem)
        try:
            os.link(temporary, path)
        except FileExistsError:
            pass
        finally:
            temporary.unlink()
    return path.read_text()


class ProviderConfigError(ValueError):
    pass


def external_providers(environ: Mapping[str, str]) -> list[dict[str, Any]]:
    """allauth ``openid_connect`` apps from ``OIDC_PROVIDERS`` (a JSON list of
    objects with id, name, server_url, client_id, secret) and from
    ``OIDC_<ID>_SERVER_URL`` / ``_CLIENT_ID`` / ``_SECRET`` / ``_NAME``.
    No provider configured: an empty list, and no button anywhere."""
    entries: list[dict[str, str]] = []
    raw = environ.get("OIDC_PROVIDERS", "").strip()
    if raw:
        try:
            parsed = json.loads(raw)
        except json.JSONDecodeError as error:
            raise ProviderConfigError(f"OIDC_PROVIDERS is not valid JSON: {error}") from error
        if not isinstance(parsed, list) or not all(isinstance(e, dict) for e in parsed):
            raise ProviderConfigError("OIDC_PROVIDERS must be a JSON list of objects.")
        entries.extend(parsed)
    for key in sorted(environ):
        if key.startswith("OIDC_") and key.endswith("_SERVER_URL"):
            name = key[len("OIDC_") : -len("_SERVER_URL")]
            entries.append(
                {
                    "id": name.lower().replace("_", "-"),
                    "name": environ.get(f"OIDC_{name}_NAME", name.replace("_", " ").title()),
                    "server_url": environ[key],
                    "client_id": environ.get(f"OIDC_{name}_CLIENT_ID", ""),
                    "secret": environ.get(f"OIDC_{name}_SECRET", ""),
                }
            )
    apps = []
    for entry in entries:
        missing = [f for f in ("id", "server_url", "client_id") if not entry.get(f)]
        if missing:
            raise ProviderConfigError(
                f"External OpenID Connect provider {entry.get('id', '?')!r} lacks {missing}."
            )
        apps.append(
            {
                "provider_id": str(entry["id"]),
                "name": str(entry.get("name") or entry["id"]),
                "client_id": str(entry["client_id"]),
                "secret": str(entry.get("secret", "")),
                "settings": {
                    "server_url": str(entry["server_url"]),
                    "oauth_pkce_enabled": True,
                    "fetch_userinfo": True,
                },
            }
        )
    return apps


def provider_origins(apps: list[dict[str, Any]]) -> list[str]:
    """Origins the sign-in form sends the browser on to (CSP form-action)."""
    origins = []
    for app in apps:
        parts = urlsplit(app["settings"]["server_url"])
        origins.append(f"{parts.scheme}://{parts.netloc}")
    return sorted(set(origins))
