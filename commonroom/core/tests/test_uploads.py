"""R36: uploaded files are checked by content, limited in size, re-encoded when images,
refused when unsafe archives, and scanned for malware when a scanner is configured.

Every fixture is built here in code; nothing needs the database.
"""

import hashlib
import io
import socket
import socketserver
import struct
import threading
import wave
import zipfile
import zlib
from collections.abc import Callable, Iterator

import pypdfium2 as pdfium
import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile, TemporaryUploadedFile
from django.utils import translation
from PIL import ExifTags, Image, ImageCms
from PIL.PngImagePlugin import PngInfo

from commonroom.core.uploads import (
    ALLOWED_TYPES,
    CheckedFile,
    ScanResult,
    check_upload,
    make_thumbnails,
    scan_file,
)
from commonroom.core.uploads.names import safe_name

MB = 1024 * 1024
DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

# --- fixtures built in code --------------------------------------------------


def upload(name: str, data: bytes, *, temporary: bool = False, content_type: str = ""):
    """An upload as Django hands it to a view: in memory, or spooled to disk when large."""
    if not temporary:
        return SimpleUploadedFile(name, data, content_type=content_type or "text/plain")
    file = TemporaryUploadedFile(name, content_type or "text/plain", len(data), None)
    file.write(data)
    file.seek(0)
    return file


def check(name: str, data: bytes, kind: str, max_bytes: int = 10 * MB, **kwargs) -> CheckedFile:
    return check_upload(upload(name, data, **kwargs), kind=kind, max_bytes=max_bytes)


def refusal(name: str, data: bytes, kind: str, max_bytes: int = 10 * MB) -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        check(name, data, kind, max_bytes)
    return caught.value


def image_bytes(fmt: str, size=(64, 32), color=(200, 30, 30), **save) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, format=fmt, **save)
    return out.getvalue()


def exif_with_gps(orientation: int = 1) -> Image.Exif:
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "ClassroomCam"
    exif[ExifTags.Base.Orientation] = orientation
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (50.0, 51.0, 12.0)
    gps[ExifTags.GPS.GPSLongitudeRef] = "E"
    gps[ExifTags.GPS.GPSLongitude] = (4.0, 21.0, 3.0)
    return exif


def pdf_bytes(width: float = 200, height: float = 300) -> bytes:
    document = pdfium.PdfDocument.new()
    document.new_page(width, height)
    out = io.BytesIO()
    document.save(out)
    document.close()
    return out.getvalue()


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def crafted_png(width: int, height: int, idat: bytes | None = None) -> bytes:
    """A PNG whose header claims any size, with a few bytes of image data: no pixels allocated."""
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)  # 8-bit greyscale
    data = zlib.compress(b"\0" * 1024) if idat is None else idat
    return (
        b"\x89PNG\r\n\x1a\n"
        + _png_chunk(b"IHDR", header)
        + _png_chunk(b"IDAT", data)
        + _png_chunk(b"IEND", b"")
    )


