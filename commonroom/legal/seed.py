"""The first terms and privacy versions of a new instance, filled in with the
instance's names (R40). Staff publish later versions in the admin."""

from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils import timezone

TEXTS = Path(__file__).with_name("texts")
FIRST_VERSION = "1.0"


def instance_values() -> dict[str, str]:
    return {
        "platform": settings.PLATFORM_NAME,
        "platform_url": settings.SITE_URL,
        "operator": settings.OPERATOR_NAME,
        "operator_address": settings.OPERATOR_ADDRESS,
        "liability_cap": settings.LIABILITY_CAP,
        "courts_city": settings.COURTS_CITY,
    }


def seed_documents(document_model: Any) -> None:
    values = instance_values()
    for kind in ("terms", "privacy"):
        if document_model.objects.filter(kind=kind).exists():
            continue
        document_model.objects.create(
            kind=kind,
            version=FIRST_VERSION,
            body_en=(TEXTS / f"{kind}.en.md").read_text(encoding="utf-8").format(**values),
            body_nl=(TEXTS / f"{kind}.nl.md").read_text(encoding="utf-8").format(**values),
            published_at=timezone.now(),
        )
