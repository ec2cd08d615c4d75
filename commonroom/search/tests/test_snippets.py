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
