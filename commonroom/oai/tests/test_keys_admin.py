"""Issue 18: staff issue and revoke harvester keys in the admin; the key is
shown once and kept only as a hash."""

import pytest
from django.contrib.messages import get_messages
from django.test import Client

from commonroom.accounts.tests.factories import StaffFactory
from commonroom.oai.models import HarvesterKey
from commonroom.oai.services import key_hash

pytestmark = pytest.mark.django_db


def test_issue18_staff_issue_a_key_shown_once_and_revoke_it(settings):
    settings.OAI_REQUIRE_KEY = True
    staff = StaffFactory(is_superuser=True)
    client = Client()
    client.force_login(staff)
    response = client.post(
        "/admin/oai/harvesterkey/add/",
        {"name": "Partner platform", "contact": "Ann, ann@partner.example"},
    )
    assert response.status_code == 302
    key = HarvesterKey.objects.get()
    shown = [str(m) for m in get_messages(response.wsgi_request)]
    raw = next(word for m in shown for word in m.split() if word.startswith("oai_"))
    assert key.key_hash == key_hash(raw)
    assert raw.startswith(key.prefix)
    assert key.created_by == staff
    assert not HarvesterKey.objects.filter(key_hash=raw).exists()
    harvester = Client()
    assert harvester.get("/oai", {"verb": "Identify", "key": raw}).status_code == 200
    client.post("/admin/oai/harvesterkey/", {"action": "revoke", "_selected_action": [key.pk]})
    key.refresh_from_db()
    assert key.revoked_at is not None
    assert harvester.get("/oai", {"verb": "Identify", "key": raw}).status_code == 403
