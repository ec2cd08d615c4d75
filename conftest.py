"""Shared test setup: a fast password hasher, factories and signed-in clients."""

import pytest
from django.conf import settings
from django.test import Client


def pytest_configure(config: pytest.Config) -> None:
    # Argon2 takes ~50 ms a hash; tests hash thousands of passwords.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Assertions read English messages; Dutch is tested by asking for it.
    settings.LANGUAGE_CODE = "en"


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
