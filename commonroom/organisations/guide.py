"""The selection guide (keuzewijzer, R25): a short questionnaire whose
answers rank the public training offers, each with the reasons it matched.

The answers are a plain GET query, so the page works without JavaScript and
a result is shared as a link. Two answers narrow the list: the themes (an
offer matches at least one) and the province (an offer serves it, or takes
place online). The others only rank: each matching level, role, format and
a fitting number of sessions adds to the score.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from commonroom.organisations.models import TrainingFormat, TrainingOffer, TrainingRole

# What each kind of match weighs in the ranking.
WEIGHTS = {
    "theme": 3,
    "province": 2,
    "online": 1,
    "level": 1,
    "role": 1,
    "format": 2,
    "sessions": 1,
}


class Sessions:
    """The answer to "how many sessions": a range of numbers."""

    ONE = "one"
    FEW = "few"
    MANY = "many"
    RANGES = {ONE: (1, 1), FEW: (2, 4), MANY: (5, 1000)}


@dataclass(frozen=True)
class Answers:
    themes: frozenset[int] = frozenset()
    levels: frozenset[int] = frozenset()
    roles: frozenset[str] = frozenset()
    province: int | None = None
    formats: frozenset[str] = frozenset()
    sessions: str = ""

    @property
    def empty(self) -> bool:
        return not (
            self.themes
            or self.levels
            or self.roles
            or self.province
            or self.formats
            or self.sessions
        )


@dataclass
class Match:
    offer: TrainingOffer
    score: int = 0
    reasons: list[str] = field(default_factory=list)


def _names(terms: Iterable[object], chosen: frozenset[int]) -> list[str]:
    return [str(t) for t in terms if getattr(t, "pk", None) in chosen]


def match(answers: Answers, offer: TrainingOffer) -> Match | None:
    """The offer's score and reasons, or None when it does not fit (a theme
    or a province asked for and not offered). Reads the offer's themes,
    levels and provinces as prefetched."""
    result = Match(offer=offer)
    themes = list(offer.themes.all())
    if answers.themes:
        wanted = _names(themes, answers.themes)
        if not wanted:
            return None
        result.score += WEIGHTS["theme"] * len(wanted)
        result.reasons.append(_("Works on %(themes)s") % {"themes": ", ".join(wanted)})
    if answers.province:
        provinces = list(offer.provinces.all())
        served = _names(provinces, frozenset({answers.province}))
        if served:
            result.score += WEIGHTS["province"]
            result.reasons.append(_("Comes to %(province)s") % {"province": served[0]})
        elif TrainingFormat.ONLINE in offer.formats:
            result.score += WEIGHTS["online"]
            result.reasons.append(_("Online, so from anywhere"))
        else:
            return None
    if answers.levels:
        levels = _names(offer.levels.all(), answers.levels)
        if levels:
            result.score += WEIGHTS["level"] * len(levels)
            result.reasons.append(_("For %(levels)s") % {"levels": ", ".join(levels)})
    roles = [
        str(TrainingRole(r).label)
        for r in offer.roles
        if r in answers.roles and r in TrainingRole.values
    ]
    if roles:
        result.score += WEIGHTS["role"] * len(roles)
        result.reasons.append(_("Meant for %(roles)s") % {"roles": ", ".join(roles).lower()})
    formats = [label for slug, label in _formats(offer) if slug in answers.formats]
    if formats:
        result.score += WEIGHTS["format"]
        result.reasons.append(_("As %(formats)s") % {"formats": ", ".join(formats).lower()})
    if answers.sessions in Sessions.RANGES:
        low, high = Sessions.RANGES[answers.sessions]
        if low <= offer.sessions <= high:
            result.score += WEIGHTS["sessions"]
            result.reasons.append(
                _("%(n)s sessions, as you asked") % {"n": offer.sessions}
                if offer.sessions != 1
                else _("One session, as you asked")
            )
    return result


def _formats(offer: TrainingOffer) -> list[tuple[str, str]]:
    return [(f, str(TrainingFormat(f).label)) for f in offer.formats if f in TrainingFormat.values]


def rank(answers: Answers, offers: Sequence[TrainingOffer]) -> list[Match]:
    """The offers that fit, best first; equal scores by organisation and title."""
    found = [m for m in (match(answers, offer) for offer in offers) if m is not None]
    found.sort(key=lambda m: (-m.score, m.offer.organisation.name.lower(), m.offer.title.lower()))
    return found
