"""Issue 14: roles and "moderator? staff?" have one home, accounts.roles."""

import pytest
from django.contrib.auth.models import AnonymousUser, Group
from django.test import Client

from commonroom.accounts.roles import MODERATORS, is_moderator, is_staff
from commonroom.accounts.tests.factories import MemberFactory, StaffFactory

pytestmark = pytest.mark.django_db
QUEUE_LINK = 'href="/moderation/"'


def moderator():
    member = MemberFactory()
    member.groups.add(Group.objects.get_or_create(name=MODERATORS)[0])
    return member


def test_issue14_who_is_a_moderator_and_who_is_staff():
    staff, mod, member = StaffFactory(), moderator(), MemberFactory()
    inactive_staff = StaffFactory(is_active=False)
    assert [is_moderator(u) for u in (staff, mod, member, AnonymousUser())] == [
        True,
        True,
        False,
        False,
    ]
    assert [is_staff(u) for u in (staff, inactive_staff, mod, member, AnonymousUser())] == [
        True,
        False,
        False,
        False,
        False,
    ]
    assert member.is_moderator is False
    assert mod.is_moderator is True


def test_issue14_the_moderator_answer_is_asked_once_per_member(django_assert_num_queries):
    mod = moderator()
    with django_assert_num_queries(1):
        assert is_moderator(mod)
        assert is_moderator(mod)


def test_issue14_the_header_links_the_queue_for_moderators_only():
    answers = {}
    for role, member in (("moderator", moderator()), ("member", MemberFactory())):
        client = Client()
        client.force_login(member)
        answers[role] = QUEUE_LINK in client.get("/").content.decode()
    assert answers == {"moderator": True, "member": False}
