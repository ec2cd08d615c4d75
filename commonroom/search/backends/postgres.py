"""PostgreSQL: a stored generated ``tsvector`` (A title, B keywords,
C description, D body) over the stemmed columns with the 'simple' config,
indexed with GIN (``migrations/0002``). Being generated, it never lags."""

from __future__ import annotations

from django.db.models import BooleanField, FloatField, QuerySet
from django.db.models.expressions import RawSQL

from commonroom.search.backends.base import WEIGHTS, SearchBackend
from commonroom.search.models import SearchDocument
from commonroom.search.query import ParsedQuery, to_negative_tsquery, to_tsquery

# ts_rank_cd takes weights in the order {D, C, B, A}, each at most 1.
_top = max(WEIGHTS.values())
RANK_WEIGHTS = "{" + ",".join(str(WEIGHTS[c] / _top) for c in reversed(list(WEIGHTS))) + "}"


class PostgresBackend(SearchBackend):
    vendor = "postgresql"

    def match(self, documents: QuerySet[SearchDocument], query: ParsedQuery) -> QuerySet:
        positive = to_tsquery(query)
        if positive:
            return documents.filter(
                RawSQL(
                    "search_vector @@ to_tsquery('simple', %s)",
                    [positive],
                    output_field=BooleanField(),
                )
            )
        if query.negative:
            return documents.exclude(
                RawSQL(
                    "search_vector @@ to_tsquery('simple', %s)",
                    [to_negative_tsquery(query)],
                    output_field=BooleanField(),
                )
            )
        return documents

    def ranked_ids(
        self, documents: QuerySet[SearchDocument], query: ParsedQuery, *, offset: int, limit: int
    ) -> list[int]:
        positive = to_tsquery(query)
        if not positive:
            ordered = documents.order_by("-published_at", "-id")
        else:
            ordered = documents.annotate(
                text_rank=RawSQL(
                    "ts_rank_cd(%s::float4[], search_vector, to_tsquery('simple', %s))",
                    [RANK_WEIGHTS, positive],
                    output_field=FloatField(),
                )
            ).order_by("-text_rank", "-id")
        return list(ordered.values_list("id", flat=True)[offset : offset + limit])
