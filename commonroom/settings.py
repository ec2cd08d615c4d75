"""Commonroom settings: one module, every value from the environment.

Defaults suit one school on a laptop (SQLite, database cache, tasks in the
database). A national instance sets DATABASE_URL, REDIS_URL and friends; see
README.md for the full list.
"""

import os
from pathlib import Path
from typing import Any

import environ
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from commonroom.core.storage_config import object_storages, storage_url_parse
from commonroom.identity.config import external_providers, provider_origins, signing_key_pem

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(environ.Env().str("VAR_DIR", default=str(BASE_DIR / "var")))

env = environ.Env()

DEBUG = env.bool("DEBUG", default=False)
# Off only for a laptop served over plain http on loopback (make run) and in tests.
HTTPS = env.bool("HTTPS", default=not DEBUG)


def _secret_key() -> str:
    if key := env.str("SECRET_KEY", default=""):
        return key
    key_file = Path(env.str("SECRET_KEY_FILE", default=str(VAR_DIR / "secret_key")))
    if key_file.exists():
        return key_file.read_text().strip()
    if DEBUG:
        return "insecure-development-key-only-used-with-DEBUG-true"
    raise ImproperlyConfigured(
        "No secret key: set SECRET_KEY, or SECRET_KEY_FILE to a readable file "
        "(make run creates var/secret_key)."
    )


# The example key of deploy/commonroom.env.example, and any key too short to
# resist guessing, would let anyone forge sessions and password-reset links.
PLACEHOLDER_SECRET_KEYS = frozenset({"change-me-to-50-random-characters"})
SECRET_KEY_MIN_LENGTH = 50


def _secret_key_check(key: str) -> str:
    if DEBUG:
        return key
    if key in PLACEHOLDER_SECRET_KEYS:
        raise ImproperlyConfigured(
            "SECRET_KEY is the placeholder of deploy/commonroom.env.example: set it to "
            f"{SECRET_KEY_MIN_LENGTH} or more random characters, e.g. the output of "
            "python3 -c 'import secrets; print(secrets.token_urlsafe(50))'."
        )
    if len(key) < SECRET_KEY_MIN_LENGTH:
        raise ImproperlyConfigured(
            f"SECRET_KEY has {len(key)} characters; at least {SECRET_KEY_MIN_LENGTH} "
            "random characters are needed, e.g. the output of "
            "python3 -c 'import secrets; print(secrets.token_urlsafe(50))'."
        )
    return key


SECRET_KEY = _secret_key_check(_secret_key())
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

# --- the instance (R40): names and addresses are settings, never code -------
PLATFORM_NAME = env.str("PLATFORM_NAME", default="Commonroom")
# Empty: attribution lines say "<PLATFORM_NAME> learning resources" in the reader's language.
DATABASE_NAME = env.str("DATABASE_NAME_PUBLIC", default="")
OPERATOR_NAME = env.str("OPERATOR_NAME", default="Commonroom Foundation")
OPERATOR_ADDRESS = env.str("OPERATOR_ADDRESS", default="Example Street 1, 1000 Brussels")
OPERATOR_EMAIL = env.str("OPERATOR_EMAIL", default="contact@commonroom.example")
LIABILITY_CAP = env.str("LIABILITY_CAP", default="€ 2,500")
COURTS_CITY = env.str("COURTS_CITY", default="Brussels")
# The address gunicorn listens on (scripts/serve, `make run`).
BIND = env.str("BIND", default="127.0.0.1:8000")


def site_url_from_bind(bind: str) -> str:
    """The address a browser on this machine reaches a plain-http BIND at, so
    that links in mails and the terms follow BIND to another port."""
    if bind.startswith(("unix:", "fd://")):
        raise ImproperlyConfigured(
            f"BIND={bind} is not a TCP address: set SITE_URL to the address people use."
        )
    host, colon, port = bind.rpartition(":")
    if not colon or not port.isdigit() or not 0 < int(port) < 65536:
        raise ImproperlyConfigured(
            f"BIND={bind} has no port: write it as HOST:PORT (e.g. 127.0.0.1:8000)."
        )
    # A wildcard address is reachable from this machine on loopback.
    wildcards = {"": "127.0.0.1", "0.0.0.0": "127.0.0.1", "[::]": "[::1]"}  # noqa: S104
    host = wildcards.get(host, host)
    return f"http://{host}:{port}"


