"""OAI-PMH 2.0 responses as XML (ElementTree): the envelope, headers,
oai_dc and IEEE LOM records."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from xml.etree import ElementTree as ET

from commonroom.oai.protocol import LangString, Metadata
from commonroom.oai.selectors import Entry

OAI = "http://www.openarchives.org/OAI/2.0/"
OAI_DC = "http://www.openarchives.org/OAI/2.0/oai_dc/"
DC = "http://purl.org/dc/elements/1.1/"
LOM = "http://ltsc.ieee.org/xsd/LOM"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"

FORMATS: dict[str, tuple[str, str]] = {
    "oai_dc": (OAI_DC, "http://www.openarchives.org/OAI/2.0/oai_dc.xsd"),
    "lom": (LOM, "http://ltsc.ieee.org/xsd/lomv1.0/lom.xsd"),
}

for _prefix, _uri in (("oai_dc", OAI_DC), ("dc", DC), ("xsi", XSI), ("lom", LOM)):
    ET.register_namespace(_prefix, _uri)


def utc(value: datetime) -> str:
    """A datestamp at the repository's granularity (seconds, UTC)."""
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def lom_datetime(value: datetime) -> str:
    """LOM's DateTime pattern takes a zone only after a fraction of a second."""
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.0Z")


def _sub(parent: ET.Element, ns: str, tag: str, text: str | None = None) -> ET.Element:
    element = ET.SubElement(parent, f"{{{ns}}}{tag}")
    if text is not None:
        element.text = text
    return element


def envelope(*, base_url: str, arguments: Mapping[str, str], now: datetime) -> ET.Element:
    root = ET.Element(f"{{{OAI}}}OAI-PMH")
    root.set(f"{{{XSI}}}schemaLocation", f"{OAI} http://www.openarchives.org/OAI/2.0/OAI-PMH.xsd")
    _sub(root, OAI, "responseDate", utc(now))
    request = _sub(root, OAI, "request", base_url)
    for name, value in arguments.items():
        request.set(name, value)
    return root


def error(root: ET.Element, code: str, message: str) -> None:
    _sub(root, OAI, "error", message).set("code", code)


def to_bytes(root: ET.Element) -> bytes:
    body: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return body


def header(parent: ET.Element, entry: Entry) -> None:
    element = _sub(parent, OAI, "header")
    if entry.deleted:
        element.set("status", "deleted")
    _sub(element, OAI, "identifier", entry.identifier)
    _sub(element, OAI, "datestamp", utc(entry.datestamp))
    for spec in entry.set_specs:
        _sub(element, OAI, "setSpec", spec)


def record(parent: ET.Element, entry: Entry, prefix: str) -> None:
    element = _sub(parent, OAI, "record")
    header(element, entry)
    if entry.deleted or entry.metadata is None:
        return
    metadata = _sub(element, OAI, "metadata")
    if prefix == "lom":
        lom(metadata, entry.metadata, entry.identifier)
    else:
        dublin_core(metadata, entry.metadata)


def _dc(parent: ET.Element, tag: str, text: str, language: str = "") -> None:
    if not text:
        return
    element = _sub(parent, DC, tag, text)
    if language:
        element.set(XML_LANG, language)


def dublin_core(parent: ET.Element, data: Metadata) -> None:
    dc = _sub(parent, OAI_DC, "dc")
    dc.set(f"{{{XSI}}}schemaLocation", f"{OAI_DC} {FORMATS['oai_dc'][1]}")
    _dc(dc, "title", data.title.text, data.title.language)
    for author in data.authors:
        _dc(dc, "creator", author)
    for subject in (*data.subjects, *data.keywords):
        _dc(dc, "subject", subject.text, subject.language)
    if data.description is not None:
        _dc(dc, "description", data.description.text, data.description.language)
    _dc(dc, "publisher", str(data.extra.get("publisher", "")))
    if data.date is not None:
        _dc(dc, "date", utc(data.date))
    for value in data.dc_type:
        _dc(dc, "type", value)
    _dc(dc, "format", data.mime_type)
    _dc(dc, "identifier", data.url)
    _dc(dc, "language", data.language)
    if data.licence_url:
        _dc(dc, "rights", data.licence_url)
    _dc(dc, "rights", data.licence_name)
    _dc(dc, "rights", data.attribution)


