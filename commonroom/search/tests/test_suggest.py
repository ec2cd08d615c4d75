"""R2: "Did you mean" for typing errors, and suggestions while typing."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from commonroom.core.scheduler import JOBS
from commonroom.resources.models import State
from commonroom.search import autocomplete
from commonroom.search.models import SearchWord
from commonroom.search.services import search_index_sync
from commonroom.search.suggest import did_you_mean, search_words_refresh, similarity
from commonroom.search.tests.conftest import make

pytestmark = pytest.mark.django_db
SEARCH = reverse("search:search")
SUGGEST = reverse("search:suggest")
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def words(corpus):
    search_words_refresh()
    return corpus


# --- the vocabulary --------------------------------------------------------------------


def test_r2_the_vocabulary_counts_documents_per_folded_word(words):
    counts = dict(SearchWord.objects.values_list("word", "documents"))
    # "Fietsen in het verkeer" has the keyword "fiets"; "Mijn fiets" its title.
    assert counts["fiets"] == 2
    assert counts["financiele"] == 2  # accents folded; title of one, description of another
    assert counts["photosynthesis"] == 1
    # Hidden resources are not indexed, so their words are not suggested.
    assert "hidden" not in counts
    # Short words and numbers are left out.
    assert "in" not in counts
    assert all(len(w) >= 3 and not w.isdigit() for w in counts)


def test_r2_a_refresh_follows_the_index_and_writes_only_changes(words):
    photosynthesis = words["Photosynthesis explained"]
    photosynthesis.state = State.WITHDRAWN
    photosynthesis.save()
    search_index_sync(kind="resource", object_id=photosynthesis.pk)
    make(title="Fietsroutes", description="Een fiets kaart.")
    fiets = SearchWord.objects.get(word="fiets")
    search_words_refresh()
    counts = dict(SearchWord.objects.values_list("word", "documents"))
    assert "photosynthesis" not in counts
    assert counts["fietsroutes"] == 1
    assert counts["fiets"] == 3
    assert SearchWord.objects.get(word="fiets").pk == fiets.pk  # updated in place
    before = set(SearchWord.objects.values_list("pk", "word", "documents"))
    assert search_words_refresh() == len(before)
    assert set(SearchWord.objects.values_list("pk", "word", "documents")) == before


def test_r2_the_refresh_is_an_hourly_job():
    job = next(j for j in JOBS if j.name == "search_words_refresh")
    assert job.every == timedelta(hours=1)
    assert job.task == "commonroom.search.tasks.search_words_refresh"
    from commonroom.search.tasks import search_words_refresh as task

    assert task.call() == 0  # an empty index


# --- did you mean ----------------------------------------------------------------------


def test_r2_trigram_similarity_is_pg_trgm_similarity(db):
    assert similarity("fietsn", "fiets") == pytest.approx(5 / 8)
    assert similarity("fietsn", "fietsen") == pytest.approx(5 / 10)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT similarity('fietsn', 'fiets'), similarity('fotosyntesis', 'photosynthesis')"
            )
            assert cursor.fetchone() == pytest.approx(
                (similarity("fietsn", "fiets"), similarity("fotosyntesis", "photosynthesis"))
            )


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("fietsn", "fiets"),
        ("fotosyntesis", "photosynthesis"),
        ("Finanicele geletterdheid", "financiele geletterdheid"),
        ('"fietsn verkeer" -pizaa', '"fiets verkeer" -pizza'),
        ("fractoins pizza", "fractions pizza"),
    ],
)
def test_r2_misspelt_words_are_corrected_keeping_the_syntax(words, typed, expected):
    assert did_you_mean(typed) == expected


@pytest.mark.parametrize(
    "typed",
    [
        "fiets",
        "photosynthesis",
        "fietsen",
        "pizza fractions",
        "zzzzqqq",
        "fietsn*",
        "",
        "ab",
        "12345",
    ],
)
def test_r2_known_words_prefixes_and_nonsense_get_no_correction(words, typed):
    assert did_you_mean(typed) is None


def test_r2_a_word_of_the_same_stem_is_no_correction(words):
    # "fietse" is not in the vocabulary, but searches for "fiet" as "fietsen" does.
    assert did_you_mean("fietse") is None


def test_r2_did_you_mean_costs_at_most_two_queries(words, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert did_you_mean("ab 12345 fi*") is None
    with django_assert_num_queries(1):  # the words known as typed
        assert did_you_mean("fiets pizza") is None
    with django_assert_num_queries(2):  # then the candidates of the others
        assert did_you_mean("fiets piza fotosyntesis") == "fiets pizza photosynthesis"


def test_r2_typo_gets_did_you_mean(client: Client, words):
    html = client.get(SEARCH, {"q": "fietsn"}).content.decode()
    assert "0 resources found" in html
    assert 'Did you mean: <a href="?q=fiets">fiets</a>?' in html


def test_r2_did_you_mean_keeps_the_filters(client: Client, words):
    html = client.get(
        SEARCH, {"q": "fotosyntesis", "level": "secondary", "page": "2"}
    ).content.decode()
    assert (
        'Did you mean: <a href="?q=photosynthesis&amp;level=secondary">photosynthesis</a>?' in html
    )
    response = client.get(SEARCH, {"q": "photosynthesis", "level": "secondary"})
    assert "1 resource found" in response.content.decode()


def test_r2_a_correct_word_gets_no_did_you_mean(client: Client, words):
    html = client.get(SEARCH, {"q": "fiets"}).content.decode()
    assert "2 resources found" in html
    assert "Did you mean" not in html


def test_r2_did_you_mean_in_dutch(client: Client, words):
    html = client.get(SEARCH, {"q": "fietsn"}, HTTP_ACCEPT_LANGUAGE="nl").content.decode()
    assert 'Bedoelde je: <a href="?q=fiets">fiets</a>?' in html


def test_r2_no_did_you_mean_before_the_vocabulary_is_built(client: Client, corpus):
    html = client.get(SEARCH, {"q": "fietsn"}).content.decode()
    assert "Did you mean" not in html


# --- autocomplete ----------------------------------------------------------------------


def test_r2_autocomplete_returns_matching_titles_for_a_prefix(client: Client, words):
    response = client.get(SUGGEST, {"q": "fiet"}, **HTMX)
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html
    mijn = words["Mijn fiets"]
    verkeer = words["Fietsen in het verkeer"]
    assert f'<a href="{mijn.get_absolute_url()}">Mijn <mark>fiets</mark></a>' in html
    assert f'<a href="{verkeer.get_absolute_url()}"><mark>Fietsen</mark> in het verkeer</a>' in html
    assert '<a href="/search/?q=fiets"><mark>fiets</mark></a>' in html  # the keyword
    assert "Hidden" not in html
    assert html.count("<li") == 3


def test_r2_autocomplete_matches_words_inside_titles_and_two_letters(client: Client, words):
    html = client.get(SUGGEST, {"q": "explai"}, **HTMX).content.decode()
    assert "Photosynthesis <mark>explained</mark>" in html
    html = client.get(SUGGEST, {"q": "FI"}, **HTMX).content.decode()
    assert "<mark>Financiële</mark> geletterdheid" in html
    assert "Mijn <mark>fiets</mark>" in html
    html = client.get(SUGGEST, {"q": "learning fr"}, **HTMX).content.decode()
    assert "<mark>Learning</mark> <mark>fractions</mark>" in html
    assert "Budget" not in html


def test_r2_autocomplete_orders_by_saves(words):
    from commonroom.library.tests.factories import SavedItemFactory
    from commonroom.search.services import search_quality_refresh

    mijn = words["Mijn fiets"]
    SavedItemFactory(resource=mijn)
    search_quality_refresh(kind="resource", object_id=mijn.pk)
    titles = [s.url for s in autocomplete.autocomplete("fiet") if s.kind == "resource"]
    assert titles[0] == mijn.get_absolute_url()


def test_r2_autocomplete_shows_nothing_of_hidden_resources(client: Client, words):
    make(state=State.DRAFT, title="Zeppelins verborgen", keywords=["zeppelin"])
    make(state=State.SUBMITTED, title="Zeppelins ingediend")
    html = client.get(SUGGEST, {"q": "zep"}, **HTMX).content.decode()
    assert "Zeppelin" not in html
    assert "zeppelin" not in html
    html = client.get(SUGGEST, {"q": "hidd"}, **HTMX).content.decode()
    assert html.strip() == ""


def test_r2_autocomplete_without_javascript_is_a_page(client: Client, words):
    response = client.get(SUGGEST, {"q": "fiet"})
    html = response.content.decode()
    assert response.status_code == 200
    assert html.startswith("<!DOCTYPE html>")
    assert "Mijn <mark>fiets</mark>" in html
    assert f'href="{SEARCH}?q=fiet"' in html
    assert "HX-Request" in response["Vary"]
    html = client.get(SUGGEST, {"q": "qqqxx"}).content.decode()
    assert "No suggestions for these letters." in html


def test_r2_the_search_box_asks_for_suggestions(client: Client, words):
    html = client.get(SEARCH).content.decode()
    assert f'hx-get="{SUGGEST}"' in html
    assert 'hx-trigger="input changed delay:250ms"' in html
    assert 'hx-target="#search-suggestions"' in html
    assert '<div id="search-suggestions" class="search-suggestions" aria-live="polite">' in html


@pytest.mark.parametrize(
    "q",
    [
        "",
        "f",
        " ",
        "x" * 2000,
        "\x00",
        '"',
        "-",
        "*",
        "fi*",
        '"fi',
        "-fi",
        "NEAR(fi",
        "'; --",
        "ß",
        "🚲🚲",
    ],
)
def test_r2_bad_input_never_fails(client: Client, words, q):
    for url in (SUGGEST, SEARCH):
        assert client.get(url, {"q": q}).status_code == 200
        assert client.get(url, {"q": q}, **HTMX).status_code == 200


def test_r2_one_letter_suggests_nothing(client: Client, words):
    assert client.get(SUGGEST, {"q": "f"}, **HTMX).content.decode().strip() == ""


def test_r2_suggest_queries_are_few(client: Client, words, django_assert_max_num_queries):
    client.get(SUGGEST, {"q": "fiet"}, **HTMX)

    def searching(captured) -> list[str]:
        # Without the legal state and the rate limit's counter, read and
        # written in the database cache here (in Redis in production).
        return [
            q["sql"]
            for q in captured.captured_queries
            if "commonroom_cache" not in q["sql"] and "SAVEPOINT" not in q["sql"]
        ]

    with django_assert_max_num_queries(16) as captured:
        response = client.get(SUGGEST, {"q": "fie"}, **HTMX)
    assert "Mijn <mark>fiets</mark>" in response.content.decode()
    # The index version, the match, the titles and keywords of the best matches.
    assert len(searching(captured)) == 3
    with django_assert_max_num_queries(16) as captured:
        assert client.get(SUGGEST, {"q": "qqqxx"}, **HTMX).status_code == 200
    assert len(searching(captured)) == 2
    with django_assert_max_num_queries(16) as captured:
        assert client.get(SUGGEST, {"q": "f"}, **HTMX).status_code == 200
    assert searching(captured) == []


def test_r2_suggest_is_rate_limited(client: Client, words, settings, start_of_a_minute):
    settings.SUGGEST_RATE_LIMIT = "2/m"
    assert client.get(SUGGEST, {"q": "fiet"}, **HTMX).status_code == 200
    assert client.get(SUGGEST, {"q": "fie"}, **HTMX).status_code == 200
    response = client.get(SUGGEST, {"q": "fi"}, **HTMX)
    assert response.status_code == 429
    assert "fiets" not in response.content.decode()


@hypothesis_settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    text=st.one_of(
        st.text(max_size=600),
        st.lists(
            st.sampled_from(['"', "-", "*", "fietsn", "fiets", "piza", "fi", "ß", "é", "x" * 50]),
            max_size=20,
        ).map(" ".join),
    )
)
def test_r2_any_text_gives_a_correction_or_none(words, text):
    corrected = did_you_mean(text)
    assert corrected is None or isinstance(corrected, str)
    assert len(autocomplete.autocomplete(text)) <= autocomplete.SUGGESTIONS


def test_r2_short_prefixes_give_the_same_suggestions_from_the_most_saved(words, monkeypatch):
    from commonroom.library.tests.factories import SavedItemFactory
    from commonroom.search import memory
    from commonroom.search.services import search_quality_refresh

    for title in ("Mijn fiets", "Financiële geletterdheid"):
        SavedItemFactory(resource=words[title])
        search_quality_refresh(kind="resource", object_id=words[title].pk)

    def suggested(*, probe: int, documents: int) -> list[str]:
        monkeypatch.setattr(autocomplete, "PROBE", probe)
        monkeypatch.setattr(autocomplete, "AUTOCOMPLETE_DOCUMENTS", documents)
        memory.forget()  # and the answers kept with it
        return [s.url for s in autocomplete.autocomplete("fi")]

    # PostgreSQL first looks among the PROBE most saved documents (here the
    # two saved ones): enough of them match, or it looks among all.
    best_two = suggested(probe=1_000, documents=2)
    saved = {words[t].get_absolute_url() for t in ("Mijn fiets", "Financiële geletterdheid")}
    assert set(best_two) == saved
    assert suggested(probe=2, documents=2) == best_two
    assert suggested(probe=2, documents=40) == suggested(probe=1_000, documents=40)
