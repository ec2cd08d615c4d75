"""The snippet window: eight words before the first hit, thirty in all, an
ellipsis where text is left out, and the hits marked (R11)."""

import pytest

from commonroom.search import snippets
from commonroom.search.query import parse


def words(prefix: str, n: int) -> str:
    return " ".join(f"{prefix}{i}" for i in range(n))


def test_r11_a_hit_far_into_the_body_shows_eight_words_before_it():
    body = f"{words('woord', 100)} De fietsen staan klaar. {words('rest', 50)}"
    shown = str(snippets.snippet("Geen treffer hier.", body, parse("fiets")))
    assert shown.startswith("… woord93 woord94 ")
    assert "woord92" not in shown
    assert "woord99 De <mark>fietsen</mark> staan klaar. rest0" in shown
    assert shown.endswith("rest18 …")
    assert len(shown.replace("<mark>", "").split()) == 2 + 30  # two ellipses


@pytest.mark.parametrize("length", [30, 60, 120])
def test_r11_long_words_before_the_hit_are_still_counted_from_the_start(length):
    """Eight words longer than the characters looked at before the hit."""
    long_words = " ".join(chr(ord("a") + i) * length for i in range(12))
    body = f"{long_words} fiets en meer"
    shown = str(snippets.snippet("", body, parse("fiets")))
    assert shown.startswith("… " + "e" * length + " ")
    assert "d" * length not in shown
    assert "<mark>fiets</mark> en meer" in shown
    assert not shown.endswith("…")


def test_r11_without_a_hit_the_description_starts_the_snippet():
    description = words("w", 40)
    shown = str(snippets.snippet(description, "", parse("fiets")))
    assert shown == words("w", 30) + " …"


def test_r11_text_is_escaped_and_hits_marked():
    shown = str(snippets.highlight('Fiets & <b>"kar"</b> fietsen', parse("fiets"), window=False))
    assert shown == (
        "<mark>Fiets</mark> &amp; &lt;b&gt;&quot;kar&quot;&lt;/b&gt; <mark>fietsen</mark>"
    )
    assert str(snippets.highlight("<i>niets</i>", parse("fiets"), window=False)) == (
        "&lt;i&gt;niets&lt;/i&gt;"
    )


@pytest.mark.parametrize(
    ("count", "expected"),
    [(29, words("w", 29)), (30, words("w", 30)), (31, words("w", 30) + " …")],
)
def test_r11_without_a_hit_thirty_words_are_shown_and_an_ellipsis_only_for_more(count, expected):
    assert str(snippets.snippet(words("w", count) + ".", "", parse("fiets"))) == (
        expected + ("." if count <= 30 else "")
    )


def test_r11_without_a_hit_punctuation_and_underscores_separate_words():
    description = "_".join(["a"] * 30) + " — b, c & d"
    shown = str(snippets.snippet(description, "", parse("fiets")))
    assert shown == "_".join(["a"] * 30) + " …"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Only whole words are hits: not the end of a longer word, nor a
        # word glued to a digit before it; an underscore separates words.
        ("xfiets 2fiets fiets_kar", "xfiets 2fiets <mark>fiets</mark>_kar"),
        ("Fietsen,fiets;FIETS", "<mark>Fietsen</mark>,<mark>fiets</mark>;<mark>FIETS</mark>"),
        ("Ωfiets \u0444\u0438\u0435ts fíets", "Ωfiets \u0444\u0438\u0435ts <mark>fíets</mark>"),
    ],
)
def test_r11_hits_are_whole_words_wherever_they_stand(text, expected):
    assert str(snippets.highlight(text, parse("fiets"), window=False)) == expected


def test_r11_a_word_beyond_latin_is_marked():
    shown = str(snippets.highlight("Уроки физики: физика для всех", parse("физика"), window=False))
    assert shown == "Уроки физики: <mark>физика</mark> для всех"
