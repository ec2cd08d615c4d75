"""Every people page, for every role, answers as expected and carries no
inline script or style (strict CSP)."""

import re

import pytest
from django.contrib.auth.models import Group
from django.test import Client

from commonroom.accounts.models import ProfileVisibility
from commonroom.accounts.roles import MODERATORS
from commonroom.accounts.tests.factories import MemberFactory, StaffFactory
from commonroom.moderation.report_services import report_file
from commonroom.people.tests.factories import person, tutor

pytestmark = pytest.mark.django_db

OK, LOGIN, DENIED, GONE = 200, 302, 403, 404
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
STYLE_ATTRIBUTE = re.compile(r"<[^>]+\sstyle=", re.IGNORECASE)


@pytest.fixture
def urls():
    public = person(visibility=ProfileVisibility.PUBLIC, bio="Public")
    members_only = tutor().member
    hidden = person(visibility=ProfileVisibility.HIDDEN)
    report = report_file(target=public, reporter=MemberFactory(), reason="spam")
    # url: answers for visitor, member, moderator, staff
    return {
        "/people/": (LOGIN, OK, OK, OK),
        f"/people/{public.pk}/": (OK, OK, OK, OK),
        f"/people/{members_only.pk}/": (LOGIN, OK, OK, OK),
        f"/people/{hidden.pk}/": (GONE, GONE, GONE, OK),
        "/people/tutors/": (LOGIN, OK, OK, OK),
        "/people/tutors/me/": (LOGIN, OK, OK, OK),
        "/people/following/": (LOGIN, OK, OK, OK),
        "/people/subjects/": (LOGIN, OK, OK, OK),
        f"/moderation/report/profile/{public.pk}/": (OK, OK, OK, OK),
        "/moderation/content-reports/": (LOGIN, DENIED, OK, OK),
        f"/moderation/content-reports/{report.pk}/": (LOGIN, DENIED, OK, OK),
    }


@pytest.mark.parametrize("role", ["visitor", "member", "moderator", "staff"])
def test_r16_r18_r21_pages_answer_each_role_and_have_no_inline_code(role, urls):
    client = Client()
    if role != "visitor":
        viewer = StaffFactory() if role == "staff" else MemberFactory()
        if role == "moderator":
            viewer.groups.add(Group.objects.get(name=MODERATORS))
        client.force_login(viewer)
    index = ["visitor", "member", "moderator", "staff"].index(role)
    answers = {}
    for url in urls:
        response = client.get(url)
        answers[url] = response.status_code
        if response.status_code == OK:
            html = response.content.decode()
            assert not INLINE_SCRIPT.search(html), url
            assert not STYLE_ATTRIBUTE.search(html), url
            assert "<style" not in html, url
    assert answers == {url: codes[index] for url, codes in urls.items()}