SITE_URL = env.str("SITE_URL", default="") or site_url_from_bind(BIND)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "django.forms",
    "django_htmx",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.usersessions",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "oauth2_provider",
    "django_tasks",
    "django_tasks_db",
    # Only for its translations of zxcvbn's advice (accounts.passwords).
    "django_zxcvbn_password_validator",
    "commonroom.core",
    "commonroom.taxonomy",
    "commonroom.accounts",
    "commonroom.legal",
    "commonroom.api",
    "commonroom.identity",
    "commonroom.notifications",
    "commonroom.social",
    "commonroom.resources",
    "commonroom.moderation",
    "commonroom.library",
    "commonroom.messaging",
    "commonroom.people",
    "commonroom.staffroom",
    "commonroom.organisations",
    "commonroom.search",
    # OAI-PMH (generic: content kinds plug in with <app>/harvest.py).
    "commonroom.oai",
    # Feeds, sitemaps, oEmbed and page metadata of every content kind (issue 18).
    "commonroom.syndication",
    # The two apps above every other: they may import any app, none imports them.
    "commonroom.home",
    "commonroom.demo",
]
# The packages whose apps plug into the generic apps (core.discovery).
PROJECT_PACKAGES: tuple[str, ...] = ("commonroom",)

MIDDLEWARE = [
    "django_permissions_policy.PermissionsPolicyMiddleware",
    # The request id, the access log line and the request metrics: around
    # everything, probes included (core.requestlog).
    "commonroom.core.requestlog.RequestLogMiddleware",
    # Probes first: they must answer whatever the session, cache or host.
    "commonroom.core.health.HealthCheckMiddleware",
    # Before anything that counts or records the client's address.
    "commonroom.core.clientip.ClientIPMiddleware",
    # Which database this request reads from (a replica for a GET; nothing
    # without DATABASE_REPLICA_URLS).
    "commonroom.core.db_router.ReplicaRoutingMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Compresses rendered pages and JSON on their way out, after every
    # middleware below has written them; static files (above) and streamed
    # downloads pass untouched (see commonroom.core.compression).
    "commonroom.core.compression.TextGZipMiddleware",
    "csp.middleware.CSPMiddleware",
    "commonroom.core.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Pages per client (R34): needs the member and the language, nothing later.
    "commonroom.core.budgets.BudgetMiddleware",
    "commonroom.core.middleware.PrivateCacheMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "allauth.usersessions.middleware.UserSessionsMiddleware",
    "commonroom.accounts.middleware.SuspensionMiddleware",
    "commonroom.legal.middleware.MaintenanceModeMiddleware",
    "commonroom.legal.middleware.TermsNoticeMiddleware",
]

ROOT_URLCONF = "commonroom.urls"
WSGI_APPLICATION = "commonroom.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "commonroom" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "commonroom.core.context_processors.platform",
                "commonroom.accounts.context_processors.roles",
                "commonroom.legal.context_processors.terms_notice",
                "commonroom.notifications.context_processors.unread",
            ],
        },
    },
]

# --- data -------------------------------------------------------------------
EMBEDDED_DATABASE = VAR_DIR / "commonroom.sqlite3"
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{EMBEDDED_DATABASE}")}
# The demo members share a published password: demo_data loads them into the
# embedded SQLite file only, anywhere else only when this is set.
DEMO_DATA = env.bool("DEMO_DATA", default=False)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web processes read while the worker writes; IMMEDIATE
    # transactions avoid "database is locked" on lock upgrades.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
            "PRAGMA foreign_keys=ON; PRAGMA busy_timeout=20000;"
        ),
    }