def zip_bytes(members: list[tuple[str | zipfile.ZipInfo, bytes]]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members:
            archive.writestr(name, data)
    return out.getvalue()


CONTENT_TYPES_DOCX = (
    b'<?xml version="1.0" encoding="UTF-8"?>'
    b'<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    b'<Default Extension="xml" ContentType="application/xml"/>'
    b'<Override PartName="/word/document.xml" ContentType="application/'
    b'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'
)


def docx_bytes(*, manifest_first: bool = True, content_types: bytes = CONTENT_TYPES_DOCX) -> bytes:
    parts = [
        ("_rels/.rels", b"<Relationships/>"),
        ("word/document.xml", b"<w:document>Photosynthesis</w:document>"),
    ]
    manifest = ("[Content_Types].xml", content_types)
    return zip_bytes([manifest, *parts] if manifest_first else [*parts, manifest])


def odt_bytes() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text", zipfile.ZIP_STORED)
        archive.writestr("content.xml", "<office:document-content/>", zipfile.ZIP_DEFLATED)
    return out.getvalue()


def wav_bytes() -> bytes:
    out = io.BytesIO()
    with wave.open(out, "wb") as sound:
        sound.setnchannels(1)
        sound.setsampwidth(2)
        sound.setframerate(8000)
        sound.writeframes(b"\0\0" * 800)
    return out.getvalue()


def elf_bytes() -> bytes:
    ident = b"\x7fELF\x02\x01\x01" + b"\0" * 9
    # e_type EXEC, e_machine x86-64, version, entry, phoff, shoff, flags, sizes
    header = struct.pack("<HHIQQQIHHHHHH", 2, 0x3E, 1, 0x401000, 64, 0, 0, 64, 56, 1, 64, 0, 0)
    return ident + header + b"\0" * 200


def pe_bytes() -> bytes:
    dos = bytearray(b"MZ" + b"\0" * 62)
    dos[0x3C:0x40] = struct.pack("<I", 0x40)
    return bytes(dos) + b"PE\0\0" + struct.pack("<HH", 0x14C, 1) + b"\0" * 300


HTML = b"<!DOCTYPE html><html><head><title>Quiz</title></head><body><h1>Quiz</h1></body></html>"
SVG = (
    b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
    b'<script>alert(1)</script><rect width="10" height="10"/></svg>'
)
TEXT = b"Photosynthesis turns light, water and carbon dioxide into sugar.\n"


# --- type by content ---------------------------------------------------------


def test_r36_pdf_is_accepted_by_content_and_stored_as_uploaded():
    data = pdf_bytes()
    checked = check("Photosynthesis worksheet.pdf", data, "worksheet")
    assert checked.mime_type == "application/pdf"
    assert checked.name == "Photosynthesis-worksheet.pdf"
    assert checked.content.read() == data
    assert checked.size == len(data)
    assert (checked.is_image, checked.width, checked.height) == (False, None, None)
    assert checked.serve_inline is True


def test_r36_png_renamed_pdf_is_stored_as_png():
    checked = check("Photosynthesis.pdf", image_bytes("PNG"), "document")
    assert checked.mime_type == "image/png"
    assert checked.name == "Photosynthesis.png"
    assert checked.is_image is True
    assert (checked.width, checked.height) == (64, 32)


def test_r36_png_renamed_pdf_is_refused_for_a_presentation():
    with translation.override("en"):
        error = refusal("slides.pdf", image_bytes("PNG"), "presentation")
    assert error.code == "type_not_allowed"
    assert error.messages == [
        "This file contains PNG, which is not accepted for this kind of resource."
        " Accepted: ODP, PDF, PPT, PPTX."
    ]


def test_r36_type_comes_from_content_not_from_the_browser():
    checked = check("page.pdf", HTML, "website", content_type="application/pdf")
    assert checked.mime_type == "text/html"
    assert checked.name == "page.html"
    assert checked.serve_inline is False


def test_r36_html_pretending_to_be_text_is_refused_for_a_document():
    assert refusal("notes.txt", HTML, "document").code == "type_not_allowed"


@pytest.mark.parametrize(
    ("name", "build", "kind", "allowed"),
    [
        ("a.pdf", pdf_bytes, "document", True),
        ("a.pdf", pdf_bytes, "presentation", True),
        ("a.pdf", pdf_bytes, "photo", False),
        ("a.pdf", pdf_bytes, "video", False),
        ("a.png", lambda: image_bytes("PNG"), "photo", True),
        ("a.png", lambda: image_bytes("PNG"), "worksheet", True),
        ("a.png", lambda: image_bytes("PNG"), "audio", False),
        ("a.svg", lambda: SVG, "drawing", True),
        ("a.svg", lambda: SVG, "document", False),
        ("a.zip", lambda: zip_bytes([("a.txt", TEXT)]), "software", True),
        ("a.zip", lambda: zip_bytes([("index.html", HTML)]), "website", True),
        ("a.zip", lambda: zip_bytes([("a.txt", TEXT)]), "document", False),
        ("a.html", lambda: HTML, "website", True),
        ("a.html", lambda: HTML, "software", False),
        ("a.wav", wav_bytes, "audio", True),
        ("a.wav", wav_bytes, "video", False),
        ("a.txt", lambda: TEXT, "text", True),
        ("a.txt", lambda: TEXT, "software", True),
        ("a.txt", lambda: TEXT, "photo", False),
        ("a.docx", docx_bytes, "lesson-plan", True),
        ("a.docx", docx_bytes, "presentation", False),
        ("a.odt", odt_bytes, "document", True),
        ("a.pdf", pdf_bytes, "no-such-kind", False),
    ],
)
def test_r36_allow_list_per_kind(name: str, build: Callable[[], bytes], kind: str, allowed: bool):
    if allowed:
        assert check(name, build(), kind).mime_type in ALLOWED_TYPES[kind]
    else:
        assert refusal(name, build(), kind).code == "type_not_allowed"


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("game.exe", pe_bytes()),
        ("tool", elf_bytes()),
        ("install.txt", b"#!/bin/sh\nrm -rf ~\n"),
        ("lesson.txt", b"#!/usr/bin/env python3\nimport os\nos.remove('x')\n"),
    ],
)
@pytest.mark.parametrize("kind", ["software", "document", "text"])
def test_r36_executables_and_scripts_are_refused(name: str, data: bytes, kind: str):
    assert refusal(name, data, kind).code == "type_not_allowed"


