"""The directory benchmark (issue 17): the server-side time of a full request
to the directory of training course organisations through Django's test
client (middleware, filters, counts per theme and province, one page of 20
with their offers, template) at 5,000 organisations and 20,000 offers.
Prints p50/p95 per query class and writes JSON to
``bench/results/directory-<engine>-<organisations>.json``.

    VAR_DIR=/tmp/directory-bench .venv/bin/python manage.py migrate
    VAR_DIR=/tmp/directory-bench .venv/bin/python bench/directory_bench.py
    DATABASE_URL=postgres://…/commonroom_dirbench … (the same two commands)

Each request is timed twice: wall time, and CPU time (this process's plus,
on PostgreSQL, its backend's from ``/proc/<pid>/schedstat``), which the
other work of a shared machine changes far less; the JSON keeps both
(``p50_ms``/``p95_ms`` wall, ``cpu_p50_ms``/``cpu_p95_ms``).

The corpus is generated on the first run (``--organisations``, ``--offers``)
in bulk, without the services (no notifications, no search index): the
directory reads the tables only.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "commonroom.settings")
# Every request comes from the test client's one address: the budgets (R34)
# still count each page, as in production, but never refuse the bench's own.
os.environ.setdefault("ANONYMOUS_BUDGET_PAGES", "100000000/10m")
os.environ.setdefault("ANONYMOUS_BUDGET_SEARCH", "100000000/10m")

import django  # noqa: E402

django.setup()

from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402

from commonroom.accounts.models import Member  # noqa: E402
from commonroom.organisations.models import (  # noqa: E402
    Organisation,
    OrganisationKind,
    TrainingOffer,
)
from commonroom.taxonomy.models import Province, TrainingTheme  # noqa: E402

BUDGET_MS = 50.0
WORDS = [
    "leer",
    "school",
    "vorming",
    "huis",
    "academie",
    "netwerk",
    "studio",
    "atelier",
    "punt",
    "centrum",
    "lab",
    "kring",
]


def _corpus(organisations: int, offers: int, seed: int = 17) -> None:
    """Bulk rows: most organisations train, a few are schools or publishers."""
    if Organisation.objects.count() >= organisations:
        return
    rng = random.Random(seed)  # noqa: S311 -- a reproducible corpus, not a secret
    provinces = list(Province.objects.values_list("pk", flat=True))
    themes = list(TrainingTheme.objects.values_list("pk", flat=True))
    member, _ = Member.objects.get_or_create(
        email="bench@bench.example", defaults={"first_name": "Bench", "last_name": "Mark"}
    )
    now = timezone.now()
    with transaction.atomic():
        rows = [
            Organisation(
                name=f"{rng.choice(WORDS).capitalize()} {rng.choice(WORDS)} {n}",
                kind=OrganisationKind.TRAINING_PROVIDER
                if rng.random() < 0.8
                else OrganisationKind.SCHOOL,
                address=f"Straat {n}",
                province_id=rng.choice(provinces),
                website=f"https://org{n}.example",
                email=f"info@org{n}.example",
                description="Nascholing voor leraren.",
                state="published" if rng.random() < 0.95 else "removed",
                proposed_by=member,
                published_at=now,
            )
            for n in range(organisations)
        ]
        created = Organisation.objects.bulk_create(rows, batch_size=1000)
        providers = [o.pk for o in created if o.kind == OrganisationKind.TRAINING_PROVIDER]
        offer_rows = [
            TrainingOffer(
                organisation_id=rng.choice(providers),
                title=f"Traject {n}",
                description="Sessies op school.",
                roles=["teachers"],
                formats=[rng.choice(["at_school", "open_course", "online", "coaching"])],
                sessions=rng.randint(1, 8),
                duration="Drie namiddagen",
                price_range="medium",
                contact_person="An",
                contact_channel="an@example.org",
                is_active=rng.random() < 0.95,
            )
            for n in range(offers)
        ]
        made = TrainingOffer.objects.bulk_create(offer_rows, batch_size=2000)
        theme_links = TrainingOffer.themes.through
        province_links = TrainingOffer.provinces.through
        theme_links.objects.bulk_create(
            [
                theme_links(trainingoffer_id=o.pk, trainingtheme_id=t)
                for o in made
                for t in rng.sample(themes, rng.randint(1, 3))
            ],
            batch_size=5000,
        )
        province_links.objects.bulk_create(
            [
                province_links(trainingoffer_id=o.pk, province_id=p)
                for o in made
                for p in rng.sample(provinces, rng.randint(1, 3))
            ],
            batch_size=5000,
        )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def _queries(rng: random.Random, per_class: int) -> dict[str, list[str]]:
    themes = list(TrainingTheme.objects.values_list("slug", flat=True))
    provinces = list(Province.objects.values_list("slug", flat=True))
    return {
        "everything": ["" for _ in range(per_class)],
        "name": [f"q={rng.choice(WORDS)}" for _ in range(per_class)],
        "theme": [f"theme={rng.choice(themes)}" for _ in range(per_class)],
        "province": [f"province={rng.choice(provinces)}" for _ in range(per_class)],
        "theme and province": [
            f"theme={rng.choice(themes)}&province={rng.choice(provinces)}" for _ in range(per_class)
        ],
        "theme, sorted by offers": [
            f"theme={rng.choice(themes)}&sort=offers" for _ in range(per_class)
        ],
        "name, page 3": [f"q={rng.choice(WORDS)}&page=3" for _ in range(per_class)],
    }


def _backend_cpu() -> Callable[[], float]:
    """Seconds of CPU the database spent for this process so far: its
    PostgreSQL backend's on-CPU time (nanoseconds in schedstat, so exact
    per request), nothing for SQLite (it runs in this process)."""
    if connection.vendor != "postgresql":
        return lambda: 0.0
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    schedstat = Path(f"/proc/{pid}/schedstat")
    if not schedstat.exists():  # a server on another machine
        return lambda: 0.0
    return lambda: int(schedstat.read_text().split()[0]) / 1e9


def _percentiles(times: list[float], prefix: str = "") -> dict[str, float]:
    times = sorted(times)
    return {
        f"{prefix}p50_ms": round(statistics.median(times), 1),
        f"{prefix}p95_ms": round(times[int(len(times) * 0.95) - 1], 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--organisations", type=int, default=5000)
    parser.add_argument("--offers", type=int, default=20000)
    parser.add_argument("--per-class", type=int, default=60)
    args = parser.parse_args()
    _corpus(args.organisations, args.offers)
    client = Client(HTTP_HOST="127.0.0.1")
    client.get("/organisations/training/")  # warm: the site's caches
    rng = random.Random(5)  # noqa: S311 -- reproducible queries
    backend_cpu = _backend_cpu()  # the connection the warm-up opened (CONN_MAX_AGE keeps it)
    results: dict[str, dict[str, float]] = {}
    for name, queries in _queries(rng, args.per_class).items():
        times, cpu_times = [], []
        for query in queries:
            started, cpu_started = time.perf_counter(), time.process_time() + backend_cpu()
            response = client.get(f"/organisations/training/?{query}")
            times.append((time.perf_counter() - started) * 1000)
            cpu_times.append((time.process_time() + backend_cpu() - cpu_started) * 1000)
            if response.status_code != 200:
                raise SystemExit(f"{query}: status {response.status_code}")
        results[name] = {**_percentiles(times), **_percentiles(cpu_times, "cpu_")}
        r = results[name]
        print(
            f"{name:<26} p50 {r['p50_ms']:7.1f} ms   p95 {r['p95_ms']:7.1f} ms"
            f"   CPU p50 {r['cpu_p50_ms']:6.1f} ms   p95 {r['cpu_p95_ms']:6.1f} ms"
        )
    for key, what in (("p95_ms", "wall"), ("cpu_p95_ms", "CPU")):
        worst = max(r[key] for r in results.values())
        verdict = "within" if worst <= BUDGET_MS else "OVER"
        print(f"worst p95 ({what}) {worst:.1f} ms: {verdict} the budget of {BUDGET_MS:.0f} ms")
    out = (
        ROOT
        / "bench"
        / "results"
        / (f"directory-{connection.vendor}-{Organisation.objects.count()}.json")
    )
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(
        json.dumps(
            {
                "engine": connection.vendor,
                "organisations": Organisation.objects.count(),
                "offers": TrainingOffer.objects.count(),
                "budget_ms": BUDGET_MS,
                "classes": results,
            },
            indent=2,
        )
    )
    print(f"written {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
