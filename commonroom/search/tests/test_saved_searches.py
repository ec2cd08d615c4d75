"""Saved searches (R12): save, list, edit, delete, run, and alerts that
reach the member as notifications and in the daily digest."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.http import QueryDict
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from commonroom.accounts.roles import MODERATORS
from commonroom.accounts.tests.factories import PASSWORD, MemberFactory
from commonroom.core.privacy import erase_all, export_all
from commonroom.core.scheduler import JOBS
from commonroom.moderation import services as moderation
from commonroom.moderation.tests.factories import ReviewFactory
from commonroom.notifications.mail import unsubscribe_url
from commonroom.notifications.models import Notification
from commonroom.notifications.services import digests_send
from commonroom.search import saved
from commonroom.search.models import SavedSearch
from commonroom.search.tests.conftest import make

pytestmark = pytest.mark.django_db
SEARCH = reverse("search:search")
LIST = reverse("search:saved")
CREATE = reverse("search:saved_create")
LATER = timedelta(days=1, minutes=1)


def save(member, params="q=fiets&level=primary", *, name="Fietsen", frequency="daily"):
    return saved.saved_search_create(
        member=member, name=name, params=QueryDict(params), frequency=frequency
    )


def client_for(member) -> Client:
    client = Client()
    assert client.login(username=member.email, password=PASSWORD)
    return client


# --- services --------------------------------------------------------------------


def test_saving_keeps_words_known_filters_and_sort(member):
    s = save(
        member,
        "q=  fiets   verkeer &level=primary&level=nope&subject=physics&allows=adaptation"
        "&allows=hacking&kind=&sort=newest&page=3",
    )
    assert s.query == "fiets verkeer"
    s = save(
        member,
        "q=%00fiets%0A%20verkeer&level=primary&level=nope&subject=physics&allows=adaptation"
        "&allows=hacking&kind=&sort=newest",
    )
    assert (s.query, s.sort, s.frequency) == ("fiets verkeer", "newest", "daily")
    assert s.filters == {"level": ["primary"], "subject": ["physics"], "allows": ["adaptation"]}
    assert s.get_search_url() == (
        f"{SEARCH}?q=fiets+verkeer&allows=adaptation&level=primary&subject=physics&sort=newest"
    )
    assert s.last_checked_at
    assert s.last_seen_published_at


def test_a_name_is_required_and_unknown_frequencies_refused(member):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        save(member, name="   ")
    with pytest.raises(ValidationError):
        save(member, frequency="hourly")
    assert not SavedSearch.objects.exists()


def test_only_the_owner_changes_or_deletes(member):
    s = save(member)
    other = MemberFactory()
    with pytest.raises(PermissionDenied):
        saved.saved_search_update(saved_search=s, by=other, name="Mine", frequency="none")
    with pytest.raises(PermissionDenied):
        saved.saved_search_delete(saved_search=s, by=other)
    s.refresh_from_db()
    assert (s.name, s.frequency) == ("Fietsen", "daily")


def test_there_is_a_limit_per_member(member, monkeypatch):
    from django.core.exceptions import ValidationError

    monkeypatch.setattr(saved, "MAX_SAVED_SEARCHES", 2)
    save(member)
    save(member)
    with pytest.raises(ValidationError):
        save(member)


# --- pages -----------------------------------------------------------------------


def test_members_see_the_save_form_with_the_current_search_visitors_do_not(
    client: Client, member_client: Client, corpus
):
    html = member_client.get(SEARCH, {"q": "fiets", "level": "primary", "page": "2"}).content
    page = html.decode()
    assert f'action="{CREATE}"' in page
    assert 'value="q=fiets&amp;level=primary"' in page
    assert CREATE not in client.get(SEARCH, {"q": "fiets"}).content.decode()


def test_save_list_run_edit_and_delete_through_the_pages(member, member_client: Client, corpus):
    response = member_client.post(
        CREATE, {"name": "Bikes", "frequency": "weekly", "params": "q=fiets&level=primary"}
    )
    s = SavedSearch.objects.get(member=member)
    assert response.status_code == 302
    assert response["Location"] == s.get_search_url() == f"{SEARCH}?q=fiets&level=primary"
    html = member_client.get(LIST).content.decode()
    assert "Bikes" in html
    assert "Weekly" in html
    assert "Primary education" in html
    assert f'href="{SEARCH}?q=fiets&amp;level=primary"' in html
    # Running it is the search page with its parameters.
    assert "2 resources found" in member_client.get(s.get_search_url()).content.decode()

    edit = reverse("search:saved_edit", args=[s.pk])
    assert member_client.get(edit).status_code == 200
    response = member_client.post(edit, {"name": "Fietsen", "frequency": "none"})
    assert response.status_code == 302
    s.refresh_from_db()
    assert (s.name, s.frequency) == ("Fietsen", "none")
    response = member_client.post(reverse("search:saved_delete", args=[s.pk]))
    assert response.status_code == 302
    assert not SavedSearch.objects.exists()


def test_an_invalid_save_shows_the_form_again(member_client: Client):
    response = member_client.post(CREATE, {"name": "", "frequency": "daily", "params": "q=x"})
    assert response.status_code == 400
    assert not SavedSearch.objects.exists()


def test_other_members_get_403_and_change_nothing(member):
    s = save(member)
    other = client_for(MemberFactory())
    edit = reverse("search:saved_edit", args=[s.pk])
    assert other.get(edit).status_code == 403
    assert other.post(edit, {"name": "Mine", "frequency": "none"}).status_code == 403
    assert other.post(reverse("search:saved_delete", args=[s.pk])).status_code == 403
    assert "Fietsen" not in other.get(LIST).content.decode()
    s.refresh_from_db()
    assert (s.name, s.frequency) == ("Fietsen", "daily")


def test_visitors_are_sent_to_sign_in(client: Client, member):
    s = save(member)
    for url in (LIST, reverse("search:saved_edit", args=[s.pk])):
        assert client.get(url).status_code == 302
    assert client.post(CREATE, {"name": "x", "frequency": "daily"}).status_code == 302
    assert SavedSearch.objects.count() == 1


# --- alerts ------------------------------------------------------------------------


def publish_through_moderation(django_capture_on_commit_callbacks, **fields):
    moderator = MemberFactory()
    moderator.groups.add(Group.objects.get(name=MODERATORS))
    review = ReviewFactory(resource__levels=["primary-1"], **fields)
    with django_capture_on_commit_callbacks(execute=True):
        moderation.review_decide(review=review, by=moderator, action="publish")
    return review.target


def test_a_new_match_reaches_the_daily_digest_with_an_unsubscribe_link(
    member, corpus, django_capture_on_commit_callbacks
):
    s = save(member)  # "fiets" at primary level: two resources match already
    resource = publish_through_moderation(
        django_capture_on_commit_callbacks,
        resource__title="Fietsenstalling bouwen",
        resource__description="Een fiets parkeren.",
    )
    mail.outbox.clear()  # the author heard of the decision
    with django_capture_on_commit_callbacks(execute=True):
        assert saved.saved_search_alerts(now=timezone.now() + LATER) == 1
    notification = Notification.objects.get(recipient=member, kind="saved_search")
    assert notification.url == s.get_search_url()
    assert "Fietsenstalling bouwen" in notification.title
    assert notification.body == "- Fietsenstalling bouwen"
    assert "“Fietsen”" in notification.title
    assert notification.digest_pending  # daily digest is the default for this kind
    assert mail.outbox == []
    with django_capture_on_commit_callbacks(execute=True):
        assert digests_send() == 1
    assert len(mail.outbox) == 1
    body = mail.outbox[0].body
    assert resource.title in body
    assert f"{settings.SITE_URL}{s.get_search_url()}" in body
    assert unsubscribe_url(member, "saved_search") in body
    assert mail.outbox[0].extra_headers["List-Unsubscribe"].startswith("<http")
    assert "Mijn fiets" not in body  # known before the search was saved


def test_alerts_come_in_the_members_language(corpus, django_capture_on_commit_callbacks):
    dutch = MemberFactory(language="nl")
    save(dutch, "q=fiets")
    publish_through_moderation(
        django_capture_on_commit_callbacks,
        resource__title="Fietsen op school",
        resource__description="",
    )
    saved.saved_search_alerts(now=timezone.now() + LATER)
    title = Notification.objects.get(recipient=dutch, kind="saved_search").title
    assert "Fietsen op school" in title
    assert title == "1 nieuw resultaat voor je zoekopdracht “Fietsen”: Fietsen op school"


def test_nothing_is_checked_before_the_interval_and_nothing_reported_twice(
    member, corpus, django_capture_on_commit_callbacks
):
    daily = save(member, "q=fiets")
    weekly = save(member, "q=fiets", name="Weekly", frequency="weekly")
    off = save(member, "q=fiets", name="Off", frequency="none")
    publish_through_moderation(
        django_capture_on_commit_callbacks,
        resource__title="De fiets route",
        resource__description="",
    )
    now = timezone.now()
    assert saved.saved_search_alerts(now=now + timedelta(hours=12)) == 0
    assert saved.saved_search_alerts(now=now + LATER) == 1  # daily only
    assert saved.saved_search_alerts(now=now + LATER + timedelta(hours=1)) == 0
    assert saved.saved_search_alerts(now=now + 2 * LATER) == 0  # nothing new since
    assert saved.saved_search_alerts(now=now + timedelta(days=7, minutes=5)) == 1  # weekly
    titles = sorted(
        Notification.objects.filter(kind="saved_search").values_list("title", flat=True)
    )
    assert len(titles) == 2
    assert "Weekly" in titles[1]
    assert "Fietsen" in titles[0]
    daily.refresh_from_db()
    weekly.refresh_from_db()
    off.refresh_from_db()
    assert daily.last_checked_at
    assert daily.last_checked_at > now
    assert off.last_checked_at
    assert off.last_checked_at < now


def test_filters_restrict_the_alerts(member, corpus, django_capture_on_commit_callbacks):
    save(member, "q=fiets&level=secondary")
    publish_through_moderation(
        django_capture_on_commit_callbacks,
        resource__title="Fietsen op school",
        resource__description="",
    )
    assert saved.saved_search_alerts(now=timezone.now() + LATER) == 0
    assert not Notification.objects.filter(kind="saved_search").exists()


def test_at_most_ten_titles_and_a_count_of_the_rest(member, db):
    s = save(member, "q=getijden")
    for n in range(12):
        make(title=f"Getijden {n}")
    assert saved.saved_search_alerts(now=timezone.now() + LATER) == 1
    notification = Notification.objects.get(kind="saved_search")
    assert notification.title.startswith("12 new results for your search “Fietsen”: ")
    assert len(notification.body.splitlines()) == 11
    assert notification.body.endswith("… and 2 more.")
    s.refresh_from_db()
    assert saved.saved_search_alerts(now=timezone.now() + 2 * LATER) == 0


def test_switching_alerts_on_starts_from_then(member, db):
    s = save(member, "q=getijden", frequency="none")
    make(title="Getijden oud")
    s = saved.saved_search_update(saved_search=s, by=member, name="Tides", frequency="daily")
    assert saved.saved_search_alerts(now=timezone.now() + LATER) == 0


def test_the_alert_job_is_scheduled_hourly():
    job = next(j for j in JOBS if j.name == "saved_search_alerts")
    assert job.every == timedelta(hours=1)
    assert job.task == "commonroom.search.tasks.saved_search_alerts"
    from commonroom.search.tasks import saved_search_alerts

    assert saved_search_alerts.call() == 0


# --- personal data ---------------------------------------------------------------------


def test_saved_searches_are_exported_and_erased(member):
    save(member)
    other = save(MemberFactory())
    exported = export_all(member)["saved_searches"]
    assert [(e["name"], e["query"], e["alerts"]) for e in exported] == [
        ("Fietsen", "fiets", "daily")
    ]
    assert exported[0]["filters"] == {"level": ["primary"]}
    erase_all(member)
    assert list(SavedSearch.objects.all()) == [other]
