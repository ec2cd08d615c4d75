"""What can be reported (R21): each app registers its kinds in its
``moderation`` module as ``REPORTABLE: dict[str, Reportable]``, found through
``core.discovery``, so moderation needs no change when an app adds a kind."""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.db import models
from django.db.models import QuerySet
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from commonroom.accounts.models import Member
from commonroom.core.discovery import app_modules

if TYPE_CHECKING:
    from commonroom.moderation.models import Report, Review


@dataclass(frozen=True)
class Reportable:
    """How moderation handles one kind of reportable content.

    ``hide`` takes the content out of sight and ``remove`` deletes or blanks
    it, each through the owning app's services; the moderation action that
    calls them writes the audit row and tells the author (unless the hook
    does so itself: ``hooks_tell_author``). ``visible_to`` says whether a user
    may see the object, and so report it: nobody learns through the report
    form that a private object exists.
    """

    model: type[models.Model]
    label: str | Promise
    author: Callable[[Any], Member | None]
    excerpt: Callable[[Any], str]
    url: Callable[[Any], str]
    hide: Callable[[Any, Member, str], None]
    remove: Callable[[Any, Member, str], None]
    visible_to: Callable[[Any, Any], bool]
    # The objects with what ``author`` and ``excerpt`` read, fetched in one query.
    queryset: Callable[[], QuerySet[Any]] | None = None
    # The open review a new report joins, for kinds the review queue handles.
    review_for: Callable[[Any], Review] | None = None
    # The hide and remove hooks tell the author themselves.
    hooks_tell_author: bool = False
    # Told when moderators dismiss reports: the reports, closed.
    reports_dismissed: Callable[[Sequence[Report]], None] | None = None
    # Private content (messages): the queue shows no excerpt and links to the
    # owning app's page, the only place its moderators read it.
    moderation_url: Callable[[Report], str] | None = None

    def objects(self) -> QuerySet[Any]:
        return self.queryset() if self.queryset else self.model._default_manager.all()


@functools.cache
def reportables() -> dict[str, Reportable]:
    found: dict[str, Reportable] = {}
    for module in app_modules("moderation"):
        for kind, reportable in getattr(module, "REPORTABLE", {}).items():
            clash = kind in found or any(r.model is reportable.model for r in found.values())
            if clash:
                raise ImproperlyConfigured(f"Reportable kind or model registered twice: {kind}")
            found[kind] = reportable
    return found


def kind_for_model(model: type[models.Model]) -> str:
    for kind, reportable in reportables().items():
        if issubclass(model, reportable.model):
            return kind
    raise ValidationError(_("This cannot be reported."), code="not_reportable")


def kind_of_type(content_type_id: int) -> str:
    """The kind of a content type; empty when no app registers its model any more."""
    model = ContentType.objects.get_for_id(content_type_id).model_class()
    try:
        return kind_for_model(model) if model else ""
    except ValidationError:
        return ""


def content_type_for(kind: str) -> ContentType:
    return ContentType.objects.get_for_model(reportables()[kind].model)
