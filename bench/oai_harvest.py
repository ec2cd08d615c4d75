"""Issue 18 acceptance: a real harvester (sickle) takes every record of a
running site through resumption tokens, in both formats, and every page is
validated against the OAI-PMH, oai_dc and LOM schemas kept in the repo.

    VAR_DIR=... DATABASE_URL=... manage.py migrate && manage.py bench_data --resources 2500 ...
    (serve the site on BIND, e.g. gunicorn commonroom.wsgi -b 127.0.0.1:8112)
    VAR_DIR=... DATABASE_URL=... python bench/oai_harvest.py http://127.0.0.1:8112

It issues itself a harvester key (so the anonymous budget does not apply),
prints the figures as JSON and exits non-zero when a count or a page is wrong.
"""

from __future__ import annotations

import json
import os
import sys
import time
from typing import Any

import django

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "commonroom.settings")
django.setup()

from sickle import Sickle  # noqa: E402

from commonroom.oai.services import harvester_key_create  # noqa: E402
from commonroom.oai.tests.xsd_validation import validation_errors  # noqa: E402
from commonroom.resources.models import Resource  # noqa: E402


def harvest(base: str, prefix: str, key: str) -> dict[str, Any]:
    pages = 0
    invalid: list[str] = []

    def check(response: Any, *args: Any, **kwargs: Any) -> None:
        nonlocal pages
        pages += 1
        if response.status_code != 200:
            invalid.append(f"page {pages}: HTTP {response.status_code}")
            return
        errors = validation_errors(response.content)
        if errors:
            invalid.append(f"page {pages}: {errors[:3]}")

    harvester = Sickle(
        f"{base}/oai",
        headers={"Authorization": f"Bearer {key}"},
        hooks={"response": [check]},
        max_retries=0,
    )
    started = time.perf_counter()
    live = deleted = 0
    resources = 0
    for record in harvester.ListRecords(metadataPrefix=prefix, ignore_deleted=False):
        if record.header.identifier.split(":")[-1].startswith("resource/"):
            resources += 1
            if record.deleted:
                deleted += 1
            else:
                live += 1
    seconds = time.perf_counter() - started
    return {
        "format": prefix,
        "seconds": round(seconds, 2),
        "records": resources,
        "live_resources": live,
        "deleted_resources": deleted,
        "pages": pages,
        "resumption_tokens": pages - 1,
        "invalid_pages": invalid,
    }


def main() -> int:
    base = sys.argv[1].rstrip("/")
    _key, raw = harvester_key_create(name="bench", contact="bench@localhost", created_by=None)
    published = Resource.objects.published().count()
    ever_published = (
        Resource.objects.filter(published_at__isnull=False)
        .exclude(pk__in=Resource.objects.published())
        .count()
    )
    results = [harvest(base, prefix, raw) for prefix in ("lom", "oai_dc")]
    ok = all(
        r["live_resources"] == published
        and r["deleted_resources"] == ever_published
        and not r["invalid_pages"]
        for r in results
    )
    summary = {
        "database": django.db.connection.vendor,
        "published_resources": published,
        "withdrawn_or_hidden": ever_published,
        "results": results,
        "ok": ok,
    }
    print(json.dumps(summary, indent=2))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
