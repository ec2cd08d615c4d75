import pytest
from django.test import Client

from commonroom.legal.models import DocumentKind, LegalDocument, TermsAcceptance
from commonroom.legal.selectors import terms_current
from commonroom.legal.services import document_publish, terms_accept


def publish_terms(version: str, summary: str, staff=None) -> LegalDocument:
    draft = LegalDocument.objects.create(
        kind=DocumentKind.TERMS, version=version, summary_en=summary,
        body_en=f"# Terms {version}\n\nNew rules.", body_nl=f"Voorwaarden {version}",
    )  # fmt: skip
    return document_publish(document=draft, by=staff)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("url", "version"),
    [
        ("/terms/", "1.1"),
        ("/privacy/", "1.0"),
        ("/legal/terms/1.0/", "1.0"),
        ("/legal/terms/1.1/", "1.1"),
        ("/legal/privacy/1.0/", "1.0"),
    ],
)
def test_r1_terms_and_privacy_are_readable_without_an_account(client, url, version):
    response = client.get(url)
    assert response.status_code == 200
    assert f"Version {version}," in response.content.decode()


@pytest.mark.django_db
def test_r8_members_see_the_new_version_at_their_next_visit(
    member, member_client, staff, django_capture_on_commit_callbacks
):
    terms_accept(member=member, document=terms_current(), language="en")  # type: ignore[arg-type]
    assert "The terms of use have changed" not in member_client.get("/").content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        publish_terms("2.0", "Reactions are now moderated.", staff)

    content = member_client.get("/").content.decode()
    assert "The terms of use have changed (version 2.0)" in content
    assert "Reactions are now moderated." in content


@pytest.mark.django_db
def test_r8_continuing_records_acceptance_of_that_version(
    member, member_client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        new = publish_terms("2.0", "Changes.")
    response = member_client.post("/terms/accept/", {"next": "/contact/"})
    assert response.status_code == 302
    assert response["Location"] == "/contact/"
    acceptance = TermsAcceptance.objects.get(member=member, document=new)
    assert acceptance.accepted_at is not None
    assert "The terms of use have changed" not in member_client.get("/").content.decode()


@pytest.mark.django_db
def test_r8_continue_never_redirects_off_site(member_client):
    response = member_client.post("/terms/accept/", {"next": "https://evil.example/"})
    assert response["Location"] == "/"


@pytest.mark.django_db
def test_r8_all_past_versions_stay_readable_at_their_own_url(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        publish_terms("2.0", "Changes.")
    current = client.get("/terms/").content.decode()
    assert "Version 2.0" in current
    assert "New rules." in current
    old = client.get("/legal/terms/1.0/").content.decode()
    assert "Version 1.0" in old
    assert "Purpose and Offer of the Platform" in old
    assert 'href="/legal/terms/1.0/"' in current
    assert 'href="/legal/terms/2.0/"' in current


@pytest.mark.django_db
def test_r8_a_draft_version_is_not_shown(client):
    LegalDocument.objects.create(kind=DocumentKind.TERMS, version="3.0-draft", body_en="Draft")
    assert client.get("/legal/terms/3.0-draft/").status_code == 404
    assert terms_current().version == "1.1"  # type: ignore[union-attr]


@pytest.mark.django_db
def test_r8_staff_publish_from_the_admin(staff, django_capture_on_commit_callbacks):
    staff.is_superuser = True
    staff.save()
    client = Client()
    client.force_login(staff)
    draft = LegalDocument.objects.create(kind=DocumentKind.TERMS, version="2.0", body_en="x")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/admin/legal/legaldocument/",
            {"action": "publish", "_selected_action": [draft.pk]},
        )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.published_by == staff
    assert terms_current() == draft
