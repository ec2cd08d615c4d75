"""The load test's members and the addresses it visits, in the cluster's database.

    .venv/bin/python -m tests.load.seed --members 200 --out setup.json

Run with the cluster's environment (tests/load/run.py does it). Creates
`load<N>@load.example` members (idempotent), signed up a month ago so that
the limits of new accounts (NEW_ACCOUNT_DAYS) do not apply: the load is
members at the usual limits. Writes what the Locust users need as JSON.
"""

from __future__ import annotations

import argparse
import base64
import json
import os
from datetime import timedelta
from pathlib import Path
from typing import Any

EMAIL = "load{}@load.example"


def seed(members: int) -> dict[str, Any]:
    from django.utils import timezone

    from commonroom.accounts.models import Member
    from commonroom.accounts.tests.factories import PASSWORD, MemberFactory
    from commonroom.resources.models import Resource
    from commonroom.resources.tests.helpers import pdf_bytes
    from commonroom.staffroom.models import Category, Thread
    from commonroom.taxonomy.models import EducationLevel, Language, ResourceKind, Subject

    month_ago = timezone.now() - timedelta(days=30)
    existing = set(Member.objects.filter(email__endswith="@load.example").values_list("email"))
    for i in range(members):
        email = EMAIL.format(i)
        if (email,) not in existing:
            MemberFactory(email=email, first_name="Load", last_name=f"Tester {i}")
    Member.objects.filter(email__endswith="@load.example").update(date_joined=month_ago)
    ids = dict(Member.objects.filter(email__endswith="@load.example").values_list("email", "pk"))
    resources = [
        {"id": r.pk, "url": r.get_absolute_url(), "title": r.title}
        for r in Resource.objects.published().order_by("pk")
    ]
    return {
        "members": [{"email": EMAIL.format(i), "id": ids[EMAIL.format(i)]} for i in range(members)],
        "password": PASSWORD,
        "resources": resources,
        "threads": [
            {"id": t.pk, "url": t.get_absolute_url()} for t in Thread.objects.visible()[:50]
        ],
        "categories": [c.get_absolute_url() for c in Category.objects.all()],
        "kind": ResourceKind.objects.get(slug="worksheet").pk,
        "language": Language.objects.get(slug="en").pk,
        "subject": Subject.objects.order_by("pk").first().pk,  # type: ignore[union-attr]
        "level": EducationLevel.objects.order_by("pk").first().pk,  # type: ignore[union-attr]
        "pdf": base64.b64encode(pdf_bytes()).decode(),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--members", type=int, default=200)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "commonroom.settings")
    import django

    django.setup()
    args.out.write_text(json.dumps(seed(args.members)))
    print(f"seed: {args.members} load-test members; setup in {args.out}")


if __name__ == "__main__":
    main()