def test_r36_every_kind_has_an_allow_list_without_executables():
    kinds = {
        "document",
        "presentation",
        "worksheet",
        "lesson-plan",
        "photo",
        "image",
        "drawing",
        "video",
        "audio",
        "website",
        "software",
        "text",
    }
    assert set(ALLOWED_TYPES) == kinds
    everything = set().union(*ALLOWED_TYPES.values())
    assert not {t for t in everything if "executable" in t or "script" in t}
    assert ALLOWED_TYPES["software"] == {"application/zip", "text/plain"}


# --- Office files inside zips ------------------------------------------------


@pytest.mark.parametrize("manifest_first", [True, False])
def test_r36_docx_is_recognised_by_its_manifest(manifest_first: bool):
    checked = check("Lesson plan.zip", docx_bytes(manifest_first=manifest_first), "lesson-plan")
    assert checked.mime_type == DOCX_MIME
    assert checked.name == "Lesson-plan.docx"
    assert checked.serve_inline is False


def test_r36_odt_is_recognised_by_its_mimetype_entry():
    checked = check("notes.odt", odt_bytes(), "document")
    assert checked.mime_type == "application/vnd.oasis.opendocument.text"
    assert checked.name == "notes.odt"


def test_r36_plain_zip_named_docx_is_a_zip():
    data = zip_bytes([("word/document.xml", b"<x/>"), ("evil.js", b"alert(1)")])
    assert refusal("report.docx", data, "document").code == "type_not_allowed"
    checked = check("report.docx", data, "software")
    assert (checked.mime_type, checked.name) == ("application/zip", "report.zip")


def test_r36_macro_enabled_word_file_is_refused():
    content_types = CONTENT_TYPES_DOCX.replace(
        b"vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
        b"vnd.ms-word.document.macroEnabled.main+xml",
    )
    data = docx_bytes(content_types=content_types)
    assert refusal("lesson.docx", data, "document").code == "type_not_allowed"


# --- size --------------------------------------------------------------------


def test_r36_too_large_file_is_refused_with_the_limit_in_the_message():
    with translation.override("en"):
        error = refusal("big.txt", TEXT * 100, "text", max_bytes=2048)
    assert error.code == "too_large"
    assert error.messages == ["The file is larger than the limit of 2.0\xa0KB."]


def test_r36_file_of_exactly_the_limit_is_accepted():
    assert check("a.txt", TEXT, "text", max_bytes=len(TEXT)).size == len(TEXT)


def test_r36_empty_file_is_refused():
    with translation.override("en"):
        error = refusal("empty.pdf", b"", "document")
    assert error.code == "empty"
    assert error.messages == ["The file is empty."]


# --- images ------------------------------------------------------------------


def test_r36_image_metadata_is_removed_and_pixels_kept():
    original = Image.new("RGB", (64, 32))
    original.putdata([(x * 4, y * 8, (x + y) % 256) for y in range(32) for x in range(64)])
    out = io.BytesIO()
    info = PngInfo()
    info.add_text("Comment", "taken at Sunnyside Primary")
    info.add_itxt("XML:com.adobe.xmp", "<x:xmpmeta>GPS secret</x:xmpmeta>")
    original.save(out, format="PNG", exif=exif_with_gps(), pnginfo=info)
    data = out.getvalue()
    assert b"eXIf" in data
    assert b"Sunnyside" in data

    checked = check("class photo.png", data, "photo")
    stored = checked.content.read()
    assert b"eXIf" not in stored
    assert b"Sunnyside" not in stored
    assert b"GPS secret" not in stored
    with Image.open(io.BytesIO(stored)) as result:
        assert dict(result.getexif()) == {}
        assert set(result.info) <= {"dpi", "gamma", "srgb"}
        assert result.tobytes() == original.tobytes()


