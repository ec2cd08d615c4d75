"""The database's public name (R33, terms §3.3), one home for every place
that names it: attribution lines, the API's headers, OAI-PMH's Identify."""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext as _


def database_name() -> str:
    """The operator's own name when set, else the platform's name with
    "learning resources" in the active language."""
    if settings.DATABASE_NAME:
        return str(settings.DATABASE_NAME)
    return _("%(platform)s learning resources") % {"platform": settings.PLATFORM_NAME}