else:
    DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=60))
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    # The planner's default cost of a random page (4) assumes spinning
    # disks: it then scans a whole table rather than read 20 % of it through
    # the search index (115 ms instead of 28 ms at 100,000 resources).
    # POSTGRES_OPTIONS replaces this for servers tuned otherwise.
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = env.str(
        "POSTGRES_OPTIONS", default="-c random_page_cost=1.1"
    )
    # Django's cursors bind parameters on the client and are never prepared;
    # the few queries of a results page read through
    # search.compiled.prepared_cursor bind on the server and are prepared
    # after this many runs on a connection, so the server plans them once
    # (3 ms a plan for the cards' query). Empty: never (a pooler in
    # transaction mode that cannot keep prepared statements).
    prepare_after = env.str("POSTGRES_PREPARE_THRESHOLD", default="2")
    DATABASES["default"]["OPTIONS"]["prepare_threshold"] = (
        int(prepare_after) if prepare_after else None
    )
    # A database host that does not answer must not hold a worker's boot
    # (core.boot) or a request until TCP gives up, minutes later: libpq
    # gives up after this many seconds. A connect_timeout in DATABASE_URL wins.
    DATABASES["default"]["OPTIONS"].setdefault(
        "connect_timeout", env.int("POSTGRES_CONNECT_TIMEOUT", default=5)
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"


def replica_databases(urls: list[str], primary: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """``replica_1``, ``replica_2``, ... from DATABASE_REPLICA_URLS: streaming
    replicas of the primary, read by GET requests (core.db_router). Each
    takes the primary's options; in tests each mirrors the test database."""
    replicas: dict[str, dict[str, Any]] = {}
    for number, url in enumerate(urls, start=1):
        config: dict[str, Any] = env.db_url_config(url)
        for key in ("CONN_MAX_AGE", "CONN_HEALTH_CHECKS"):
            if key in primary:
                config.setdefault(key, primary[key])
        # A replica waits less than the primary before it is passed over.
        options = {k: v for k, v in primary.get("OPTIONS", {}).items() if k != "connect_timeout"}
        if config["ENGINE"] == "django.db.backends.postgresql":
            # A replica that hangs must not hold a request for long.
            options.setdefault("connect_timeout", 2)
        config["OPTIONS"] = {**options, **config.get("OPTIONS", {})}
        config["TEST"] = {"MIRROR": "default"}
        replicas[f"replica_{number}"] = config
    return replicas


DATABASES.update(
    replica_databases(env.list("DATABASE_REPLICA_URLS", default=[]), DATABASES["default"])
)
if len(DATABASES) > 1:
    DATABASE_ROUTERS = ["commonroom.core.db_router.ReplicaRouter"]
# After a write, a browser reads from the primary for this long (a cookie).
REPLICA_STICKY_SECONDS = env.int("REPLICA_STICKY_SECONDS", default=10)
REPLICA_STICKY_COOKIE = "commonroom_primary_until"
# A replica further behind than this is not read from until it catches up.
REPLICA_MAX_LAG_SECONDS = env.float("REPLICA_MAX_LAG_SECONDS", default=5.0)
# How often each web process asks each replica for its lag.
REPLICA_CHECK_SECONDS = env.float("REPLICA_CHECK_SECONDS", default=2.0)

REDIS_URL = env.str("REDIS_URL", default="")


def redis_cache(url: str) -> dict[str, object]:
    """The cache on Redis. Redis only speeds things up: while it is away, a
    read misses and a write is dropped (both logged) instead of failing the
    request, and a dead server costs at most a second per request."""
    return {
        "BACKEND": "commonroom.core.cache.MeasuredRedisCache",
        "LOCATION": url,
        "KEY_PREFIX": "commonroom",
        "OPTIONS": {
            "IGNORE_EXCEPTIONS": True,
            "SOCKET_CONNECT_TIMEOUT": 1,
            "SOCKET_TIMEOUT": 1,
        },
    }


DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True
# Per-IP limits let requests through while their counters are unreachable.
RATELIMIT_FAIL_OPEN = True
if REDIS_URL:
    CACHES = {"default": redis_cache(REDIS_URL)}
    # Read from Redis, kept in the database: a Redis outage or restart
    # signs nobody out.
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    # Shared by every process on the machine, so rate limits and the
    # maintenance switch agree between gunicorn workers.
    CACHES = {
        "default": {
            "BACKEND": "commonroom.core.cache.MeasuredDatabaseCache",
            "LOCATION": "commonroom_cache",
        }
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.db"
    # Rate limits and page budgets count in each process and reach the
    # table at most every 2 s per client (core.rate_cache): no write per page.
    CACHES["ratelimit"] = {
        "BACKEND": "commonroom.core.rate_cache.BufferedCountCache",
        "OPTIONS": {"SHARED": "default"},
    }
# django-ratelimit's counts (R34 budgets, the contact and report limits).
RATELIMIT_USE_CACHE = "ratelimit" if "ratelimit" in CACHES else "default"
# Rendered panels of pages visitors see alike (resources.page_cache), in each
# process: their keys name everything they show, so no process ever needs to
# tell another to forget one; old ones age out or give way to new ones.
FRAGMENT_CACHE_SECONDS = env.int("FRAGMENT_CACHE_SECONDS", default=600)
CACHES["fragments"] = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "commonroom-fragments",
    "TIMEOUT": FRAGMENT_CACHE_SECONDS,
    "OPTIONS": {"MAX_ENTRIES": env.int("FRAGMENT_CACHE_ENTRIES", default=3000)},
}

# Views, downloads and searches are counted without a database write
# (core.counters): in Redis when it is configured, else in each process,
# and written in batches every COUNTER_FLUSH_SECONDS. A process killed
# without warning loses at most that many seconds of its counts (none with
# Redis); a clean stop loses nothing. 0: no flusher thread (tests).
COUNTER_FLUSH_SECONDS = env.float("COUNTER_FLUSH_SECONDS", default=5.0)
COUNTERS_REDIS_URL = REDIS_URL
COUNTERS_KEY_PREFIX = env.str("COUNTERS_KEY_PREFIX", default="commonroom:counters")

TASKS_BACKEND = env.str("TASKS_BACKEND", default="rq" if REDIS_URL else "database")
TASKS = {
    "default": {
        "BACKEND": {
            "database": "django_tasks_db.DatabaseBackend",
            "rq": "django_tasks_rq.RQBackend",
            "immediate": "django_tasks.backends.immediate.ImmediateBackend",
        }[TASKS_BACKEND],
        "QUEUES": ["default"],
    }
}
# Background work goes through the outbox (core.outbox): a refused hand-over
# is retried with backoff, a failing task OUTBOX_MAX_ATTEMPTS times.
OUTBOX_MAX_ATTEMPTS = env.int("OUTBOX_MAX_ATTEMPTS", default=5)
OUTBOX_LEASE_SECONDS = env.int("OUTBOX_LEASE_SECONDS", default=3600)
OUTBOX_DRAIN_BATCH = env.int("OUTBOX_DRAIN_BATCH", default=100)
TASK_RESULT_RETENTION_DAYS = env.int("TASK_RESULT_RETENTION_DAYS", default=7)
if TASKS_BACKEND == "rq":
    INSTALLED_APPS += ["django_rq", "django_tasks_rq"]
    RQ_QUEUES = {"default": {"URL": REDIS_URL}}

MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(VAR_DIR / "media")))
MEDIA_URL = "/media/"
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(VAR_DIR / "static")))
STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "commonroom" / "static"]
STATIC_MANIFEST = not DEBUG and env.bool("STATIC_MANIFEST", default=True)
# Without collectstatic (development, tests) WhiteNoise serves from the apps.
WHITENOISE_USE_FINDERS = not STATIC_MANIFEST
PRIVATE_MEDIA_ROOT = Path(env.str("PRIVATE_MEDIA_ROOT", default=str(VAR_DIR / "private")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Resource files: no public URL, served by views that check permissions.
    "private": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(PRIVATE_MEDIA_ROOT), "base_url": None},
    },
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if STATIC_MANIFEST
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
# Object storage (issue 19; commonroom/core/storage_config.py): with
# STORAGE_URL=s3://BUCKET?endpoint=...&region=... the "default" and "private"
# storages (and static files with STATIC_ON_S3) live in a private bucket;
# credentials from AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY. Private files
# go out through the permission-checked views as signed addresses valid this
# many seconds, or with STORAGE_X_ACCEL through nginx's internal location.
STORAGE_URL = env.str("STORAGE_URL", default="")
STATIC_ON_S3 = env.bool("STATIC_ON_S3", default=False)
STORAGE_SIGNED_URL_SECONDS = env.int("STORAGE_SIGNED_URL_SECONDS", default=60)
STORAGE_X_ACCEL = env.bool("STORAGE_X_ACCEL", default=False)
STORAGE_X_ACCEL_LOCATION = env.str("STORAGE_X_ACCEL_LOCATION", default="/_storage/")
OBJECT_STORAGE = storage_url_parse(STORAGE_URL) if STORAGE_URL else None
if OBJECT_STORAGE is not None:
    STORAGES.update(
        object_storages(
            OBJECT_STORAGE,
            static_on_s3=STATIC_ON_S3,
            signed_seconds=STORAGE_SIGNED_URL_SECONDS,
        )
    )
