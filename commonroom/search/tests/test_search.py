"""Search results on the fixed corpus, on whichever database the suite runs."""

import pytest
from django.db import connection

from commonroom.search.backends import get_backend
from commonroom.search.facets import Filters
from commonroom.search.selectors import search_documents
from commonroom.taxonomy.models import EducationLevel, Language, Licence, ResourceKind, Subject

pytestmark = pytest.mark.django_db


def titles(text: str = "", filters: Filters | None = None, sort: str = "") -> list[str]:
    result = search_documents(text=text, filters=filters or Filters(), sort=sort, page_size=50)
    assert result.total == len(result.hits)
    return [hit.object.title for hit in result.hits]


def ids(model, *slugs):
    return tuple(sorted(model.objects.filter(slug__in=slugs).values_list("pk", flat=True)))


def test_the_engine_follows_the_database():
    assert get_backend().vendor == connection.vendor


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("fietsen", {"Fietsen in het verkeer", "Mijn fiets"}),
        ("fiets", {"Fietsen in het verkeer", "Mijn fiets"}),
        ("learning", {"Learning fractions", "Budget planning"}),
        ("learn", {"Learning fractions", "Budget planning"}),
        ("financiële", {"Financiële geletterdheid", "Budget planning"}),
        ("FINANCIELE", {"Financiële geletterdheid", "Budget planning"}),
        ('"naar school"', {"Fietsen in het verkeer"}),
        ('"school naar"', set()),
        ("fiets -verkeer", {"Mijn fiets"}),
        ('fiets -"hele klas"', {"Mijn fiets"}),
        ("fract*", {"Learning fractions"}),
        ("photo*", {"Photosynthesis explained"}),
        ("chlorophyll", {"Photosynthesis explained"}),
        ("pizza fractions", {"Learning fractions"}),
        ("pizza plants", set()),
    ],
)
def test_matching(corpus, text, expected):
    assert set(titles(text)) == expected


def test_only_exclusions_leave_everything_else(corpus):
    assert set(titles("-fiets")) == set(corpus) - {"Fietsen in het verkeer", "Mijn fiets"}


def test_pending_rejected_removed_and_withdrawn_never_appear(corpus):
    assert set(titles()) == set(corpus)
    assert not any("Hidden" in t for t in titles("fiets pizza fractions plants"))


def test_title_outranks_description(corpus):
    assert titles("learning") == ["Learning fractions", "Budget planning"]


def test_tree_facets_count_a_parent_once_per_document(corpus):
    result = search_documents(text="", filters=Filters())
    subjects = result.counts["subject"]
    science = Subject.objects.get(slug="science-technology").pk
    physics, biology = ids(Subject, "physics")[0], ids(Subject, "biology")[0]
    assert subjects[physics] == 2
    assert subjects[biology] == 2
    assert subjects[science] == 4  # physics + biology, "Budget planning" counted once
    levels = result.counts["level"]
    assert levels[EducationLevel.objects.get(slug="primary").pk] == 3
    assert levels[EducationLevel.objects.get(slug="secondary").pk] == 3


def test_a_parent_filter_includes_its_children(corpus):
    science = ids(Subject, "science-technology")
    assert set(titles(filters=Filters(values={"subject": science}))) == {
        "Fietsen in het verkeer",
        "Mijn fiets",
        "Budget planning",
        "Photosynthesis explained",
    }


def test_counts_equal_the_matches_and_are_disjunctive(corpus):
    english = ids(Language, "en")
    filters = Filters(values={"language": english})
    result = search_documents(text="", filters=filters)
    assert result.total == 3
    # The language facet ignores its own filter: ticking Dutch would add 3.
    assert result.counts["language"] == {english[0]: 3, ids(Language, "nl")[0]: 3}
    # Other facets count within the English documents only.
    assert sum(result.counts["kind"].values()) == 3
    assert result.counts["kind"][ids(ResourceKind, "lesson-plan")[0]] == 1
    licences = result.counts["licence"]
    assert licences == {ids(Licence, "cc-by-4.0")[0]: 2, ids(Licence, "cc-by-nd-4.0")[0]: 1}
    assert result.counts["allows"] == {"adaptation": 2, "commercial": 3}


@pytest.mark.parametrize("text", ["", "fiets", "learning -pizza"])
def test_every_facet_count_is_the_number_of_documents_it_would_show(corpus, text):
    result = search_documents(text=text, filters=Filters())
    checked = 0
    for name in ("subject", "level", "kind", "language", "licence"):
        for value, count in result.counts[name].items():
            assert len(titles(text, Filters(values={name: (value,)}))) == count
            checked += 1
    assert checked >= 5


def test_allows_filters(corpus):
    assert set(titles(filters=Filters(values={"allows": ("adaptation", "commercial")}))) == {
        "Fietsen in het verkeer",
        "Budget planning",
        "Photosynthesis explained",
        "Financiële geletterdheid",
    }


@pytest.mark.parametrize(
    ("sort", "first"),
    [("newest", "Photosynthesis explained"), ("relevance", "Learning fractions")],
)
def test_sorting(corpus, sort, first):
    assert titles("learning fractions" if sort == "relevance" else "", sort=sort)[0] == first


def test_a_page_beyond_the_end_shows_the_last_page(corpus):
    result = search_documents(text="", filters=Filters(), page=10_000, page_size=4)
    assert (result.page, result.num_pages, len(result.hits)) == (2, 2, 2)
    assert result.messages == ["There is no page 10000; this is the last page, 2."]


def test_snippets_mark_the_original_words(corpus):
    result = search_documents(text="fietsen", filters=Filters(), sort="newest")
    hit = next(h for h in result.hits if h.object.title == "Mijn fiets")
    assert str(hit.title) == "Mijn <mark>fiets</mark>"
    assert "<mark>fiets</mark>." in str(hit.snippet)


def test_r2_curriculum_goal_is_a_facet_with_counts_and_a_filter():
    from commonroom.search.forms import Vocabulary
    from commonroom.search.services import search_index_sync
    from commonroom.search.tests.conftest import make
    from commonroom.taxonomy.models import CurriculumFramework, CurriculumGoal

    framework = CurriculumFramework.objects.first() or CurriculumFramework.objects.create(
        slug="test-framework", label_nl="Kader", label_en="Framework"
    )
    goal = CurriculumGoal.objects.create(
        framework=framework, code="ZZ-1", label_nl="Getijden", label_en="Tides"
    )
    with_goal = make(title="Eb en vloed")
    with_goal.curriculum_goals.add(goal)
    search_index_sync(kind="resource", object_id=with_goal.pk)
    make(title="Eb zonder doel")
    result = search_documents(text="eb", filters=Filters())
    assert result.total == 2
    assert result.counts["goal"] == {goal.pk: 1}
    from django.http import QueryDict

    filters = Vocabulary.load().filters(QueryDict(f"goal={goal.pk}"))
    assert titles("eb", filters) == ["Eb en vloed"]


def test_r2_a_phrase_never_spans_two_fields():
    from commonroom.search.tests.conftest import make

    make(title="Werkblad over eb", keywords=["vloed"], description="Kust.", body="Zee.")
    make(title="Eb en vloed", description="Kust.")
    assert titles('"eb vloed"') == []
    assert titles('"eb en vloed"') == ["Eb en vloed"]
    assert set(titles("eb vloed")) == {"Werkblad over eb", "Eb en vloed"}
    assert titles('"kust zee"') == []
