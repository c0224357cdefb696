"""What an OAI-PMH validator checks of one response, written out (the official OAI-PMH.xsd is not
shipped by any package this project may install): the XSD's structure for the parts the edition
uses (element order, required children, error code enumeration, datestamp and responseDate formats,
resumptionToken attributes) and the protocol's rules on the `request` element."""

from __future__ import annotations

import re

from lxml import etree

OAI = "http://www.openarchives.org/OAI/2.0/"
OAI_DC = "http://www.openarchives.org/OAI/2.0/oai_dc/"
DC = "http://purl.org/dc/elements/1.1/"
NS = {"o": OAI, "oai_dc": OAI_DC, "dc": DC}
ERROR_CODES = {"cannotDisseminateFormat", "idDoesNotExist", "badArgument", "badVerb", "noMetadataFormats",
               "noRecordsMatch", "badResumptionToken", "noSetHierarchy"}  # fmt: skip
VERBS = {"Identify", "ListMetadataFormats", "ListSets", "GetRecord", "ListIdentifiers", "ListRecords"}
UTC_SECONDS = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")
DC_ELEMENTS = {"title", "creator", "subject", "description", "publisher", "contributor", "date", "type", "format",
               "identifier", "source", "language", "relation", "coverage", "rights"}  # fmt: skip
IDENTIFY_ORDER = ["repositoryName", "baseURL", "protocolVersion", "adminEmail", "earliestDatestamp",
                  "deletedRecord", "granularity"]  # fmt: skip


def local(el) -> str:
    return etree.QName(el).localname


def check_header(header) -> None:
    names = [local(c) for c in header]
    assert names[:2] == ["identifier", "datestamp"], names
    assert all(n == "setSpec" for n in names[2:]), names
    assert re.match(r"^[a-zA-Z][a-zA-Z0-9\-]*:[a-zA-Z0-9\-]+(\.[a-zA-Z0-9\-]+)+:.+$", header[0].text), header[0].text
    assert UTC_SECONDS.match(header[1].text), header[1].text
    assert header.get("status") in (None, "deleted")


def check_dc(metadata) -> None:
    (dc,) = list(metadata)
    assert dc.tag == f"{{{OAI_DC}}}dc", dc.tag
    assert len(dc), "an empty oai_dc record"
    for child in dc:
        assert etree.QName(child).namespace == DC and local(child) in DC_ELEMENTS, child.tag
        assert (child.text or "").strip() and not len(child), child.tag


def check_record(record) -> None:
    names = [local(c) for c in record]
    assert names in (["header"], ["header", "metadata"], ["header", "metadata", "about"]), names
    check_header(record[0])
    if len(record) > 1:
        check_dc(record[1])


def check_token(token) -> None:
    assert set(token.attrib) <= {"expirationDate", "completeListSize", "cursor"}, token.attrib
    for name in ("completeListSize", "cursor"):
        if token.get(name) is not None:
            assert token.get(name).isdigit(), (name, token.get(name))


def check_response(body: bytes, base_url: str, params: dict) -> etree._Element:
    """Parse and check one response; returns its root."""
    root = etree.fromstring(body)
    assert root.tag == f"{{{OAI}}}OAI-PMH", root.tag
    children = list(root)
    assert [local(c) for c in children[:2]] == ["responseDate", "request"]
    assert UTC_SECONDS.match(children[0].text), children[0].text
    request = children[1]
    assert request.text == base_url
    rest = children[2:]
    assert rest, "no error and no verb element"
    if local(rest[0]) == "error":
        assert all(local(e) == "error" for e in rest)
        codes = {e.get("code") for e in rest}
        assert codes <= ERROR_CODES, codes
        if codes & {"badVerb", "badArgument"}:
            assert not request.attrib, "a bad request must not be echoed in attributes"
        else:
            assert dict(request.attrib) == params, (request.attrib, params)
        return root
    (verb_el,) = rest
    verb = local(verb_el)
    assert verb in VERBS and verb == params.get("verb"), verb
    assert dict(request.attrib) == params, (request.attrib, params)
    if verb == "Identify":
        names = [local(c) for c in verb_el]
        assert names[: len(IDENTIFY_ORDER)] == IDENTIFY_ORDER, names
        assert all(n in ("compression", "description") for n in names[len(IDENTIFY_ORDER) :]), names
        assert verb_el.findtext("o:protocolVersion", namespaces=NS) == "2.0"
        assert verb_el.findtext("o:deletedRecord", namespaces=NS) in ("no", "persistent", "transient")
        assert verb_el.findtext("o:granularity", namespaces=NS) in ("YYYY-MM-DD", "YYYY-MM-DDThh:mm:ssZ")
        assert UTC_SECONDS.match(verb_el.findtext("o:earliestDatestamp", namespaces=NS))
        assert "@" in verb_el.findtext("o:adminEmail", namespaces=NS)
    elif verb == "ListMetadataFormats":
        assert len(verb_el)
        for fmt in verb_el:
            assert [local(c) for c in fmt] == ["metadataPrefix", "schema", "metadataNamespace"]
    elif verb == "GetRecord":
        (record,) = list(verb_el)
        check_record(record)
    elif verb in ("ListIdentifiers", "ListRecords"):
        item = "header" if verb == "ListIdentifiers" else "record"
        names = [local(c) for c in verb_el]
        assert names and all(n == item for n in names[:-1]) and names[-1] in (item, "resumptionToken"), names
        for child in verb_el:
            if local(child) == "resumptionToken":
                check_token(child)
            elif item == "header":
                check_header(child)
            else:
                check_record(child)
    return root