# Uploads larger than this are refused before they reach a view.
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
PROFILE_PHOTO_MAX_BYTES = env.int("PROFILE_PHOTO_MAX_BYTES", default=5 * 1024 * 1024)
PROFILE_PHOTO_MAX_SIDE = 512
# Images with more pixels (all frames together) are refused from their header.
IMAGE_MAX_PIXELS = env.int("IMAGE_MAX_PIXELS", default=40_000_000)
# Most memory one image's decoded pixels may take (with one working copy, an
# upload then stays under ~100 MB): a JPEG is decoded reduced to fit, a PNG,
# GIF or WebP that would not fit is refused.
IMAGE_DECODE_MAX_BYTES = env.int("IMAGE_DECODE_MAX_BYTES", default=40 * 1024 * 1024)
# clamd to scan uploads with ("tcp://host:3310" or "unix:///run/clamav/clamd.ctl"); empty: no scan.
CLAMD_ADDRESS = env.str("CLAMD_ADDRESS", default="")

# --- mail -------------------------------------------------------------------
vars().update(env.email_url("EMAIL_URL", default="consolemail://"))
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default=f"{PLATFORM_NAME} <{OPERATOR_EMAIL}>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- accounts ---------------------------------------------------------------
AUTH_USER_MODEL = "accounts.Member"
AUTHENTICATION_BACKENDS = ["commonroom.accounts.backends.MemberBackend"]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator",
        "OPTIONS": {"user_attributes": ("email", "first_name", "last_name")},
    },
    {
        "NAME": "commonroom.accounts.passwords.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "commonroom.accounts.passwords.VarietyValidator"},
    # zxcvbn's estimate with the platform's, the member's and common Dutch
    # and English words as context; why score 4 is in its docstring.
    {"NAME": "commonroom.accounts.passwords.StrengthValidator", "OPTIONS": {"min_score": 4}},
]
LOGIN_REDIRECT_URL = "home"
ACCOUNT_LOGOUT_REDIRECT_URL = "home"
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = False
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_PREVENT_ENUMERATION = True
# The reset page answers the same for every address; an unknown one gets no
# mail, so the form cannot be used to send mail to anyone.
ACCOUNT_EMAIL_UNKNOWN_ACCOUNTS = False
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_FORMS = {"signup": "commonroom.legal.signup.SignupForm"}
ACCOUNT_ADAPTER = "commonroom.legal.signup.AccountAdapter"
ACCOUNT_EMAIL_SUBJECT_PREFIX = f"[{PLATFORM_NAME}] "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if HTTPS else "http"
# Behind nginx every request comes from the proxy; the client's address is
# taken from X-Forwarded-For only when the request comes from one of these
# (addresses or networks), for every per-IP limit (commonroom/core/clientip.py).
TRUSTED_PROXIES = env.list("TRUSTED_PROXIES", default=[])
ACCOUNT_RATE_LIMITS = {
    # Sign-in throttling: after 5 failures for one address in 5 minutes, or
    # 20 from one IP in a minute, further attempts are refused for a while.
    "login_failed": env.str("RATE_LIMIT_LOGIN_FAILED", default="20/m/ip,5/5m/key"),
    "signup": env.str("RATE_LIMIT_SIGNUP", default="20/m/ip"),
    "reset_password": "20/m/ip,5/m/key",
}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = PLATFORM_NAME
USERSESSIONS_TRACK_ACTIVITY = False

