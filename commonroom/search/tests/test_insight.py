"""Search insight for staff (weekly counts, nothing about who searched)."""

from datetime import date, timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from commonroom.core import counters
from commonroom.search.insight import (
    insight_weeks,
    normalise_query,
    query_stat_record,
    week_of,
)
from commonroom.search.models import QueryStat

pytestmark = pytest.mark.django_db
SEARCH = reverse("search:search")
INSIGHT = reverse("search:insight")


# --- insight -----------------------------------------------------------------------


def test_the_counter_holds_nothing_that_identifies_a_searcher():
    fields = {f.name for f in QueryStat._meta.get_fields()}
    assert fields == {"id", "week", "query", "searches", "zero_results"}
    assert QueryStat._meta.get_field("query").max_length == 200


def test_searches_are_counted_per_week_folded_and_zero_results_apart(
    client: Client, member_client: Client, corpus
):
    member_client.get(SEARCH, {"q": "Fiets"})
    client.get(SEARCH, {"q": "  FIETS  "})
    client.get(SEARCH, {"q": "fiets", "level": "primary", "sort": "newest"})
    client.get(SEARCH, {"q": "fiets", "page": "2"})  # paging on: the same search
    client.get(SEARCH, {"q": "Financiële  geletterdheid"})
    client.get(SEARCH, {"q": "zzzqqq"})
    client.get(SEARCH, {"q": "ZZZQQQ"})
    client.get(SEARCH, {"q": "   "})  # empty: not counted
    client.get(SEARCH)
    assert not QueryStat.objects.exists()  # counted in the buffer, not written (issue 15)
    counters.flush()
    week = week_of(timezone.now())
    assert week.weekday() == 0
    rows = {s.query: (s.searches, s.zero_results) for s in QueryStat.objects.filter(week=week)}
    assert rows == {"fiets": (3, 0), "financiele geletterdheid": (1, 0), "zzzqqq": (2, 2)}


def test_normalising_and_the_week():
    assert normalise_query("  Één   TWEE\tdrie ") == "een twee drie"
    assert len(normalise_query("x" * 2000)) == 200
    assert normalise_query("\n ") == ""
    assert normalise_query("a\x00b\x1fc") == "a b c"
    assert week_of(date(2026, 11, 29)) == date(2026, 11, 23)  # a Sunday
    assert week_of(date(2026, 11, 23)) == date(2026, 11, 23)


def test_counts_add_up_under_repeated_recording():
    now = timezone.now()
    for found in (0, 3, 0, 1, 0):
        query_stat_record(text="Breuken", found=found, now=now)
    query_stat_record(text="breuken", found=0, now=now - timedelta(weeks=1))
    counters.flush()
    stats = QueryStat.objects.order_by("week")
    assert [(s.query, s.searches, s.zero_results) for s in stats] == [
        ("breuken", 1, 1),
        ("breuken", 5, 3),
    ]


def test_insight_shows_eight_weeks_top_twenty_and_what_found_nothing():
    today = timezone.localdate()
    this_week = week_of(today)
    for n in range(25):
        QueryStat.objects.create(week=this_week, query=f"query {n:02d}", searches=100 - n)
    QueryStat.objects.create(week=this_week, query="nothing here", searches=1, zero_results=1)
    QueryStat.objects.create(
        week=this_week - timedelta(weeks=8), query="too old", searches=500, zero_results=5
    )
    weeks = insight_weeks(today=today)
    assert [w.week for w in weeks] == [this_week - timedelta(weeks=n) for n in range(8)]
    assert [s.query for s in weeks[0].top] == [f"query {n:02d}" for n in range(20)]
    assert [s.query for s in weeks[0].missed] == ["nothing here"]
    assert weeks[0].searches == sum(100 - n for n in range(25)) + 1
    assert all(not w.top for w in weeks[1:])


def test_insight_page_is_for_staff_only(client: Client, member_client: Client, staff_client):
    QueryStat.objects.create(week=week_of(timezone.now()), query="breuken", searches=3)
    QueryStat.objects.create(
        week=week_of(timezone.now()), query="kwantumfysica", searches=2, zero_results=2
    )
    assert client.get(INSIGHT).status_code == 302
    assert member_client.get(INSIGHT).status_code == 403
    response = staff_client.get(INSIGHT)
    html = response.content.decode()
    assert response.status_code == 200
    assert "breuken" in html
    assert "kwantumfysica" in html
    assert "Searches that found nothing" in html


def test_the_insight_page_runs_a_fixed_number_of_queries(
    staff_client, django_assert_max_num_queries
):
    staff_client.get(INSIGHT)
    for n in range(30):
        QueryStat.objects.create(week=week_of(timezone.now()), query=f"q{n}", searches=n)
    with django_assert_max_num_queries(30) as captured:
        staff_client.get(INSIGHT)
    # 8 weeks x (top, missed) + one for the totals, plus the session and user.
    assert len([q for q in captured.captured_queries if "search_querystat" in q["sql"]]) == 17
