"""The search index: one ``SearchDocument`` per searchable object, written
only by ``services.search_index_sync`` and ``search_rebuild`` (never by
signals). The engines' full-text structures (an FTS5 table on SQLite, a
generated weighted ``tsvector`` with a GIN index on PostgreSQL) are created
by migration 0002 for the running vendor and index the ``*_terms`` columns:
text already folded and stemmed in Python, so both engines match the very
same tokens."""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class SearchDocument(models.Model):
    # Which registered kind the object is (``registry.py``): "resource", ...
    kind = models.CharField(max_length=40)
    object_id = models.PositiveBigIntegerField()
    # The original text, for snippets (keywords one a line).
    title = models.CharField(max_length=200)
    keywords = models.TextField(blank=True)
    description = models.TextField(blank=True)
    body = models.TextField(blank=True)
    # The same text folded and stemmed: what the engines index.
    title_terms = models.TextField(blank=True)
    keywords_terms = models.TextField(blank=True)
    description_terms = models.TextField(blank=True)
    body_terms = models.TextField(blank=True)
    # Facet values live in SearchFacetValue; quality signals here, for
    # ranking and the "most saved" / "best rated" sorts.
    published_at = models.DateTimeField(null=True)
    saves = models.PositiveIntegerField(default=0)
    rating_average = models.FloatField(null=True)
    rating_count = models.PositiveIntegerField(default=0)
    used_in_class = models.PositiveIntegerField(default=0)
    indexed_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "object_id"], name="one_document_each")
        ]
        indexes = [models.Index(fields=["published_at"], name="search_doc_published")]

    def __str__(self) -> str:
        return f"{self.kind}:{self.object_id} {self.title}"


class SearchFacetValue(models.Model):
    """A facet value of a document (``facet``: the facet's name, as the kinds
    declare it), with every ancestor of an assigned term in a tree: a filter
    on a parent and a parent's count are then one indexed lookup or GROUP
    BY, without walking the tree at query time. No foreign keys: the index
    is a copy, rebuilt from the source, and must never block a deletion."""

    pk = models.CompositePrimaryKey("facet", "value", "document")
    facet = models.CharField(max_length=40)
    value = models.PositiveIntegerField()
    document = models.ForeignKey(
        SearchDocument, on_delete=models.CASCADE, related_name="facet_values"
    )

    class Meta:
        indexes = [models.Index(fields=["document"], name="search_facet_document")]

    def __str__(self) -> str:
        return f"{self.document_id} {self.facet}={self.value}"


class SearchIndexState(models.Model):
    """One row: the index's version, bumped in the same transaction as every
    write to the index. Each web process keeps an in-memory copy of the
    facet columns (``memory.py``) and compares versions at each search, so a
    change is seen by the very next request in every process. The random
    ``stamp`` tells two histories apart that reached the same number (a
    rolled-back transaction, a flushed test database)."""

    version = models.PositiveBigIntegerField(default=0)
    stamp = models.CharField(max_length=32, default="")

    def __str__(self) -> str:
        return f"search index v{self.version}"


class ChangeKind(models.TextChoices):
    ADDED = "added"
    REMOVED = "removed"
    UPDATED = "updated"  # quality signals only: the text and facets are unchanged


class SearchIndexChange(models.Model):
    """What one version changed, so processes catch up by reading a few rows
    instead of reloading the whole index. Old rows are pruned as versions
    pass (``services.KEEP_VERSIONS``); a process further behind reloads."""

    version = models.PositiveBigIntegerField()
    stamp = models.CharField(max_length=32)
    kind = models.CharField(max_length=10, choices=ChangeKind.choices)
    document_id = models.PositiveBigIntegerField()

    class Meta:
        indexes = [models.Index(fields=["version"], name="search_change_version")]

    def __str__(self) -> str:
        return f"v{self.version} {self.kind} {self.document_id}"


class AlertFrequency(models.TextChoices):
    NONE = "none", _("No alerts")
    DAILY = "daily", _("Daily")
    WEEKLY = "weekly", _("Weekly")