def test_r36_jpeg_gps_and_colour_profile_are_removed():
    srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    data = image_bytes(
        "JPEG", exif=exif_with_gps().tobytes(), icc_profile=srgb, comment=b"Sunnyside"
    )
    checked = check("trip.jpeg", data, "photo")
    stored = checked.content.read()
    assert checked.name == "trip.jpeg"
    assert b"Exif" not in stored
    assert b"ICC_PROFILE" not in stored
    assert b"Sunnyside" not in stored
    with Image.open(io.BytesIO(stored)) as result:
        assert dict(result.getexif()) == {}
        assert "icc_profile" not in result.info
        assert result.size == (64, 32)
        red, green, blue = result.getpixel((32, 16))
        assert abs(red - 200) < 8
        assert abs(green - 30) < 8
        assert abs(blue - 30) < 8


def test_r36_exif_orientation_is_applied():
    # A sideways photo: red on the left, blue on the right, "rotate 90° clockwise to view".
    sideways = Image.new("RGB", (40, 20), (0, 0, 255))
    sideways.paste((255, 0, 0), (0, 0, 20, 20))
    out = io.BytesIO()
    sideways.save(out, format="JPEG", quality=95, exif=exif_with_gps(orientation=6).tobytes())

    checked = check("sideways.jpg", out.getvalue(), "photo")
    assert (checked.width, checked.height) == (20, 40)
    with Image.open(checked.content) as result:
        assert result.size == (20, 40)
        assert ExifTags.Base.Orientation not in result.getexif()
        top_red, _, top_blue = result.getpixel((10, 5))
        bottom_red, _, bottom_blue = result.getpixel((10, 35))
    assert top_red > 200
    assert top_blue < 60
    assert bottom_red < 60
    assert bottom_blue > 200


def test_r36_huge_png_is_refused_before_decoding():
    data = crafted_png(20_000, 20_000)
    assert len(data) < 200
    with translation.override("en"):
        error = refusal("bomb.png", data, "image")
    assert error.code == "too_many_pixels"
    assert error.messages == [
        "The image has too many pixels (at most 40 million, all frames together)."
    ]


def test_r36_png_just_over_the_pixel_limit_is_refused():
    # Below Pillow's own bomb threshold, so our limit is what refuses it.
    assert refusal("big.png", crafted_png(8_000, 5_001), "photo").code == "too_many_pixels"


def test_r36_frames_of_an_animation_count_together(settings):
    frames = [Image.new("RGB", (20, 20), (i * 80, 0, 0)) for i in range(3)]
    out = io.BytesIO()
    frames[0].save(out, format="GIF", save_all=True, append_images=frames[1:])
    settings.IMAGE_MAX_PIXELS = 1_000
    assert refusal("anim.gif", out.getvalue(), "image").code == "too_many_pixels"
    assert check("still.gif", image_bytes("GIF", size=(20, 20)), "image").is_image


def test_r36_animated_gif_keeps_its_frames_but_not_its_comment():
    frames = [Image.new("RGB", (20, 20), (i * 80, 0, 255 - i * 80)) for i in range(3)]
    out = io.BytesIO()
    frames[0].save(
        out,
        format="GIF",
        save_all=True,
        append_images=frames[1:],
        duration=[100, 200, 300],
        loop=0,
        comment=b"made by Mr Smith at Sunnyside",
    )
    checked = check("cycle.gif", out.getvalue(), "drawing")
    stored = checked.content.read()
    assert b"Sunnyside" not in stored
    with Image.open(io.BytesIO(stored)) as result:
        assert result.n_frames == 3
        assert result.info["loop"] == 0
        durations = []
        for index in range(3):
            result.seek(index)
            durations.append(result.info["duration"])
    assert durations == [100, 200, 300]


