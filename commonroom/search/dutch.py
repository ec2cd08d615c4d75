"""A light Dutch stemmer that keeps words apart and their starts intact.

It is the suffix part of the Snowball Dutch (Porter) algorithm, with
diminutives and doubled consonants handled, and without what broke words:

- no "ge" is ever removed, at the start or inside a word (Snowball's newer
  "dutch", after Kraaij-Pohlmann, made gezondheid → zon, getal → tal,
  burgerschap → burrschap, geometrie → ometri); past participles keep
  their "ge" too (gewerkt ≠ werk), which costs a little recall and no
  precision;
- no vowel is undoubled (Snowball's "dutch_porter" makes lees → les and
  graad → grad): a long vowel in an open syllable is written double again
  instead (scholen → school, grote → groot, weken → week), and a v or z
  left at the end becomes f or s (schrijven → schrijf, lezen → lees).

So a stem keeps the start of its word up to its last syllable; what a
teacher types before a ``*`` is found as typed (``query.prefix_stem``;
``tests/test_analysis.py``).
"""

from __future__ import annotations

VOWELS = frozenset("aeiouyè")
# Diminutive endings, longest first, and what may precede each.
DIMINUTIVES = (
    ("etjes", "double"),
    ("etje", "double"),
    ("tjes", "any"),
    ("tje", "any"),
    ("pjes", "m"),
    ("pje", "m"),
    ("jes", "consonant"),
    ("je", "consonant"),
)


def _regions(word: str) -> tuple[int, int]:
    """Snowball's R1 and R2: after the first non-vowel that follows a
    vowel (R1 at least 3 letters in), and the same again within R1."""

    def after(start: int) -> int:
        for i in range(start + 1, len(word)):
            if word[i] not in VOWELS and word[i - 1] in VOWELS:
                return i + 1
        return len(word)

    r1 = max(after(0), 3)
    return r1, after(r1)


def _undouble(word: str) -> str:
    """A doubled consonant at the end made single: less → les, somm → som."""
    if len(word) >= 4 and word[-1] == word[-2] and word[-1] not in VOWELS:
        return word[:-1]
    return word


def _diminutive(word: str, r1: int) -> str:
    for ending, before in DIMINUTIVES:
        if not word.endswith(ending) or len(word) - len(ending) < max(r1, 3):
            continue
        rest = word[: -len(ending)]
        last = rest[-1]
        if before == "double" and not (len(rest) >= 2 and rest[-2] == last):
            continue
        if before == "m" and last != "m":
            continue
        if before == "consonant" and (last in VOWELS or last == "j"):
            continue
        return _undouble(rest)
    return word


def _en_ending(word: str, at: int) -> bool:
    """Before -en: a non-vowel, and not "gem" (Snowball's valid en-ending)."""
    return at > 0 and word[at - 1] not in VOWELS and not word[:at].endswith("gem")


def _syllables(word: str) -> int:
    return sum(
        1 for i, c in enumerate(word) if c in VOWELS and (i == 0 or word[i - 1] not in VOWELS)
    )


def open_syllable(word: str, *, plural: bool = False) -> str:
    """After a vowel ending went (-en, -e): the long vowel of the open
    syllable written double again, and a final v or z as f or s (scholen →
    school, bomen → boom, grote → groot, weken → week, lezen → lees,
    schrijven → schrijf). In a longer word an "e" is doubled only before a
    plural -en and not before r, l or n, where it is a schwa (planeten →
    planeet, but kinderen → kinder, wandelen → wandel, complete → complet)."""
    n = len(word)
    if (
        n >= 3
        and word[-1] not in VOWELS
        and word[-2] in "aeou"
        and word[-3] not in VOWELS
        and (word[-2] != "e" or _syllables(word) == 1 or (plural and word[-1] not in "rln"))
    ):
        word = word[:-1] + word[-2] + word[-1]
    if word.endswith("v"):
        return word[:-1] + "f"
    if word.endswith("z"):
        return word[:-1] + "s"
    return word


def _drop(word: str, at: int, *, plural: bool = False) -> str:
    """``word`` cut at ``at`` where a vowel ending began: a doubled
    consonant made single (lessen → les), else the open syllable restored."""
    rest = word[:at]
    single = _undouble(rest)
    return single if single != rest else open_syllable(rest, plural=plural)


def stem(word: str) -> str:
    """Stem one folded Dutch word (lower case, no accents)."""
    if len(word) < 3:
        return word
    r1, r2 = _regions(word)
    word = _diminutive(word, r1)
    # Step 1: -heden → -heid; -s/-se (and an English -es); then -en/-ene.
    removed_e = False
    if word.endswith("heden") and len(word) - 5 >= r1:
        word = word[:-5] + "heid"
    if word.endswith(("se", "s")):
        at = len(word) - (2 if word.endswith("se") else 1)
        before = word[at - 1]
        if at >= r1 and before not in VOWELS and before != "j":
            word = word[:at]
        elif at - 1 >= r1 and before == "e" and word[at - 2] not in VOWELS:
            word = word[:at]  # phrases → phrase, then step 2
    if word.endswith(("ene", "en")):
        at = len(word) - (3 if word.endswith("ene") else 2)
        if at >= r1 and _en_ending(word, at):
            word = _drop(word, at, plural=True)
            removed_e = True
    # Step 2: a final -e after a non-vowel.
    if not removed_e and word.endswith("e") and len(word) - 1 >= r1 and word[-2] not in VOWELS:
        word = _drop(word, len(word) - 1)
        removed_e = True
    # Step 3: derivational endings within R2.
    if word.endswith("heid") and len(word) - 4 >= r2 and not word.endswith("cheid"):
        word = word[:-4]
        if word.endswith("en") and len(word) - 2 >= r1 and _en_ending(word, len(word) - 2):
            word = _undouble(word[:-2])
    if word.endswith(("end", "ing")) and len(word) - 3 >= r2:
        word = word[:-3]
        if word.endswith("ig") and len(word) - 2 >= r2 and not word.endswith("eig"):
            word = word[:-2]
        else:
            word = _undouble(word)
    elif word.endswith("ig") and len(word) - 2 >= r2 and not word.endswith("eig"):
        word = word[:-2]
    elif word.endswith("lijk") and len(word) - 4 >= r2:
        word = word[:-4]
        if word.endswith("e") and len(word) - 1 >= r1 and word[-2] not in VOWELS:
            word = _undouble(word[:-1])
    elif word.endswith("baar") and len(word) - 4 >= r2:
        word = word[:-4]
    elif word.endswith("bar") and len(word) - 3 >= r2 and removed_e:
        word = word[:-3]
    return word
