"""The selector beside plain SQL, in CPU time, per query class (issue 15,
item 3): ``search_documents()`` and the plain FTS5/PostgreSQL baseline
(``baselines.PlainSql``) alternate on each of the class's queries, after
its warm-up queries, so a machine shared with other work slows both alike.
The selector is also given without its 20 cards (their rows, titles and
snippets), which the baselines do not build: ``search_bench.py``'s
"search" measure.
On SQLite both run in this process; on PostgreSQL the server's own work is
not in a CPU time, so use wall time there (``search_bench.py``).
``--profile`` prints cProfile's cumulative table instead.

    VAR_DIR=/tmp/bench-var .venv/bin/python bench/selector_profile.py "rare term,two terms"
    VAR_DIR=/tmp/bench-var .venv/bin/python bench/selector_profile.py "rare term" --profile
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "commonroom.settings")

import django  # noqa: E402

django.setup()

import search_bench  # noqa: E402
from baselines import Chosen, PlainSql  # noqa: E402
from django.http import QueryDict  # noqa: E402

from commonroom.search import selectors  # noqa: E402
from commonroom.search.forms import Vocabulary  # noqa: E402
from commonroom.search.selectors import search_documents  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("classes", help="comma-separated query classes")
    parser.add_argument("--per-class", type=int, default=200)
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()
    classes = search_bench.generated_queries(args.per_class, 1)
    warm = search_bench.generated_queries(args.per_class, 1001)
    vocabulary = Vocabulary.load()
    plain = PlainSql()
    cards: list[float] = []
    build_cards = selectors.hits_of

    def timed_cards(*args: Any) -> Any:
        start = time.process_time()
        hits = build_cards(*args)
        cards.append((time.process_time() - start) * 1000)
        return hits

    setattr(selectors, "hits_of", timed_cards)  # noqa: B010 - a wrapper in its place

    def selector(query: dict[str, Any]) -> Any:
        params = QueryDict(mutable=True)
        for name, value in query.get("filters", {}).items():
            params[name] = value
        return search_documents(text=query.get("text", ""), filters=vocabulary.filters(params))

    for name in [c.strip() for c in args.classes.split(",")]:
        for query in warm[name]:
            selector(query)
        queries = classes[name]
        if args.profile:
            profile = cProfile.Profile()
            profile.enable()
            for query in queries:
                selector(query)
            profile.disable()
            out = io.StringIO()
            pstats.Stats(profile, stream=out).sort_stats("cumulative").print_stats(40)
            print(out.getvalue())
            continue
        ours: list[float] = []
        theirs: list[float] = []
        without_cards: list[float] = []
        for query in queries:
            cards.clear()
            start = time.process_time()
            selector(query)
            ours.append((time.process_time() - start) * 1000)
            without_cards.append(ours[-1] - sum(cards))
            start = time.process_time()
            plain.search(query, Chosen.of(query, vocabulary))
            theirs.append((time.process_time() - start) * 1000)
        p = search_bench.percentile
        print(
            f"{name:16} selector p50 {p(ours, 0.5):.2f} p95 {p(ours, 0.95):.2f} ms CPU | "
            f"without cards p50 {p(without_cards, 0.5):.2f} p95 {p(without_cards, 0.95):.2f} | "
            f"plain SQL p50 {p(theirs, 0.5):.2f} p95 {p(theirs, 0.95):.2f} | "
            f"p95 ratios {p(ours, 0.95) / p(theirs, 0.95):.2f} and "
            f"{p(without_cards, 0.95) / p(theirs, 0.95):.2f}"
        )


if __name__ == "__main__":
    main()
