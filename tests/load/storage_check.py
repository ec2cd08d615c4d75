"""Issue 19: a resource's files on a running `make cluster` are in the bucket
and only there, and go out only through the permission check.

    VAR_DIR=... .venv/bin/python tests/load/storage_check.py

Through nginx, a demo member uploads a PDF and a WAV; the moderator's
services publish it (the queue is not what this checks). Then:

- every file, thumbnail included, is an object in the bucket (STORAGE_URL),
  and no file of the cluster's MEDIA_ROOT, PRIVATE_MEDIA_ROOT or VAR_DIR
  (its databases and the S3 server's data directory aside) holds it:
  nothing was written to disk on the way;
- a visitor asking for the PDF is sent to sign in, with nothing of it;
- another member gets the PDF stamped: the uploaded bytes with the
  attribution appended (R33), as an attachment;
- the WAV's preview on the resource page comes from the bucket through
  nginx's internal /_storage/ location (STORAGE_X_ACCEL): the bytes as
  uploaded, nginx's sandbox CSP, no header of the bucket's;
- the author deletes it and the worker deletes its objects (the outbox).

Prints the figures as JSON; exit status 1 when one check fails. Also run by
tests/faults/test_cluster.py against a cluster of its own.
"""

from __future__ import annotations

import io
import json
import os
import sys
import time
import wave
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

AUTHOR = "teacher@demo.commonroom.example"
READER = "lotte@demo.commonroom.example"
MODERATOR = "moderator@demo.commonroom.example"
PASSWORD = "demo-Commonroom-2026"  # the demo data's, printed by make cluster


def wav_bytes() -> bytes:
    out = io.BytesIO()
    with wave.open(out, "wb") as sound:
        sound.setnchannels(1)
        sound.setsampwidth(2)
        sound.setframerate(8000)
        sound.writeframes(bytes(8000))  # half a second of silence
    return out.getvalue()


def session(cluster: dict[str, Any], email: str | None) -> Any:
    import requests

    client = requests.Session()
    client.verify = cluster["ca"]
    client.trust_env = False  # REQUESTS_CA_BUNDLE would win over `verify`
    if email:
        client.get(cluster["url"] + "/accounts/login/", timeout=60)
        answer = post(client, cluster, "/accounts/login/", {"login": email, "password": PASSWORD})
        if answer.status_code != 302:
            raise SystemExit(f"storage check: sign-in of {email} answered {answer.status_code}")
    return client


def post(client: Any, cluster: dict[str, Any], path: str, data: dict[str, Any], **kw: Any) -> Any:
    data = {"csrfmiddlewaretoken": client.cookies.get("csrftoken", ""), **data}
    headers = {"Referer": cluster["url"] + path}
    return client.post(
        cluster["url"] + path, data=data, headers=headers, allow_redirects=False, timeout=120, **kw
    )


def publish(resource_id: int) -> None:
    """Licence, submit, claim and publish with the services, as the wizard
    and the moderator's queue would."""
    from commonroom.accounts.models import Member
    from commonroom.moderation.models import Decision, Review
    from commonroom.moderation.services import review_claim, review_decide
    from commonroom.resources import services
    from commonroom.resources.models import Resource
    from commonroom.taxonomy.models import Licence

    resource = Resource.objects.get(pk=resource_id)
    author = Member.objects.get(email=AUTHOR)
    moderator = Member.objects.get(email=MODERATOR)
    licence = Licence.objects.order_by("pk").first()
    assert licence is not None
    services.resource_licence_set(resource=resource, by=author, licence_slug=licence.slug)
    services.resource_submit(resource=resource, by=author)
    review = Review.objects.about(resource).get(closed_at__isnull=True)
    review_claim(review=review, by=moderator)
    review_decide(review=review, by=moderator, action=Decision.Action.PUBLISH)


