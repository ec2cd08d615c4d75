"""Writing the attribution into a downloaded file's own metadata (R33).

Each format gets the author, title, licence and source where its readers look
for them, and nothing else changes: a PDF gets an incremental update (the
original bytes stay a prefix), an image gets an XMP packet beside its
compressed data, an Office file gets new document properties while every other
member keeps its content. Whatever cannot be stamped safely returns None, and
the caller hands out the file in a ZIP with the attribution instead.
"""

import io
import logging
import struct
import zipfile
import zlib
from collections.abc import Callable
from typing import cast
from xml.etree.ElementTree import Element, SubElement

from defusedxml.ElementTree import fromstring

from commonroom.resources.xmp import CP, DC, META, OFFICE, Credits, serialize, xmp_packet

logger = logging.getLogger(__name__)

JPEG_XMP_ID = b"http://ns.adobe.com/xap/1.0/\x00"
JPEG_EXTENDED_XMP_ID = b"http://ns.adobe.com/xmp/extension/\x00"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
PNG_XMP_KEYWORD = b"XML:com.adobe.xmp"
GIF_XMP_ID = b"\x21\xff\x0bXMP DataXMP"
# XMP part 3: the packet's bytes stand in the extension unframed; this run of
# 257 descending bytes and a terminator leads a reader that walks sub-block
# lengths through them back to the end of the extension.
GIF_XMP_TRAILER = b"\x01" + bytes(range(255, -1, -1)) + b"\x00"


class CannotStamp(ValueError):
    """The file is not what its type says, or has no safe place for the credits."""


# PDF -------------------------------------------------------------------------


def stamp_pdf(data: bytes, credits: Credits) -> bytes:
    """The PDF with a new revision appended that sets its document info and XMP."""
    # Imported on first use: pypdf takes a while to load and only PDFs need it.
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import NameObject, StreamObject

    reader = PdfReader(io.BytesIO(data), strict=True)
    if reader.is_encrypted:
        raise CannotStamp("encrypted PDF")
    writer = PdfWriter(reader, incremental=True)
    writer.add_metadata(
        {
            "/Title": credits.title,
            "/Author": credits.author,
            "/Rights": credits.attribution,
            "/WebStatement": credits.licence_url,
            "/Source": credits.source_url,
        }
    )
    old = writer.root_object.get("/Metadata")
    existing = None
    if old is not None and isinstance(old.get_object(), StreamObject):
        existing = old.get_object().get_data()
    writer.xmp_metadata = xmp_packet(credits, existing)
    stream = cast(StreamObject, writer.root_object["/Metadata"].get_object())
    stream[NameObject("/Type")] = NameObject("/Metadata")
    stream[NameObject("/Subtype")] = NameObject("/XML")
    out = io.BytesIO()
    writer.write(out)
    stamped = out.getvalue()
    if not stamped.startswith(data) or PdfReader(io.BytesIO(stamped)).metadata is None:
        raise CannotStamp("the PDF revision did not come out as expected")
    return stamped


# JPEG ------------------------------------------------------------------------


def _jpeg_segments(data: bytes) -> tuple[list[tuple[int, bytes]], int]:
    """The marker segments before the scan data, and where the scan begins."""
    if data[:2] != b"\xff\xd8":
        raise CannotStamp("no JPEG start of image")
    segments: list[tuple[int, bytes]] = []
    position = 2
    while True:
        if data[position] != 0xFF:
            raise CannotStamp("JPEG marker expected")
        while data[position + 1] == 0xFF:  # fill bytes before a marker
            position += 1
        marker = data[position + 1]
        if marker == 0xDA:  # start of scan: the compressed image follows
            return segments, position
        if marker in (0x01, *range(0xD0, 0xD9)):
            raise CannotStamp("unexpected standalone JPEG marker")
        (length,) = struct.unpack(">H", data[position + 2 : position + 4])
        if length < 2 or position + 2 + length > len(data):
            raise CannotStamp("JPEG segment runs past the end")
        segments.append((marker, data[position + 4 : position + 2 + length]))
        position += 2 + length


def stamp_jpeg(data: bytes, credits: Credits) -> bytes:
    """The JPEG with its XMP segment replaced; the scan data is copied unchanged."""
    segments, scan = _jpeg_segments(data)
    old_xmp = None
    kept: list[tuple[int, bytes]] = []
    for marker, payload in segments:
        if marker == 0xE1 and payload.startswith(JPEG_XMP_ID):
            old_xmp = payload[len(JPEG_XMP_ID) :]
        elif not (marker == 0xE1 and payload.startswith(JPEG_EXTENDED_XMP_ID)):
            kept.append((marker, payload))
    payload = JPEG_XMP_ID + xmp_packet(credits, old_xmp)
    if len(payload) > 65533:  # an old packet too big to keep: ours alone
        payload = JPEG_XMP_ID + xmp_packet(credits)
    if len(payload) > 65533:
        raise CannotStamp("the credits do not fit in a JPEG segment")
    # JFIF (APP0) and Exif (APP1) must stay first; XMP comes right after them.
    insert_at = 0
    while insert_at < len(kept) and (
        kept[insert_at][0] == 0xE0
        or (kept[insert_at][0] == 0xE1 and kept[insert_at][1].startswith(b"Exif\x00"))
    ):
        insert_at += 1
    kept.insert(insert_at, (0xE1, payload))
    head = b"".join(
        bytes((0xFF, marker)) + struct.pack(">H", len(body) + 2) + body for marker, body in kept
    )
    return b"\xff\xd8" + head + data[scan:]


