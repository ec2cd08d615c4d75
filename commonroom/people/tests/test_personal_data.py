"""R6, R7: what the people app keeps is exported and erased with the account."""

import pytest
from django.contrib.contenttypes.models import ContentType

from commonroom.accounts.models import Member
from commonroom.accounts.services import member_erase, member_export
from commonroom.people.models import TutorListing, VerifiedProfile
from commonroom.people.services import profile_verify
from commonroom.people.tests.factories import person, tutor
from commonroom.social.models import Follow
from commonroom.social.services import follow
from commonroom.taxonomy.models import Subject

pytestmark = pytest.mark.django_db


@pytest.fixture
def busy(staff):
    listing = tutor(subjects=("physics",), levels=("primary-1",), provinces=("antwerp",))
    member = listing.member
    anna, ben = person(), person()
    follow(follower=member, target=anna)
    follow(follower=member, target=Subject.objects.get(slug="physics"))
    follow(follower=ben, target=member)
    follow(follower=ben, target=anna)
    profile_verify(member=member, organisation_name="Klasse vzw", by=staff)
    return member, anna, ben


def test_r7_export_has_the_listing_and_the_verification(busy):
    member, _anna, _ben = busy
    data = member_export(member=member)
    assert data["tutor_listing"]["subjects"] == ["physics"]
    assert data["tutor_listing"]["regions"] == ["antwerp"]
    assert data["tutor_listing"]["availability"] == "Wednesday afternoons"
    assert data["tutor_listing"]["shown"] is True
    assert data["verified_organisation"]["organisation"] == "Klasse vzw"


def test_r6_erasure_removes_listing_follows_by_and_of_the_member_and_verification(busy):
    member, anna, ben = busy
    member_erase(member=member)
    assert not TutorListing.objects.filter(member=member).exists()
    assert not VerifiedProfile.objects.filter(member=member).exists()
    assert not Follow.objects.filter(follower=member).exists()
    member_type = ContentType.objects.get_for_model(Member)
    assert not Follow.objects.filter(content_type=member_type, object_id=member.pk).exists()
    # Other members' follows of others stay.
    assert list(Follow.objects.values_list("follower", "object_id")) == [(ben.pk, anna.pk)]
