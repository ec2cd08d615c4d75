"""Run in a fresh process: how much memory one image upload costs (issue 12, item 12).

    python -m commonroom.core.tests.image_memory_probe make DIR
    python -m commonroom.core.tests.image_memory_probe profile|resource FILE

`make` writes the test images; the other commands print one JSON line with
the peak resident memory the upload added (ru_maxrss after minus before, in
MiB) and the outcome ("ok" or the refusal's code). ru_maxrss counts what
Pillow allocates in C, which tracemalloc would miss.
"""

from __future__ import annotations

import json
import os
import resource
import sys
from pathlib import Path

SIDE = 6324  # 39,992,976 pixels: just under the 40-megapixel cap


def _peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def make(directory: Path) -> None:
    from PIL import Image

    image = Image.new("RGB", (SIDE, SIDE), (200, 120, 40))
    image.save(directory / "big.png", format="PNG")
    image.save(directory / "big.jpg", format="JPEG", quality=85)
    # Turned on its side by EXIF: the upright copy is a second full-size buffer.
    exif = Image.Exif()
    exif[0x0112] = 6
    image.save(directory / "big-turned.jpg", format="JPEG", quality=85, exif=exif)
    # The largest images of the formats decoded whole that are still accepted.
    image.convert("P").save(directory / "big-palette.png", format="PNG")
    del image
    Image.new("RGB", (3236, 3236), (10, 200, 90)).save(directory / "fit.png", format="PNG")
    Image.new("RGB", (1619, 1619), (10, 200, 90)).save(directory / "fit.webp", format="WEBP")


def measure(kind: str, path: Path) -> dict[str, object]:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "commonroom.settings")
    import django

    django.setup()
    from django.core.exceptions import ValidationError
    from django.core.files.uploadedfile import SimpleUploadedFile

    from commonroom.core.images import image_reencode
    from commonroom.core.uploads import check_upload, make_thumbnails

    upload = SimpleUploadedFile(path.name, path.read_bytes())
    before = _peak_mib()
    outcome = "ok"
    try:
        if kind == "profile":
            image_reencode(upload, max_bytes=5 * 1024 * 1024, max_side=512)
        else:
            checked = check_upload(upload, kind="photo", max_bytes=100 * 1024 * 1024)
            make_thumbnails(checked)
    except ValidationError as exc:
        outcome = str(exc.code)
    return {
        "kind": kind,
        "file": path.name,
        "size": path.stat().st_size,
        "added_mib": round(_peak_mib() - before, 1),
        "outcome": outcome,
    }


if __name__ == "__main__":
    command, target = sys.argv[1], Path(sys.argv[2])
    if command == "make":
        make(target)
    else:
        print(json.dumps(measure(command, target)))