# Requests per personal access token to the JSON API (R34); visitors have the site's budgets.
API_TOKEN_RATE = env.str("API_TOKEN_RATE", default="600/m")
# Requests per address to the OpenID Connect token endpoint (/o/token/).
OIDC_TOKEN_RATE = env.str("OIDC_TOKEN_RATE", default="30/m")
# --- sign-in both ways (commonroom/identity) ---------------------------------
# Commonroom as an OpenID Connect provider: authorization code with PKCE (S256
# only), scopes openid, profile and email, ID tokens signed with RS256 by a key
# generated on first use under VAR_DIR (never committed; OIDC_PRIVATE_KEY_FILE).
OIDC_PRIVATE_KEY_FILE = Path(
    env.str("OIDC_PRIVATE_KEY_FILE", default=str(VAR_DIR / "oidc_private_key.pem"))
)
OAUTH2_PROVIDER: dict[str, object] = {
    "OIDC_ENABLED": True,
    "OIDC_RSA_PRIVATE_KEY": signing_key_pem(OIDC_PRIVATE_KEY_FILE),
    "OIDC_ISS_ENDPOINT": env.str("OIDC_ISSUER", default=""),
    "PKCE_REQUIRED": True,
    "SCOPES": {"openid": "openid", "profile": "profile", "email": "email"},
    "DEFAULT_SCOPES": ["openid"],
    "OAUTH2_VALIDATOR_CLASS": "commonroom.identity.validators.Validator",
    "OIDC_SERVER_CLASS": "commonroom.identity.validators.Server",
    "APPLICATION_ADMIN_CLASS": "commonroom.identity.admin.ApplicationAdmin",
    "REQUEST_APPROVAL_PROMPT": "force",
    "ALLOWED_REDIRECT_URI_SCHEMES": ["https"] if HTTPS else ["http", "https"],
    "ACCESS_TOKEN_EXPIRE_SECONDS": env.int("OIDC_ACCESS_TOKEN_SECONDS", default=3600),
    "ID_TOKEN_EXPIRE_SECONDS": 3600,
    "REFRESH_TOKEN_EXPIRE_SECONDS": 30 * 24 * 3600,
    "OIDC_RESPONSE_TYPES_SUPPORTED": ["code"],
    "COMPLIANT_BCP_RFC9700_IMPLICIT_GRANT": True,
    "COMPLIANT_BCP_RFC9700_PASSWORD_GRANT": True,
    "COMPLIANT_BCP_RFC9700_PKCE_METHOD": True,
    "COMPLIANT_BCP_RFC9700_ACCESS_TOKEN_TRANSPORT": True,
    "COMPLIANT_BCP_RFC9700_AUTHZ_RESPONSE_ISS": True,
    # Tokens are kept hashed; a replayed refresh token revokes its whole family.
    "COMPLIANT_BCP_RFC9700_TOKEN_STORAGE": True,
    "REFRESH_TOKEN_REUSE_PROTECTION": True,
}
# Sign-in through external OpenID Connect providers the operator configured:
# OIDC_PROVIDERS (JSON) or OIDC_<NAME>_SERVER_URL / _CLIENT_ID / _SECRET / _NAME.
# None configured: no button. A new member still accepts the terms (the sign-up
# form asks); an existing account is linked only once its member has signed in
# with their password and connects the provider themselves.
OIDC_EXTERNAL_APPS = external_providers(os.environ)
SOCIALACCOUNT_PROVIDERS = {
    "openid_connect": {"APPS": OIDC_EXTERNAL_APPS, "OAUTH_PKCE_ENABLED": True}
}
SOCIALACCOUNT_ADAPTER = "commonroom.identity.external.SocialAccountAdapter"
SOCIALACCOUNT_FORMS = {"signup": "commonroom.identity.external.SocialSignupForm"}
SOCIALACCOUNT_AUTO_SIGNUP = False
SOCIALACCOUNT_EMAIL_AUTHENTICATION = False
SOCIALACCOUNT_EMAIL_AUTHENTICATION_AUTO_CONNECT = False
SOCIALACCOUNT_STORE_TOKENS = env.bool("SOCIALACCOUNT_STORE_TOKENS", default=False)
SOCIALACCOUNT_LOGIN_ON_GET = False

