"""The credits of a resource as an XMP packet (R33), the metadata format PDFs
and images share: Dublin Core title, creator and rights, the XMP rights
statement and the Creative Commons licence and attribution properties."""

from dataclasses import dataclass
from xml.etree.ElementTree import Element, SubElement
from xml.sax.saxutils import escape, quoteattr

from defusedxml.ElementTree import fromstring

XML_NS = "http://www.w3.org/XML/1998/namespace"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
DC = "http://purl.org/dc/elements/1.1/"
XMP_RIGHTS = "http://ns.adobe.com/xap/1.0/rights/"
CC = "http://creativecommons.org/ns#"
CP = "http://schemas.openxmlformats.org/package/2006/metadata/core-properties"
DCTERMS = "http://purl.org/dc/terms/"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
META = "urn:oasis:names:tc:opendocument:xmlns:meta:1.0"
PREFIXES = {
    "adobe:ns:meta/": "x",
    RDF: "rdf",
    DC: "dc",
    XMP_RIGHTS: "xmpRights",
    CC: "cc",
    CP: "cp",
    DCTERMS: "dcterms",
    "http://purl.org/dc/dcmitype/": "dcmitype",
    XSI: "xsi",
    OFFICE: "office",
    META: "meta",
    "http://www.w3.org/1999/xlink": "xlink",
    "http://openoffice.org/2004/office": "ooo",
    "http://www.w3.org/2003/g/data-view#": "grddl",
    "http://ns.adobe.com/xap/1.0/": "xmp",
    "http://ns.adobe.com/pdf/1.3/": "pdf",
    "http://www.aiim.org/pdfa/ns/id/": "pdfaid",
}
XMP_PROPERTIES = {
    f"{{{uri}}}{name}"
    for uri, names in (
        (DC, ("title", "creator", "rights", "source")),
        (XMP_RIGHTS, ("WebStatement", "UsageTerms")),
        (CC, ("license", "attributionName", "attributionURL")),
    )
    for name in names
}


@dataclass(frozen=True)
class Credits:
    title: str
    author: str
    source_url: str
    licence_name: str
    licence_url: str
    attribution: str

    def __post_init__(self) -> None:
        # XML 1.0 cannot carry most control characters; a name may contain one.
        for field in (
            "title",
            "author",
            "source_url",
            "licence_name",
            "licence_url",
            "attribution",
        ):
            value = getattr(self, field)
            clean = "".join(c for c in value if c >= " " or c in "\t\n")
            object.__setattr__(self, field, clean)


def serialize(root: Element) -> str:
    """XML with stable, conventional prefixes, declared once on the root.

    ElementTree's own writer invents ns0/ns1 prefixes, and its prefix registry
    is process-wide, so it must not learn prefixes from members' files.
    """
    prefixes: dict[str, str] = {}

    def qname(name: str) -> str:
        if not name.startswith("{"):
            return name
        uri, local = name[1:].split("}", 1)
        if uri == XML_NS:
            return f"xml:{local}"
        if uri not in prefixes:
            prefixes[uri] = PREFIXES.get(uri) or f"ns{len(prefixes)}"
        return f"{prefixes[uri]}:{local}"

    def render(element: Element) -> str:
        if not isinstance(element.tag, str):  # comments and processing instructions
            return ""
        tag = qname(element.tag)
        attributes = "".join(f" {qname(k)}={quoteattr(v)}" for k, v in element.attrib.items())
        inner = escape(element.text or "") + "".join(
            render(child) + escape(child.tail or "") for child in element
        )
        return f"<{tag}{attributes}>{inner}</{tag}>"

    body = render(root)
    root_tag = qname(root.tag)
    declarations = "".join(f" xmlns:{p}={quoteattr(uri)}" for uri, p in prefixes.items())
    return f"<{root_tag}{declarations}{body[len(root_tag) + 1 :]}"


def _alt(parent: Element, tag: str, text: str) -> None:
    item = SubElement(SubElement(SubElement(parent, tag), f"{{{RDF}}}Alt"), f"{{{RDF}}}li")
    item.set(f"{{{XML_NS}}}lang", "x-default")
    item.text = text


def _credits_description(credits: Credits) -> Element:
    description = Element(f"{{{RDF}}}Description", {f"{{{RDF}}}about": ""})
    _alt(description, f"{{{DC}}}title", credits.title)
    creators = SubElement(SubElement(description, f"{{{DC}}}creator"), f"{{{RDF}}}Seq")
    SubElement(creators, f"{{{RDF}}}li").text = credits.author
    _alt(description, f"{{{DC}}}rights", credits.attribution)
    SubElement(description, f"{{{DC}}}source").text = credits.source_url
    _alt(description, f"{{{XMP_RIGHTS}}}UsageTerms", credits.attribution)
    if credits.licence_url:
        SubElement(description, f"{{{XMP_RIGHTS}}}WebStatement").text = credits.licence_url
        SubElement(description, f"{{{CC}}}license", {f"{{{RDF}}}resource": credits.licence_url})
    SubElement(description, f"{{{CC}}}attributionName").text = credits.author
    SubElement(description, f"{{{CC}}}attributionURL", {f"{{{RDF}}}resource": credits.source_url})
    return description


def xmp_packet(credits: Credits, existing: bytes | None = None) -> bytes:
    """An XMP packet with the credits; other properties of ``existing`` are kept."""
    root: Element | None = None
    if existing:
        try:
            root = fromstring(existing.strip(b"\x00 \r\n\t"))
        except Exception:  # an unreadable old packet is replaced, not repaired
            root = None
    rdf = None
    if root is not None:
        rdf = root if root.tag == f"{{{RDF}}}RDF" else root.find(f".//{{{RDF}}}RDF")
    if root is None or rdf is None:
        root = Element("{adobe:ns:meta/}xmpmeta")
        rdf = SubElement(root, f"{{{RDF}}}RDF")
    for description in rdf.findall(f"{{{RDF}}}Description"):
        for child in [c for c in description if c.tag in XMP_PROPERTIES]:
            description.remove(child)
        for name in [a for a in description.attrib if a in XMP_PROPERTIES]:
            del description.attrib[name]
        if len(description) == 0 and set(description.attrib) <= {f"{{{RDF}}}about"}:
            rdf.remove(description)  # what an earlier stamp left
    rdf.append(_credits_description(credits))
    xml = serialize(root)
    return (
        f'<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>\n{xml}\n<?xpacket end="w"?>'
    ).encode()
