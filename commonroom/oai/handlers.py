"""The six OAI-PMH 2.0 verbs and their errors, from the request's arguments
to the response document (protocol sections 3.6 and 4)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from xml.etree import ElementTree as ET

from django.conf import settings
from django.utils import timezone, translation

from commonroom.core import naming
from commonroom.oai import conf, render
from commonroom.oai.registry import harvest_kinds, kind_named
from commonroom.oai.selectors import (
    Query,
    earliest_datestamp,
    identifier_parse,
    list_size,
    record_get,
    window,
)
from commonroom.oai.sets import SetIndex
from commonroom.oai.tokens import BadToken, Position, token_expiry, token_make, token_read

OAI = render.OAI

# Each verb's arguments: required, optional; resumptionToken is exclusive.
VERBS: dict[str, tuple[frozenset[str], frozenset[str]]] = {
    "Identify": (frozenset(), frozenset()),
    "ListMetadataFormats": (frozenset(), frozenset({"identifier"})),
    "ListSets": (frozenset(), frozenset({"resumptionToken"})),
    "ListIdentifiers": (
        frozenset({"metadataPrefix"}),
        frozenset({"from", "until", "set", "resumptionToken"}),
    ),
    "ListRecords": (
        frozenset({"metadataPrefix"}),
        frozenset({"from", "until", "set", "resumptionToken"}),
    ),
    "GetRecord": (frozenset({"identifier", "metadataPrefix"}), frozenset()),
}
# Arguments that are not the protocol's: the harvester key.
IGNORED = frozenset({"key"})


class OaiError(Exception):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def database_name() -> str:
    """In English, as the rest of the protocol's answers: a harvester sends
    no language."""
    with translation.override("en"):
        return naming.database_name()


def terms_note() -> str:
    return (
        f"Source: {database_name()}, produced by {settings.OPERATOR_NAME}. Each record keeps "
        "its own licence; every use must state the source, the producer and the database's "
        "name. Reproducing the database as a whole is not allowed (terms of use, 3.3)."
    )


def respond(arguments: Mapping[str, list[str]], *, base_url: str) -> bytes:
    """The response document to one request's arguments (each with all its values)."""
    now = timezone.now()
    verbs = arguments.get("verb", [])
    single = {name: values[0] for name, values in arguments.items() if name not in IGNORED}
    verb = verbs[0] if len(verbs) == 1 else ""
    if verb not in VERBS:
        root = render.envelope(base_url=base_url, arguments={}, now=now)
        render.error(root, "badVerb", "The verb is missing, repeated or not an OAI-PMH verb.")
        return render.to_bytes(root)
    try:
        _check_arguments(verb, arguments)
    except OaiError as exc:
        root = render.envelope(base_url=base_url, arguments={}, now=now)
        render.error(root, exc.code, exc.message)
        return render.to_bytes(root)
    root = render.envelope(base_url=base_url, arguments=single, now=now)
    try:
        HANDLERS[verb](root, single, base_url)
    except OaiError as exc:
        for child in list(root)[2:]:
            root.remove(child)
        if exc.code == "badArgument":
            root[1].attrib.clear()
        render.error(root, exc.code, exc.message)
    return render.to_bytes(root)


def _check_arguments(verb: str, arguments: Mapping[str, list[str]]) -> None:
    required, optional = VERBS[verb]
    given = {name for name in arguments if name not in IGNORED} - {"verb"}
    repeated = [name for name, values in arguments.items() if len(values) != 1]
    if repeated:
        raise OaiError("badArgument", f"Repeated argument: {', '.join(sorted(repeated))}.")
    unknown = given - required - optional
    if unknown:
        raise OaiError("badArgument", f"Illegal argument: {', '.join(sorted(unknown))}.")
    if "resumptionToken" in given:
        if given != {"resumptionToken"}:
            raise OaiError("badArgument", "resumptionToken is an exclusive argument.")
        return
    missing = required - given
    if missing:
        raise OaiError("badArgument", f"Missing argument: {', '.join(sorted(missing))}.")


def _identify(root: ET.Element, args: Mapping[str, str], base_url: str) -> None:
    element = ET.SubElement(root, f"{{{OAI}}}Identify")
    earliest = earliest_datestamp() or datetime(2000, 1, 1, tzinfo=UTC)
    for tag, text in (
        ("repositoryName", database_name()),
        ("baseURL", base_url),
        ("protocolVersion", "2.0"),
        ("adminEmail", str(getattr(settings, "OAI_ADMIN_EMAIL", "") or settings.OPERATOR_EMAIL)),
        ("earliestDatestamp", render.utc(earliest)),
        ("deletedRecord", "persistent"),
        ("granularity", "YYYY-MM-DDThh:mm:ssZ"),
    ):
        ET.SubElement(element, f"{{{OAI}}}{tag}").text = text
    description = ET.SubElement(element, f"{{{OAI}}}description")
    dc = ET.SubElement(description, f"{{{render.OAI_DC}}}dc")
    dc.set(f"{{{render.XSI}}}schemaLocation", f"{render.OAI_DC} {render.FORMATS['oai_dc'][1]}")
    for tag, text in (
        ("title", database_name()),
        ("publisher", str(settings.OPERATOR_NAME)),
        ("identifier", conf.site_url() + "/"),
        ("rights", terms_note()),
    ):
        ET.SubElement(dc, f"{{{render.DC}}}{tag}").text = text


