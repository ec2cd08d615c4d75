"""Issue 18: organisations and training offers through the API: only
verified organisations and the active offers of verified providers."""

from __future__ import annotations

import pytest
from django.test import Client

from commonroom.moderation.lifecycle import State
from commonroom.organisations.tests.factories import offer, organisation

pytestmark = pytest.mark.django_db


def test_issue18_proposals_and_excluded_organisations_stay_out_of_the_api():
    verified = organisation(name="Leerpunt")
    proposal = organisation(name="Nieuw", state=State.SUBMITTED)
    excluded = organisation(name="Weg", state=State.REMOVED)
    listed = Client().get("/api/v1/organisations").json()
    assert [o["id"] for o in listed["items"]] == [verified.pk]
    assert Client().get(f"/api/v1/organisations/{proposal.pk}").status_code == 404
    shown = offer(verified)
    gone = offer(excluded)
    offers = Client().get("/api/v1/training-offers").json()
    assert [o["id"] for o in offers["items"]] == [shown.pk]
    assert Client().get(f"/api/v1/training-offers/{gone.pk}").status_code == 404


def test_issue18_the_lists_cost_two_queries_per_page(django_assert_num_queries):
    provider = organisation()
    offer(provider)
    Client().get("/api/v1/organisations")  # the site's state is cached by the first request
    with django_assert_num_queries(2):
        Client().get("/api/v1/organisations")
    with django_assert_num_queries(2):
        Client().get("/api/v1/training-offers")
    for i in range(3):
        offer(organisation(name=f"Vorming {i}"))
    with django_assert_num_queries(2):
        Client().get("/api/v1/organisations")
    with django_assert_num_queries(2):
        Client().get("/api/v1/training-offers")