def on_disk(var_dir: Path, names: set[str]) -> list[str]:
    """Files under VAR_DIR whose name is one of the stored objects' (the
    databases' folders and the bucket's own, s3rver's data directory, aside),
    and every file of both media folders."""
    from django.conf import settings

    found = []
    skip = {var_dir / "cluster" / name for name in ("pg-primary", "pg-replica", "s3")}
    for folder, _dirs, files in os.walk(var_dir):
        if any(Path(folder).is_relative_to(s) for s in skip):
            continue
        found += [f"{folder}/{f}" for f in files if f in names]
    for media in (Path(settings.MEDIA_ROOT), Path(settings.PRIVATE_MEDIA_ROOT)):
        if media.exists():
            found += [str(p) for p in media.rglob("*") if p.is_file()]
    return sorted(set(found))


def wait_for(check: Any, timeout: float = 120) -> float | None:
    start = time.monotonic()
    while time.monotonic() - start < timeout:
        if check():
            return round(time.monotonic() - start, 1)
        time.sleep(1)
    return None


def run(var_dir: Path) -> dict[str, Any]:
    from django.core.files.storage import storages

    from commonroom.resources.models import FileState, Resource, ResourceFile
    from commonroom.resources.tests.helpers import pdf_bytes
    from commonroom.taxonomy.models import EducationLevel, Language, ResourceKind, Subject

    cluster = json.loads((var_dir / "cluster/run/cluster.json").read_text())
    storage = storages["private"]
    figures: dict[str, Any] = {"storage": f"{type(storage).__module__}.{type(storage).__name__}"}
    pdf, wav = pdf_bytes(), wav_bytes()
    author = session(cluster, AUTHOR)

    def upload(kind: str, name: str, data: bytes, mime: str) -> Resource:
        title = f"Storage check {kind} {time.strftime('%H%M%S')}"
        fields = {
            "title": title, "description": "Pupils label the parts of a leaf.",
            "kind": ResourceKind.objects.get(slug=kind).pk,
            "language": Language.objects.get(slug="en").pk,
            "subjects": [Subject.objects.order_by("pk").first().pk],  # type: ignore[union-attr]
            "levels": [EducationLevel.objects.order_by("pk").first().pk],  # type: ignore[union-attr]
            "keywords": "leaf", "rights_confirmed": "on",
        }  # fmt: skip
        upload = {"files": (name, data, mime)}
        answer = post(author, cluster, "/resources/new/", fields, files=upload)
        figures.setdefault("uploads through nginx", []).append(answer.status_code)
        if answer.status_code != 302:
            raise SystemExit(f"storage check: upload answered {answer.status_code}")
        return Resource.objects.get(title=title)

    resources = [
        upload("worksheet", "leaf-worksheet.pdf", pdf, "application/pdf"),
        upload("audio", "leaf-sound.wav", wav, "audio/wav"),
    ]
    # Thumbnails and the scan are the worker's: wait until the files are active.
    figures["files active after (s)"] = wait_for(
        lambda: (
            not ResourceFile.objects.filter(resource__in=resources)
            .exclude(state=FileState.ACTIVE)
            .exists()
        )
    )
    for resource in resources:
        publish(resource.pk)
    rows = list(ResourceFile.objects.filter(resource__in=resources).order_by("name"))
    figures["files uploaded"] = [r.name for r in rows]
    names = {n for r in rows for n in (r.file.name, r.thumbnail.name, r.thumbnail_small.name) if n}
    figures["objects named by the rows"] = sorted(names)
    figures["objects in the bucket"] = sorted(n for n in names if storage.exists(n))
    basenames = {Path(n).name for n in names}
    figures["copies on disk"] = on_disk(var_dir, basenames)

    by_name = {r.name: r for r in rows}
    pdf_row, wav_row = by_name["leaf-worksheet.pdf"], by_name["leaf-sound.wav"]
    pdf_path = f"/resources/{pdf_row.resource_id}/files/{pdf_row.pk}/{pdf_row.name}"
    visitor = session(cluster, None).get(cluster["url"] + pdf_path, allow_redirects=False)
    figures["visitor"] = {
        "status": visitor.status_code,
        "location": visitor.headers.get("Location", ""),
        "pdf bytes in the answer": pdf[:200] in visitor.content,
    }
    reader = session(cluster, READER)
    got = reader.get(cluster["url"] + pdf_path, allow_redirects=False, timeout=120)
    figures["member download"] = {
        "status": got.status_code,
        "content-disposition": got.headers.get("Content-Disposition", ""),
        "bytes": len(got.content),
        "uploaded bytes": len(pdf),
        "starts with the upload": got.content.startswith(pdf),
        "attribution appended": resources[0].get_absolute_url().encode() in got.content[len(pdf) :],
    }
    wav_path = f"/resources/{wav_row.resource_id}/files/{wav_row.pk}/{wav_row.name}?preview=1"
    preview = reader.get(cluster["url"] + wav_path, allow_redirects=False, timeout=120)
    figures["member preview (X-Accel)"] = {
        "status": preview.status_code,
        "content-type": preview.headers.get("Content-Type", ""),
        "same bytes": preview.content == wav,
        "csp": preview.headers.get("Content-Security-Policy", ""),
        "bucket headers": sorted(h for h in preview.headers if h.lower().startswith("x-amz")),
        "content-disposition headers": len(preview.raw.headers.getlist("Content-Disposition")),
    }
    # A player seeks with Range requests: nginx passes them to the bucket.
    part = reader.get(cluster["url"] + wav_path, headers={"Range": "bytes=0-99"}, timeout=120)
    ranged = [part.status_code, part.content == wav[:100]]
    figures["member preview (X-Accel)"]["range 0-99"] = ranged
    figures["delete"] = [
        post(author, cluster, f"/resources/{r.pk}/delete/", {"confirm": "on"}).status_code
        for r in resources
    ]
    figures["objects deleted after (s)"] = wait_for(
        lambda: not any(storage.exists(n) for n in names)
    )
    return figures


