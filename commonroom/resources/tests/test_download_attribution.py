"""R33: every single-file download carries the attribution, in the file's own
metadata where its format has a place for it, otherwise in a ZIP beside it."""

import io
import zipfile
from typing import Any, cast

import pypdfium2 as pdfium
import pytest
from defusedxml.ElementTree import fromstring
from django.core.files.base import ContentFile
from fpdf import FPDF
from PIL import Image
from pypdf import PdfReader, PdfWriter

from commonroom.resources import file_metadata, xmp
from commonroom.resources.models import ResourceFile
from commonroom.resources.tests.factories import ResourceFileFactory, published_resource

LICENCE_URL = "https://creativecommons.org/licenses/by/4.0/"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
ODT = "application/vnd.oasis.opendocument.text"
DC = "{http://purl.org/dc/elements/1.1/}"


def pdf_with_text(text: str = "Share the pizza in eight slices", pages: int = 2) -> bytes:
    pdf = FPDF()
    pdf.set_font("helvetica", size=14)
    for number in range(pages):
        pdf.add_page()
        pdf.cell(text=f"{text} {number + 1}")
    return bytes(pdf.output())


def image_bytes(fmt: str, mode: str = "RGB", **options: object) -> bytes:
    image = Image.new(mode, (64, 48))
    image.putdata(
        [(x * 4, y * 5, (x + y) % 256, 200)[: len(mode)] for y in range(48) for x in range(64)]
    )
    out = io.BytesIO()
    image.save(out, format=fmt, **options)
    return out.getvalue()


def office_package(mime_type: str) -> bytes:
    """A minimal OOXML package, built by hand, with a core properties part."""
    main = {DOCX: "word/document.xml", XLSX: "xl/workbook.xml", PPTX: "ppt/presentation.xml"}
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as package:
        package.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="x"/>')
        package.writestr("_rels/.rels", '<?xml version="1.0"?><Relationships xmlns="r"/>')
        package.writestr(
            "docProps/core.xml",
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/'
            'metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" '
            'xmlns:dcterms="http://purl.org/dc/terms/" '
            'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
            "<dc:title>Old title</dc:title><dc:creator>Someone</dc:creator>"
            '<dcterms:created xsi:type="dcterms:W3CDTF">2026-01-02T03:04:05Z</dcterms:created>'
            "</cp:coreProperties>",
        )
        package.writestr(main[mime_type], "<doc>Eight slices of pizza</doc>")
        package.writestr("docProps/thumbnail.jpeg", image_bytes("JPEG"), zipfile.ZIP_STORED)
    return out.getvalue()


def odt_package() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as package:
        package.writestr("mimetype", ODT, zipfile.ZIP_STORED)
        package.writestr(
            "meta.xml",
            '<?xml version="1.0" encoding="UTF-8"?><office:document-meta '
            'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
            'xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0" '
            'xmlns:dc="http://purl.org/dc/elements/1.1/" office:version="1.3"><office:meta>'
            "<meta:generator>LibreOffice</meta:generator><dc:title>Old</dc:title>"
            "</office:meta></office:document-meta>",
        )
        package.writestr("content.xml", "<office:document-content/>")
    return out.getvalue()


def stored(name: str, mime_type: str, data: bytes, **resource: object) -> ResourceFile:
    file = ResourceFileFactory(
        resource=published_resource(title="Pizza fractions", **resource),
        name=name,
        mime_type=mime_type,
        size=len(data),
        file=ContentFile(data, name=name),
    )
    return cast(ResourceFile, file)


def download(client, file: ResourceFile, query: str = "") -> tuple[bytes, Any]:
    response = client.get(file.get_absolute_url() + query)
    assert response.status_code == 200
    return b"".join(response.streaming_content), response


def expected_attribution(file: ResourceFile) -> str:
    author = file.resource.author.display_name
    return (
        f'"Pizza fractions" by {author}, http://testserver{file.resource.get_absolute_url()}, '
        f"licensed under CC BY 4.0 {LICENCE_URL}. "
        "Source: Commonroom learning resources, produced by Commonroom Foundation."
    )


