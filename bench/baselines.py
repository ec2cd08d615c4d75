"""Baselines beside the project's search (issue 15, item 3): the same
queries, on the same documents, answered by

- **tantivy**, an in-process Rust search library (PyPI ``tantivy``,
  installed for the benchmark only from ``requirements/bench.lock``, never a
  dependency of the product), over an index built in a temporary directory
  from the ``SearchDocument`` rows: title, keywords, description and body
  analysed by tantivy itself (its simple tokenizer, lower case, ASCII
  folding, its Snowball Dutch stemmer), an unstemmed copy of the words for
  prefixes (a prefix matches word starts as typed), and each facet value as
  a multi-valued fast field;
- **plain SQL**: what a developer would write on the project's own tables:
  FTS5 ``MATCH`` with ``bm25()`` or ``tsvector @@ tsquery`` with
  ``ts_rank``, ``ORDER BY … LIMIT 20``, a ``COUNT`` and ``GROUP BY`` counts
  over the match set joined to ``search_searchfacetvalue``.

Each does what the project's selector does minus the cards: match, count,
the top 20 (by BM25 or rank; by publication for an empty search) and the
counts of every facet the project counts, disjunctive as the project's (a
chosen facet is counted with every other facet's filter but its own).

Used by ``search_bench.py`` (``--no-baselines`` leaves them out) and by
``commonroom/search/tests/test_bench_baselines.py``.
"""

from __future__ import annotations

import shutil
import statistics
import sys
import tempfile
import time
import weakref
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.http import QueryDict

from commonroom.search import registry
from commonroom.search.backends import postgres, sqlite_fts5
from commonroom.search.backends.base import WEIGHTS
from commonroom.search.facets import TYPE, _codes, all_facets
from commonroom.search.forms import Vocabulary
from commonroom.search.models import SearchDocument, SearchFacetValue
from commonroom.search.query import MIN_PREFIX, PIECE, parse, to_fts5, to_tsquery

Query = dict[str, Any]
TOP = 20
# Warm-up queries per class and baseline: neither keeps results between
# queries, so these only bring the index's pages into memory.
WARM = 20
FIELDS = tuple(WEIGHTS)  # title, keywords, description, body
FACET_VALUES = SearchFacetValue._meta.db_table
# What a timing reads: wall time, or with ``search_bench.py --clock cpu``
# this process's CPU time (SQLite and tantivy run in the process), which a
# machine shared with other work inflates far less.
CLOCKS = {"wall": time.perf_counter, "cpu": time.process_time}
clock = CLOCKS["wall"]
DOCUMENTS = SearchDocument._meta.db_table


@dataclass(frozen=True)
class Chosen:
    """A query's filters as stored values: per facet, its values and
    whether a document needs all of them (else any)."""

    values: dict[str, tuple[list[int], bool]]

    @classmethod
    def of(cls, query: Query, vocabulary: Vocabulary) -> Chosen:
        params = QueryDict(mutable=True)
        for name, value in query.get("filters", {}).items():
            params.setlist(name, value if isinstance(value, list) else [value])
        filters = vocabulary.filters(params)
        values: dict[str, tuple[list[int], bool]] = {}
        for facet in vocabulary.facets:
            chosen = filters.chosen(facet.name)
            if chosen:
                values[facet.name] = (_codes(facet, chosen), facet.match_all)
        return cls(values)

    def without(self, name: str) -> Chosen:
        return Chosen({k: v for k, v in self.values.items() if k != name})


@dataclass(frozen=True)
class Found:
    """Matches, the top ids (best first) and the counts per facet and
    stored value (the kind code for ``type``)."""

    total: int
    top: list[int]
    counts: dict[str, dict[int, int]]


def facet_names() -> list[str]:
    return [facet.name for facet in all_facets()]


# -- plain SQL ---------------------------------------------------------------


