"""Issue 18: learning resources through the API: the site's search (query
language, facets, filters), a draft invisible to others, and the author's
create, update and file upload through the services."""

from __future__ import annotations

import pytest
from django.test import Client

from commonroom.accounts.tests.factories import MemberFactory
from commonroom.api.models import Scope
from commonroom.api.tests.helpers import client_of
from commonroom.resources.models import Resource, State
from commonroom.resources.tests.factories import PublishedResourceFactory, ResourceFactory
from commonroom.search.services import search_index_sync
from commonroom.taxonomy.models import EducationLevel, Language, ResourceKind, Subject

pytestmark = pytest.mark.django_db


def _published(**kwargs) -> Resource:
    kwargs.setdefault("description", "Halves and quarters.")
    kwargs.setdefault("keywords", [])
    resource: Resource = PublishedResourceFactory.create(**kwargs)
    search_index_sync(kind="resource", object_id=resource.pk)
    return resource


def test_issue18_the_list_searches_with_the_sites_query_language_and_facets():
    pizza = _published(title="Fractions with pizza", subjects=["mathematics"])
    _published(title="Fractions with cake", subjects=["history"])
    _published(title="The Romans", subjects=["history"])
    response = Client().get("/api/v1/resources", {"q": "fractions -cake"})
    assert response.status_code == 200
    body = response.json()
    assert [item["id"] for item in body["items"]] == [pizza.pk]
    assert body["total"] == 1
    filtered = Client().get("/api/v1/resources", {"q": "fractions", "subject": "history"}).json()
    assert filtered["total"] == 1
    subjects = {v["slug"]: v for v in filtered["facets"]["subject"]}
    assert subjects["history"]["selected"] is True
    assert subjects["mathematics"]["count"] == 1


def test_issue18_the_list_pages_with_a_cursor_until_next_is_empty():
    made = {_published(title=f"Fractions {i}").pk for i in range(5)}
    seen: list[int] = []
    url = "/api/v1/resources?limit=2&sort=newest"
    pages = 0
    while url:
        body = Client().get(url).json()
        seen += [item["id"] for item in body["items"]]
        url = body["next"]
        pages += 1
    assert pages == 3
    assert sorted(seen) == sorted(made)


def test_issue18_a_draft_is_the_authors_alone():
    draft = ResourceFactory(title="Half done")
    assert Client().get(f"/api/v1/resources/{draft.pk}").status_code == 404
    assert client_of(MemberFactory()).get(f"/api/v1/resources/{draft.pk}").status_code == 404
    own = client_of(draft.author, Scope.READ).get(f"/api/v1/resources/{draft.pk}")
    assert own.status_code == 200
    assert own.json()["state"] == State.DRAFT
    assert "Half done" not in Client().get("/api/v1/resources?q=half").content.decode()


def test_issue18_a_removed_resource_is_gone_from_the_api():
    resource = _published(title="Copied work")
    Resource.objects.filter(pk=resource.pk).update(state=State.REMOVED)
    search_index_sync(kind="resource", object_id=resource.pk)
    assert Client().get(f"/api/v1/resources/{resource.pk}").status_code == 404
    assert Client().get("/api/v1/resources?q=copied").json()["total"] == 0


def _fields() -> dict:
    return {
        "title": "Fractions with pizza",
        "description": "Share a pizza fairly.",
        "kind": ResourceKind.objects.get(slug="worksheet").pk,
        "language": Language.objects.get(slug="en").pk,
        "subjects": [Subject.objects.get(slug="mathematics").pk],
        "levels": [EducationLevel.objects.get(slug="primary").pk],
        "keywords": ["fractions", "pizza"],
        "body": "Cut it in eight.",
    }


def test_issue18_the_author_creates_a_draft_and_edits_it():
    author = MemberFactory()
    client = client_of(author)
    refused = client.post("/api/v1/resources", _fields(), content_type="application/json")
    assert refused.status_code == 422
    assert refused.json()["fields"] == {
        "rights_confirmed": ["You can only share material that you have the right to share."]
    }
    assert Resource.objects.count() == 0
    created = client.post(
        "/api/v1/resources",
        {**_fields(), "rights_confirmed": True},
        content_type="application/json",
    )
    assert created.status_code == 201
    resource = Resource.objects.get()
    assert (resource.author, resource.state, resource.keywords) == (
        author,
        State.DRAFT,
        ["fractions", "pizza"],
    )
    edited = client.patch(
        f"/api/v1/resources/{resource.pk}",
        {"title": "Pizza fractions"},
        content_type="application/json",
    )
    assert edited.status_code == 200
    assert edited.json()["title"] == "Pizza fractions"
    resource.refresh_from_db()
    assert (resource.title, resource.description) == ("Pizza fractions", "Share a pizza fairly.")


def test_issue18_others_cannot_edit_and_nothing_changes():
    resource = _published(title="Mine")
    response = client_of(MemberFactory()).patch(
        f"/api/v1/resources/{resource.pk}", {"title": "Theirs"}, content_type="application/json"
    )
    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"
    resource.refresh_from_db()
    assert resource.title == "Mine"


def test_issue18_the_author_uploads_a_file_through_the_upload_pipeline():
    resource = ResourceFactory()
    client = client_of(resource.author)
    from django.core.files.uploadedfile import SimpleUploadedFile

    text = SimpleUploadedFile("notes.txt", b"Fractions are parts of a whole.\n", "text/plain")
    response = client.post(f"/api/v1/resources/{resource.pk}/files", {"file": text})
    assert response.status_code == 201, response.content
    assert [f["name"] for f in response.json()["files"]] == ["notes.txt"]
    bad = SimpleUploadedFile("virus.exe", b"MZ\x90\x00" + b"\x00" * 60, "application/octet-stream")
    refused = client.post(f"/api/v1/resources/{resource.pk}/files", {"file": bad})
    assert refused.status_code == 422
    assert resource.files.count() == 1


def test_issue18_the_list_costs_the_same_queries_for_2_or_6_resources(
    django_assert_num_queries,
):
    for i in range(2):
        _published(title=f"Fractions {i}")
    Client().get("/api/v1/resources?q=fractions")  # warms the snapshot and vocabulary
    # The terms' state (cached), the index version with the word's matches
    # (search.page_search), the documents and the cards.
    with django_assert_num_queries(4):
        Client().get("/api/v1/resources?q=fractions")
    for i in range(4):
        _published(title=f"Fractions more {i}")
    Client().get("/api/v1/resources?q=fractions")
    with django_assert_num_queries(4):
        Client().get("/api/v1/resources?q=fractions")