def xmp_values(packet: bytes) -> dict[str, str]:
    """Each credit property of an XMP packet, by local name."""
    root = fromstring(packet)
    values = {}
    for element in root.iter():
        name = element.tag.rpartition("}")[2]
        if name in {"title", "creator", "rights", "source", "WebStatement", "attributionName"}:
            values[name] = "".join(element.itertext())
        if name == "license":
            values[name] = element.get("{http://www.w3.org/1999/02/22-rdf-syntax-ns#}resource")
    return values


def assert_zip_with_attribution(body: bytes, response, file: ResourceFile, original: bytes):
    stem = file.name.rpartition(".")[0]
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"] == f'attachment; filename="{stem}.zip"'
    archive = zipfile.ZipFile(io.BytesIO(body))
    assert sorted(archive.namelist()) == sorted(["ATTRIBUTION.txt", "LICENSE.txt", file.name])
    assert archive.read(file.name) == original
    assert archive.read("ATTRIBUTION.txt").decode() == expected_attribution(file) + "\n"


@pytest.mark.django_db
def test_r33_pdf_download_carries_info_and_xmp_and_keeps_every_original_byte(member_client):
    original = pdf_with_text()
    file = stored("pizza.pdf", "application/pdf", original)
    body, response = download(member_client, file)
    assert response["Content-Disposition"] == 'attachment; filename="pizza.pdf"'
    assert body.startswith(original)
    assert len(body) > len(original)
    reader = PdfReader(io.BytesIO(body))
    info = reader.metadata
    assert info is not None
    assert (info["/Title"], info["/Author"]) == (
        "Pizza fractions",
        file.resource.author.display_name,
    )
    assert info["/Rights"] == expected_attribution(file)
    assert info["/WebStatement"] == LICENCE_URL
    xmp = xmp_values(reader.root_object["/Metadata"].get_object().get_data())
    assert xmp == {
        "title": "Pizza fractions",
        "creator": file.resource.author.display_name,
        "rights": expected_attribution(file),
        "source": f"http://testserver{file.resource.get_absolute_url()}",
        "WebStatement": LICENCE_URL,
        "license": LICENCE_URL,
        "attributionName": file.resource.author.display_name,
    }
    texts = []
    for data in (original, body):
        document = pdfium.PdfDocument(data)
        texts.append([page.get_textpage().get_text_range() for page in document])
    assert (
        texts[0]
        == texts[1]
        == ["Share the pizza in eight slices 1", "Share the pizza in eight slices 2"]
    )


@pytest.mark.django_db
def test_r33_the_attribution_follows_the_current_title(member_client):
    file = stored("pizza.pdf", "application/pdf", pdf_with_text())
    file.resource.title = "Pizza fractions"
    file.resource.save()
    download(member_client, file)
    file.resource.title = "Cake fractions"
    file.resource.save()
    body, _ = download(member_client, file)
    info = PdfReader(io.BytesIO(body)).metadata
    assert info is not None
    assert info["/Title"] == "Cake fractions"


@pytest.mark.django_db
def test_r33_a_broken_pdf_comes_in_a_zip_with_the_attribution(member_client):
    original = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
    file = stored("broken.pdf", "application/pdf", original)
    assert_zip_with_attribution(*download(member_client, file), file, original)


@pytest.mark.django_db
def test_r33_an_encrypted_pdf_comes_in_a_zip_with_the_attribution(member_client):
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf_with_text())))
    writer.encrypt("secret")
    out = io.BytesIO()
    writer.write(out)
    file = stored("locked.pdf", "application/pdf", out.getvalue())
    assert_zip_with_attribution(*download(member_client, file), file, out.getvalue())