@pytest.mark.parametrize("fmt", ["WEBP", "GIF"])
def test_r36_webp_and_gif_are_reencoded_in_their_own_format(fmt: str):
    checked = check("picture", image_bytes(fmt, exif=exif_with_gps().tobytes()), "image")
    assert checked.name == f"picture.{fmt.lower()}"
    with Image.open(checked.content) as result:
        assert result.format == fmt
        assert dict(result.getexif()) == {}


def test_r36_damaged_image_is_unreadable():
    data = crafted_png(10, 10, idat=b"this is not zlib data")
    assert refusal("broken.png", data, "photo").code == "unreadable"


def test_r36_svg_is_accepted_as_download_only_and_not_reencoded():
    checked = check("diagram.svg", SVG, "drawing")
    assert checked.mime_type == "image/svg+xml"
    assert checked.content.read() == SVG
    assert (checked.is_image, checked.width, checked.serve_inline) == (False, None, False)


# --- archives ----------------------------------------------------------------


def _symlink() -> zipfile.ZipInfo:
    info = zipfile.ZipInfo("link")
    info.create_system = 3
    info.external_attr = 0o120777 << 16
    return info


@pytest.mark.parametrize(
    "members",
    [
        [("../evil.txt", b"x")],
        [("site/../../evil.txt", b"x")],
        [("/etc/x", b"x")],
        [("..\\..\\evil.txt", b"x")],
        [("C:/Windows/evil.txt", b"x")],
        [(_symlink(), b"/etc/passwd")],
    ],
    ids=["parent", "nested-parent", "absolute", "backslash", "drive", "symlink"],
)
def test_r36_zip_escaping_its_folder_is_refused(members):
    data = zip_bytes([("index.html", HTML), *members])
    assert refusal("site.zip", data, "website").code == "archive_unsafe"


def test_r36_zip_bomb_is_refused():
    data = zip_bytes([("zeros.txt", b"\0" * (5 * MB))])
    assert len(data) < 20_000
    with translation.override("en"):
        error = refusal("bomb.zip", data, "software", max_bytes=MB)
    assert error.code == "archive_unsafe"
    assert error.messages == [
        "The archive holds a file that unpacks to far more than its size (a zip bomb)."
    ]


def test_r36_zip_unpacking_past_ten_times_the_limit_is_refused():
    # Each member is small enough to escape the ratio rule; together they are too much.
    data = zip_bytes([(f"part{i}.txt", b"\0" * 900_000) for i in range(20)])
    assert refusal("parts.zip", data, "software", max_bytes=100_000).code == "archive_unsafe"


def test_r36_zip_with_too_many_members_is_refused():
    data = zip_bytes([(f"f{i}.txt", b"") for i in range(2_001)])
    assert refusal("many.zip", data, "software").code == "archive_unsafe"
    assert check("enough.zip", zip_bytes([(f"f{i}.txt", b"") for i in range(2_000)]), "software")


def _patch_zip(data: bytes, *, central: dict[int, bytes], local: dict[int, bytes]) -> bytes:
    patched = bytearray(data)
    for signature, fields in ((b"PK\x01\x02", central), (b"PK\x03\x04", local)):
        at = patched.find(signature)
        for offset, value in fields.items():
            patched[at + offset : at + offset + len(value)] = value
    return bytes(patched)


def test_r36_zip_lying_about_its_sizes_is_refused():
    honest = zip_bytes([("notes.txt", b"\0" * 600_000)])
    small = struct.pack("<I", 1_000)
    lying = _patch_zip(honest, central={24: small}, local={22: small})
    with translation.override("en"):
        error = refusal("notes.zip", lying, "software")
    assert error.code == "archive_unsafe"
    assert error.messages == ["The archive is damaged or its contents do not match."]


def test_r36_encrypted_zip_is_refused():
    honest = zip_bytes([("secret.txt", TEXT)])
    encrypted = _patch_zip(honest, central={8: b"\x01\x00"}, local={6: b"\x01\x00"})
    assert refusal("secret.zip", encrypted, "software").code == "archive_unsafe"


def test_r36_damaged_zip_is_unreadable():
    data = zip_bytes([("a.txt", TEXT)])
    broken = data[:30] + b"\xff" * 20 + data[50:-22]
    assert refusal("broken.zip", broken, "software").code == "unreadable"