class SavedSearch(models.Model):
    """A member's named search, run again by ``saved.saved_search_alerts``
    for alerts about resources published since it last looked."""

    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_searches"
    )
    name = models.CharField(_("name"), max_length=120)
    query = models.CharField(_("search words"), max_length=500, blank=True)
    # Facet name -> list of slugs (or flags for "allows"), as in the URL.
    filters = models.JSONField(_("filters"), default=dict, blank=True)
    sort = models.CharField(_("sort"), max_length=20, blank=True)
    frequency = models.CharField(
        _("alerts"), max_length=10, choices=AlertFrequency.choices, default=AlertFrequency.DAILY
    )
    created_at = models.DateTimeField(default=timezone.now)
    last_checked_at = models.DateTimeField(null=True, blank=True)
    last_seen_published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["name", "pk"]
        indexes = [
            models.Index(fields=["frequency", "last_checked_at"], name="search_saved_due"),
        ]

    def __str__(self) -> str:
        return self.name

    def query_string(self) -> str:
        """The search page's query string for this search."""
        pairs: list[tuple[str, str]] = []
        if self.query:
            pairs.append(("q", self.query))
        for facet, values in sorted((self.filters or {}).items()):
            pairs.extend((facet, str(v)) for v in values)
        if self.sort:
            pairs.append(("sort", self.sort))
        return urlencode(pairs)

    def get_search_url(self) -> str:
        query = self.query_string()
        base = reverse("search:search")
        return f"{base}?{query}" if query else base


class QueryStat(models.Model):
    """How often a (folded) query was searched in one ISO week, and how often
    it found nothing. Deliberately nothing about who searched, or when
    beyond the week."""

    week = models.DateField()  # the Monday of the ISO week
    query = models.CharField(max_length=200)
    searches = models.PositiveIntegerField(default=0)
    zero_results = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["week", "query"], name="one_query_stat_per_week")
        ]
        indexes = [models.Index(fields=["week", "-searches"], name="search_stat_week")]

    def __str__(self) -> str:
        return f"{self.week} {self.query}: {self.searches}"


class SearchWord(models.Model):
    """A folded word of the indexed titles, keywords and descriptions, with
    how many documents hold it: the vocabulary "Did you mean" corrects
    typing errors from (``suggest.py``). Recomputed by
    ``suggest.search_words_refresh``; the trigram structures that find
    similar words (a GIN index on PostgreSQL, the ``search_word_trigram``
    table on SQLite) are created by migration 0006."""

    word = models.CharField(max_length=40, unique=True)
    documents = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.word} ({self.documents})"


class SearchTermSet(models.Model):
    """The documents matching one frequent word, prefix or phrase, shared by
    every web process (``termsets.py``): a bitmap over document ids,
    compressed, exact at index ``version``; a reader brings it up to its own
    version by matching the documents added since then.

    ``weights``: for a word or prefix where the engine's relevance adds up
    over the words of a query (``SearchBackend.term_weights``), each set
    document's share of it in ascending id order, compressed, so a search
    ranks those words in memory (``term_weights.py``); null where not kept."""

    key = models.CharField(max_length=400, unique=True)
    version = models.PositiveBigIntegerField()
    stamp = models.CharField(max_length=32)
    documents = models.PositiveIntegerField()
    bits = models.BinaryField()
    weights = models.BinaryField(null=True, blank=True, default=None)
    computed_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.key} ({self.documents} at version {self.version})"


class SearchPairWord(models.Model):
    """A word frequent enough that its adjacent pairs with other such words
    are indexed as tokens of their own (``pairs.py``): a "phrase" of two
    of them is then one short lookup instead of a walk over both words'
    positions. Set only by ``search_pairs_rebuild``, in the transaction
    that re-indexes every document's pairs."""

    word = models.CharField(max_length=100, unique=True)

    def __str__(self) -> str:
        return self.word