@pytest.mark.django_db
def test_r33_a_file_above_the_stamping_limit_comes_in_a_zip(member_client, settings):
    original = pdf_with_text()
    settings.DOWNLOAD_STAMP_MAX_BYTES = len(original) - 1
    file = stored("big.pdf", "application/pdf", original)
    assert_zip_with_attribution(*download(member_client, file), file, original)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("fmt", "mime_type", "mode", "options"),
    [
        ("JPEG", "image/jpeg", "RGB", {"quality": 90}),
        ("PNG", "image/png", "RGBA", {}),
        ("WEBP", "image/webp", "RGB", {"quality": 80}),
        ("WEBP", "image/webp", "RGBA", {"lossless": True}),
    ],
)
def test_r33_image_download_carries_xmp_and_the_same_pixels(
    member_client, fmt, mime_type, mode, options
):
    original = image_bytes(fmt, mode, **options)
    file = stored(f"slices.{fmt.lower()}", mime_type, original)
    for query in ("", "?preview=1"):
        body, response = download(member_client, file, query)
        assert response["Content-Disposition"].endswith(f'filename="slices.{fmt.lower()}"')
        image = Image.open(io.BytesIO(body))
        assert (image.format, image.mode, image.size) == (fmt, mode, (64, 48))
        assert image.tobytes() == Image.open(io.BytesIO(original)).tobytes()
        xmp = xmp_values(image.info["xmp"])
        assert xmp["creator"] == file.resource.author.display_name
        assert xmp["rights"] == expected_attribution(file)
        assert xmp["license"] == LICENCE_URL


def test_r33_jpeg_keeps_exif_first_replaces_old_xmp_and_copies_the_scan():
    exif = Image.Exif()
    exif[0x010F] = "PizzaCam"
    original = image_bytes("JPEG", exif=exif, xmp=b"<x:xmpmeta xmlns:x='adobe:ns:meta/'/>")
    credits = xmp.Credits("T", "Ann", "https://s/", "CC BY 4.0", LICENCE_URL, "line")
    stamped = file_metadata.stamp_jpeg(original, credits)
    segments, scan = file_metadata._jpeg_segments(stamped)
    _, original_scan = file_metadata._jpeg_segments(original)
    assert stamped[scan:] == original[original_scan:]
    assert [marker for marker, _ in segments][:3] == [0xE0, 0xE1, 0xE1]
    assert segments[1][1].startswith(b"Exif\x00")
    packets = [p for m, p in segments if p.startswith(file_metadata.JPEG_XMP_ID)]
    assert len(packets) == 1
    assert xmp_values(packets[0][len(file_metadata.JPEG_XMP_ID) :])["rights"] == "line"
    assert Image.open(io.BytesIO(stamped)).getexif()[0x010F] == "PizzaCam"
    assert file_metadata.stamp_jpeg(stamped, credits) == stamped  # stamping twice changes nothing


@pytest.mark.django_db
@pytest.mark.parametrize("mime_type", [DOCX, XLSX, PPTX])
def test_r33_office_download_carries_core_properties_and_keeps_other_members(
    member_client, mime_type
):
    original = office_package(mime_type)
    file = stored("slices.bin", mime_type, original)
    body, response = download(member_client, file)
    assert response["Content-Disposition"] == 'attachment; filename="slices.bin"'
    before, after = zipfile.ZipFile(io.BytesIO(original)), zipfile.ZipFile(io.BytesIO(body))
    assert after.namelist() == before.namelist()
    for info in before.infolist():
        assert after.getinfo(info.filename).compress_type == info.compress_type
        if info.filename != "docProps/core.xml":
            assert after.read(info.filename) == before.read(info.filename)
    core = fromstring(after.read("docProps/core.xml"))
    assert core.findtext(f"{DC}title") == "Pizza fractions"
    assert core.findtext(f"{DC}creator") == file.resource.author.display_name
    assert core.findtext(f"{DC}description") == expected_attribution(file)
    created = core.find("{http://purl.org/dc/terms/}created")
    assert created.text == "2026-01-02T03:04:05Z"
    assert created.get("{http://www.w3.org/2001/XMLSchema-instance}type") == "dcterms:W3CDTF"


