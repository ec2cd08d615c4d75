"""Text extracted from uploaded documents for search (issue 5, item 2)."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from fpdf import FPDF

from commonroom.core.tests.test_uploads import CONTENT_TYPES_DOCX, zip_bytes
from commonroom.core.uploads import policy
from commonroom.core.uploads.text import MAX_CHARS, extract_text

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"


def pdf_with(*pages: str) -> bytes:
    pdf = FPDF(format="A4")
    pdf.set_font("Helvetica", size=12)
    for text in pages:
        pdf.add_page()
        pdf.multi_cell(0, 8, text)
    return bytes(pdf.output())


def docx_with(*paragraphs: str) -> bytes:
    # Each paragraph in two runs: the words must come out whole.
    runs = ((p[: len(p) // 2], p[len(p) // 2 :]) for p in paragraphs)
    body = "".join(
        f"<w:p><w:r><w:t>{a}</w:t></w:r><w:r><w:t>{b}</w:t></w:r></w:p>" for a, b in runs
    )
    document = f'<w:document xmlns:w="{W}"><w:body>{body}</w:body></w:document>'
    return zip_bytes(
        [
            ("[Content_Types].xml", CONTENT_TYPES_DOCX),
            ("_rels/.rels", b"<Relationships/>"),
            ("word/document.xml", document.encode()),
        ]
    )


def odt_with(*paragraphs: str) -> bytes:
    body = "".join(f"<text:p>{p}</text:p>" for p in paragraphs)
    content = (
        f'<office:document-content xmlns:office="urn:o" xmlns:text="{TEXT}">'
        f"{body}</office:document-content>"
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("mimetype", policy.ODT, zipfile.ZIP_STORED)
        archive.writestr("content.xml", content)
    return out.getvalue()


def test_text_of_every_page_of_a_pdf():
    text = extract_text(
        io.BytesIO(pdf_with("Fotosynthese in het blad", "Chlorofyl vangt licht")), policy.PDF
    )
    assert "Fotosynthese in het blad" in text
    assert "Chlorofyl vangt licht" in text


def test_text_of_a_docx_keeps_words_whole_and_paragraphs_apart():
    text = extract_text(io.BytesIO(docx_with("Breuken met pizza", "Eerlijk delen")), policy.DOCX)
    assert text == "Breuken met pizza\nEerlijk delen"


def test_text_of_an_odt():
    text = extract_text(io.BytesIO(odt_with("Getijden", "De maan en de zee")), policy.ODT)
    assert text == "Getijden\nDe maan en de zee"


def test_plain_text_is_decoded_and_long_text_is_cut():
    text = extract_text(io.BytesIO(b"ab " * MAX_CHARS), "text/plain")
    assert len(text) == MAX_CHARS


@pytest.mark.parametrize(
    ("data", "mime"),
    [
        (b"%PDF-1.4 not really", policy.PDF),
        (b"PK\x03\x04 broken", policy.DOCX),
        (zip_bytes([("word/document.xml", b"<w:document><unclosed>")]), policy.DOCX),
        (
            zip_bytes(
                [
                    (
                        "word/document.xml",
                        b'<!DOCTYPE d [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]><d>&b;</d>',
                    )
                ]
            ),
            policy.DOCX,
        ),
        (b"\x89PNG", "image/png"),
    ],
)
def test_unreadable_or_hostile_files_give_no_text(data, mime):
    assert extract_text(io.BytesIO(data), mime) == ""


@pytest.mark.django_db
def test_r2_words_in_an_uploaded_pdf_are_found_after_the_background_task(
    django_capture_on_commit_callbacks,
):
    from commonroom.resources.file_uploads import resource_file_add
    from commonroom.search.facets import Filters
    from commonroom.search.selectors import search_documents
    from commonroom.search.tests.conftest import make

    resource = make(title="Werkblad planten", description="Een werkblad.")
    assert search_documents(text="chlorofyl", filters=Filters()).total == 0
    upload = SimpleUploadedFile("blad.pdf", pdf_with("Chlorofyl vangt het licht"))
    with django_capture_on_commit_callbacks(execute=True):
        record = resource_file_add(resource=resource, upload=upload, by=resource.author)
    record.refresh_from_db()
    assert "Chlorofyl vangt het licht" in record.extracted_text
    result = search_documents(text="chlorofyl", filters=Filters())
    assert [hit.object.pk for hit in result.hits] == [resource.pk]
    assert "<mark>Chlorofyl</mark>" in result.hits[0].snippet
