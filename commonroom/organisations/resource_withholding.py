"""Resources published under an excluded organisation leave search, listings
and feeds at once (R24); their pages stay for their authors, who may take
the organisation's name off to bring them back. Found by
``resources.withholding`` through ``core.discovery``."""

from __future__ import annotations

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from commonroom.moderation.lifecycle import State

NOTE = _(
    "This resource is not shown in search, lists or feeds: the organisation it is "
    "published under was excluded from the platform. Take the organisation's name off "
    "it to show it again under your own name."
)


RELEASE_LABEL = _("Take the organisation's name off")


def release_url(resource_id: int) -> str:
    return reverse("organisations:resource_release", args=[resource_id])


def withheld() -> Q:
    return Q(organisation_link__organisation__state=State.REMOVED)