class PlainSql:
    """One ranked ``LIMIT 20``, one ``COUNT`` (a ``GROUP BY`` of the kinds,
    which counts the type facet too), one ``GROUP BY facet, value`` for the
    facets not chosen and one per chosen facet, each over the engine's
    match set. On SQLite a filter on the match is written ``+rowid IN
    (…)``: without the unary ``+`` FTS5 looks each filtered id up in the
    full-text index (a second instead of milliseconds); the project's FTS5
    backend does the same."""

    name = "plain SQL"

    def __init__(self) -> None:
        self.vendor = connection.vendor
        self.facets = facet_names()
        self.kind_code = registry.kind_codes()
        self.kind_of = {code: kind for kind, code in self.kind_code.items()}

    def _match(self, text: str) -> tuple[str, list[Any]] | None:
        """``SELECT id`` of the documents matching the text, None for no
        positive word (every document, less the excluded words' ones)."""
        parsed = parse(text)
        if not parsed.positive:
            return None
        if self.vendor == "sqlite":
            table = sqlite_fts5.TABLE
            sql = f"SELECT rowid FROM {table} WHERE {table} MATCH %s"  # noqa: S608
            return sql, [to_fts5(parsed)]
        sql = (
            f"SELECT document_id FROM {postgres.TABLE} "  # noqa: S608
            "WHERE vector @@ to_tsquery('simple', %s)"
        )
        return sql, [to_tsquery(parsed)]

    def _restrict(
        self, column: str, match: tuple[str, list[Any]] | None, chosen: Chosen
    ) -> tuple[str, list[Any]]:
        """`` AND column IN (…)`` for the match and each filter."""
        clauses: list[str] = []
        params: list[Any] = []
        if match is not None:
            clauses.append(f"{column} IN ({match[0]})")
            params.extend(match[1])
        for name, (values, match_all) in chosen.values.items():
            if name == TYPE.name:
                kinds = [self.kind_of[v] for v in values if v in self.kind_of]
                marks = ", ".join(["%s"] * len(kinds)) or "NULL"
                clauses.append(
                    f"{column} IN (SELECT id FROM {DOCUMENTS} WHERE kind IN ({marks}))"  # noqa: S608
                )
                params.extend(kinds)
                continue
            for group in [[v] for v in values] if match_all else [values]:
                marks = ", ".join(["%s"] * len(group)) or "NULL"
                clauses.append(
                    f"{column} IN (SELECT document_id FROM {FACET_VALUES} "  # noqa: S608
                    f"WHERE facet = %s AND value IN ({marks}))"
                )
                params.extend([name, *group])
        return "".join(f" AND {c}" for c in clauses), params

    def _top(self, cursor: Any, match: tuple[str, list[Any]] | None, chosen: Chosen) -> list[int]:
        if match is None:
            where, params = self._restrict("id", None, chosen)
            cursor.execute(
                f"SELECT id FROM {DOCUMENTS} WHERE 1 = 1{where} "  # noqa: S608
                f"ORDER BY published_at DESC, id DESC LIMIT {TOP}",
                params,
            )
        elif self.vendor == "sqlite":
            table = sqlite_fts5.TABLE
            where, params = self._restrict("+rowid", None, chosen)
            cursor.execute(
                f"SELECT rowid FROM {table} WHERE {table} MATCH %s{where} "  # noqa: S608
                f"ORDER BY {sqlite_fts5.BM25} LIMIT {TOP}",
                [*match[1], *params],
            )
        else:
            where, params = self._restrict("m.document_id", None, chosen)
            cursor.execute(
                f"SELECT m.document_id FROM {postgres.TABLE} m, "  # noqa: S608
                f"to_tsquery('simple', %s) q WHERE m.vector @@ q{where} "
                f"ORDER BY ts_rank(%s::float4[], m.vector, q) DESC LIMIT {TOP}",
                [*match[1], *params, postgres.RANK_WEIGHTS],
            )
        return [int(row[0]) for row in cursor.fetchall()]

    def _kinds(
        self, cursor: Any, match: tuple[str, list[Any]] | None, chosen: Chosen
    ) -> dict[int, int]:
        where, params = self._restrict("id", match, chosen)
        cursor.execute(
            f"SELECT kind, COUNT(*) FROM {DOCUMENTS} WHERE 1 = 1{where} GROUP BY kind",  # noqa: S608
            params,
        )
        return {self.kind_code.get(kind, 0): int(n) for kind, n in cursor.fetchall()}

    def search(self, query: Query, chosen: Chosen) -> Found:
        match = self._match(query.get("text", ""))
        counts: dict[str, dict[int, int]] = {name: {} for name in self.facets}
        with connection.cursor() as cursor:
            top = self._top(cursor, match, chosen)
            per_kind = self._kinds(cursor, match, chosen)
            total = sum(per_kind.values())
            if TYPE.name in chosen.values:
                per_kind = self._kinds(cursor, match, chosen.without(TYPE.name))
            counts[TYPE.name] = per_kind
            others = [n for n in self.facets if n != TYPE.name and n not in chosen.values]
            if others:
                where, params = self._restrict("document_id", match, chosen)
                marks = ", ".join(["%s"] * len(others))
                cursor.execute(
                    f"SELECT facet, value, COUNT(*) FROM {FACET_VALUES} "  # noqa: S608
                    f"WHERE facet IN ({marks}){where} GROUP BY facet, value",
                    [*others, *params],
                )
                for facet, value, n in cursor.fetchall():
                    counts[facet][int(value)] = int(n)
            for name in chosen.values:
                if name == TYPE.name:
                    continue
                where, params = self._restrict("document_id", match, chosen.without(name))
                cursor.execute(
                    f"SELECT value, COUNT(*) FROM {FACET_VALUES} "  # noqa: S608
                    f"WHERE facet = %s{where} GROUP BY value",
                    [name, *params],
                )
                counts[name] = {int(v): int(n) for v, n in cursor.fetchall()}
        return Found(total=total, top=top, counts=counts)