CONTACT_RATE_LIMIT = env.str("CONTACT_RATE_LIMIT", default="5/h")
RATELIMIT_VIEW = "commonroom.core.views.rate_limited"

# --- budgets of pages per client (R34, commonroom.core.budgets) -----------------
# A teacher reads a few pages a minute; walking the catalogue takes thousands.
# Empty switches a bucket off.
ANONYMOUS_BUDGET_PAGES = env.str("ANONYMOUS_BUDGET_PAGES", default="300/10m")
ANONYMOUS_BUDGET_SEARCH = env.str("ANONYMOUS_BUDGET_SEARCH", default="120/10m")
MEMBER_BUDGET_PAGES = env.str("MEMBER_BUDGET_PAGES", default="1500/10m")
BUDGET_SEARCH_PATHS = ["/search/"]
# Typing in the search box asks for suggestions at every pause: a few titles each.
BUDGET_EXEMPT_PATHS = ["/search/suggest/", "/i18n/", "/robots.txt", "/healthz", "/readyz"]
# Paths whose requests with a harvester "key" parameter are budgeted by their app.
BUDGET_KEYED_PATHS = ["/oai"]

# --- languages --------------------------------------------------------------
LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Dutch")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "commonroom" / "locale"]
TIME_ZONE = env.str("TIME_ZONE", default="Europe/Brussels")
USE_I18N = True
USE_TZ = True