# PNG -------------------------------------------------------------------------


def _png_chunk(kind: bytes, body: bytes) -> bytes:
    crc = zlib.crc32(kind + body) & 0xFFFFFFFF
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", crc)


def _itxt_text(body: bytes) -> bytes | None:
    """The text of an uncompressed iTXt chunk (a compressed old packet is dropped)."""
    keyword_end = body.index(b"\x00")
    if body[keyword_end + 1] != 0:
        return None
    _language, _translated, text = body[keyword_end + 3 :].split(b"\x00", 2)
    return text


def stamp_png(data: bytes, credits: Credits) -> bytes:
    """The PNG with an XMP iTXt chunk before the image data; other chunks unchanged."""
    if not data.startswith(PNG_SIGNATURE):
        raise CannotStamp("no PNG signature")
    parts = [PNG_SIGNATURE]
    position = len(PNG_SIGNATURE)
    inserted = False
    old_xmp = None
    while position < len(data):
        (length,) = struct.unpack(">I", data[position : position + 4])
        kind = data[position + 4 : position + 8]
        end = position + 12 + length
        if end > len(data):
            raise CannotStamp("PNG chunk runs past the end")
        body = data[position + 8 : position + 8 + length]
        if kind == b"iTXt" and body.startswith(PNG_XMP_KEYWORD + b"\x00"):
            old_xmp = _itxt_text(body)
        else:
            if kind == b"IDAT" and not inserted:
                itxt = PNG_XMP_KEYWORD + b"\x00\x00\x00\x00\x00" + xmp_packet(credits, old_xmp)
                parts.append(_png_chunk(b"iTXt", itxt))
                inserted = True
            parts.append(data[position:end])
        position = end
        if kind == b"IEND":
            break
    if not inserted:
        raise CannotStamp("PNG without image data")
    return b"".join(parts)


# WebP ------------------------------------------------------------------------


