"""R20: rate limits and the near-duplicate check."""

import os
import socket
import subprocess
import sys
import uuid
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from commonroom.core import antispam
from commonroom.core.models import PostFingerprint

ROOT = Path(__file__).resolve().parents[3]


def test_r20_normalise_ignores_case_punctuation_accents_and_spacing():
    assert (
        antispam.normalise("  Great   RESOURCE!!! Thanks, Élise… ") == "great resource thanks elise"
    )


@pytest.mark.django_db
def test_r20_a_near_duplicate_reaction_is_refused(member):
    antispam.check_post(member=member, kind="reaction", text="Great worksheet, thank you!")
    antispam.record_post(member=member, kind="reaction", text="Great worksheet, thank you!")
    with pytest.raises(ValidationError) as error:
        antispam.check_post(member=member, kind="reaction", text="great worksheet thank you")
    assert error.value.code == "duplicate"
    assert PostFingerprint.objects.filter(member=member).count() == 1


@pytest.mark.django_db
def test_r20_a_message_may_go_to_two_people_but_not_a_third(member):
    text = "Buy our new planner at planner.example"
    for _ in range(2):
        antispam.check_post(member=member, kind="message", text=text)
        antispam.record_post(member=member, kind="message", text=text)
    with pytest.raises(ValidationError) as error:
        antispam.check_post(member=member, kind="message", text=text)
    assert error.value.code == "duplicate"


@pytest.mark.django_db
def test_r20_rate_limit_is_lower_for_new_accounts(member, settings):
    settings.POST_RATE_LIMITS = {**settings.POST_RATE_LIMITS, "reaction": "3/m"}
    settings.NEW_ACCOUNT_RATE_LIMITS = {**settings.NEW_ACCOUNT_RATE_LIMITS, "reaction": "1/m"}
    member.date_joined = timezone.now() - timedelta(days=30)
    assert [antispam.rate_limit_hit(member=member, kind="reaction") for _ in range(4)] == [
        False,
        False,
        False,
        True,
    ]
    newcomer = type("New", (), {"pk": "new-" + uuid.uuid4().hex, "date_joined": timezone.now()})()
    assert [antispam.rate_limit_hit(member=newcomer, kind="reaction") for _ in range(2)] == [
        False,
        True,
    ]


@pytest.mark.django_db
def test_r20_links_from_new_accounts_are_held(member):
    member.date_joined = timezone.now()
    check = antispam.check_post(member=member, kind="reaction", text="see www.shop.example")
    assert check.held_for_review
    from commonroom.accounts.tests.factories import MemberFactory

    old = MemberFactory(date_joined=timezone.now() - timedelta(days=60))
    check = antispam.check_post(member=old, kind="reaction", text="see https://a.example")
    assert not check.held_for_review


def _redis_answers() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=1):
            return True
    except OSError:
        return False


COUNTER = """
import os, django
os.environ["DJANGO_SETTINGS_MODULE"] = "commonroom.settings"
django.setup()
from commonroom.core.antispam import rate_limit_hit
member = type("M", (), {"pk": os.environ["MEMBER_KEY"], "date_joined": None})()
print(sum(0 if rate_limit_hit(member=member, kind="reaction") else 1 for _ in range(15)))
"""


def test_r20_the_rate_limit_holds_across_two_processes_sharing_redis():
    if not _redis_answers():
        pytest.skip("no Redis answers at 127.0.0.1:6379; this test needs one to share counters")
    env = {
        **os.environ,
        "REDIS_URL": "redis://127.0.0.1:6379/13",
        "RATE_LIMIT_REACTION": "20/h",
        "MEMBER_KEY": "twoprocs-" + uuid.uuid4().hex,
        "DEBUG": "true",
    }
    processes = [
        subprocess.Popen(  # noqa: S603 -- our own interpreter and code
            [sys.executable, "-c", COUNTER],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    allowed = []
    for process in processes:
        out, err = process.communicate(timeout=60)
        assert process.returncode == 0, err
        allowed.append(int(out.strip().splitlines()[-1]))
    assert sum(allowed) == 20  # 30 attempts in two processes, one shared limit
