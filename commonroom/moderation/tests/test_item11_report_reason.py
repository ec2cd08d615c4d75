"""Issue 13 item 11 (c): the report form pre-selects no reason, and a report
with only an explanation is told to choose one."""

import pytest

from commonroom.moderation.models import Report
from commonroom.resources.tests.factories import published_resource

pytestmark = pytest.mark.django_db


def test_item11_c_the_report_form_offers_no_empty_preselected_reason(member_client):
    resource = published_resource()
    page = member_client.get(f"/moderation/reports/new/{resource.pk}/").content.decode()
    assert "---------" not in page
    assert 'value=""' not in page
    assert "checked" not in page
    assert page.count('type="radio" name="reason"') == 8


def test_item11_c_a_report_with_only_an_explanation_is_told_to_choose_a_reason(member_client):
    resource = published_resource()
    response = member_client.post(
        f"/moderation/reports/new/{resource.pk}/", {"text": "The answers are wrong."}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Choose a reason for your report." in page
    assert "The answers are wrong." in page
    assert not Report.objects.exists()
