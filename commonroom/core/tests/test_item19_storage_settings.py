"""Issue 19 item 1: what STORAGE_URL does to the settings (the contract
`make cluster` relies on: STORAGE_URL plus AWS_ACCESS_KEY_ID and
AWS_SECRET_ACCESS_KEY, nothing else)."""

import pytest

from commonroom.core.storage_config import StorageUrlError, storage_url_parse
from commonroom.core.tests.redis_server import settings_module_for

CLUSTER_URL = "s3://commonroom?endpoint=http://127.0.0.1:9016&region=us-east-1"


def test_issue19_the_cluster_url_puts_both_storages_in_the_private_bucket():
    configured = settings_module_for(STORAGE_URL=CLUSTER_URL)

    private = configured.STORAGES["private"]
    default = configured.STORAGES["default"]
    assert private["BACKEND"] == default["BACKEND"] == "commonroom.core.storage_s3.S3Storage"
    options = private["OPTIONS"]
    assert (options["bucket_name"], options["location"], options["endpoint_url"]) == (
        "commonroom",
        "private",
        "http://127.0.0.1:9016",
    )
    assert options["region_name"] == "us-east-1"
    assert (options["default_acl"], options["querystring_auth"], options["file_overwrite"]) == (
        None,
        True,
        False,
    )
    assert options["querystring_expire"] == 60
    assert options["client_config"].signature_version == "s3v4"
    assert options["client_config"].s3 == {"addressing_style": "path"}
    assert "access_key" not in options  # boto3 reads AWS_ACCESS_KEY_ID itself
    assert (default["OPTIONS"]["bucket_name"], default["OPTIONS"]["location"]) == (
        "commonroom",
        "media",
    )
    # Static files stay with WhiteNoise.
    assert configured.STORAGES["staticfiles"]["BACKEND"].startswith(("whitenoise", "django"))
    directives = configured.CONTENT_SECURITY_POLICY["DIRECTIVES"]
    assert directives["media-src"] == ["'self'", "http://127.0.0.1:9016"]
    assert directives["img-src"] == ["'self'", "data:", "http://127.0.0.1:9016"]
    assert directives["script-src"] == ["'self'"]


def test_issue19_without_storage_url_files_stay_in_the_folders():
    configured = settings_module_for(STORAGE_URL="")
    assert configured.OBJECT_STORAGE is None
    assert configured.STORAGES["private"]["BACKEND"] == (
        "django.core.files.storage.FileSystemStorage"
    )
    assert "media-src" not in configured.CONTENT_SECURITY_POLICY["DIRECTIVES"]


def test_issue19_x_accel_static_and_a_public_bucket():
    configured = settings_module_for(
        STORAGE_URL=f"{CLUSTER_URL}&prefix=site-a&public_bucket=commonroom-public",
        STORAGE_X_ACCEL="true",
        STATIC_ON_S3="true",
    )
    assert configured.STORAGES["private"]["OPTIONS"]["location"] == "site-a/private"
    assert configured.STORAGES["default"]["OPTIONS"]["bucket_name"] == "commonroom-public"
    static = configured.STORAGES["staticfiles"]
    assert static["BACKEND"] == "commonroom.core.storage_s3.S3StaticStorage"
    assert (static["OPTIONS"]["location"], static["OPTIONS"]["querystring_auth"]) == (
        "site-a/static",
        False,
    )
    directives = configured.CONTENT_SECURITY_POLICY["DIRECTIVES"]
    assert "media-src" not in directives  # nginx serves previews from the site's origin
    assert directives["script-src"] == ["'self'", "http://127.0.0.1:9016"]


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("https://bucket", "STORAGE_URL must start with s3:// (got 'https')."),
        (
            "s3://?region=x",
            "STORAGE_URL names one bucket: s3://BUCKET?endpoint=http://HOST:PORT&region=REGION.",
        ),
        (
            "s3://b?endpoit=http://x",
            "STORAGE_URL has unknown parameters endpoit; "
            "known: endpoint, prefix, public_bucket, region.",
        ),
        (
            "s3://b?endpoint=ftp://x",
            "STORAGE_URL's endpoint must be an http:// or https:// address.",
        ),
    ],
)
def test_issue19_a_wrong_storage_url_is_refused_with_what_to_write(url, message):
    with pytest.raises(StorageUrlError) as raised:
        storage_url_parse(url)
    assert str(raised.value) == message
