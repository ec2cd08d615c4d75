"""The judged relevance set (issue 15, item 2): nDCG@10 and recall@20 of
the search over ``bench/relevance/queries.json``.

Each query has graded judgments (0-3) of the documents in
``bench/relevance/documents.jsonl`` (the demo topics and teacher documents
written for the set), keyed by a short key; a document is found by its
title. An unlisted document is graded 0; a document listed with 0 must not
be in the top 10 (``false_hits``: "zon" must not bring "gezondheid").
Recall counts the documents graded 2 or 3. The
``bench`` queries are judged by rule over the whole corpus: a document
whose title (3), keywords (2) or description (1) holds a word starting
with the prefix.

    VAR_DIR=/tmp/bench-var .venv/bin/python bench/relevance.py [--details]

runs against the current database (``manage.py bench_data --with
bench/relevance/documents.jsonl`` adds the judged documents to the bench
corpus; ``make bench`` does, and ``search_bench.py`` reports these figures
under ``relevance``). ``commonroom/search/tests/test_relevance.py`` holds a
floor on the judged documents alone, on both engines.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import re
import statistics
import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent / "relevance"
DOCUMENTS = HERE / "documents.jsonl"
QUERIES = HERE / "queries.json"
NDCG_AT = 10
RECALL_AT = 20
RELEVANT = 2

Search = Callable[[str], list[int]]


def documents() -> list[dict[str, Any]]:
    with DOCUMENTS.open(encoding="utf-8") as lines:
        return [json.loads(line) for line in lines if line.strip()]


def judged_set() -> dict[str, Any]:
    return json.loads(QUERIES.read_text(encoding="utf-8"))


def dcg(grades: Iterable[int]) -> float:
    return sum((2**g - 1) / math.log2(i + 2) for i, g in enumerate(grades))


def ndcg(ranked: list[Any], judgments: dict[Any, int], k: int = NDCG_AT) -> float:
    ideal = dcg(sorted((g for g in judgments.values() if g > 0), reverse=True)[:k])
    if not ideal:
        return 1.0
    return dcg(judgments.get(key, 0) for key in ranked[:k]) / ideal


def recall(ranked: list[Any], judgments: dict[Any, int], k: int = RECALL_AT) -> float:
    """Relevant documents (graded 2 or 3; a 1 is "marginal", e.g. the same
    topic in the other language) in the first ``k``, over the relevant ones
    there can be in ``k`` (so a query with 500 relevant documents is not
    capped at 4 %)."""
    relevant = {key for key, g in judgments.items() if g >= RELEVANT}
    if not relevant:
        return 1.0
    return len(relevant & set(ranked[:k])) / min(len(relevant), k)


def evaluate(search: Search, key_of: dict[int, str]) -> dict[str, Any]:
    """The judged queries through ``search`` (text → ranked document ids,
    at least RECALL_AT of them), ``key_of`` mapping ids to keys."""
    rows = []
    for query in judged_set()["queries"]:
        ranked = [key_of.get(pk, f"#{pk}") for pk in search(query["text"])]
        judgments: dict[str, int] = query["judgments"]
        banned = {key for key, g in judgments.items() if g == 0}
        rows.append(
            {
                "text": query["text"],
                "category": query["category"],
                "language": query["language"],
                "judged": any(g >= RELEVANT for g in judgments.values()),
                "ndcg": ndcg(ranked, judgments),
                "recall": recall(ranked, judgments),
                "false_hits": len(banned & set(ranked[:NDCG_AT])),
                "top": ranked[:5],
            }
        )
    return summarise(rows)


def summarise(rows: list[dict[str, Any]]) -> dict[str, Any]:
    judged = [r for r in rows if r["judged"]]

    def means(group: list[dict[str, Any]]) -> dict[str, float]:
        return {
            f"ndcg@{NDCG_AT}": round(statistics.fmean(r["ndcg"] for r in group), 4),
            f"recall@{RECALL_AT}": round(statistics.fmean(r["recall"] for r in group), 4),
            "queries": len(group),
        }

    categories = sorted({r["category"] for r in judged})
    return {
        "queries": len(rows),
        **means(judged),
        "false_hits": sum(r["false_hits"] for r in rows),
        "categories": {c: means([r for r in judged if r["category"] == c]) for c in categories},
        "languages": {
            lang: means([r for r in judged if r["language"] == lang])
            for lang in sorted({r["language"] for r in judged})
        },
        "rows": rows,
    }


def rule_judgments(prefix: str, fields: Iterable[tuple[int, str, str, str]]) -> dict[int, int]:
    """Grades by rule: a word starting with ``prefix`` in the title (3),
    the keywords (2) or the description (1)."""
    from commonroom.search.stemming import fold

    pattern = re.compile(r"(?<![^\W_])" + re.escape(fold(prefix)))
    grades = {}
    for pk, title, keywords, description in fields:
        for grade, text in ((3, title), (2, keywords), (1, description)):
            if pattern.search(fold(text)):
                grades[pk] = grade
                break
    return grades


def evaluate_rules(search: Search) -> dict[str, Any]:
    """The ``bench`` queries, judged by rule over every document."""
    from commonroom.search.models import SearchDocument

    prefixes = [q["text"] for q in judged_set()["bench"]]
    fields = list(SearchDocument.objects.values_list("pk", "title", "keywords", "description"))
    rows = []
    for text in prefixes:
        judgments = rule_judgments(text.rstrip("*"), fields)
        ranked = search(text)
        rows.append(
            {
                "text": text,
                "category": "bench prefix",
                "language": "nl",
                "judged": bool(judgments),
                "ndcg": ndcg(ranked, judgments),
                "recall": recall(ranked, judgments),
                "false_hits": 0,
                "relevant": len(judgments),
                "top": [],
            }
        )
    return summarise(rows)


def database_search(text: str) -> list[int]:
    """The search a visitor gets (``search_documents``, relevance order), as
    document ids."""
    from commonroom.search.facets import Filters
    from commonroom.search.selectors import search_documents

    result = search_documents(text=text, filters=Filters(), page_size=RECALL_AT)
    return [int(hit.object.pk) for hit in result.hits]


def resource_keys() -> dict[int, str]:
    """Resource id → judged key, by title (the first resource of a title)."""
    from commonroom.resources.models import Resource

    by_title = {d["title"]: d["key"] for d in documents()}
    found: dict[int, str] = {}
    seen = set()
    for pk, title in (
        Resource.objects.filter(title__in=list(by_title)).order_by("pk").values_list("pk", "title")
    ):
        if title not in seen:
            seen.add(title)
            found[pk] = by_title[title]
    return found


def measure(*, rules: bool = True) -> dict[str, Any]:
    """Both sets against the current database; the judged one only when its
    documents are there."""
    keys = resource_keys()
    result: dict[str, Any] = {"judged_documents": len(keys), "of": len(documents())}
    if keys:
        result["judged"] = evaluate(database_search, keys)
    if rules:

        def ids(text: str) -> list[int]:
            from commonroom.search.models import SearchDocument

            pks = database_search(text)
            by_object = dict(
                SearchDocument.objects.filter(kind="resource", object_id__in=pks).values_list(
                    "object_id", "pk"
                )
            )
            return [by_object[pk] for pk in pks if pk in by_object]

        result["bench"] = evaluate_rules(ids)
    return result


def report(result: dict[str, Any], *, details: bool = False, out: Any = sys.stdout) -> None:
    judged = result.get("judged")
    if judged is None:
        print(
            f"relevance: none of the {result['of']} judged documents is in this database "
            "(bench_data --with bench/relevance/documents.jsonl adds them)",
            file=out,
        )
    else:
        print(
            f"relevance: {judged['queries']} judged queries over {result['judged_documents']}"
            f"/{result['of']} judged documents: nDCG@{NDCG_AT} {judged[f'ndcg@{NDCG_AT}']:.3f}, "
            f"recall@{RECALL_AT} {judged[f'recall@{RECALL_AT}']:.3f}, "
            f"false hits in a top {NDCG_AT}: {judged['false_hits']}",
            file=out,
        )
        for name, group in {**judged["categories"], **judged["languages"]}.items():
            print(
                f"  {name:<14} {group['queries']:>4}  nDCG@{NDCG_AT} {group[f'ndcg@{NDCG_AT}']:.3f}"
                f"  recall@{RECALL_AT} {group[f'recall@{RECALL_AT}']:.3f}",
                file=out,
            )
        if details:
            for row in judged["rows"]:
                if row["ndcg"] < 1 or row["false_hits"]:
                    print(
                        f"    {row['ndcg']:.2f} {row['recall']:.2f} {row['false_hits']} "
                        f"{row['text']!r}: {row['top']}",
                        file=out,
                    )
    bench = result.get("bench")
    if bench:
        print(
            f"relevance (bench prefixes, judged by rule): "
            f"nDCG@{NDCG_AT} {bench[f'ndcg@{NDCG_AT}']:.3f}, "
            f"recall@{RECALL_AT} {bench[f'recall@{RECALL_AT}']:.3f}",
            file=out,
        )
        for row in bench["rows"]:
            print(
                f"  {row['text']:<8} {row['relevant']:>7} relevant  nDCG@{NDCG_AT} "
                f"{row['ndcg']:.3f}  recall@{RECALL_AT} {row['recall']:.3f}",
                file=out,
            )


def without_rows(result: dict[str, Any]) -> dict[str, Any]:
    """The result for the JSON file: per-query rows left out."""
    return {
        key: ({k: v for k, v in value.items() if k != "rows"} if isinstance(value, dict) else value)
        for key, value in result.items()
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--details", action="store_true", help="the queries below 1.0")
    parser.add_argument("--no-rules", action="store_true", help="skip the bench prefixes")
    args = parser.parse_args()
    sys.path.insert(0, str(HERE.parent.parent))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "commonroom.settings")
    import django

    django.setup()
    report(measure(rules=not args.no_rules), details=args.details)


if __name__ == "__main__":
    main()
