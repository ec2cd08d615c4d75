"""Dutch compounds split against a fixed vocabulary of known words.

A Dutch compound is one word (rekenles, leesboek, getallenlijn), so a
teacher searching "les" or "reken les" would not find "rekenles". A word
is split only when every part is a known word below (school subjects,
levels and kinds of the taxonomy, and the words of teaching that the demo
and relevance corpora use), so "burgerschap" or "geometrie" are never cut
into pieces that happen to be letters of other words. The index keeps the
whole word and adds the parts after it (``stemming.tokens``).

The vocabulary is part of the analysis: changing it changes the index,
so ``stemming.ANALYSIS_VERSION`` goes up with it (and the index is rebuilt,
``migrations/0012``).
"""

from __future__ import annotations

from functools import lru_cache

# Folded words, each at least 3 letters; "part=word" where a part stands
# for another word (the verb "reken" in "rekenles" is "rekenen"), so the
# part's token is that word's stem. Keep it to words that are also whole
# words on their own: a part that is also a common word ending ("heid",
# "schap", "ing", "eten": plan-eten) would split words that are not
# compounds. Checked when written: of the 2,642 words of six letters or
# more in the Dutch translations, the taxonomy, the curriculum goals and
# bench/relevance, 69 split, all of them compounds.
_WORDS = """
    aarde aardrijkskunde afval alfabet algebra antwoord arbeid auto
    bal beeld beroep beweging bijbel bijen blad bloem boek bord bos bouw
    breuk brief brug buiten burger
    cijfer cirkel computer cultuur
    dag dans deel dier dieren digitaal doel donder drama druk
    economie eenheid energie examen
    familie feest fiets film filosofie fout fysica
    gedicht geheugen geld geluid geschiedenis getal gezin gezondheid
    gids grafiek grammatica groep groente
    hand handel hoek hoofd hout huis huiswerk
    jaar jeugd
    kaart kader kalender kast kennis kern kind kinder klas kleur kleuter
    klok knutsel koor kracht kring kunst
    lees leer leerling lees lente les letter licht lijn lijst lucht
    maand maat machine meet meetkunde melk mens metaal milieu
    model munt muziek
    natuur nieuws noot
    oefen oefening omtrek onderwijs oog oorlog opdracht oplossing orde
    papier park pauze plan plant plein ploeg poster praat project proef
    puzzel
    raam reken rekenen regel reis rij ritme robot rol rond ruimte
    school schrijf sport spel spelling sprook staat stad stem ster stof
    stroom stuk taal tafel tekst tekening test thema tijd toets toneel
    tuin uur
    verhaal verkeer vlak voeding vorm vraag vriend vrucht
    water weer week werk werkwoord wereld wet wiskunde woord
    zand zee zin zomer zon zorg
    gesprek som voorbereiding opgave uitleg spreek luister
    reken=rekenen lees=lezen schrijf=schrijven oefen=oefenen leer=leren
    meet=meten kinder=kinderen teken=tekenen speel=spelen zing=zingen
    knutsel=knutselen praat=praten spreek=spreken luister=luisteren
    """
KNOWN: dict[str, str] = dict(
    (item.split("=", 1) if "=" in item else (item, item))  # type: ignore[misc]
    for item in _WORDS.split()
)
MIN_PART = 3
# What may join two parts: nothing, or the linking -s-, -e- or -en-.
LINKS = ("", "s", "e", "en")
MAX_PARTS = 3


@lru_cache(maxsize=65536)
def split(word: str) -> tuple[str, ...]:
    """The known words a folded compound is made of, left to right (the
    word a part stands for: rekenles → rekenen, les), or () when it is not
    one."""
    if len(word) < 2 * MIN_PART or not word.isalpha():
        return ()
    parts = _split(word, MAX_PARTS)
    return tuple(KNOWN[p] for p in parts) if parts and len(parts) > 1 else ()


def _base(part: str) -> str | None:
    """The known word ``part`` is, or None."""
    if part in KNOWN:
        return part
    # A doubled consonant before a linking or plural ending: "getall(en)".
    if len(part) >= 4 and part[-1] == part[-2] and part[:-1] in KNOWN:
        return part[:-1]
    return None


def _known(part: str) -> str | None:
    """The known word a final part is, also as a plural: "lessen", "woorden"."""
    if base := _base(part):
        return base
    for ending in ("en", "s", "e"):
        if part.endswith(ending) and (base := _base(part[: -len(ending)])):
            return base
    return None


def _split(word: str, budget: int) -> tuple[str, ...]:
    if known := _known(word):
        return (known,)
    if budget < 2:
        return ()
    # Longest head first: "leesboek" is lees + boek, not lee + sboek.
    for end in range(len(word) - MIN_PART, MIN_PART - 1, -1):
        head = word[:end]
        for link in LINKS:
            if not head.endswith(link) or len(head) - len(link) < MIN_PART:
                continue
            base = _base(head[: len(head) - len(link)] if link else head)
            if base is None:
                continue
            rest = _split(word[end:], budget - 1)
            if rest:
                return (base, *rest)
    return ()