# --- IEEE LOM (1484.12.3 XML binding, LOMv1.0 vocabularies) -------------------


def _lang_string(parent: ET.Element, tag: str, values: tuple[LangString, ...]) -> None:
    element = _sub(parent, LOM, tag)
    for value in values:
        string = _sub(element, LOM, "string", value.text)
        if value.language:
            string.set("language", value.language)


def _vocab(parent: ET.Element, tag: str, value: str) -> None:
    element = _sub(parent, LOM, tag)
    _sub(element, LOM, "source", "LOMv1.0")
    _sub(element, LOM, "value", value)


def vcard(name: str) -> str:
    escaped = name.replace("\\", "\\\\").replace(",", "\\,").replace(";", "\\;")
    return f"BEGIN:VCARD\nVERSION:3.0\nFN:{escaped}\nN:{escaped};;;;\nEND:VCARD"


def lom(parent: ET.Element, data: Metadata, identifier: str) -> None:
    root = _sub(parent, LOM, "lom")
    root.set(f"{{{XSI}}}schemaLocation", f"{LOM} {FORMATS['lom'][1]}")
    general = _sub(root, LOM, "general")
    ident = _sub(general, LOM, "identifier")
    _sub(ident, LOM, "catalog", "URI")
    _sub(ident, LOM, "entry", data.url)
    _lang_string(general, "title", (data.title,))
    if data.language:
        _sub(general, LOM, "language", data.language)
    if data.description is not None:
        _lang_string(general, "description", (data.description,))
    for keyword in data.keywords:
        _lang_string(general, "keyword", (keyword,))

    if data.authors:
        life_cycle = _sub(root, LOM, "lifeCycle")
        for author in data.authors:
            contribute = _sub(life_cycle, LOM, "contribute")
            _vocab(contribute, "role", "author")
            _sub(contribute, LOM, "entity", vcard(author))
            if data.date is not None:
                _sub(_sub(contribute, LOM, "date"), LOM, "dateTime", lom_datetime(data.date))

    meta = _sub(root, LOM, "metaMetadata")
    meta_ident = _sub(meta, LOM, "identifier")
    _sub(meta_ident, LOM, "catalog", "oai")
    _sub(meta_ident, LOM, "entry", identifier)
    publisher = str(data.extra.get("publisher", ""))
    if publisher:
        contribute = _sub(meta, LOM, "contribute")
        _vocab(contribute, "role", "creator")
        _sub(contribute, LOM, "entity", vcard(publisher))
    _sub(meta, LOM, "metadataSchema", "LOMv1.0")
    if data.language:
        _sub(meta, LOM, "language", data.language)

    technical = _sub(root, LOM, "technical")
    _sub(technical, LOM, "format", data.mime_type)
    _sub(technical, LOM, "location", data.url)

    if data.learning_resource_types or data.age_range or data.language:
        educational = _sub(root, LOM, "educational")
        for value in data.learning_resource_types:
            _vocab(educational, "learningResourceType", value)
        if data.age_range:
            _lang_string(educational, "typicalAgeRange", (LangString(data.age_range),))
        if data.language:
            _sub(educational, LOM, "language", data.language)

    rights = _sub(root, LOM, "rights")
    _vocab(rights, "cost", "no")
    _vocab(rights, "copyrightAndOtherRestrictions", "yes")
    licence = " ".join(v for v in (data.licence_name, data.licence_url) if v)
    texts = tuple(LangString(t, "en") for t in (licence, data.attribution) if t)
    if texts:
        _lang_string(rights, "description", (LangString(" — ".join(t.text for t in texts), "en"),))

    for classification in data.classifications:
        element = _sub(root, LOM, "classification")
        _vocab(element, "purpose", classification.purpose)
        for path in classification.paths:
            taxon_path = _sub(element, LOM, "taxonPath")
            _lang_string(taxon_path, "source", (LangString(classification.source, "en"),))
            for taxon in path:
                node = _sub(taxon_path, LOM, "taxon")
                _sub(node, LOM, "id", taxon.slug)
                _lang_string(node, "entry", taxon.labels)