def _webp_canvas(chunks: list[tuple[bytes, bytes]]) -> tuple[int, int, bool]:
    """Width, height and alpha of a simple (VP8 or VP8L) WebP, from its bitstream."""
    kind, body = chunks[0]
    if kind == b"VP8 " and body[3:6] == b"\x9d\x01\x2a":
        width, height = struct.unpack("<HH", body[6:10])
        return width & 0x3FFF, height & 0x3FFF, False
    if kind == b"VP8L" and body[:1] == b"\x2f":
        (bits,) = struct.unpack("<I", body[1:5])
        return (bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1, bool(bits >> 28 & 1)
    raise CannotStamp("unknown WebP bitstream")


def stamp_webp(data: bytes, credits: Credits) -> bytes:
    """The WebP with an XMP chunk, turned into the extended format if it was simple."""
    if data[:4] != b"RIFF" or data[8:12] != b"WEBP":
        raise CannotStamp("no WebP header")
    chunks: list[tuple[bytes, bytes]] = []
    position = 12
    while position + 8 <= len(data):
        kind = data[position : position + 4]
        (length,) = struct.unpack("<I", data[position + 4 : position + 8])
        if position + 8 + length > len(data):
            raise CannotStamp("WebP chunk runs past the end")
        chunks.append((kind, data[position + 8 : position + 8 + length]))
        position += 8 + length + (length & 1)
    if not chunks:
        raise CannotStamp("empty WebP")
    old_xmp = next((body for kind, body in chunks if kind == b"XMP "), None)
    chunks = [(kind, body) for kind, body in chunks if kind != b"XMP "]
    if chunks[0][0] == b"VP8X":
        header = bytearray(chunks[0][1])
        header[0] |= 0x04  # XMP present
        chunks[0] = (b"VP8X", bytes(header))
    else:
        width, height, alpha = _webp_canvas(chunks)
        flags = 0x04 | (0x10 if alpha else 0)
        size = (width - 1).to_bytes(3, "little") + (height - 1).to_bytes(3, "little")
        chunks.insert(0, (b"VP8X", bytes((flags, 0, 0, 0)) + size))
    chunks.append((b"XMP ", xmp_packet(credits, old_xmp)))
    body = b"WEBP" + b"".join(
        kind + struct.pack("<I", len(part)) + part + b"\x00" * (len(part) & 1)
        for kind, part in chunks
    )
    return b"RIFF" + struct.pack("<I", len(body)) + body


# GIF -------------------------------------------------------------------------


def _gif_sub_blocks_end(data: bytes, position: int) -> int:
    while True:
        size = data[position]
        position += 1 + size
        if size == 0:
            return position


def _gif_color_table_size(packed: int) -> int:
    return 3 << ((packed & 7) + 1) if packed & 0x80 else 0


def stamp_gif(data: bytes, credits: Credits) -> bytes:
    """The GIF with an XMP application extension before its first block."""
    if data[:6] not in (b"GIF87a", b"GIF89a"):
        raise CannotStamp("no GIF header")
    position = 13 + _gif_color_table_size(data[10])
    blocks = []
    old_xmp = None
    while data[position] != 0x3B:  # the trailer
        if data[position] == 0x21:  # an extension
            end = _gif_sub_blocks_end(data, position + 2)
            if data.startswith(GIF_XMP_ID, position):
                packet = data[position + len(GIF_XMP_ID) : end]
                old_xmp = packet.removesuffix(GIF_XMP_TRAILER)
            else:
                blocks.append(data[position:end])
        elif data[position] == 0x2C:  # an image: descriptor, colours, LZW code size, data
            start = position + 10 + _gif_color_table_size(data[position + 9])
            end = _gif_sub_blocks_end(data, start + 1)
            blocks.append(data[position:end])
        else:
            raise CannotStamp("unknown GIF block")
        position = end
    extension = GIF_XMP_ID + xmp_packet(credits, old_xmp) + GIF_XMP_TRAILER
    # Extensions came with GIF89a; a GIF87a decoder would stop at one.
    return (
        b"GIF89a"
        + data[6 : 13 + _gif_color_table_size(data[10])]
        + extension
        + b"".join(blocks)
        + data[position:]
    )


# Office ----------------------------------------------------------------------


def _set_text(parent: Element, tag: str, text: str) -> None:
    element = parent.find(tag)
    if element is None:
        element = SubElement(parent, tag)
    element.text = text


def _ooxml_core(xml: bytes, credits: Credits) -> bytes:
    root = fromstring(xml)
    if root.tag != f"{{{CP}}}coreProperties":
        raise CannotStamp("not OOXML core properties")
    _set_text(root, f"{{{DC}}}title", credits.title)
    _set_text(root, f"{{{DC}}}creator", credits.author)
    # The core properties schema has no dc:rights: description is where
    # Word, Excel and PowerPoint show a free text about the document.
    _set_text(root, f"{{{DC}}}description", credits.attribution)
    return b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' + serialize(root).encode()


def _odf_meta(xml: bytes, credits: Credits) -> bytes:
    root = fromstring(xml)
    meta = root.find(f"{{{OFFICE}}}meta")
    if root.tag != f"{{{OFFICE}}}document-meta" or meta is None:
        raise CannotStamp("not OpenDocument metadata")
    _set_text(meta, f"{{{DC}}}title", credits.title)
    _set_text(meta, f"{{{META}}}initial-creator", credits.author)
    _set_text(meta, f"{{{DC}}}description", credits.attribution)
    name = f"{{{META}}}name"
    for field in meta.findall(f"{{{META}}}user-defined"):
        if field.get(name) == "License":
            meta.remove(field)
    if credits.licence_url:
        SubElement(meta, f"{{{META}}}user-defined", {name: "License"}).text = credits.licence_url
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + serialize(root).encode()


def _stamp_package(data: bytes, member: str, rewrite: Callable[[bytes], bytes]) -> bytes:
    """The package with one member rewritten; every other member is copied in order."""
    source = zipfile.ZipFile(io.BytesIO(data))
    names = source.namelist()
    if member not in names:
        raise CannotStamp(f"no {member}")
    if any(n.startswith("_xmlsignatures/") or n.endswith("documentsignatures.xml") for n in names):
        raise CannotStamp("a signed document: new properties would break the signature")
    out = io.BytesIO()
    with source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            content = source.read(info)
            if info.filename == member:
                content = rewrite(content)
            target.writestr(info, content, compress_type=info.compress_type)
    return out.getvalue()


def stamp_ooxml(data: bytes, credits: Credits) -> bytes:
    return _stamp_package(data, "docProps/core.xml", lambda xml: _ooxml_core(xml, credits))


def stamp_odf(data: bytes, credits: Credits) -> bytes:
    return _stamp_package(data, "meta.xml", lambda xml: _odf_meta(xml, credits))


STAMPERS: dict[str, Callable[[bytes, Credits], bytes]] = {
    "application/pdf": stamp_pdf,
    "image/jpeg": stamp_jpeg,
    "image/png": stamp_png,
    "image/webp": stamp_webp,
    "image/gif": stamp_gif,
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": stamp_ooxml,
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": stamp_ooxml,
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": stamp_ooxml,
    "application/vnd.oasis.opendocument.text": stamp_odf,
    "application/vnd.oasis.opendocument.spreadsheet": stamp_odf,
    "application/vnd.oasis.opendocument.presentation": stamp_odf,
}


def can_stamp(mime_type: str) -> bool:
    return mime_type in STAMPERS


def stamp(data: bytes, mime_type: str, credits: Credits) -> bytes | None:
    """The file with the credits in its metadata, or None to hand out a ZIP instead."""
    stamper = STAMPERS.get(mime_type)
    if stamper is None:
        return None
    try:
        return stamper(data, credits)
    except Exception as error:  # any failure has a safe answer: the ZIP
        logger.info("attribution not embedded in a %s file: %r", mime_type, error)
        return None
