"""Learning resources over OAI-PMH (issue 18): every resource that was ever
published; one that left public view (withdrawn, removed, under a notice,
sent back for changes) is reported as deleted, from its state."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.conf import settings
from django.db.models import Q, QuerySet

from commonroom.oai.protocol import Classification, LangString, Metadata, Taxon
from commonroom.resources.attribution import attribution_for
from commonroom.resources.models import PUBLIC_STATES, Resource
from commonroom.taxonomy.models import EducationLevel, Subject, TreeTerm
from commonroom.taxonomy.selectors import terms_by_id

# Resource kinds (taxonomy slugs) as LOMv1.0 learning resource types;
# kinds without an equivalent carry none (DC type keeps the kind's name).
LEARNING_RESOURCE_TYPES = {
    "document": "narrative text",
    "text": "narrative text",
    "presentation": "slide",
    "worksheet": "exercise",
    "photo": "figure",
    "image": "figure",
    "drawing": "figure",
    "software": "simulation",
}


def _path(term: TreeTerm) -> tuple[Taxon, ...]:
    chain: list[TreeTerm] = []
    current: TreeTerm | None = term
    while current is not None and len(chain) < 20:
        chain.insert(0, current)
        current = getattr(current, "parent", None)
    return tuple(
        Taxon(t.slug, (LangString(t.label_nl, "nl"), LangString(t.label_en, "en"))) for t in chain
    )


KEY = "resource"


class ResourceHarvest:
    name = KEY
    model = Resource
    keeps_hidden_rows = True
    formats = frozenset({"oai_dc", "lom"})
    datestamp_field = "updated_at"
    set_lookups: Mapping[str, str] = {"subject": "subjects", "level": "levels"}

    def rows(self) -> QuerySet[Any]:
        return Resource.objects.filter(Q(state__in=PUBLIC_STATES) | Q(published_at__isnull=False))

    def prefetch(self, rows: QuerySet[Any]) -> QuerySet[Any]:
        return rows.select_related("author", "kind", "language", "licence").prefetch_related(
            "subjects", "levels"
        )

    def is_public(self, obj: Any) -> bool:
        return bool(obj.state in PUBLIC_STATES)

    def was_public(self, obj: Any) -> bool:
        return obj.published_at is not None

    def term_ids(self, obj: Any) -> Mapping[str, Sequence[int]]:
        return {
            "subject": [s.pk for s in obj.subjects.all()],
            "level": [level.pk for level in obj.levels.all()],
        }

    def metadata(self, obj: Any, *, site_url: str) -> Metadata:
        resource: Resource = obj
        url = site_url + resource.get_absolute_url()
        language = resource.language.slug if len(resource.language.slug) == 2 else ""
        subjects = terms_by_id(Subject, [s.pk for s in resource.subjects.all()])
        levels = terms_by_id(EducationLevel, [level.pk for level in resource.levels.all()])
        licence = resource.licence
        ages = ""
        if resource.age_min is not None and resource.age_max is not None:
            ages = f"{resource.age_min}-{resource.age_max}"
        platform = str(settings.PLATFORM_NAME)
        return Metadata(
            title=LangString(resource.title, language),
            url=url,
            description=LangString(resource.description, language),
            authors=(resource.author.display_name,) if resource.author.display_name else (),
            keywords=tuple(LangString(str(k), language) for k in resource.keywords if k),
            language=language,
            subjects=tuple(LangString(t.label_nl, "nl") for t in (*subjects, *levels))
            + tuple(LangString(t.label_en, "en") for t in (*subjects, *levels)),
            dc_type=("InteractiveResource", resource.kind.label_en),
            date=resource.published_at,
            licence_name=licence.name if licence else "",
            licence_url=licence.url if licence else "",
            attribution=attribution_for(resource, absolute_url=url).text,
            learning_resource_types=tuple(
                t for t in (LEARNING_RESOURCE_TYPES.get(resource.kind.slug),) if t
            ),
            age_range=ages,
            classifications=tuple(
                c
                for c in (
                    Classification(
                        "discipline", f"{platform} subjects", tuple(_path(t) for t in subjects)
                    ),
                    Classification(
                        "educational level",
                        f"{platform} education levels",
                        tuple(_path(t) for t in levels),
                    ),
                )
                if c.paths
            ),
            extra={"publisher": str(settings.OPERATOR_NAME)},
        )


HARVESTABLE = [ResourceHarvest()]