# --- security ---------------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
LANGUAGE_COOKIE_SECURE = HTTPS
SECURE_SSL_REDIRECT = HTTPS and env.bool("SECURE_SSL_REDIRECT", default=True)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31_536_000 if HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS and env.bool("SECURE_HSTS_PRELOAD", default=True)
if env.bool("BEHIND_PROXY", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# No page uses these browser features; denied to every frame as well. Only
# features Chromium knows are named: it logs an error for every other one.
PERMISSIONS_POLICY: dict[str, list[str]] = {
    feature: []
    for feature in (
        "accelerometer",
        "autoplay",
        "browsing-topics",
        "camera",
        "display-capture",
        "encrypted-media",
        "geolocation",
        "gyroscope",
        "hid",
        "idle-detection",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "publickey-credentials-get",
        "screen-wake-lock",
        "serial",
        "usb",
        "xr-spatial-tracking",
    )
}
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "frame-src": [NONE],
        "frame-ancestors": [NONE],
        "object-src": [NONE],
        "base-uri": [SELF],
        # The sign-in form sends the browser on to an external provider.
        "form-action": [SELF, *provider_origins(OIDC_EXTERNAL_APPS)],
    }
}

if OBJECT_STORAGE is not None and not STORAGE_X_ACCEL:
    # Previews (pictures, audio, video) are redirected to signed addresses
    # in the bucket; nothing else of the page comes from there.
    _directives = CONTENT_SECURITY_POLICY["DIRECTIVES"]
    _directives["img-src"] = [*_directives["img-src"], OBJECT_STORAGE.origin]
    _directives["media-src"] = [SELF, OBJECT_STORAGE.origin]
if OBJECT_STORAGE is not None and STATIC_ON_S3:
    for _directive in ("script-src", "style-src", "font-src", "img-src"):
        _sources = CONTENT_SECURITY_POLICY["DIRECTIVES"][_directive]
        if OBJECT_STORAGE.origin not in _sources:
            _sources.append(OBJECT_STORAGE.origin)

# "plain" (make run: the message only) or "json": one JSON object per line,
# every line with the request id (core.requestlog).
LOG_FORMAT = env.str("LOG_FORMAT", default="plain")
if LOG_FORMAT not in ("plain", "json"):
    raise ImproperlyConfigured(f"LOG_FORMAT={LOG_FORMAT}: write plain or json.")
# One line per request (method, route, status, duration, request id); on by
# default with JSON logs, where gunicorn's access log is left off.
REQUEST_LOG = env.bool("REQUEST_LOG", default=LOG_FORMAT == "json")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "repeated_errors": {"()": "commonroom.core.logfilters.RepeatedErrorFilter"},
        "warnings_and_up": {"()": "commonroom.core.logfilters.MinimumLevelFilter"},
        "request_id": {"()": "commonroom.core.requestlog.RequestIdFilter"},
    },
    "formatters": {"json": {"()": "commonroom.core.requestlog.JsonFormatter"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request_id"],
            **({"formatter": "json"} if LOG_FORMAT == "json" else {}),
        }
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.request": {"level": "ERROR"},
        # Each cache call that Redis's absence fails, once every 30 s.
        "django_redis.cache": {"filters": ["repeated_errors"]},
        # "Task ... state=RUNNING/SUCCESSFUL" for every task; failures still show.
        "django_tasks": {"filters": ["warnings_and_up"]},
        "django.tasks": {"filters": ["warnings_and_up"]},  # its name in Django 6
    },
}

FORM_RENDERER = "commonroom.core.forms.FormRenderer"

# /metrics (core.metrics): readable from these addresses or networks (the
# client's, behind a trusted proxy), or by anyone with this bearer token.
METRICS_ALLOWED_NETWORKS = env.list("METRICS_ALLOWED_NETWORKS", default=["127.0.0.1", "::1"])
METRICS_TOKEN = env.str("METRICS_TOKEN", default="")

