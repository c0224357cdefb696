"""OAI-PMH 2.0 (https://www.openarchives.org/OAI/openarchivesprotocol.html) with `oai_dc`.

`respond(params)` answers one request (params: {name: [values]}, as GET or POST form data gives
them) with the bytes of an `<OAI-PMH>` response. Records are the edition's documents: identifier
`oai:<host of EDITION_BASE_URL>:<slug>`, datestamp `Document.modified` (when its text or metadata
last changed) at seconds granularity in UTC. There are no sets (`ListSets` and a `set` argument are
`noSetHierarchy`) and deletions are not kept (`deletedRecord` "no"). Lists are cut into pages of
`EDITION_OAI_PAGE_SIZE` (default 100) with a resumption token that carries the request itself
(prefix, from, until, offset), so tokens never expire; a token that is not one of ours, or whose
list has shrunk below its offset, is `badResumptionToken`.
"""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime, time, timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.utils import timezone
from lxml import etree

from documents.models import Document

from . import links
from .metadata import document_authors, prefetch_authors, publisher

OAI_NS = "http://www.openarchives.org/OAI/2.0/"
OAI_SCHEMA = "http://www.openarchives.org/OAI/2.0/OAI-PMH.xsd"
DC_FORMAT_NS = "http://www.openarchives.org/OAI/2.0/oai_dc/"
DC_FORMAT_SCHEMA = "http://www.openarchives.org/OAI/2.0/oai_dc.xsd"
DC_NS = "http://purl.org/dc/elements/1.1/"
ID_NS = "http://www.openarchives.org/OAI/2.0/oai-identifier"
ID_SCHEMA = "http://www.openarchives.org/OAI/2.0/oai-identifier.xsd"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
FORMATS = {"oai_dc": (DC_FORMAT_SCHEMA, DC_FORMAT_NS)}
GRANULARITY = "YYYY-MM-DDThh:mm:ssZ"
MEDIA_TYPE = "text/xml; charset=utf-8"

#: Each verb's arguments: required, optional, exclusive (resumptionToken alone).
VERBS = {
    "Identify": ((), (), None),
    "ListMetadataFormats": ((), ("identifier",), None),
    "ListSets": ((), (), "resumptionToken"),
    "GetRecord": (("identifier", "metadataPrefix"), (), None),
    "ListIdentifiers": (("metadataPrefix",), ("from", "until", "set"), "resumptionToken"),
    "ListRecords": (("metadataPrefix",), ("from", "until", "set"), "resumptionToken"),
}


class OAIError(Exception):
    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code, self.message = code, message


def _oai(name: str) -> str:
    return f"{{{OAI_NS}}}{name}"


def base_url() -> str:
    return links.base(settings.EDITION_BASE_URL) + "/oai"


def repository_host() -> str:
    return urlsplit(links.base(settings.EDITION_BASE_URL)).hostname or "localhost"


def oai_identifier(document) -> str:
    return f"oai:{repository_host()}:{document.slug}"


