"""The text analysis (issue 15): Dutch words kept apart, compounds split
against known words, prefixes as typed, the same tokens on both engines,
and existing indexes analysed again when the analysis changes. The tests
with a database run on the engine of the run (SQLite FTS5, or PostgreSQL
with DATABASE_URL)."""

from __future__ import annotations

from pathlib import Path

import pytest

from commonroom.search import compounds
from commonroom.search.backends import get_backend
from commonroom.search.facets import Filters
from commonroom.search.models import SearchDocument
from commonroom.search.query import parse
from commonroom.search.selectors import search_documents
from commonroom.search.services import search_reanalyse
from commonroom.search.stemming import ANALYSIS_VERSION, stem, stemmed_text, tokens
from commonroom.search.tests.conftest import make

# Issue 15: Snowball's Kraaij-Pohlmann Dutch stemmer made each pair one word.
APART = [("gezondheid", "zon"), ("getal", "tal"), ("gezin", "zin"), ("gedicht", "dicht")]
KEPT = ["burgerschap", "geometrie", "gedicht", "gemiddelde", "getal", "gevoel", "gezellig"]
SAME = [
    ("scholen", "school"),
    ("lessen", "les"),
    ("getallen", "getal"),
    ("gedichten", "gedicht"),
    ("bomen", "boom"),
    ("kindje", "kind"),
    ("huisjes", "huis"),
    ("spelletje", "spel"),
    ("grote", "groot"),
    ("planeten", "planeet"),
    ("problemen", "probleem"),
    ("complete", "completed"),
    ("oefeningen", "oefening"),
    ("phrases", "phrase"),
    ("writing", "write"),
    ("fractions", "fraction"),
    ("Financiële", "financiele"),
]
PREFIXES = {
    "gedi*": "Gedichten voor de klas",
    "gemi*": "Het gemiddelde berekenen",
    "geze*": "Een gezellige klas",
    "geta*": "Getallen tot 1000",
    "gevo*": "Gevoelens benoemen",
    "geom*": "Geometrie: driehoeken",
    "burg*": "Burgerschap in de klas",
}


@pytest.mark.parametrize(("a", "b"), APART)
def test_r2_dutch_words_are_stemmed_apart(a, b):
    assert stem(a) != stem(b)


@pytest.mark.parametrize("word", KEPT)
def test_r2_no_ge_is_taken_from_the_start_or_the_inside_of_a_word(word):
    assert stem(word)[:4] == word[:4]
    assert stem("burgerschap") == "burgerschap"


@pytest.mark.parametrize(("a", "b"), SAME)
def test_r2_plurals_diminutives_and_inflections_meet(a, b):
    assert stemmed_text(a) == stemmed_text(b)


def test_r2_compounds_add_their_known_parts_after_the_whole_word():
    assert tokens("rekenles") == [stem("rekenles"), stem("rekenen"), stem("les")]
    assert compounds.split("getallenlijn") == ("getal", "lijn")
    assert compounds.split("gezondheidszorg") == ("gezondheid", "zorg")
    # Only known words split: these are no compounds.
    for word in ("burgerschap", "geometrie", "bestelling", "wiskunde", "huiswerk", "planeten"):
        assert compounds.split(word) == ()
    # A phrase holds what the index holds; a single word is looked for whole.
    assert parse('"goede rekenles"').terms[0].stems == tuple(tokens("goede rekenles"))
    assert parse("rekenles").terms[0].stems == (stem("rekenles"),)


def test_r2_a_prefix_is_looked_for_as_typed():
    for prefix in PREFIXES:
        assert parse(prefix).terms[0].stems == (prefix[:-1],)
    # Where the stem's end differs from the word's, the prefix reaches it.
    assert stem("scholen").startswith(parse("schol*").terms[0].stems[0])
    assert stem("katten").startswith(parse("katte*").terms[0].stems[0])


def test_r2_the_analysis_version_has_its_reindexing_migration():
    migrations = Path(__file__).resolve().parents[1] / "migrations"
    assert list(migrations.glob(f"*_text_analysis_v{ANALYSIS_VERSION}.py"))


@pytest.mark.django_db
def test_r2_the_pairs_and_prefixes_find_their_words_on_the_engine():
    found = {title: make(title=title, keywords=[]).pk for title in PREFIXES.values()}
    health = make(title="Gezondheid en voeding", keywords=[]).pk
    sun = make(title="De zon en de schaduw", keywords=[]).pk
    number = make(title="Het getal pi", keywords=[]).pk

    def ids(text: str) -> set[int]:
        result = search_documents(text=text, filters=Filters(), page_size=50)
        return {hit.object.pk for hit in result.hits}

    for prefix, title in PREFIXES.items():
        assert found[title] in ids(prefix), prefix
    assert ids("zon") == {sun}
    assert ids("gezondheid") == {health}
    assert ids("tal") == set()
    assert number in ids("getal")
    assert found["Burgerschap in de klas"] in ids("burgerschap")
    assert found["Geometrie: driehoeken"] in ids("geometrie")


@pytest.mark.django_db
def test_r2_both_engines_index_the_very_tokens_of_the_analysis():
    text = "Rekenles: de getallen tot 1000, één leesboek en wo1-gedichten"
    make(title=text, keywords=[], description="")
    indexed = set(get_backend().term_frequencies(1, strong=True))
    assert indexed == set(tokens(text))


@pytest.mark.django_db
def test_r2_an_index_of_an_older_analysis_is_analysed_again():
    resource = make(title="Gezondheid op school", keywords=[])
    document = SearchDocument.objects.get(object_id=resource.pk)
    # As Snowball's Kraaij-Pohlmann stemmer left it: gezondheid → zon.
    SearchDocument.objects.filter(pk=document.pk).update(title_terms="zon op school")
    get_backend().rebuild()
    assert search_reanalyse() == 1
    assert SearchDocument.objects.get(pk=document.pk).title_terms == stemmed_text(
        "Gezondheid op school"
    )
    result = search_documents(text="gezondheid", filters=Filters())
    assert [hit.object.pk for hit in result.hits] == [resource.pk]
    assert search_documents(text="zon", filters=Filters()).total == 0