# -- tantivy -----------------------------------------------------------------


def tantivy_missing() -> str:
    """Why tantivy cannot run here, or "" when it can."""
    try:
        import tantivy  # noqa: F401
    except ImportError:
        return "tantivy is not installed (make bench installs requirements/bench.lock)"
    return ""


def _documents(batch: int = 2_000) -> Iterator[tuple[tuple[Any, ...], list[tuple[str, int]]]]:
    """Every document's row with its facet values, in id order (two
    ordered reads merged, not one query per document)."""
    facet_rows = (
        SearchFacetValue.objects.order_by("document_id")
        .values_list("document_id", "facet", "value")
        .iterator(chunk_size=batch)
    )
    pending = next(facet_rows, None)
    rows = (
        SearchDocument.objects.order_by("pk")
        .values_list("pk", "kind", "title", "keywords", "description", "body", "published_at")
        .iterator(chunk_size=batch)
    )
    for row in rows:
        values: list[tuple[str, int]] = []
        while pending is not None and pending[0] <= row[0]:
            if pending[0] == row[0]:
                values.append((pending[1], pending[2]))
            pending = next(facet_rows, None)
        yield row, values


class Tantivy:
    """An index of the ``SearchDocument`` rows in a temporary directory,
    built once (``close`` removes it)."""

    name = "tantivy"

    def __init__(self, *, heap_bytes: int = 256_000_000) -> None:
        import tantivy

        self.t = tantivy
        self.facets = facet_names()
        self.kind_code = registry.kind_codes()
        stemmed = (
            tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.simple())
            .filter(tantivy.Filter.lowercase())
            .filter(tantivy.Filter.ascii_fold())
            .filter(tantivy.Filter.stemmer("dutch"))
            .build()
        )
        plain = (
            tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.simple())
            .filter(tantivy.Filter.lowercase())
            .filter(tantivy.Filter.ascii_fold())
            .build()
        )
        self.stemmed, self.plain = stemmed, plain
        builder = tantivy.SchemaBuilder()
        for field in FIELDS:
            builder.add_text_field(field, tokenizer_name="cr_stemmed")
        # Every word of the four fields unstemmed, for prefixes as typed.
        builder.add_text_field("words", tokenizer_name="cr_plain", index_option="freq")
        builder.add_unsigned_field("id", fast=True)
        builder.add_integer_field("published", fast=True)
        for name in self.facets:
            builder.add_unsigned_field(f"facet_{name}", indexed=True, fast=True)
        self.schema = builder.build()
        self.directory = tempfile.mkdtemp(prefix="bench-tantivy-")
        self._cleanup = weakref.finalize(self, shutil.rmtree, self.directory, True)
        self.index = tantivy.Index(self.schema, path=self.directory)
        self.index.register_tokenizer("cr_stemmed", stemmed)
        self.index.register_tokenizer("cr_plain", plain)
        start = time.perf_counter()
        writer = self.index.writer(heap_size=heap_bytes)
        self.documents = 0
        for row, values in _documents():
            pk, kind, title, keywords, description, body, published = row
            doc = tantivy.Document()
            texts = (title, keywords, description, body)
            for field, text in zip(FIELDS, texts, strict=True):
                doc.add_text(field, text or "")
            doc.add_text("words", "\n".join(t or "" for t in texts))
            doc.add_unsigned("id", int(pk))
            doc.add_integer("published", int(published.timestamp()) if published else 0)
            doc.add_unsigned(f"facet_{TYPE.name}", self.kind_code.get(kind, 0))
            for facet, value in values:
                if facet in self.facets:
                    doc.add_unsigned(f"facet_{facet}", int(value))
            writer.add_document(doc)
            self.documents += 1
        writer.commit()
        writer.wait_merging_threads()
        self.index.reload()
        self.searcher = self.index.searcher()
        self.build_seconds = time.perf_counter() - start
        self.segments = self.searcher.num_segments

    def close(self) -> None:
        self._cleanup()

    def _any_field(self, make: Any) -> Any:
        """A term (or phrase) in any of the four fields, each with the
        project's field weight."""
        t = self.t
        return t.Query.boolean_query(
            [(t.Occur.Should, t.Query.boost_query(make(f), WEIGHTS[f])) for f in FIELDS]
        )

    def _term(self, text: str, *, prefix: bool) -> Any:
        t, schema = self.t, self.schema
        if prefix:
            tokens = self.plain.analyze(text)
            if len(tokens) == 1 and len(tokens[0]) >= MIN_PREFIX:
                return t.Query.phrase_prefix_query(schema, "words", tokens)
            if len(tokens) > 1:
                return self._any_field(lambda f: t.Query.phrase_prefix_query(schema, f, tokens))
        tokens = self.stemmed.analyze(text)
        if not tokens:
            return None
        if len(tokens) == 1:
            return self._any_field(lambda f: t.Query.term_query(schema, f, tokens[0]))
        return self._any_field(lambda f: t.Query.phrase_query(schema, f, tokens))

    def text_query(self, text: str) -> tuple[Any, bool]:
        """The query of the search box's language (``search/query.py``):
        words and phrases all required, ``-`` excludes, a trailing ``*``
        a prefix; and whether it ranks (has a positive term)."""
        t = self.t
        clauses: list[tuple[Any, Any]] = []
        for match in PIECE.finditer(text or ""):
            minus, phrase, _closing, word = match.groups()
            if word is not None:
                negated = word.startswith("-") and len(word) > 1
                word = word[1:] if negated else word
                term = self._term(word.rstrip("*"), prefix=word.endswith("*"))
            else:
                negated = bool(minus)
                term = self._term(phrase, prefix=False)
            if term is not None:
                clauses.append((t.Occur.MustNot if negated else t.Occur.Must, term))
        ranks = any(occur == t.Occur.Must for occur, _ in clauses)
        if not ranks:
            clauses.append((t.Occur.Must, t.Query.all_query()))
        return t.Query.boolean_query(clauses), ranks

    def _filtered(self, text_query: Any, chosen: Chosen) -> Any:
        t = self.t
        clauses: list[tuple[Any, Any]] = [(t.Occur.Must, text_query)]
        for name, (values, match_all) in chosen.values.items():
            field = f"facet_{name}"
            if not values:
                clauses.append((t.Occur.Must, t.Query.empty_query()))
            elif match_all:
                clauses.extend(
                    (t.Occur.Must, t.Query.term_query(self.schema, field, v)) for v in values
                )
            else:
                clauses.append((t.Occur.Must, t.Query.term_set_query(self.schema, field, values)))
        return t.Query.boolean_query(clauses) if len(clauses) > 1 else text_query

    def _terms(self, names: Sequence[str]) -> dict[str, Any]:
        return {n: {"terms": {"field": f"facet_{n}", "size": 100_000}} for n in names}

    @staticmethod
    def _buckets(result: dict[str, Any], name: str) -> dict[int, int]:
        return {int(b["key"]): int(b["doc_count"]) for b in result[name]["buckets"]}

    def search(self, query: Query, chosen: Chosen) -> Found:
        text, ranks = self.text_query(query.get("text", ""))
        filtered = self._filtered(text, chosen)
        searcher = self.searcher
        if ranks:
            result = searcher.search(filtered, TOP, count=True)
        else:
            result = searcher.search(filtered, TOP, count=True, order_by_field="published")
        addresses = [address for _, address in result.hits]
        top = (
            [int(v or 0) for v in searcher.fast_field_values("id", addresses)] if addresses else []
        )
        counts: dict[str, dict[int, int]] = {}
        others = [n for n in self.facets if n not in chosen.values]
        if others:
            aggregated = searcher.aggregate(filtered, self._terms(others))
            counts.update({n: self._buckets(aggregated, n) for n in others})
        for name in chosen.values:
            aggregated = searcher.aggregate(
                self._filtered(text, chosen.without(name)), self._terms([name])
            )
            counts[name] = self._buckets(aggregated, name)
        # The stubs lack ``count``, which ``count=True`` fills.
        total = int(result.count)  # type: ignore[attr-defined]
        return Found(total=total, top=top, counts=counts)