@pytest.mark.django_db
def test_r33_opendocument_download_carries_meta_and_keeps_the_mimetype_first(member_client):
    original = odt_package()
    file = stored("slices.odt", ODT, original)
    body, _ = download(member_client, file)
    package = zipfile.ZipFile(io.BytesIO(body))
    assert package.infolist()[0].filename == "mimetype"
    assert package.infolist()[0].compress_type == zipfile.ZIP_STORED
    assert package.read("content.xml") == b"<office:document-content/>"
    meta = fromstring(package.read("meta.xml")).find(
        "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}meta"
    )
    meta_ns = "{urn:oasis:names:tc:opendocument:xmlns:meta:1.0}"
    assert meta.findtext(f"{DC}title") == "Pizza fractions"
    assert meta.findtext(f"{meta_ns}initial-creator") == file.resource.author.display_name
    assert meta.findtext(f"{DC}description") == expected_attribution(file)
    assert meta.findtext(f"{meta_ns}generator") == "LibreOffice"
    assert meta.findtext(f"{meta_ns}user-defined[@{meta_ns}name='License']") == LICENCE_URL


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "mime_type", "data"),
    [
        ("notes.txt", "text/plain", b"Share the pizza fairly.\n"),
        ("song.mp3", "audio/mpeg", b"ID3\x04\x00\x00\x00\x00\x00\x00" + b"\xff\xfb" * 64),
        ("old.doc", "application/msword", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64),
    ],
)
def test_r33_other_files_come_in_a_zip_with_the_attribution(member_client, name, mime_type, data):
    file = stored(name, mime_type, data)
    assert_zip_with_attribution(*download(member_client, file), file, data)


@pytest.mark.django_db
def test_r33_audio_preview_plays_the_file_itself(member_client):
    data = b"ID3\x04\x00\x00\x00\x00\x00\x00" + b"\xff\xfb" * 64
    file = stored("song.mp3", "audio/mpeg", data)
    body, response = download(member_client, file, "?preview=1")
    assert body == data
    assert response["Content-Type"] == "audio/mpeg"


@pytest.mark.django_db
def test_r33_the_resource_page_says_what_each_download_hands_out(member_client):
    pdf = stored("pizza.pdf", "application/pdf", pdf_with_text())
    ResourceFileFactory(
        resource=pdf.resource,
        name="notes.txt",
        mime_type="text/plain",
        size=5,
        file=ContentFile(b"notes", name="notes.txt"),
    )
    page = member_client.get(pdf.resource.get_absolute_url()).content.decode()
    inside = page.index("Author, licence and source are in the file's properties.")
    zipped = page.index("Downloads as a zip, with the attribution.")
    assert page.index("pizza.pdf") < inside < page.index("notes.txt") < zipped


def gif_xmp(data: bytes) -> bytes:
    start = data.index(file_metadata.GIF_XMP_ID) + len(file_metadata.GIF_XMP_ID)
    return data[start : data.index(file_metadata.GIF_XMP_TRAILER, start)]


@pytest.mark.django_db
def test_r33_gif_download_carries_xmp_and_the_same_frames(member_client):
    frames = [Image.open(io.BytesIO(image_bytes("PNG"))).convert("P"), Image.new("P", (64, 48), 3)]
    out = io.BytesIO()
    frames[0].save(out, format="GIF", save_all=True, append_images=frames[1:], comment=b"hi")
    original = out.getvalue()
    file = stored("slices.gif", "image/gif", original)
    body, response = download(member_client, file)
    assert response["Content-Disposition"] == 'attachment; filename="slices.gif"'
    values = xmp_values(gif_xmp(body))
    assert values["creator"] == file.resource.author.display_name
    assert values["rights"] == expected_attribution(file)
    before, after = Image.open(io.BytesIO(original)), Image.open(io.BytesIO(body))
    assert (after.n_frames, after.info["comment"]) == (2, b"hi")
    for index in range(2):
        before.seek(index)
        after.seek(index)
        assert after.convert("RGB").tobytes() == before.convert("RGB").tobytes()
    credits = xmp.Credits("T", "Ann", "https://s/", "CC BY 4.0", LICENCE_URL, "line")
    again = file_metadata.stamp_gif(body, credits)
    assert again.count(file_metadata.GIF_XMP_ID) == 1
    assert xmp_values(gif_xmp(again))["rights"] == "line"
