"""Shared test setup: a fast password hasher, factories and signed-in clients."""

import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

TEMP_ROOT = pytest.StashKey[Path]()


def pytest_configure(config: pytest.Config) -> None:
    # Argon2 takes ~50 ms a hash; tests hash thousands of passwords.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # The files' folders are the test process's own (tests/settings.py).
    config.stash[TEMP_ROOT] = Path(settings.TEST_FILES_ROOT)
    # Assertions read English messages; Dutch is tested by asking for it.
    settings.LANGUAGE_CODE = "en"


def pytest_unconfigure(config: pytest.Config) -> None:
    root = config.stash.get(TEMP_ROOT, None)
    if root is not None:
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture
def member(db):
    from commonroom.accounts.tests.factories import MemberFactory

    return MemberFactory()


@pytest.fixture
def staff(db):
    from commonroom.accounts.tests.factories import StaffFactory

    return StaffFactory()


@pytest.fixture
def member_client(member) -> Client:
    client = Client()
    client.force_login(member)
    return client


@pytest.fixture
def staff_client(staff) -> Client:
    client = Client()
    client.force_login(staff)
    return client


@pytest.fixture
def seeded(transactional_db) -> None:
    """Transactional tests flush the database; put back what migrations load."""
    from django.apps import apps
    from django.contrib.auth.models import Group
    from django.core.cache import cache

    from commonroom.accounts.roles import ALL_ROLES
    from commonroom.legal.models import LegalDocument
    from commonroom.legal.seed import seed_documents
    from commonroom.moderation.criteria import seed_criteria
    from commonroom.taxonomy.loading import load_taxonomy

    load_taxonomy(lambda name: apps.get_model("taxonomy", name))
    seed_documents(LegalDocument)
    seed_criteria(apps.get_model("moderation", "Criterion"))
    for role in ALL_ROLES:
        Group.objects.get_or_create(name=role)
    cache.clear()


@pytest.fixture(autouse=True)
def _english() -> object:
    """Code run outside a request speaks the default language; tests read English."""
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def _fresh_search_memory() -> object:
    """Each test's database rolls back, so no test may see the in-memory
    search index (and its cached vocabulary), or the vocabularies' copies
    (taxonomy.selectors.terms_by_id), of another."""
    from commonroom.search import memory, term_weights
    from commonroom.taxonomy.selectors import terms_forget

    memory.forget()
    term_weights.forget()
    from django.core.cache import caches

    from commonroom.core.fragments import FRAGMENT_CACHE

    terms_forget()  # the vocabularies' per-process copies too
    caches[FRAGMENT_CACHE].clear()  # and the rendered panels (core.fragments)
    yield
    memory.forget()
    term_weights.forget()
    terms_forget()


@pytest.fixture(autouse=True)
def _empty_counters() -> object:
    """Views and searches counted by one test (core.counters, held in the
    test process until flushed) never reach another test's database."""
    from commonroom.core import counters

    counters.discard_local()
    yield
    counters.discard_local()


@pytest.fixture
def start_of_a_minute(time_machine) -> None:
    """A stopped clock one second into the next minute: rate limits count
    per clock minute, and a slow run must not cross into the next one."""
    from datetime import UTC, datetime, timedelta

    now = datetime.now(tz=UTC)
    time_machine.move_to(now.replace(second=1, microsecond=0) + timedelta(minutes=1), tick=False)