def test_r36_safe_zip_is_accepted_from_disk():
    data = zip_bytes([("site/index.html", HTML), ("site/style.css", b"body{}"), ("site/", b"")])
    checked = check("My Website.zip", data, "website", temporary=True)
    assert checked.mime_type == "application/zip"
    assert checked.name == "My-Website.zip"
    assert checked.serve_inline is False
    assert checked.content.read() == data


# --- what is stored, and how it is served -----------------------------------


@pytest.mark.parametrize(
    ("name", "build", "kind", "inline"),
    [
        ("a.html", lambda: HTML, "website", False),
        ("a.svg", lambda: SVG, "image", False),
        ("a.pdf", pdf_bytes, "document", True),
        ("a.png", lambda: image_bytes("PNG"), "image", True),
        ("a.jpg", lambda: image_bytes("JPEG"), "photo", True),
        ("a.wav", wav_bytes, "audio", True),
        ("a.zip", lambda: zip_bytes([("a.txt", TEXT)]), "software", False),
        ("a.docx", docx_bytes, "document", False),
        ("a.txt", lambda: TEXT, "text", False),
    ],
)
def test_r36_only_safe_types_are_served_inline(name, build, kind, inline: bool):
    assert check(name, build(), kind).serve_inline is inline


@pytest.mark.parametrize(
    ("name", "build", "kind"),
    [
        ("a.pdf", pdf_bytes, "document"),
        ("a.jpg", lambda: image_bytes("JPEG", exif=exif_with_gps().tobytes()), "photo"),
        ("a.zip", lambda: zip_bytes([("a.txt", TEXT)]), "software"),
    ],
)
def test_r36_sha256_and_size_describe_the_stored_bytes(name, build, kind):
    checked = check(name, build(), kind, temporary=True)
    stored = checked.content.read()
    assert checked.sha256 == hashlib.sha256(stored).hexdigest()
    assert checked.size == len(stored)
    checked.content.seek(0)
    assert checked.content.read() == stored


@pytest.mark.parametrize(
    ("original", "mime", "expected"),
    [
        ("Photosynthesis worksheet.pdf", "application/pdf", "Photosynthesis-worksheet.pdf"),
        ("C:\\Users\\Eva\\Élève  été (v2).PDF", "application/pdf", "Élève-été-v2.pdf"),
        ("../../etc/passwd", "text/plain", "passwd.txt"),
        (".htaccess", "text/plain", "htaccess.txt"),
        ("notes.md", "text/plain", "notes.md"),
        ("photo.JPEG", "image/jpeg", "photo.jpeg"),
        ("photo.jpg.exe", "image/jpeg", "photo.jpg"),
        ("report.v2", "application/pdf", "report.v2.pdf"),
        ("<script>?.pdf", "application/pdf", "script.pdf"),
        ("???", "application/pdf", "file.pdf"),
        ("", "image/png", "file.png"),
        ("CON.txt", "text/plain", "file-CON.txt"),
        ("-rf.txt", "text/plain", "rf.txt"),
    ],
)
def test_r36_file_names_are_sanitised(original: str, mime: str, expected: str):
    assert safe_name(original, mime) == expected


def test_r36_long_file_names_are_cut_to_120_characters():
    name = safe_name("a" * 300 + ".pdf", "application/pdf")
    assert len(name) == 120
    assert name.endswith("a.pdf")


# --- thumbnails --------------------------------------------------------------


def test_r36_item19_thumbnail_of_an_image():
    checked = check("wide.png", image_bytes("PNG", size=(1200, 600)), "image")
    thumbnails = make_thumbnails(checked)
    assert thumbnails is not None
    assert thumbnails.small.name == "wide-320.webp"
    assert thumbnails.large.name == "wide-640.webp"
    with Image.open(thumbnails.large) as large, Image.open(thumbnails.small) as small:
        assert (large.format, large.size) == ("WEBP", (640, 320))
        assert (small.format, small.size) == ("WEBP", (320, 160))
    assert checked.content.tell() == 0


def test_r36_item19_thumbnail_of_the_first_pdf_page():
    checked = check("worksheet.pdf", pdf_bytes(200, 300), "worksheet", temporary=True)
    thumbnails = make_thumbnails(checked)
    assert thumbnails is not None
    with Image.open(thumbnails.large) as large, Image.open(thumbnails.small) as small:
        assert (large.format, large.size) == ("WEBP", (640, 960))
        assert (small.format, small.size) == ("WEBP", (320, 480))
    assert checked.content.read(5) == b"%PDF-"