# --- resources --------------------------------------------------------------
DOWNLOAD_REQUIRES_ACCOUNT = env.bool("DOWNLOAD_REQUIRES_ACCOUNT", default=True)
# Larger files are handed out as a ZIP with the attribution instead of with the
# attribution written into their own metadata (R33): stamping reads the whole file.
DOWNLOAD_STAMP_MAX_BYTES = env.int("DOWNLOAD_STAMP_MAX_BYTES", default=50 * 1024 * 1024)
UPLOAD_MAX_FILE_BYTES = env.int("UPLOAD_MAX_FILE_BYTES", default=100 * 1024 * 1024)
UPLOAD_MAX_RESOURCE_BYTES = env.int("UPLOAD_MAX_RESOURCE_BYTES", default=250 * 1024 * 1024)
UPLOAD_MAX_FILES = env.int("UPLOAD_MAX_FILES", default=20)
REREVIEW_AFTER_DAYS = env.int("REREVIEW_AFTER_DAYS", default=730)
NOTICE_RATE_LIMIT = env.str("NOTICE_RATE_LIMIT", default="5/h")
REPORT_RATE_LIMIT = env.str("REPORT_RATE_LIMIT", default="20/h")
# Visitors (§2.4) report without an account: limited per client address instead.
VISITOR_REPORT_RATE_LIMIT = env.str("VISITOR_REPORT_RATE_LIMIT", default="5/h")
LINK_CHECK_TIMEOUT = env.float("LINK_CHECK_TIMEOUT", default=10.0)
FORMS_URLFIELD_ASSUME_HTTPS = True
LINK_CHECK_ALLOW_PRIVATE = env.bool("LINK_CHECK_ALLOW_PRIVATE", default=False)
LINK_CHECK_INTERVAL_HOURS = env.int("LINK_CHECK_INTERVAL_HOURS", default=24)

# --- anti-spam (R20) ----------------------------------------------------------
NEW_ACCOUNT_DAYS = env.int("NEW_ACCOUNT_DAYS", default=7)
POST_RATE_LIMITS = {
    "reaction": env.str("RATE_LIMIT_REACTION", default="20/h"),
    "message": env.str("RATE_LIMIT_MESSAGE", default="60/h"),
    "upload": env.str("RATE_LIMIT_UPLOAD", default="20/h"),
    "follow": env.str("RATE_LIMIT_FOLLOW", default="100/h"),
    "report": env.str("RATE_LIMIT_REPORT", default="20/h"),
    "forum": env.str("RATE_LIMIT_FORUM", default="30/h"),
    "organisation": env.str("RATE_LIMIT_ORGANISATION", default="5/d"),
    "training_offer": env.str("RATE_LIMIT_TRAINING_OFFER", default="30/h"),
}
NEW_ACCOUNT_RATE_LIMITS = {
    "reaction": env.str("RATE_LIMIT_REACTION_NEW", default="5/h"),
    "message": env.str("RATE_LIMIT_MESSAGE_NEW", default="10/h"),
    "upload": env.str("RATE_LIMIT_UPLOAD_NEW", default="5/h"),
    "follow": env.str("RATE_LIMIT_FOLLOW_NEW", default="30/h"),
    "report": env.str("RATE_LIMIT_REPORT_NEW", default="10/h"),
    "forum": env.str("RATE_LIMIT_FORUM_NEW", default="10/h"),
    "organisation": env.str("RATE_LIMIT_ORGANISATION_NEW", default="2/d"),
    "training_offer": env.str("RATE_LIMIT_TRAINING_OFFER_NEW", default="10/h"),
}
# How many times the same text may be posted within a day: a message may go
# to two people separately (more: one conversation with several members).
DUPLICATE_ALLOWANCE = {"message": 2, "reaction": 1, "forum": 1}
REACTION_EDIT_MINUTES = env.int("REACTION_EDIT_MINUTES", default=15)

# OAI-PMH at /oai (issue 18, commonroom/oai): open to everyone, or only to
# harvester keys staff issue in the admin; each key has its own budget, and
# requests without a key share a budget per client address.
OAI_REQUIRE_KEY = env.bool("OAI_REQUIRE_KEY", default=False)
OAI_HARVESTER_RATE = env.str("OAI_HARVESTER_RATE", default="120/m")
OAI_ANONYMOUS_RATE = env.str("OAI_ANONYMOUS_RATE", default="30/m")
OAI_PAGE_SIZE = env.int("OAI_PAGE_SIZE", default=100)
OAI_TOKEN_HOURS = env.int("OAI_TOKEN_HOURS", default=24)
OAI_ADMIN_EMAIL = env.str("OAI_ADMIN_EMAIL", default=OPERATOR_EMAIL)
