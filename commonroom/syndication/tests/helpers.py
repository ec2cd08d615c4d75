"""Reading what a page tells machines, as a crawler would."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from typing import Any

JSON_LD = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.DOTALL)


def json_ld_blocks(html: str) -> list[dict[str, Any]]:
    return [json.loads(block) for block in JSON_LD.findall(html)]


class _HeadParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.meta: dict[str, str] = {}
        self.links: list[dict[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        if tag == "meta" and ("property" in values or "name" in values):
            self.meta[values.get("property") or values["name"]] = values.get("content", "")
        elif tag == "link":
            self.links.append(values)


def head_of(html: str) -> _HeadParser:
    parser = _HeadParser()
    parser.feed(html)
    return parser


def alternates(html: str, content_type: str) -> list[str]:
    return [
        link["href"]
        for link in head_of(html).links
        if link.get("rel") == "alternate" and link.get("type") == content_type
    ]
