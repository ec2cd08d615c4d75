"""Two versions of the code side by side on one shared machine: a worker
process per version, each on its own database, answers the same search
queries in alternation (in a random order per query), so whatever else the
machine does falls on both alike. Prints, per query class, request p50/p95
of each and the change, and whether every query found as many results in
both. Issue 14 measured "within 10 % of before" this way.

    git worktree add /tmp/base <commit>          # the code before
    PY=.venv/bin/python BASE_DIR=/tmp/base AFTER_DIR=. \\
      BASE_ENV="VAR_DIR=/tmp/bench-base" AFTER_ENV="VAR_DIR=/tmp/bench-after" \\
      .venv/bin/python bench/paired.py OUT.json ["class,class"]

Each side's database is a ``bench_data`` corpus made by that side's code
(same --resources/--members/--seed, so the same documents); *_ENV holds
``NAME=value`` pairs separated by ``;`` (DATABASE_URL for PostgreSQL).
The queries are the classes of ``search_bench.py``, drawn by the after side.
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
import time
from typing import Any

PER_CLASS = 200


def worker() -> None:
    """Answer queries read as JSON lines on stdin, one JSON line each."""
    root = os.getcwd()
    sys.path[:0] = [root + "/bench", root]
    sys.argv = sys.argv[:1]
    import search_bench as sb
    from django.db import connection, reset_queries
    from django.http import QueryDict
    from django.test import Client
    from django.utils.http import urlencode

    if connection.vendor == "postgresql":
        sb.prewarm()
    client = Client(HTTP_HOST="127.0.0.1")
    vocabulary = sb.Vocabulary.load()

    def request(query: dict[str, Any]) -> None:
        response = client.get("/search/?" + urlencode(sb.params(query)), secure=True)
        if response.status_code != 200:
            raise SystemExit(f"{query}: HTTP {response.status_code}")

    def selector(query: dict[str, Any]) -> Any:
        params = QueryDict(mutable=True)
        for name, value in query.get("filters", {}).items():
            params[name] = value
        return sb.search_documents(text=query.get("text", ""), filters=vocabulary.filters(params))

    for line in sys.stdin:
        message = json.loads(line)
        answer: dict[str, Any] = {}
        if message["op"] == "generate":
            answer = {
                "warm": sb.generated_queries(PER_CLASS, 1001),
                "measure": sb.generated_queries(PER_CLASS, 1),
            }
        elif message["op"] == "warm":
            for query in message["queries"]:
                request(query)
        else:
            query = message["query"]
            reset_queries()
            start = time.perf_counter()
            request(query)
            answer["request"] = (time.perf_counter() - start) * 1000
            start = time.perf_counter()
            result = selector(query)
            answer["selector"] = (time.perf_counter() - start) * 1000
            answer["total"] = result.total
        sys.stdout.write(json.dumps(answer) + "\n")
        sys.stdout.flush()


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


def coordinate(out: str, wanted: list[str]) -> None:
    sides = ("base", "after")
    workers = {}
    for side in sides:
        env = dict(os.environ)
        for pair in os.environ.get(side.upper() + "_ENV", "").split(";"):
            if pair:
                name, value = pair.split("=", 1)
                env[name] = value
        workers[side] = subprocess.Popen(  # noqa: S603 - our own interpreter and script
            [os.environ.get("PY", sys.executable), os.path.abspath(__file__), "worker"],
            cwd=os.environ[side.upper() + "_DIR"],
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )

    def ask(side: str, message: dict[str, Any]) -> dict[str, Any]:
        process = workers[side]
        if process.stdin is None or process.stdout is None:
            raise SystemExit(f"the {side} worker has no pipes")
        process.stdin.write(json.dumps(message) + "\n")
        process.stdin.flush()
        line = process.stdout.readline()
        if not line:
            raise SystemExit(f"the {side} worker stopped")
        return dict(json.loads(line))

    queries = ask("after", {"op": "generate"})
    rng = random.Random(7)  # noqa: S311 - an order, not a secret
    results: dict[str, Any] = {}
    for name, measured in queries["measure"].items():
        if wanted and name not in wanted:
            continue
        for side in sides:
            ask(side, {"op": "warm", "queries": queries["warm"][name]})
        times: dict[str, dict[str, list[float]]] = {
            s: {"request": [], "selector": []} for s in sides
        }
        totals: dict[str, list[int]] = {s: [] for s in sides}
        for query in measured:
            order = list(sides)
            rng.shuffle(order)
            for side in order:
                answer = ask(side, {"op": "query", "query": query})
                times[side]["request"].append(answer["request"])
                times[side]["selector"].append(answer["selector"])
                totals[side].append(answer["total"])
        row: dict[str, Any] = {
            side: {
                measure: {"p50": percentile(v, 0.5), "p95": percentile(v, 0.95)}
                for measure, v in times[side].items()
            }
            for side in sides
        }
        row["same_hits"] = totals["base"] == totals["after"]
        results[name] = row
        base, after = row["base"]["request"], row["after"]["request"]
        print(
            f"| {name} | {base['p95']:.1f} | {after['p95']:.1f} "
            f"| {(after['p95'] / base['p95'] - 1) * 100:+.1f} % "
            f"| {base['p50']:.1f} | {after['p50']:.1f} "
            f"| {(after['p50'] / base['p50'] - 1) * 100:+.1f} % | {row['same_hits']} |",
            flush=True,
        )
    with open(out, "w") as file:
        json.dump(results, file, indent=1)
    for process in workers.values():
        if process.stdin is not None:
            process.stdin.close()
        process.wait()


if __name__ == "__main__":
    if sys.argv[1:2] == ["worker"]:
        worker()
    else:
        print(
            "| class | base p95 | after p95 | change | base p50 | after p50 | change | same hits |"
        )
        print("|---|---|---|---|---|---|---|---|")
        coordinate(
            sys.argv[1], [c for c in (sys.argv[2].split(",") if len(sys.argv) > 2 else []) if c]
        )