def _list_metadata_formats(root: ET.Element, args: Mapping[str, str], base_url: str) -> None:
    prefixes = set(render.FORMATS)
    if "identifier" in args:
        parsed = identifier_parse(args["identifier"])
        kind = kind_named(parsed[0]) if parsed else None
        if parsed is None or kind is None or record_get(parsed[0], parsed[1], SetIndex()) is None:
            raise OaiError("idDoesNotExist", "No record has this identifier.")
        prefixes = set(kind.formats)
        if not prefixes:
            raise OaiError("noMetadataFormats", "This record has no metadata format.")
    element = ET.SubElement(root, f"{{{OAI}}}ListMetadataFormats")
    for prefix in sorted(prefixes):
        namespace, schema = render.FORMATS[prefix]
        fmt = ET.SubElement(element, f"{{{OAI}}}metadataFormat")
        ET.SubElement(fmt, f"{{{OAI}}}metadataPrefix").text = prefix
        ET.SubElement(fmt, f"{{{OAI}}}schema").text = schema
        ET.SubElement(fmt, f"{{{OAI}}}metadataNamespace").text = namespace


def _list_sets(root: ET.Element, args: Mapping[str, str], base_url: str) -> None:
    if not any(kind.set_lookups for kind in harvest_kinds()):
        raise OaiError("noSetHierarchy", "This repository does not support sets.")
    if "resumptionToken" in args:
        # The whole list is sent at once: no token was ever issued for it.
        raise OaiError("badResumptionToken", "The list of sets has no resumption token.")
    element = ET.SubElement(root, f"{{{OAI}}}ListSets")
    for entry in SetIndex().all_sets():
        item = ET.SubElement(element, f"{{{OAI}}}set")
        ET.SubElement(item, f"{{{OAI}}}setSpec").text = entry.spec
        ET.SubElement(item, f"{{{OAI}}}setName").text = entry.name


def _datestamp(value: str, *, end: bool) -> tuple[datetime, str]:
    for fmt, granularity in (("%Y-%m-%dT%H:%M:%SZ", "seconds"), ("%Y-%m-%d", "day")):
        try:
            parsed = datetime.strptime(value, fmt).replace(tzinfo=UTC)
        except ValueError:
            continue
        if granularity == "day" and end:
            parsed += timedelta(days=1, seconds=-1)
        return parsed, granularity
    raise OaiError("badArgument", f"Not a datestamp of this repository's granularity: {value}")


def _query(args: Mapping[str, str], sets: SetIndex) -> tuple[Query, Position]:
    """The list's query and where to start: from the arguments or the token."""
    if "resumptionToken" in args:
        try:
            position = token_read(args["resumptionToken"])
        except BadToken:
            raise OaiError(
                "badResumptionToken", "The resumption token is invalid or expired."
            ) from None
        fields = {
            "metadataPrefix": position.prefix,
            "set": position.set_spec,
            "from": position.from_,
            "until": position.until,
        }
        args = {name: value for name, value in fields.items() if value}
    else:
        position = Position(
            prefix=args["metadataPrefix"],
            set_spec=args.get("set", ""),
            from_=args.get("from", ""),
            until=args.get("until", ""),
            stream=0,
            after=0,
            cursor=0,
            total=-1,
        )
    prefix = args["metadataPrefix"]
    from_ = until = None
    granularities = set()
    if "from" in args:
        from_, granularity = _datestamp(args["from"], end=False)
        granularities.add(granularity)
    if "until" in args:
        until, granularity = _datestamp(args["until"], end=True)
        granularities.add(granularity)
    if len(granularities) > 1:
        raise OaiError("badArgument", "from and until must have the same granularity.")
    if from_ is not None and until is not None and from_ > until:
        raise OaiError("badArgument", "from is later than until.")
    if prefix not in render.FORMATS:
        raise OaiError("cannotDisseminateFormat", f"Unknown metadata format: {prefix}")
    set_query = None
    if "set" in args:
        set_query = sets.query(args["set"])
        if set_query is None:
            raise OaiError("noRecordsMatch", f"There is no set {args['set']}.")
    return Query(prefix, set_query, from_, until), position


def _list(root: ET.Element, args: Mapping[str, str], verb: str) -> None:
    sets = SetIndex()
    query, position = _query(args, sets)
    if position.total < 0:
        position = Position(**{**position.__dict__, "total": list_size(query)})
    with_metadata = verb == "ListRecords"
    entries, following = window(query, position, sets, with_metadata=with_metadata)
    if not entries:
        raise OaiError("noRecordsMatch", "No record matches the request.")
    element = ET.SubElement(root, f"{{{OAI}}}{verb}")
    for entry in entries:
        if with_metadata:
            render.record(element, entry, query.prefix)
        else:
            render.header(element, entry)
    if following is None and position.cursor == 0:
        return
    token = ET.SubElement(element, f"{{{OAI}}}resumptionToken")
    token.set("completeListSize", str(position.total))
    token.set("cursor", str(position.cursor))
    if following is not None:
        token.set("expirationDate", render.utc(token_expiry()))
        token.text = token_make(following)


def _get_record(root: ET.Element, args: Mapping[str, str], base_url: str) -> None:
    parsed = identifier_parse(args["identifier"])
    entry = record_get(parsed[0], parsed[1], SetIndex()) if parsed else None
    if parsed is None or entry is None:
        raise OaiError("idDoesNotExist", "No record has this identifier.")
    kind = kind_named(parsed[0])
    prefix = args["metadataPrefix"]
    if prefix not in render.FORMATS or kind is None or prefix not in kind.formats:
        raise OaiError("cannotDisseminateFormat", f"This record is not available as {prefix}.")
    element = ET.SubElement(root, f"{{{OAI}}}GetRecord")
    render.record(element, entry, prefix)


HANDLERS = {
    "Identify": _identify,
    "ListMetadataFormats": _list_metadata_formats,
    "ListSets": _list_sets,
    "ListIdentifiers": lambda root, args, base: _list(root, args, "ListIdentifiers"),
    "ListRecords": lambda root, args, base: _list(root, args, "ListRecords"),
    "GetRecord": _get_record,
}
