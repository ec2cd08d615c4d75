"""Issue 12 (the fault test's PostgreSQL restart): a request the database
fails to answer gets a 503 that asks to try again, not a 500."""

import pytest
from django.db import OperationalError
from django.test import Client

GONE = "terminating connection due to administrator command"


@pytest.fixture
def database_gone(monkeypatch):
    def refuse(*_args, **_kwargs):
        raise OperationalError(GONE)

    monkeypatch.setattr("commonroom.resources.selectors.home_showcase", refuse)


@pytest.mark.django_db
@pytest.mark.usefixtures("database_gone")
@pytest.mark.parametrize(
    ("language", "heading"), [("en", "Back in a moment"), ("nl", "Zo weer terug")]
)
def test_item14_a_request_the_database_fails_is_503_try_again(language, heading):
    client = Client(raise_request_exception=False, headers={"accept-language": language})
    response = client.get("/?page=2")
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    page = response.content.decode()
    assert f"<h1>{heading}</h1>" in page
    assert 'href="/?page=2"' in page
    assert GONE not in page


@pytest.mark.django_db
@pytest.mark.usefixtures("database_gone")
def test_item14_the_try_again_link_stays_on_this_site():
    client = Client(raise_request_exception=False)
    response = client.get("//elsewhere.example/")
    assert response.status_code in (404, 503)
    assert "elsewhere.example" not in response.content.decode()


@pytest.mark.django_db
def test_item14_another_error_is_still_a_500(monkeypatch):
    def broken(*_args, **_kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr("commonroom.resources.selectors.home_showcase", broken)
    response = Client(raise_request_exception=False).get("/")
    assert response.status_code == 500
    assert "Retry-After" not in response


@pytest.mark.django_db
def test_r_issue19_the_bucket_not_answering_is_503_try_again(monkeypatch):
    """An upload or download while the bucket of STORAGE_URL is away (botocore
    cannot connect) asks to try again, like the database; it is not a bug."""
    from botocore.exceptions import EndpointConnectionError

    def refuse(*_args, **_kwargs):
        raise EndpointConnectionError(endpoint_url="http://127.0.0.1:9/commonroom/private/x.pdf")

    monkeypatch.setattr("commonroom.resources.selectors.home_showcase", refuse)
    client = Client(raise_request_exception=False, headers={"accept-language": "en"})
    response = client.get("/")
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    page = response.content.decode()
    assert "Our file storage did not answer." in page
    assert "Our database did not answer." not in page
    assert "127.0.0.1:9" not in page
