from collections import Counter

import pytest
from django.core.management import call_command

from commonroom.accounts.models import Member, Suspension
from commonroom.library.models import Collection
from commonroom.messaging.models import Message
from commonroom.resources.models import Resource, ResourceFile
from commonroom.social.models import Follow, Reaction
from commonroom.staffroom.models import Category, Thread


@pytest.fixture(autouse=True)
def _demo_data_allowed(settings) -> None:
    """The test database is not the embedded SQLite file (issue 12 item 9)."""
    settings.DEMO_DATA = True


@pytest.mark.django_db
def test_demo_data_has_every_role_and_about_fifty_resources_in_every_state(capsys):
    call_command("demo_data", "--if-empty")
    out = capsys.readouterr().out
    assert "Demo sign-ins (password for all: demo-Commonroom-2026):" in out
    assert Member.objects.filter(email__endswith="@demo.commonroom.example").count() == 7
    assert Member.objects.get(email="staff@demo.commonroom.example").is_staff
    assert Suspension.objects.active().count() == 1
    states = Counter(Resource.objects.values_list("state", flat=True))
    assert sum(states.values()) == 50
    assert set(states) == {
        "published",
        "changes_requested",
        "in_review",
        "submitted",
        "rejected",
        "draft",
        "removed_pending",
    }
    assert ResourceFile.objects.count() == 36  # one PDF or PNG per file-based topic, twice
    assert ResourceFile.objects.exclude(thumbnail="").count() == 36
    assert Collection.objects.filter(is_public=True).count() == 1
    assert Reaction.objects.count() == 8
    assert Follow.objects.exclude(content_type__app_label="staffroom").count() == 6
    assert Message.objects.count() == 2
    # The staffroom: five categories, questions with accepted answers, discussions.
    assert Category.objects.count() == 5
    assert Thread.objects.visible().count() == 6
    assert Thread.objects.filter(kind="question", accepted_post__isnull=False).count() == 3
    assert Thread.objects.filter(kind="discussion").count() == 3
    # A second run loads nothing more.
    call_command("demo_data", "--if-empty", "--quiet")
    assert Resource.objects.count() == 50


@pytest.mark.django_db
def test_loading_the_demo_mails_no_demo_member(django_capture_on_commit_callbacks):
    from django.core import mail

    with django_capture_on_commit_callbacks(execute=True):
        call_command("demo_data", "--quiet")
    # Only the publisher who filed the demo copyright notice gets its receipt.
    assert [m.to for m in mail.outbox] == [["rechten@uitgeverij.example"]]
    from commonroom.notifications.models import NotificationPreference

    assert not NotificationPreference.objects.exists()


@pytest.mark.django_db
def test_issue17_demo_has_twelve_organisations_eight_training_providers_with_offers():
    from commonroom.organisations.models import Organisation, TrainingOffer

    call_command("demo_data", "--if-empty", "--quiet")
    public = Organisation.objects.public()
    assert public.count() == 12
    assert public.filter(kind="training_provider").count() == 8
    assert len(set(public.values_list("province__slug", flat=True))) == 6
    offers = TrainingOffer.objects.public()
    assert offers.count() == 19
    assert set(offers.values_list("organisation__name", flat=True)) == set(
        public.filter(kind="training_provider").values_list("name", flat=True)
    )
    assert Organisation.objects.filter(state="submitted").count() == 1
    assert Organisation.objects.filter(state="rejected").count() == 1
