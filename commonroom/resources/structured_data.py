"""What a resource's page tells machines (commonroom.syndication): schema.org
``LearningResource`` JSON-LD after LRMI, Open Graph, and oEmbed.

Built from what ``selectors.resource_page`` already loaded (vocabularies
from the per-process copy), so the page asks the database nothing more.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from commonroom.resources.models import FileState, Resource
from commonroom.syndication.jsonld import publisher
from commonroom.syndication.protocol import FeedLink, PageMetadata


def _absolute(request: HttpRequest, path: str) -> str:
    return request.build_absolute_uri(path)


def _thumbnail(resource: Resource, request: HttpRequest) -> str:
    for file in getattr(resource, "visible_files", []):
        if file.state == FileState.ACTIVE and file.thumbnail:
            return _absolute(request, reverse("resources:thumbnail", args=[resource.pk, file.pk]))
    return ""


def _defined_term(term: Any, set_name: str) -> dict[str, Any]:
    return {"@type": "DefinedTerm", "name": term.label, "inDefinedTermSet": set_name}


def _author(resource: Resource, request: HttpRequest) -> dict[str, Any]:
    person: dict[str, Any] = {"@type": "Person", "name": resource.author.display_name}
    organisation_id = getattr(resource, "published_for_id", None)
    if organisation_id is None:
        return person
    # Published under a verified organisation (R17): it is the author, the
    # member who wrote it its contributor.
    return {
        "@type": "Organization",
        "name": getattr(resource, "published_for_name", ""),
        "url": _absolute(request, reverse("organisations:detail_short", args=[organisation_id])),
        "member": person,
    }


def _loaded(resource: Resource, loaded: str, field: str) -> list[Any]:
    """What resource_page loaded (an empty list too), else from the database."""
    found = getattr(resource, loaded, None)
    if found is None:
        found = list(getattr(resource, field).all())
    return list(found)


def resource_json_ld(resource: Resource, request: HttpRequest) -> dict[str, Any]:
    url = _absolute(request, resource.get_absolute_url())
    subjects = _loaded(resource, "subject_list", "subjects")
    levels = _loaded(resource, "level_list", "levels")
    goals = _loaded(resource, "goal_list", "curriculum_goals")
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "LearningResource",
        "@id": url,
        "url": url,
        "name": resource.title,
        "description": resource.description,
        "author": _author(resource, request),
        "publisher": publisher(name=settings.PLATFORM_NAME, url=_absolute(request, "/")),
        "isAccessibleForFree": True,
        "educationalLevel": [_defined_term(level, _("education levels")) for level in levels],
        "about": [_defined_term(subject, _("subjects")) for subject in subjects],
        "teaches": [
            {"@type": "DefinedTerm", "termCode": goal.code, "name": goal.label} for goal in goals
        ],
        "keywords": ", ".join(subject.label for subject in subjects),
        "dateModified": resource.updated_at.isoformat(),
    }
    if resource.published_at:
        data["datePublished"] = resource.published_at.isoformat()
    if resource.kind_id and resource.kind:
        data["learningResourceType"] = resource.kind.label
    if resource.language_id and resource.language:
        data["inLanguage"] = resource.language.slug
    if resource.licence_id and resource.licence:
        data["license"] = resource.licence.url
    if resource.age_min is not None or resource.age_max is not None:
        data["typicalAgeRange"] = f"{resource.age_min or ''}-{resource.age_max or ''}"
    image = _thumbnail(resource, request)
    if image:
        data["image"] = image
    return data


def resource_metadata(resource: Resource, request: HttpRequest) -> PageMetadata | None:
    if not resource.is_public:
        return None  # a draft's page is its author's alone: nothing for machines
    return PageMetadata(
        title=resource.title,
        description=resource.description,
        url=_absolute(request, resource.get_absolute_url()),
        og_type="article",
        image=_thumbnail(resource, request),
        json_ld=resource_json_ld(resource, request),
        feeds=[
            FeedLink(_("New learning resources"), reverse("syndication:resources")),
            *(
                FeedLink(
                    _("New learning resources: %(subject)s") % {"subject": subject.label},
                    reverse("syndication:resources_subject", args=[subject.slug]),
                )
                for subject in getattr(resource, "subject_list", [])
            ),
        ],
        oembed=True,
    )


PAGE_METADATA = {Resource: resource_metadata}
