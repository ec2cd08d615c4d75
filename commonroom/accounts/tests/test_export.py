import json

import pytest
from allauth.account.models import EmailAddress

from commonroom.accounts.models import Profile
from commonroom.legal.selectors import terms_current
from commonroom.legal.services import terms_accept
from commonroom.taxonomy.models import Subject


@pytest.mark.django_db
def test_r7_download_my_data_is_a_json_file_with_everything(member, member_client):
    profile = Profile.objects.get(member=member)
    profile.bio = "I love maps."
    profile.school = "Atheneum Brugge"
    profile.save()
    profile.subjects.set(Subject.objects.filter(slug__in=["geography", "history"]))
    terms_accept(member=member, document=terms_current(), language="en")  # type: ignore[arg-type]

    response = member_client.get("/accounts/my-data/")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response["Content-Disposition"].startswith('attachment; filename="commonroom-my-data-')
    data = json.loads(response.content)
    assert data["format"] == "commonroom-personal-data/1"
    assert data["member"]["email"] == member.email
    assert data["member"]["first_name"] == member.first_name
    assert data["member"]["birth_year"] == 1980
    assert data["profile"]["bio"] == "I love maps."
    assert data["profile"]["school"] == "Atheneum Brugge"
    assert data["profile"]["subjects"] == ["geography", "history"]
    assert data["email_addresses"] == [{"email": member.email, "verified": True, "primary": True}]
    assert [(a["version"], a["language"]) for a in data["terms_accepted"]] == [("1.1", "en")]
    assert set(data) == {
        "format", "exported_at", "platform", "operator", "member", "profile",
        "email_addresses", "two_factor_devices", "sessions", "suspensions", "terms_accepted",
        "contact_messages", "notifications", "notification_settings", "resources",
        "reports_filed", "notices_filed", "objections",
        "recent_post_fingerprints", "reactions", "ratings", "classroom_uses", "follows",
        "saved_resources", "collections", "conversations", "messages_sent", "members_blocked",
        "tutor_listing", "verified_organisation", "saved_searches",
        "staffroom_threads", "staffroom_posts", "staffroom_read",
        "organisations_proposed", "organisation_administrator_of",
        "organisation_invitations_received", "training_offers_written",
        "selection_guides_saved", "connected_apps", "external_sign_ins",
        "harvester_keys_issued", "api_tokens",
        "test_notes",  # the test-only kind (tests/kinds), installed by tests/settings.py
    }  # fmt: skip
    assert EmailAddress.objects.filter(user=member).count() == 1


@pytest.mark.django_db
def test_r7_visitors_are_sent_to_sign_in(client):
    response = client.get("/accounts/my-data/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/accounts/my-data/"