def failures(figures: dict[str, Any]) -> list[str]:
    objects = figures["objects named by the rows"]
    download, preview = figures["member download"], figures["member preview (X-Accel)"]
    checks = {
        "S3 storage": figures["storage"].endswith("S3Storage"),
        "uploads acknowledged (302)": figures["uploads through nginx"] == [302, 302],
        "two files and their thumbnails": len(figures["files uploaded"]) == 2 and len(objects) >= 3,
        "all objects in the bucket": figures["objects in the bucket"] == objects,
        "no copy on disk": figures["copies on disk"] == [],
        "visitor asked to sign in": figures["visitor"]["status"] == 302
        and "/accounts/login/" in figures["visitor"]["location"]
        and not figures["visitor"]["pdf bytes in the answer"],
        "member gets the stamped PDF": download["status"] == 200
        and "attachment" in download["content-disposition"]
        and download["starts with the upload"]
        and download["attribution appended"],
        "preview from the bucket through nginx": preview["status"] == 200
        and preview["same bytes"]
        and "sandbox" in preview["csp"]
        and preview["bucket headers"] == []
        and preview["content-disposition headers"] == 1
        and preview["range 0-99"] == [206, True],
        "deleted objects gone": figures["delete"] == [302, 302]
        and figures["objects deleted after (s)"] is not None,
    }
    return [name for name, ok in checks.items() if not ok]


def main() -> int:
    var_dir = Path(os.environ.get("VAR_DIR", ROOT / "var")).resolve()
    cluster = json.loads((var_dir / "cluster/run/cluster.json").read_text())
    os.environ.update(cluster["env"])
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "commonroom.settings")
    import django

    django.setup()
    figures = run(var_dir)
    failed = failures(figures)
    print(json.dumps({**figures, "failed checks": failed}, indent=1))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
