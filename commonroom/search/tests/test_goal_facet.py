"""Item 8: the curriculum-goal facet. A goal is listed under the key
competence it serves; choosing the key competence finds the resources of
every goal serving it."""

import io

import pytest
from django.core.management import call_command
from django.http import QueryDict
from django.test import Client
from django.urls import reverse

from commonroom.resources.models import Resource
from commonroom.search.facets import Filters, facet_counts
from commonroom.search.forms import Vocabulary
from commonroom.search.models import SearchDocument
from commonroom.search.selectors import search_documents
from commonroom.search.services import search_index_sync
from commonroom.search.tests.conftest import make
from commonroom.taxonomy.models import CurriculumGoal

pytestmark = pytest.mark.django_db
URL = reverse("search:search")


def goal(code: str) -> CurriculumGoal:
    return CurriculumGoal.objects.get(code=code)


def tagged(title: str, *codes: str) -> Resource:
    resource = make(title=title)
    resource.curriculum_goals.set(CurriculumGoal.objects.filter(code__in=codes))
    search_index_sync(kind="resource", object_id=resource.pk)
    return resource


@pytest.fixture
def goals_corpus() -> None:
    tagged("Bladgroen en licht", "1G 6.7")  # serves SC06
    tagged("Wiskunde in de keuken", "SC06")  # the key competence itself
    tagged("Breuken met pizza", "WI 1.3", "WI 1.4")  # both serve SC06
    tagged("Voorlezen in de kring", "NL 1.1")  # serves SC02
    tagged("Zonder doelen")


def titles(params: str) -> list[str]:
    filters = Vocabulary.load().filters(QueryDict(params))
    result = search_documents(text="", filters=filters, sort="newest")
    return sorted(hit.object.title for hit in result.hits)


def test_item8_a_key_competence_counts_each_resource_of_its_goals_once(goals_corpus):
    result = search_documents(text="", filters=Filters())
    assert result.counts["goal"] == {
        goal("SC06").pk: 3,
        goal("1G 6.7").pk: 1,
        goal("WI 1.3").pk: 1,
        goal("WI 1.4").pk: 1,
        goal("SC02").pk: 1,
        goal("NL 1.1").pk: 1,
    }
    # The SQL reference counts the same.
    assert facet_counts(SearchDocument.objects.all(), Filters())["goal"] == result.counts["goal"]


def test_item8_choosing_a_key_competence_finds_the_resources_of_its_goals(goals_corpus):
    assert titles(f"goal={goal('SC06').pk}") == [
        "Bladgroen en licht", "Breuken met pizza", "Wiskunde in de keuken",
    ]  # fmt: skip
    assert titles(f"goal={goal('WI 1.4').pk}") == ["Breuken met pizza"]
    # Values of one facet are alternatives.
    assert titles(f"goal={goal('1G 6.7').pk}&goal={goal('SC02').pk}") == [
        "Bladgroen en licht", "Voorlezen in de kring",
    ]  # fmt: skip
    # Counts under a chosen goal: the other facets are filtered, this one is not.
    filters = Vocabulary.load().filters(QueryDict(f"goal={goal('NL 1.1').pk}"))
    result = search_documents(text="", filters=filters)
    assert result.counts["goal"][goal("SC06").pk] == 3
    assert facet_counts(SearchDocument.objects.all(), filters) == result.counts


def test_item8_the_search_page_lists_goals_under_their_key_competence(client: Client, goals_corpus):
    sc06, pizza = goal("SC06"), goal("WI 1.3")
    html = client.get(URL, {"goal": str(sc06.pk)}).content.decode()
    assert "3 resources found" in html
    assert "<legend>Curriculum goal</legend>" in html
    # Under it its goals, in framework order (primary before secondary).
    assert (
        f'<li><label><input type="checkbox" name="goal" value="{sc06.pk}" checked> '
        'SC06 Mathematics, science and technology <span class="facet-count">(3)</span></label>'
        f'<ul><li><label><input type="checkbox" name="goal" value="{pizza.pk}"> WI 1.3 Pupils '
        "describe and use fractions as part of a whole and as part of a quantity. "
        '<span class="facet-count">(1)</span></label></li>'
        f'<li><label><input type="checkbox" name="goal" value="{goal("WI 1.4").pk}"> WI 1.4 '
    ) in html
    assert html.index("> WI 1.4 ") < html.index("> 1G 6.7 ")
    assert "<summary>Filters (1)</summary>" in html
    # Nothing chosen: only the key competences, each with its count.
    html = client.get(URL).content.decode()
    assert f'value="{sc06.pk}"> SC06 Mathematics, science and technology <span' in html
    assert f'value="{goal("SC02").pk}"> SC02 Competences in Dutch <span' in html
    assert "> WI 1.3 " not in html
    assert "> NL 1.1 " not in html
    with_dutch = client.get(URL, {"goal": str(sc06.pk)}, HTTP_ACCEPT_LANGUAGE="nl")
    assert "SC06 Wiskunde, exacte wetenschappen en technologie" in with_dutch.content.decode()


def test_item8_a_goal_moved_to_another_key_competence_is_counted_there_after_a_reload(
    goals_corpus, django_capture_on_commit_callbacks, tmp_path
):
    import json

    from commonroom.taxonomy.goals import read_goal_file

    data = read_goal_file()
    for entry in data["frameworks"][2]["goals"]:
        if entry["code"] == "1G 6.7":
            entry["key_competence"] = "SC10"
    path = tmp_path / "goals.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    with django_capture_on_commit_callbacks(execute=True):
        call_command("taxonomy_load", "--goals", str(path), stdout=io.StringIO())
    counts = search_documents(text="", filters=Filters()).counts["goal"]
    assert (counts[goal("SC06").pk], counts[goal("SC10").pk]) == (2, 1)


def test_item8_a_long_goal_is_shortened_in_the_facet():
    from commonroom.search.vocabularies import GoalTerm

    term = GoalTerm(goal("2G 8.1"))
    assert term.label == (
        "2G 8.1 Pupils explain the causes and consequences of the First World War, with "
        "attention to the…"
    )
