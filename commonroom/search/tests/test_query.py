import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from commonroom.search.query import (
    MAX_QUERY_CHARS,
    MAX_TERMS,
    Term,
    parse,
    to_fts5,
    to_negative_tsquery,
    to_tsquery,
)
from commonroom.search.stemming import fold, stemmed_text


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("fietsen", "fiets"),
        ("learning", "learn"),
        ("financiële", "financiele"),
        ("Scholen", "school"),
    ],
)
def test_the_same_stem_at_index_and_query_time(a, b):
    assert stemmed_text(a) == stemmed_text(b)


def test_r2_the_c_stemmer_gives_the_pure_python_stems():
    """Search uses PyStemmer (C) when installed, snowballstemmer's Python
    code otherwise: an index written with one is read with the other, so
    both must give the same stems (checked on the words of the Dutch
    translations and the taxonomy)."""
    import json
    import re
    from pathlib import Path

    import Stemmer
    from snowballstemmer.english_stemmer import EnglishStemmer

    from commonroom.search import dutch, stemming

    project = Path(__file__).resolve().parents[2]
    text = (project / "locale" / "nl" / "LC_MESSAGES" / "django.po").read_text() + json.dumps(
        json.loads((project / "taxonomy" / "taxonomy.json").read_text()), ensure_ascii=False
    )
    words = sorted({fold(w) for w in re.findall(r"[^\W\d_]{3,}", text)})
    assert len(words) > 1_000
    assert isinstance(stemming._english, Stemmer.Stemmer)
    english = EnglishStemmer()
    dutch_stems = [dutch.stem(w) for w in words]
    assert [stemming._english.stemWord(w) for w in dutch_stems] == [
        english.stemWord(w) for w in dutch_stems
    ]


def test_fold_removes_accents_and_case():
    assert fold("Financiële ÉCOLE") == "financiele ecole"


def test_words_phrases_exclusions_and_prefixes():
    query = parse('fietsen "naar school" -pizza learn*')
    assert query.terms == (
        Term(stems=("fiet",)),
        Term(stems=("naar", "school")),
        Term(stems=("pizza",), negated=True),
        Term(stems=("learn",), prefix=True),
    )
    assert to_fts5(query) == '("fiet" AND "naar school" AND "learn"*) NOT ("pizza")'
    assert to_tsquery(query) == "('fiet') & ('naar' <-> 'school') & !('pizza') & ('learn':*)"


def test_a_prefix_is_cut_back_to_its_stem():
    # "fietsen" is indexed as "fiet": the prefix "fiets" must reach it.
    assert parse("fiets*").terms == (Term(stems=("fiet",), prefix=True),)


def test_a_prefix_needs_three_letters():
    assert parse("ab* abc*").terms == (Term(stems=("ab",)), Term(stems=("abc",), prefix=True))


def test_only_exclusions_become_a_negative_query():
    query = parse("-pizza -fiets")
    assert query.positive == ()
    assert to_fts5(query) == ""
    assert to_tsquery(query) == ""
    assert to_fts5(query, negated=True) == '"pizza" OR "fiet"'
    assert to_negative_tsquery(query) == "('pizza') | ('fiet')"


@pytest.mark.parametrize(
    ("raw", "fts5"),
    [
        ("", ""),
        ('"', ""),
        ("*", ""),
        ("NEAR(", '"near"'),
        ("a OR b", '"a" AND "or" AND "b"'),
        ("'; DROP TABLE search_searchdocument; --", '"drop" AND "tabl" AND "search searchdocu"'),
        ('"unclosed phrase', '"unclos phraa"'),
    ],
)
def test_syntax_of_the_engines_is_plain_text(raw, fts5):
    assert to_fts5(parse(raw)) == fts5


def test_an_unclosed_quote_says_so():
    assert parse('"open').messages == ("A quote was not closed; the words after it were searched.",)


def test_long_queries_are_cut_with_a_message():
    query = parse("word " * 400)
    assert len(query.terms) == 1
    assert query.messages == (
        f"Only the first {MAX_QUERY_CHARS} characters of your search were used.",
    )
    many = parse(" ".join(f"w{i}" for i in range(40)))
    assert len(many.terms) == MAX_TERMS


SAFE_LEXEME = __import__("re").compile(r"^[^\W_]+$")


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=2000))
def test_any_text_parses_into_safe_lexemes(raw):
    query = parse(raw)
    for term in query.terms:
        assert term.stems
        assert all(SAFE_LEXEME.match(s) for s in term.stems)
    to_fts5(query)
    to_fts5(query, negated=True)
    to_tsquery(query)
    to_negative_tsquery(query)