def datestamp(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def page_size() -> int:
    return getattr(settings, "EDITION_OAI_PAGE_SIZE", 100)


# -- arguments ---------------------------------------------------------------------------------
def _single(params: dict, name: str) -> str | None:
    values = params.get(name) or []
    if len(values) > 1:
        raise OAIError("badArgument", f"the argument {name!r} is repeated")
    return values[0] if values else None


def check_arguments(params: dict) -> tuple[str, dict]:
    """(verb, {argument: value}) or OAIError(badVerb | badArgument)."""
    verbs = params.get("verb") or []
    if len(verbs) != 1:
        raise OAIError("badVerb", "the verb argument is missing" if not verbs else "the verb argument is repeated")
    verb = verbs[0]
    if verb not in VERBS:
        raise OAIError("badVerb", f"{verb!r} is not an OAI-PMH verb")
    required, optional, exclusive = VERBS[verb]
    allowed = {"verb", *required, *optional, *([exclusive] if exclusive else [])}
    unknown = sorted(set(params) - allowed)
    if unknown:
        raise OAIError("badArgument", f"{verb} takes no argument {unknown[0]!r}")
    args = {name: _single(params, name) for name in params if name != "verb"}
    if exclusive and args.get(exclusive) is not None:
        if len(args) > 1:
            raise OAIError("badArgument", f"{exclusive} is an exclusive argument")
        return verb, args
    missing = [name for name in required if not args.get(name)]
    if missing:
        raise OAIError("badArgument", f"{verb} needs the argument {missing[0]!r}")
    return verb, args


def _parse_date(value: str, name: str, end_of_day: bool) -> tuple[datetime, str]:
    for fmt, granularity in (("%Y-%m-%dT%H:%M:%SZ", "seconds"), ("%Y-%m-%d", "day")):
        try:
            parsed = datetime.strptime(value, fmt).replace(tzinfo=UTC)
        except ValueError:
            continue
        if granularity == "day" and end_of_day:
            parsed = datetime.combine(parsed.date(), time(23, 59, 59), tzinfo=UTC)
        return parsed, granularity
    raise OAIError("badArgument", f"{name}={value!r} is not a UTC date (YYYY-MM-DD or {GRANULARITY})")


def date_range(args: dict) -> tuple[datetime | None, datetime | None]:
    start = until = None
    granularities = set()
    if args.get("from"):
        start, g = _parse_date(args["from"], "from", end_of_day=False)
        granularities.add(g)
    if args.get("until"):
        until, g = _parse_date(args["until"], "until", end_of_day=True)
        granularities.add(g)
    if len(granularities) > 1:
        raise OAIError("badArgument", "from and until must have the same granularity")
    if start and until and start > until:
        raise OAIError("badArgument", "from is later than until")
    return start, until


def encode_token(prefix: str, start: str | None, until: str | None, offset: int) -> str:
    data = json.dumps([prefix, start or "", until or "", offset], separators=(",", ":"))
    return base64.urlsafe_b64encode(data.encode()).decode().rstrip("=")


def decode_token(token: str) -> dict:
    try:
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
        prefix, start, until, offset = json.loads(raw)
        if not (isinstance(prefix, str) and isinstance(offset, int) and offset > 0):
            raise ValueError(token)
    except (ValueError, TypeError, UnicodeDecodeError):
        raise OAIError("badResumptionToken", f"{token!r} is not a resumption token of this repository") from None
    return {"metadataPrefix": prefix, "from": start or None, "until": until or None, "offset": offset}


# -- records -----------------------------------------------------------------------------------
def find_record(identifier: str):
    prefix = f"oai:{repository_host()}:"
    slug = identifier[len(prefix) :] if identifier.startswith(prefix) else None
    document = Document.objects.without_matter().filter(slug=slug).first() if slug else None
    if document is None:
        raise OAIError("idDoesNotExist", f"no record {identifier!r} in this repository")
    return document


def header(document):
    el = etree.Element(_oai("header"))
    etree.SubElement(el, _oai("identifier")).text = oai_identifier(document)
    etree.SubElement(el, _oai("datestamp")).text = datestamp(document.modified)
    return el


def oai_dc(document):
    """Simple Dublin Core of a document (the elements it has, in the order of the DC element set)."""
    dc = etree.Element(f"{{{DC_FORMAT_NS}}}dc", nsmap={"oai_dc": DC_FORMAT_NS, "dc": DC_NS, "xsi": XSI})
    dc.set(f"{{{XSI}}}schemaLocation", f"{DC_FORMAT_NS} {DC_FORMAT_SCHEMA}")
    values = [("title", document.title)]
    values += [("creator", a.name) for a in document_authors(document)]
    values += [("description", document.summary), ("publisher", publisher())]
    values += [("date", document.date.isoformat() if document.date else ""), ("type", "Text")]
    values += [("format", "text/html"), ("identifier", links.document_url(document, settings.EDITION_BASE_URL))]
    values += [("source", document.source_note), ("language", document.language)]
    values += [("relation", settings.EDITION_TITLE)]
    for name, value in values:
        if value:
            etree.SubElement(dc, f"{{{DC_NS}}}{name}").text = value
    return dc


def record(document):
    el = etree.Element(_oai("record"))
    el.append(header(document))
    etree.SubElement(el, _oai("metadata")).append(oai_dc(document))
    return el


def _check_format(prefix: str) -> None:
    if prefix not in FORMATS:
        raise OAIError("cannotDisseminateFormat", f"metadataPrefix {prefix!r} is not supported; use 'oai_dc'")


# -- verbs -------------------------------------------------------------------------------------
def identify(args) -> list:
    el = etree.Element(_oai("Identify"))
    changes = Document.objects.without_matter().order_by("modified").values_list("modified", flat=True)
    earliest = changes.first() or timezone.now()
    admin = getattr(settings, "EDITION_OAI_ADMIN_EMAIL", "") or f"webmaster@{repository_host()}"
    for name, value in (("repositoryName", settings.EDITION_TITLE), ("baseURL", base_url()),
                        ("protocolVersion", "2.0"), ("adminEmail", admin),
                        ("earliestDatestamp", datestamp(earliest)), ("deletedRecord", "no"),
                        ("granularity", GRANULARITY)):  # fmt: skip
        etree.SubElement(el, _oai(name)).text = value
    description = etree.SubElement(el, _oai("description"))
    ident = etree.SubElement(description, f"{{{ID_NS}}}oai-identifier", nsmap={None: ID_NS, "xsi": XSI})
    ident.set(f"{{{XSI}}}schemaLocation", f"{ID_NS} {ID_SCHEMA}")
    sample = Document.objects.without_matter().in_order().first()
    example = oai_identifier(sample) if sample else f"oai:{repository_host()}:slug"
    for name, value in (("scheme", "oai"), ("repositoryIdentifier", repository_host()), ("delimiter", ":"),
                        ("sampleIdentifier", example)):  # fmt: skip
        etree.SubElement(ident, f"{{{ID_NS}}}{name}").text = value
    return [el]


def list_metadata_formats(args) -> list:
    if args.get("identifier"):
        find_record(args["identifier"])
    el = etree.Element(_oai("ListMetadataFormats"))
    for prefix, (schema, namespace) in FORMATS.items():
        fmt = etree.SubElement(el, _oai("metadataFormat"))
        for name, value in (("metadataPrefix", prefix), ("schema", schema), ("metadataNamespace", namespace)):
            etree.SubElement(fmt, _oai(name)).text = value
    return [el]


def list_sets(args) -> list:
    if args.get("resumptionToken"):
        raise OAIError("badResumptionToken", "this repository has no sets, so no resumption token for them")
    raise OAIError("noSetHierarchy", "this repository does not support sets")


def get_record(args) -> list:
    _check_format(args["metadataPrefix"])
    document = find_record(args["identifier"])
    prefetch_authors([document])
    el = etree.Element(_oai("GetRecord"))
    el.append(record(document))
    return [el]


def _list(args, verb: str) -> list:
    offset = 0
    if args.get("resumptionToken"):
        args = decode_token(args["resumptionToken"])
        offset = args["offset"]
    if args.get("set"):
        raise OAIError("noSetHierarchy", "this repository does not support sets")
    _check_format(args["metadataPrefix"])
    start, until = date_range(args)
    # The records are the documents; a collection's text outside its documents (its matter) is no record.
    documents = Document.objects.without_matter().order_by("pk")
    if start:
        documents = documents.filter(modified__gte=start)
    if until:
        documents = documents.filter(modified__lt=until + timedelta(seconds=1))  # datestamps drop fractions
    total = documents.count()
    if offset and offset >= total:
        raise OAIError("badResumptionToken", "the list this token continues has changed; start again")
    if not total:
        raise OAIError("noRecordsMatch", "no record matches the arguments")
    page = list(documents[offset : offset + page_size()])
    el = etree.Element(_oai(verb))
    if verb == "ListRecords":
        prefetch_authors(page)
        el.extend(record(d) for d in page)
    else:
        el.extend(header(d) for d in page)
    if offset or total > len(page):
        token = etree.SubElement(el, _oai("resumptionToken"), completeListSize=str(total), cursor=str(offset))
        if offset + len(page) < total:
            token.text = encode_token(args["metadataPrefix"], args.get("from"), args.get("until"), offset + len(page))
    return [el]


HANDLERS = {
    "Identify": identify,
    "ListMetadataFormats": list_metadata_formats,
    "ListSets": list_sets,
    "GetRecord": get_record,
    "ListIdentifiers": lambda args: _list(args, "ListIdentifiers"),
    "ListRecords": lambda args: _list(args, "ListRecords"),
}


def respond(params: dict[str, list[str]]) -> bytes:
    """The OAI-PMH response to one request (see the module docstring)."""
    root = etree.Element(_oai("OAI-PMH"), nsmap={None: OAI_NS, "xsi": XSI})
    root.set(f"{{{XSI}}}schemaLocation", f"{OAI_NS} {OAI_SCHEMA}")
    etree.SubElement(root, _oai("responseDate")).text = datestamp(timezone.now())
    request = etree.SubElement(root, _oai("request"))
    request.text = base_url()
    try:
        verb, args = check_arguments(params)
        body = HANDLERS[verb](args)
    except OAIError as error:
        if error.code not in ("badVerb", "badArgument"):  # the request's attributes only when it was legal
            _echo(request, params)
        etree.SubElement(root, _oai("error"), code=error.code).text = error.message
    else:
        _echo(request, params)
        root.extend(body)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def _echo(request, params) -> None:
    for name, values in params.items():
        if values:
            request.set(name, values[0])
