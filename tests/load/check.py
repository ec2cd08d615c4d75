"""After a load run: is everything the site acknowledged really there?

    .venv/bin/python -m tests.load.check --ledger writes.jsonl --mail DIR

Run with the cluster's environment (tests/load/run.py does it). Prints JSON:
acknowledged writes missing from the database (by kind), resource files whose
stored object is missing and stored objects no row names (in whatever storage
STORAGES holds them: the bucket with STORAGE_URL, else the folders),
duplicated notifications and mails, the search index against the public
objects, and background work not done.
"""

from __future__ import annotations

import argparse
import email
import json
import os
from collections import Counter
from pathlib import Path
from typing import Any


def ledger(path: Path) -> dict[str, list[dict[str, Any]]]:
    kinds: dict[str, list[dict[str, Any]]] = {}
    for line in path.read_text().splitlines():
        if line.strip():
            entry = json.loads(line)
            kinds.setdefault(entry["kind"], []).append(entry)
    return kinds


def missing_writes(acks: dict[str, list[dict[str, Any]]]) -> dict[str, tuple[int, int]]:
    """(acknowledged, missing) by kind."""
    from commonroom.library.models import SavedItem
    from commonroom.messaging.models import Message
    from commonroom.moderation.report_models import Report
    from commonroom.resources.models import Resource
    from commonroom.social.models import Reaction
    from commonroom.staffroom.models import Post

    saves = set(SavedItem.objects.values_list("member__email", "resource_id"))
    stored: dict[str, set[Any]] = {
        "save": saves,
        "reaction": set(Reaction.objects.values_list("body", flat=True)),
        "message": set(Message.objects.values_list("body", flat=True)),
        "upload": set(Resource.objects.values_list("title", flat=True)),
        "reply": set(Post.objects.values_list("body", flat=True)),
        # A member reporting what they reported already (still open) adds
        # nothing (moderation.report_services): a report is its reporter and target.
        "report": set(Report.objects.values_list("reporter__email", "object_id")),
    }
    key = {
        "save": lambda e: (e["member"], e["resource"]),
        "reaction": lambda e: e["body"],
        "message": lambda e: e["body"],
        "upload": lambda e: e["title"],
        "reply": lambda e: e["body"],
        "report": lambda e: (e["member"], e["resource"]),
    }
    return {
        kind: (len(entries), sum(key[kind](e) not in stored[kind] for e in entries))
        for kind, entries in acks.items()
    }


def stored_names(storage: Any, folder: str = "") -> set[str]:
    """Every name the storage holds. A bucket is listed flat, a page of 1,000
    keys per request: a listing by folders (Delimiter="/", what listdir
    asks) costs a request per folder, and s3rver 3.7.1, the cluster's S3
    server, leaves out the folders two levels down (private/resources/12/)."""
    client = getattr(getattr(getattr(storage, "connection", None), "meta", None), "client", None)
    if client is not None:
        prefix = f"{storage.location.rstrip('/')}/" if storage.location else ""
        pages = client.get_paginator("list_objects_v2").paginate(
            Bucket=storage.bucket_name, Prefix=prefix
        )
        entries = (entry for page in pages for entry in page.get("Contents", ()))
        return {entry["Key"].removeprefix(prefix) for entry in entries}
    directories, files = storage.listdir(folder)
    names = {f"{folder}/{f}".lstrip("/") for f in files}
    for directory in directories:
        names |= stored_names(storage, f"{folder}/{directory}".lstrip("/"))
    return names


def files() -> dict[str, Any]:
    """Resource files against the private storage (both directions)."""
    from django.core.files.storage import storages

    from commonroom.resources.models import ResourceFile

    named = {
        name
        for row in ResourceFile.objects.values_list("file", "thumbnail", "thumbnail_small")
        for name in row
        if name
    }
    storage = storages["private"] if "private" in storages.backends else storages["default"]
    held = stored_names(storage)
    return {
        "storage": type(storage).__name__,
        "rows naming a file": len(named),
        "stored objects": len(held),
        "missing (row, no object)": sorted(named - held)[:10],
        "missing count": len(named - held),
        "orphaned (object, no row)": sorted(held - named)[:10],
        "orphaned count": len(held - named),
    }


def duplicates(mail_dir: Path) -> dict[str, int]:
    from django.db.models import Count

    from commonroom.notifications.models import Notification

    notifications = (
        Notification.objects.values("recipient_id", "kind", "url", "title", "body")
        .annotate(n=Count("pk"))
        .filter(n__gt=1)
    )
    mails: Counter[tuple[str, str, str]] = Counter()
    for path in sorted(mail_dir.glob("*.log")) if mail_dir.exists() else []:
        for chunk in path.read_text(errors="replace").split("-" * 79):
            if chunk.strip():
                message = email.message_from_string(chunk.strip())
                parts = [p for p in message.walk() if not p.is_multipart()]
                text = str(parts[0].get_payload()) if parts else ""
                mails[(str(message["To"]), str(message["Subject"]), text)] += 1
    return {
        "notifications": Notification.objects.count(),
        "notifications duplicated": sum(row["n"] - 1 for row in notifications),
        "mails": sum(mails.values()),
        "mails duplicated": sum(n - 1 for n in mails.values() if n > 1),
    }


def search_index() -> dict[str, Any]:
    """The index holds exactly the public objects of each kind, with their titles."""
    from commonroom.search.models import SearchDocument
    from commonroom.search.registry import kinds

    report: dict[str, Any] = {}
    for key, kind in kinds().items():
        public = set(kind.public().values_list("pk", flat=True))
        indexed = set(SearchDocument.objects.filter(kind=key).values_list("object_id", flat=True))
        report[key] = {
            "public": len(public),
            "indexed": len(indexed),
            "public, not indexed": len(public - indexed),
            "indexed, not public": len(indexed - public),
        }
    return report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--ledger", type=Path, required=True)
    parser.add_argument("--mail", type=Path, required=True)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "commonroom.settings")
    import django

    django.setup()
    from commonroom.core.models import OutboxEntry

    unfinished = Counter(OutboxEntry.objects.exclude(state="done").values_list("state", flat=True))
    print(
        json.dumps(
            {
                "writes (acknowledged, missing)": missing_writes(ledger(args.ledger)),
                "files": files(),
                "duplicates": duplicates(args.mail),
                "search index": search_index(),
                "background work not done": dict(unfinished),
            }
        )
    )


if __name__ == "__main__":
    main()
