"""The text of an uploaded document, for search (issue 5: "text extracted
from PDFs and office documents at upload, in a background task").

PDF pages are read with PDFium (the library that renders the thumbnails);
Office Open XML and OpenDocument files are zip archives of XML, read with
defusedxml so that entity tricks cannot expand; plain text is decoded. Every
reader stops at ``MAX_CHARS`` and skips what it cannot read: a file whose
text cannot be extracted is still shared, it is only found by its title and
description.
"""

from __future__ import annotations

import logging
import re
import threading
import zipfile
from collections.abc import Iterator
from typing import IO

import pypdfium2 as pdfium
from defusedxml import ElementTree

from commonroom.core.uploads import policy

logger = logging.getLogger(__name__)

MAX_CHARS = 100_000
MAX_PDF_PAGES = 300
# A part of an Office file larger than this is not read (a zip bomb is
# refused at upload; this bounds the memory of a legitimate huge sheet).
MAX_XML_BYTES = 20 * 1024 * 1024
_PDFIUM_LOCK = threading.Lock()  # PDFium is not thread-safe
_SPACES = re.compile(r"[ \t\r\f\v]+")
_LINES = re.compile(r"\n{3,}")

# Which parts of a zipped document hold its text, and its paragraph elements.
_PARTS = {
    policy.DOCX: (re.compile(r"word/(document|footnotes|endnotes)\.xml"), {"p"}),
    policy.PPTX: (re.compile(r"ppt/slides/slide\d+\.xml"), {"p"}),
    policy.XLSX: (re.compile(r"xl/sharedStrings\.xml"), {"si"}),
    policy.ODT: (re.compile(r"content\.xml"), {"p", "h"}),
    policy.ODS: (re.compile(r"content\.xml"), {"p", "h"}),
    policy.ODP: (re.compile(r"content\.xml"), {"p", "h"}),
}


def extract_text(content: IO[bytes], mime_type: str) -> str:
    """The readable text of a stored file, or "" for types without text."""
    content.seek(0)
    try:
        if mime_type == policy.PDF:
            pieces: Iterator[str] = _pdf_text(content)
        elif mime_type in _PARTS:
            pieces = _zipped_text(content, mime_type)
        elif mime_type in policy.TEXT_TYPES:
            pieces = iter([content.read(MAX_CHARS * 4).decode("utf-8", errors="replace")])
        else:
            return ""
        return _tidy(_bounded(pieces))
    except (pdfium.PdfiumError, zipfile.BadZipFile, ElementTree.ParseError, OSError, ValueError):
        logger.warning("No text extracted from a %s file", mime_type, exc_info=True)
        return ""
    finally:
        content.seek(0)


def _bounded(pieces: Iterator[str]) -> str:
    out: list[str] = []
    size = 0
    for piece in pieces:
        out.append(piece)
        size += len(piece)
        if size >= MAX_CHARS:
            break
    return "".join(out)[:MAX_CHARS]


def _tidy(text: str) -> str:
    lines = (_SPACES.sub(" ", line).strip() for line in text.replace("\x00", "").split("\n"))
    return _LINES.sub("\n\n", "\n".join(lines)).strip()


def _pdf_text(content: IO[bytes]) -> Iterator[str]:
    with _PDFIUM_LOCK:
        document = pdfium.PdfDocument(content.read())
        try:
            texts = []
            for index in range(min(len(document), MAX_PDF_PAGES)):
                page = document[index]
                try:
                    textpage = page.get_textpage()
                    try:
                        texts.append(textpage.get_text_bounded() + "\n")
                    finally:
                        textpage.close()
                finally:
                    page.close()
                if sum(len(t) for t in texts) >= MAX_CHARS:
                    break
        finally:
            document.close()
    yield from texts


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _zipped_text(content: IO[bytes], mime_type: str) -> Iterator[str]:
    parts, paragraphs = _PARTS[mime_type]
    with zipfile.ZipFile(content) as archive:
        names = sorted(
            (i for i in archive.infolist() if parts.fullmatch(i.filename)),
            key=lambda i: [int(n) if n.isdigit() else n for n in re.split(r"(\d+)", i.filename)],
        )
        for info in names:
            if info.file_size > MAX_XML_BYTES:
                continue
            with archive.open(info) as xml:
                root = ElementTree.parse(xml).getroot()
            for element in root.iter():
                if isinstance(element.tag, str) and _local(element.tag) in paragraphs:
                    yield "".join(element.itertext()) + "\n"
