"""The terms and privacy versions Commonroom ships, filled in with the
instance's names (R40). Staff publish later versions of their own in the admin.

A published version is never edited (what members accepted stays readable at
its own URL), so every shipped terms version keeps its own text: version 1.0
lives in texts/versions/ exactly as it was published, the current one in
texts/terms.<language>.md. Migrations call seed_documents(); it creates what
is missing, so a new instance gets the same history as an existing one.
"""

from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils import timezone

TEXTS = Path(__file__).with_name("texts")
FIRST_VERSION = "1.0"
LANGUAGES = ("nl", "en")


@dataclass(frozen=True)
class TermsRelease:
    version: str
    # The file name before ".<language>.md", relative to TEXTS.
    text_stem: str
    summary_nl: str = ""
    summary_en: str = ""


TERMS_RELEASES = (
    # The Dutch text of 1.0 was a summary of about a quarter of the English.
    TermsRelease(version=FIRST_VERSION, text_stem="versions/terms-1.0"),
    TermsRelease(
        version="1.1",
        text_stem="terms",
        summary_nl=(
            "Versie 1.0 stond in het Nederlands alleen als samenvatting online. Versie 1.1 is "
            "de volledige tekst in beide talen, met dezelfde artikels in dezelfde volgorde en "
            "nummering als de oorspronkelijke voorwaarden (die geen artikel 2.3 hebben). Wie "
            "in het Nederlands las, vindt nu alle bepalingen, onder meer over aansprakelijkheid "
            "(2.2), de databanken (3.3) en artikel 4. De Engelse tekst veranderde inhoudelijk niet."
        ),
        summary_en=(
            "Version 1.0 was only online in Dutch as a summary. Version 1.1 is the complete text "
            "in both languages, with the same clauses in the same order and numbering as the "
            "original terms (which have no clause 2.3). Readers of the Dutch text now find every "
            "provision, among others on liability (2.2), the databases (3.3) and clause 4. The "
            "English text has not changed in substance."
        ),
    ),
)
CURRENT_TERMS_VERSION = TERMS_RELEASES[-1].version


def instance_values() -> dict[str, str]:
    return {
        "platform": settings.PLATFORM_NAME,
        "platform_url": settings.SITE_URL,
        "operator": settings.OPERATOR_NAME,
        "operator_address": settings.OPERATOR_ADDRESS,
        "liability_cap": settings.LIABILITY_CAP,
        "courts_city": settings.COURTS_CITY,
    }


def document_text(text_stem: str, language: str) -> str:
    """A shipped text in one language, with the instance's names filled in."""
    source = (TEXTS / f"{text_stem}.{language}.md").read_text(encoding="utf-8")
    return source.format(**instance_values())


def seed_documents(document_model: Any) -> None:
    """Create the shipped versions an instance does not have yet.

    The first privacy statement and terms are created on a new instance only.
    A later terms release is published only while the instance's current
    terms are the shipped version before it: an operator who has published
    terms of their own keeps them.
    """
    if not document_model.objects.filter(kind="privacy").exists():
        _publish(document_model, kind="privacy", version=FIRST_VERSION, text_stem="privacy")
    releases: tuple[TermsRelease | None, ...] = (None, *TERMS_RELEASES)
    for previous, release in pairwise(releases):
        if release is None:  # only the first "previous" is None
            continue
        if document_model.objects.filter(kind="terms", version=release.version).exists():
            continue
        current = (
            document_model.objects.filter(kind="terms", published_at__isnull=False)
            .order_by("-published_at", "-id")
            .first()
        )
        expected = previous.version if previous else None
        if (current.version if current else None) != expected:
            return
        _publish(
            document_model,
            kind="terms",
            version=release.version,
            text_stem=release.text_stem,
            summary_nl=release.summary_nl,
            summary_en=release.summary_en,
        )


def _publish(
    document_model: Any, *, kind: str, version: str, text_stem: str, **summaries: str
) -> None:
    document_model.objects.create(
        kind=kind,
        version=version,
        body_nl=document_text(text_stem, "nl"),
        body_en=document_text(text_stem, "en"),
        published_at=timezone.now(),
        **summaries,
    )
