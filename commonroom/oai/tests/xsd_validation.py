"""Validate OAI-PMH responses against the schemas kept in ``xsd/``: the
OAI-PMH envelope and, inside it, oai_dc and IEEE LOM records. Nothing is
read from the network (lxml's ``no_network``; every schemaLocation is a
local file)."""

from __future__ import annotations

import functools
from pathlib import Path

from lxml import etree

XSD_DIR = Path(__file__).resolve().parent.parent / "xsd"

_COMBINED = """<?xml version="1.0" encoding="UTF-8"?>
<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema"
           targetNamespace="urn:commonroom:oai-validation" elementFormDefault="qualified">
  <xs:import namespace="http://www.openarchives.org/OAI/2.0/" schemaLocation="OAI-PMH.xsd"/>
  <xs:import namespace="http://www.openarchives.org/OAI/2.0/oai_dc/" schemaLocation="oai_dc.xsd"/>
  <xs:import namespace="http://ltsc.ieee.org/xsd/LOM" schemaLocation="lom/lom.xsd"/>
</xs:schema>
"""


@functools.cache
def response_schema() -> etree.XMLSchema:
    """One schema knowing the envelope and both metadata formats, so the
    envelope's ``processContents="strict"`` wildcards check each record."""
    parser = etree.XMLParser(no_network=True, resolve_entities=False)
    document = etree.fromstring(
        _COMBINED.encode(), parser=parser, base_url=(XSD_DIR / "combined.xsd").as_uri()
    )
    return etree.XMLSchema(document)


def validation_errors(xml: bytes) -> list[str]:
    """Every schema error of one response (empty when it is valid)."""
    parser = etree.XMLParser(no_network=True, resolve_entities=False)
    document = etree.fromstring(xml, parser=parser)
    schema = response_schema()
    if schema.validate(document):
        return []
    return [f"line {e.line}: {e.message}" for e in schema.error_log]
