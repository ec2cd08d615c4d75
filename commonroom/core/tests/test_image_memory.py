"""Issue 12, item 12: an image upload is decoded once, reduced on load, within bounded memory."""

from __future__ import annotations

import io
import json
import struct
import subprocess
import sys
import zlib
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from PIL import Image

from commonroom.core.images import image_reencode
from commonroom.core.tests.test_uploads import _png_chunk, check, crafted_png, image_bytes, refusal

ROOT = Path(__file__).resolve().parents[3]
PROBE = "commonroom.core.tests.image_memory_probe"
# What the issue asks of one upload, measured as the peak resident memory it adds.
MAX_ADDED_MIB = 100


def _probe(*args: str) -> str:
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-m", PROBE, *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        timeout=240,
    )
    return result.stdout


@pytest.fixture(scope="module")
def images(tmp_path_factory: pytest.TempPathFactory) -> Path:
    directory = tmp_path_factory.mktemp("images")
    _probe("make", str(directory))
    return directory


@pytest.mark.parametrize(
    ("kind", "name", "outcome"),
    [
        # 6324 x 6324: just under the 40-megapixel cap, a few hundred KB.
        ("profile", "big.jpg", "ok"),
        ("resource", "big.jpg", "ok"),
        ("resource", "big-turned.jpg", "ok"),
        # A PNG cannot be reduced on load; decoded whole it would take 160 MB.
        ("profile", "big.png", "too_many_pixels"),
        ("resource", "big.png", "too_many_pixels"),
        # The largest PNG and WebP still accepted.
        ("profile", "fit.png", "ok"),
        ("resource", "fit.png", "ok"),
        ("resource", "fit.webp", "ok"),
    ],
)
def test_item12_one_image_upload_adds_at_most_100_mb(images, kind, name, outcome):
    measured = json.loads(_probe(kind, str(images / name)))
    assert measured["outcome"] == outcome
    assert measured["added_mib"] < MAX_ADDED_MIB, measured


def test_item12_a_jpeg_too_large_to_decode_whole_is_stored_reduced_on_load(settings):
    settings.IMAGE_DECODE_MAX_BYTES = 100_000
    # 400 x 300 x 4 bytes = 480 KB; at 1/2 still 120 KB; at 1/4 it fits.
    checked = check("wide.jpg", image_bytes("JPEG", size=(400, 300)), "photo")
    assert (checked.width, checked.height) == (100, 75)
    with Image.open(checked.content) as stored:
        assert stored.size == (100, 75)


def test_item12_a_png_too_large_to_decode_is_refused_from_its_header():
    # 4000 x 3000 RGB: 48 MB decoded, over the 40 MiB budget; only the header is read.
    header = struct.pack(">IIBBBBB", 4000, 3000, 8, 2, 0, 0, 0)  # 8-bit RGB
    data = (
        b"\x89PNG\r\n\x1a\n"
        + _png_chunk(b"IHDR", header)
        + _png_chunk(b"IDAT", zlib.compress(b"\0" * 1024))
        + _png_chunk(b"IEND", b"")
    )
    with translation.override("en"):
        error = refusal("poster.png", data, "image")
    assert error.code == "too_many_pixels"
    assert error.messages == [
        "This PNG image is too large to process: at most 10.5 million pixels for this kind"
        " of image (all frames together). Save it as a JPEG photo or make it smaller."
    ]


def test_item12_the_pixel_cap_is_a_setting(settings):
    settings.IMAGE_MAX_PIXELS = 1_000_000
    with translation.override("en"):
        error = refusal("big.png", crafted_png(1001, 1000), "photo")
    assert error.messages == [
        "The image has too many pixels (at most 1 million, all frames together)."
    ]


def test_item12_a_profile_photo_is_opened_and_decoded_once(monkeypatch):
    opened: list[object] = []
    real_open = Image.open

    def counting_open(*args, **kwargs):
        image = real_open(*args, **kwargs)
        opened.append(image)
        return image

    monkeypatch.setattr(Image, "open", counting_open)
    data = image_bytes("JPEG", size=(2048, 1024))
    clean = image_reencode(
        SimpleUploadedFile("me.jpg", data), max_bytes=5 * 1024 * 1024, max_side=512
    )
    assert len(opened) == 1
    assert (clean.width, clean.height) == (512, 256)
    with Image.open(io.BytesIO(clean.content.read())) as stored:
        assert stored.size == (512, 256)
