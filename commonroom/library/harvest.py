"""Public collections over OAI-PMH (issue 18), in Dublin Core. A collection
made private or deleted is reported as deleted: library's services tell the
oai app (``records_leaving``), which keeps a tombstone."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.conf import settings
from django.db.models import QuerySet

from commonroom.library.models import Collection
from commonroom.oai.protocol import LangString, Metadata

KEY = "collection"


class CollectionHarvest:
    name = KEY
    model = Collection
    keeps_hidden_rows = False
    formats = frozenset({"oai_dc"})
    datestamp_field = "updated_at"
    set_lookups: Mapping[str, str] = {}

    def rows(self) -> QuerySet[Any]:
        return Collection.objects.public()

    def prefetch(self, rows: QuerySet[Any]) -> QuerySet[Any]:
        return rows.select_related("owner")

    def is_public(self, obj: Any) -> bool:
        return bool(obj.is_public)

    def was_public(self, obj: Any) -> bool:
        return bool(obj.is_public)

    def term_ids(self, obj: Any) -> Mapping[str, Sequence[int]]:
        return {}

    def metadata(self, obj: Any, *, site_url: str) -> Metadata:
        collection: Collection = obj
        url = site_url + collection.get_absolute_url()
        owner = collection.owner.display_name
        database = str(settings.DATABASE_NAME) or f"{settings.PLATFORM_NAME} learning resources"
        return Metadata(
            title=LangString(collection.title),
            url=url,
            description=LangString(collection.description) if collection.description else None,
            authors=(owner,) if owner else (),
            dc_type=("Collection",),
            date=collection.created_at,
            attribution=(
                f'"{collection.title}" by {owner}, {url}. '
                f"Source: {database}, produced by {settings.OPERATOR_NAME}."
            ),
            extra={"publisher": str(settings.OPERATOR_NAME)},
        )


HARVESTABLE = [CollectionHarvest()]
