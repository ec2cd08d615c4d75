"""The staffroom benchmark (issue 16): the server-side time of a thread page
of a thread with 5,000 replies, its first, a middle and its last page,
through Django's test client (middleware, session, the keyset page, read
marker, template), as a signed-in member. Prints p50/p95 per page and the
queries of each, and checks the budget: p95 ≤ 50 ms.

    VAR_DIR=/tmp/staffroom-bench .venv/bin/python bench/staffroom_bench.py
    DATABASE_URL=postgres://…/commonroom_staffroom_bench .venv/bin/python bench/staffroom_bench.py

Use a database of its own: the first run migrates it and writes the thread
(``--replies``); later runs reuse it.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "commonroom.settings")
# Plain http on loopback, as make run serves (no redirect to https).
os.environ.setdefault("HTTPS", "false")
os.environ.setdefault("STATIC_MANIFEST", "false")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402

from commonroom.accounts.models import Member  # noqa: E402
from commonroom.staffroom.models import Category, Post, Thread  # noqa: E402

BUDGET_MS = 50.0
TITLE = "Benchmark thread"


def _member(email: str) -> Member:
    member, _created = Member.objects.get_or_create(
        email=email,
        defaults={
            "first_name": "Bench",
            "last_name": email.split("@")[0].title(),
            "date_joined": timezone.now() - timedelta(days=90),
        },
    )
    return member


def thread_with(replies: int) -> Thread:
    existing = Thread.objects.filter(title=TITLE).first()
    if existing is not None:
        return existing
    board, _created = Category.objects.get_or_create(
        slug="bench", defaults={"name": "Bench", "position": 99}
    )
    author, writer = _member("author@bench.example"), _member("writer@bench.example")
    thread = Thread.objects.create(category=board, title=TITLE, author=author)
    opening = Post.objects.create(thread=thread, author=author, body="How long is a long thread?")
    posts = [
        Post(thread=thread, author=writer, body=f"Reply {i}: **some** words, *more* words.")
        for i in range(replies)
    ]
    for post in posts:
        post.render()  # as the services store it
    Post.objects.bulk_create(posts, batch_size=1000)
    last_id = Post.objects.filter(thread=thread).order_by("-pk").values_list("pk", flat=True)[0]
    Thread.objects.filter(pk=thread.pk).update(
        opening_post=opening, last_post_id=last_id, reply_count=replies
    )
    thread.refresh_from_db()
    return thread


class Counted:
    """An execute wrapper that counts the queries of a request."""

    def __init__(self) -> None:
        self.queries = 0

    def __call__(self, execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        self.queries += 1
        return execute(sql, params, many, context)


def _get(client: Client, path: str) -> None:
    response = client.get(path)
    if response.status_code != 200:
        sys.exit(f"{path} answered {response.status_code}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--replies", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--warm", type=int, default=20)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    thread = thread_with(args.replies)
    ids = list(Post.objects.filter(thread=thread).order_by("pk").values_list("pk", flat=True))
    url = thread.get_absolute_url()
    pages = {
        # For scale: the category list, a small page, on the same machine at the same time.
        "category list (reference)": "/staffroom/",
        "first": url,
        "middle": f"{url}?after={ids[len(ids) // 2]}",
        "last": f"{url}?last=1",
    }
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(_member("reader@bench.example"))
    print(f"{connection.vendor}: a thread of {len(ids) - 1} replies, {args.runs} requests a page")
    print("| page | queries | p50 ms | p95 ms |")
    print("|---|---|---|---|")
    failed = False
    for name, path in pages.items():
        for _ in range(args.warm):
            client.get(path)
        captured = Counted()
        with connection.execute_wrapper(captured):
            _get(client, path)
        times = []
        for _ in range(args.runs):
            started = time.perf_counter()
            _get(client, path)
            times.append((time.perf_counter() - started) * 1000)
        p50 = statistics.median(times)
        p95 = statistics.quantiles(times, n=20)[-1]
        failed |= p95 > BUDGET_MS and "reference" not in name
        print(f"| {name} | {captured.queries} | {p50:.1f} | {p95:.1f} |")
    print(f"budget: p95 ≤ {BUDGET_MS:.0f} ms: {'FAILED' if failed else 'met'}")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
