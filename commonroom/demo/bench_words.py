"""Made-up words for the benchmark corpus: Dutch-like and English-like
syllables make a vocabulary in rank order, from which a Zipf-like corpus
draws (word k has probability ∝ 1/k, so there are rare, mid and common
terms); names for the benchmark's members."""

from __future__ import annotations

import itertools
import random

# Syllables that make real-looking words: Dutch-like and English-like.
NL_ONSETS = [
    "b",
    "d",
    "g",
    "h",
    "k",
    "l",
    "m",
    "n",
    "p",
    "r",
    "s",
    "t",
    "v",
    "w",
    "z",
    "st",
    "sch",
    "br",
    "kl",
    "gr",
    "sl",
    "pr",
    "tr",
    "vr",
    "sp",
    "bl",
    "kr",
    "dr",
    "j",
    "fl",
]
NL_NUCLEI = ["a", "e", "i", "o", "u", "aa", "ee", "oo", "ie", "oe", "ui", "ij", "ei", "eu", "ou"]
NL_CODAS = ["", *["n", "k", "t", "l", "r", "s", "nd", "ng", "cht", "rk", "ld", "st", "m", "p"]]
NL_SUFFIXES = ["", "", *["en", "ing", "heid", "lijk", "er", "je", "tje", "ig", "baar", "e", "ië"]]
EN_ONSETS = [
    "b",
    "c",
    "d",
    "f",
    "g",
    "h",
    "l",
    "m",
    "n",
    "p",
    "r",
    "s",
    "t",
    "w",
    "th",
    "ch",
    "sh",
    "pl",
    "cr",
    "st",
    "tr",
    "gr",
    "br",
    "fr",
    "sp",
    "cl",
    "qu",
    "wh",
    "pr",
    "sc",
]
EN_NUCLEI = ["a", "e", "i", "o", "u", "ea", "ai", "ou", "oa", "y", "ee", "io"]
EN_CODAS = ["", *["n", "t", "r", "s", "ck", "nd", "ll", "st", "ng", "m", "rt", "x", "ct"]]
EN_SUFFIXES = ["", "", *["ing", "ion", "er", "ly", "ment", "ness", "able", "ed", "ity", "al"]]

FIRST_NAMES = [
    "Anna",
    "Bram",
    "Charlotte",
    "Daan",
    "Emma",
    "Finn",
    "Hanne",
    "Jonas",
    "Lotte",
    "Lucas",
    "Marie",
    "Noah",
    "Sara",
    "Zoë",
]
LAST_NAMES = [
    "Peeters",
    "Janssens",
    "Maes",
    "Jacobs",
    "Mertens",
    "Willems",
    "Claes",
    "Goossens",
    "Wouters",
    "Dubois",
]


def make_vocabulary(rng: random.Random, size: int) -> list[tuple[str, str]]:
    """``size`` distinct (word, language) pairs, alternating Dutch and English,
    in rank order (rank 0 is the most frequent)."""
    seen: set[str] = set()
    result: list[tuple[str, str]] = []
    shapes = {
        "nl": (NL_ONSETS, NL_NUCLEI, NL_CODAS, NL_SUFFIXES),
        "en": (EN_ONSETS, EN_NUCLEI, EN_CODAS, EN_SUFFIXES),
    }
    languages = itertools.cycle(["nl", "en"])
    while len(result) < size:
        language = next(languages)
        onsets, nuclei, codas, suffixes = shapes[language]
        # Frequent words are short, rare words long (as in real text).
        syllables = 1 + (len(result) > 60) + (len(result) > 900) + (rng.random() < 0.3)
        word = "".join(
            rng.choice(onsets) + rng.choice(nuclei) + rng.choice(codas) for _ in range(syllables)
        ) + rng.choice(suffixes)
        if len(word) >= 3 and word not in seen:
            seen.add(word)
            result.append((word, language))
    return result


class Corpus:
    """Draws words with probability ∝ 1/rank."""

    def __init__(self, rng: random.Random, words: list[str]) -> None:
        self.rng = rng
        self.words = words
        self.cumulative = list(itertools.accumulate(1.0 / (k + 1) for k in range(len(words))))

    def draw(self, n: int) -> list[str]:
        return self.rng.choices(self.words, cum_weights=self.cumulative, k=n)

    def sentence(self, n: int) -> str:
        text = " ".join(self.draw(n))
        return text[:1].upper() + text[1:]
