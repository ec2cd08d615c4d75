import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from commonroom.accounts.tests.factories import MemberFactory


def queries_for(client: Client, url: str) -> int:
    """Queries of a second visit, once session and content types are warm."""
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.fixture
def other(db):
    return MemberFactory(first_name="Bram", last_name="Claes")


@pytest.fixture
def other_client(other) -> Client:
    client = Client()
    client.force_login(other)
    return client