def test_item19_a_small_image_is_not_enlarged_and_a_long_one_is_cut_at_the_bottom():
    small = make_thumbnails(check("icon.png", image_bytes("PNG", size=(200, 100)), "image"))
    assert small is not None
    with Image.open(small.large) as large:
        assert large.size == (200, 100)
    strip = make_thumbnails(check("strip.png", image_bytes("PNG", size=(400, 4000)), "image"))
    assert strip is not None
    with Image.open(strip.large) as large, Image.open(strip.small) as small_width:
        assert large.size == (400, 800)
        assert small_width.size == (320, 640)
    long_page = check("scroll.pdf", pdf_bytes(100, 1000), "worksheet", temporary=True)
    thumbnails = make_thumbnails(long_page)
    assert thumbnails is not None
    with Image.open(thumbnails.large) as large:
        assert large.size == (640, 1280)


def test_r36_no_thumbnail_for_other_types_or_broken_pdfs():
    assert make_thumbnails(check("a.zip", zip_bytes([("a.txt", TEXT)]), "software")) is None
    broken = check("broken.pdf", b"%PDF-1.4\n1 0 obj garbage\n", "document")
    assert broken.mime_type == "application/pdf"
    assert make_thumbnails(broken) is None


# --- malware scanning --------------------------------------------------------

MALWARE_MARKER = b"FAKE-TEST-SIGNATURE"


class FakeClamdHandler(socketserver.BaseRequestHandler):
    """Speaks clamd's INSTREAM protocol; 'finds' malware when the marker is in the stream."""

    def _read(self, size: int) -> bytes:
        data = b""
        while len(data) < size:
            chunk = self.request.recv(size - len(data))
            if not chunk:
                raise ConnectionError("client hung up")
            data += chunk
        return data

    def handle(self) -> None:
        command = self._read(len(b"zINSTREAM\0"))
        received = bytearray()
        chunks = 0
        while length := struct.unpack(">I", self._read(4))[0]:
            received += self._read(length)
            chunks += 1
        self.server.requests.append((command, bytes(received), chunks))
        if MALWARE_MARKER in received:
            self.request.sendall(b"stream: Eicar-Signature FOUND\0")
        else:
            self.request.sendall(b"stream: OK\0")


@pytest.fixture
def fake_clamd(settings) -> Iterator[socketserver.ThreadingTCPServer]:
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), FakeClamdHandler)
    server.daemon_threads = True
    server.requests = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    port = server.server_address[1]
    settings.CLAMD_ADDRESS = f"tcp://127.0.0.1:{port}"
    yield server
    server.shutdown()
    server.server_close()
    thread.join()


def test_r36_scanner_unset_does_not_scan(settings):
    settings.CLAMD_ADDRESS = ""
    assert scan_file(ContentFile(TEXT)) == ScanResult(clean=True, detail="not scanned")


def test_r36_scanner_reports_clean_file(fake_clamd):
    data = bytes(range(256)) * 1_000  # several INSTREAM chunks
    content = ContentFile(data)
    assert scan_file(content) == ScanResult(clean=True, detail="OK")
    assert fake_clamd.requests == [(b"zINSTREAM\0", data, 4)]
    assert content.read() == data


def test_r36_scanner_reports_malware(fake_clamd):
    checked = check("lesson.txt", TEXT + MALWARE_MARKER, "text")
    assert scan_file(checked.content) == ScanResult(clean=False, detail="Eicar-Signature FOUND")
    assert checked.content.tell() == 0


def test_r36_scanner_configured_but_unreachable_is_not_clean(settings):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings.CLAMD_ADDRESS = f"tcp://127.0.0.1:{port}"
    assert scan_file(ContentFile(TEXT)) == ScanResult(clean=False, detail="scanner unavailable")


def test_r36_scanner_with_a_malformed_address_is_not_clean(settings):
    settings.CLAMD_ADDRESS = "clamd.example:3310"
    assert scan_file(ContentFile(TEXT)) == ScanResult(clean=False, detail="scanner unavailable")