# -- running them beside the benchmark ---------------------------------------


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


class Baselines:
    """Builds the baselines once, then per class times each on the class's
    queries (after its warm-up queries) and compares their hit counts with
    the project's."""

    # Columns appended to the benchmark's table (its rows end with "|").
    HEADER = (
        " tantivy p95 | selector ÷ tantivy | plain SQL p95 | selector ÷ plain "
        "| search p95 | search ÷ tantivy |"
    )
    RULE = "---|" * 6
    KEYS = {"tantivy": "tantivy", "plain SQL": "plain_sql"}

    def __init__(self, plain_sql_queries: int = 0) -> None:
        # Plain SQL takes seconds a query for frequent words at a million
        # resources: ``plain_sql_queries`` times it on only the first N
        # queries of a class (and as many warm-up queries, at most WARM).
        self.limits = {"plain SQL": plain_sql_queries}
        self.vocabulary = Vocabulary.load()
        self.engines: list[Tantivy | PlainSql] = []
        if why := tantivy_missing():
            print(f"baselines: no tantivy: {why}", file=sys.stderr)
        else:
            engine = Tantivy()
            self.engines.append(engine)
            print(
                f"baselines: tantivy index of {engine.documents:,} documents built in "
                f"{engine.build_seconds:.1f} s ({engine.segments} segments)",
                file=sys.stderr,
            )
        self.engines.append(PlainSql())

    def close(self) -> None:
        for engine in self.engines:
            if isinstance(engine, Tantivy):
                engine.close()

    MEASURES = {
        "tantivy": "tantivy over the same documents (bench/baselines.py): match, count, "
        "top 20 by BM25, facet counts",
        "plain_sql": "FTS5 bm25() / tsvector ts_rank() ORDER BY LIMIT 20, COUNT and "
        "GROUP BY facet counts over the match (bench/baselines.py)",
    }

    def run(self, warm: list[Query], queries: list[Query], totals: list[int]) -> dict[str, Any]:
        """Per baseline: p50/p95/mean/max in ms, median hits, and how many
        queries' hit counts differ from the project's (``totals``)."""
        results: dict[str, Any] = {}
        for engine in self.engines:
            limit = self.limits.get(engine.name) or len(queries)
            for query in warm[: min(WARM, limit)]:
                engine.search(query, Chosen.of(query, self.vocabulary))
            times: list[float] = []
            hits: list[int] = []
            for query in queries[:limit]:
                start = clock()
                found = engine.search(query, Chosen.of(query, self.vocabulary))
                times.append((clock() - start) * 1000)
                hits.append(found.total)
            results[self.KEYS[engine.name]] = {
                "queries": len(times),
                "p50": round(_percentile(times, 0.50), 2),
                "p95": round(_percentile(times, 0.95), 2),
                "mean": round(statistics.fmean(times), 2),
                "max": round(max(times), 2),
                "median_hits": statistics.median(hits),
                "hits_differ": sum(
                    1 for a, b in zip(hits, totals[: len(hits)], strict=True) if a != b
                ),
            }
        print(
            "  " + " " * 16 + ", ".join(f"{k} p95 {v['p95']:8.1f} ms" for k, v in results.items()),
            file=sys.stderr,
        )
        return results

    @classmethod
    def cells(cls, row: dict[str, Any]) -> str:
        """The table's cells for one class: each baseline's p95 and the
        selector's p95 divided by it."""
        cells = []
        for key in cls.KEYS.values():
            if key not in row:
                cells += ["–", "–"]
                continue
            p95 = row[key]["p95"]
            ratio = row["selector"]["p95"] / p95 if p95 else float("inf")
            cells += [f"{p95:.1f}", f"{ratio:.1f}×"]
        # The selector without the page's cards, beside tantivy.
        search = row.get("search", {}).get("p95")
        tantivy = row.get("tantivy", {}).get("p95")
        cells += [f"{search:.1f}" if search is not None else "–"]
        cells += [f"{search / tantivy:.1f}×" if search is not None and tantivy else "–"]
        return " " + " | ".join(cells) + " |"
