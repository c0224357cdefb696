"""Distributed Text Services 1.0: entry point, Collection, Navigation and Document endpoints,
checked against the shapes and rules of the specification (https://dtsapi.org/versions/v1.0/)."""

import re
from urllib.parse import quote

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from lxml import etree

from documents.exports import export
from tests.sample_edition import add_paragraphs, build

pytestmark = pytest.mark.django_db

LD = "application/ld+json"
CONTEXT = "https://dtsapi.org/context/v1.0.json"
TEI_NS = "http://www.tei-c.org/ns/1.0"
DTS_NS = "https://w3id.org/api/dts#"
NS = {"tei": TEI_NS, "dts": DTS_NS}
XML_ID = "{http://www.w3.org/XML/1998/namespace}id"
MINUTES = "http://testserver/documents/minutes-1962-06-08/"

# Required keys, from the specification's tables.
ENTRY_KEYS = {"@context", "@id", "@type", "dtsVersion", "collection", "navigation", "document"}
COLLECTION_KEYS = {"@id", "@type", "dtsVersion", "title", "totalParents", "totalChildren", "collection"}
MEMBER_KEYS = {"@id", "@type", "title", "totalParents", "collection"}
RESOURCE_KEYS = {"@id", "@type", "collection", "navigation", "document", "citationTrees"}
NAVIGATION_KEYS = {"@context", "@id", "@type", "dtsVersion", "resource"}
UNIT_KEYS = {"identifier", "@type", "level", "parent"}


def expand(template: str, **values) -> str:
    """RFC 6570 expansion of the forms DTS uses: {?a,b} and {&a,b} (unset variables are dropped)."""

    def replace(match):
        op, names = match.group(1), match.group(2).split(",")
        pairs = [f"{n}={quote(str(values[n]), safe='')}" for n in names if values.get(n) is not None]
        if not pairs:
            return ""
        return ("?" if op == "?" else "&") + "&".join(pairs)

    return re.sub(r"\{([?&])([^}]*)\}", replace, template)


@pytest.fixture
def ed():
    return build()


def get_ld(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, response.content
    if status == 200:
        assert response["Content-Type"] == LD
    else:
        assert response["Content-Type"] == "application/problem+json"
        assert response.json()["status"] == status and response.json()["detail"]
    return response.json()


def test_entry_point(client, ed):
    entry = get_ld(client, "/dts/")
    assert ENTRY_KEYS <= set(entry)
    assert entry["@context"] == CONTEXT and entry["dtsVersion"] == "1.0" and entry["@type"] == "EntryPoint"
    assert entry["collection"] == "/dts/collection/{?id,page,nav}"
    assert entry["navigation"] == "/dts/navigation/{?resource,ref,start,end,down,tree,page}"
    assert entry["document"] == "/dts/document/{?resource,ref,start,end,tree,mediaType}"


def test_root_collection_lists_documents_as_resources(client, ed):
    root = get_ld(client, "/dts/collection/")
    assert COLLECTION_KEYS <= set(root)
    assert root["@type"] == "Collection" and root["totalParents"] == 0 and root["totalChildren"] == 2
    assert [m["@id"] for m in root["member"]] == [MINUTES, "http://testserver/documents/memorandum-1962-06-07/"]
    for member in root["member"]:
        assert MEMBER_KEYS | RESOURCE_KEYS <= set(member)
        assert member["@type"] == "Resource" and member["mediaTypes"] == ["application/tei+xml"]
        (tree,) = member["citationTrees"]
        assert tree["@type"] == "CitationTree" and "identifier" not in tree  # a single tree has no identifier
    minutes = root["member"][0]
    assert minutes["dublinCore"]["creator"] == [{"lang": "en", "value": "PRC Ministry of Foreign Affairs"}]
    assert minutes["dublinCore"]["date"] == "1962-06-08"
    section = minutes["citationTrees"][0]["citeStructure"][0]
    assert section["citeType"] == "section"
    assert {s["citeType"] for s in section["citeStructure"]} == {"paragraph", "turn"}
    turn = next(s for s in section["citeStructure"] if s["citeType"] == "turn")
    assert turn["citeStructure"] == [{"@type": "CiteStructure", "citeType": "paragraph"}]
    assert get_ld(client, "/dts/collection/?id=edition") == root


def test_resource_by_id_or_slug_and_its_parents(client, ed):
    by_id = get_ld(client, f"/dts/collection/?id={quote(MINUTES, safe='')}")
    assert by_id["@context"] == CONTEXT and by_id["dtsVersion"] == "1.0"
    assert RESOURCE_KEYS | {"totalParents", "totalChildren", "title"} <= set(by_id)
    assert get_ld(client, "/dts/collection/?id=minutes-1962-06-08") == by_id
    parents = get_ld(client, "/dts/collection/?id=minutes-1962-06-08&nav=parents")
    assert [p["@id"] for p in parents["member"]] == ["edition"]


def test_collection_pagination(client, ed, settings):
    settings.EDITION_DTS_PAGE_SIZE = 1
    page = get_ld(client, "/dts/collection/?id=edition&page=2")
    assert [m["@id"] for m in page["member"]] == ["http://testserver/documents/memorandum-1962-06-07/"]
    view = page["view"]
    assert view["@type"] == "Pagination" and view["first"].endswith("page=1") and view["last"].endswith("page=2")
    assert set(view) == {"@id", "@type", "first", "previous", "next", "last"}
    get_ld(client, "/dts/collection/?page=3", status=404)


@pytest.mark.parametrize(
    "url, status",
    [
        ("/dts/collection/?id=nope", 404),
        ("/dts/collection/?nav=sideways", 400),
        ("/dts/collection/?page=0", 400),
        ("/dts/collection/?page=x", 400),
    ],
)
def test_collection_errors(client, ed, url, status):
    get_ld(client, url, status)


def nav(client, query, status=200):
    return get_ld(client, f"/dts/navigation/?resource=minutes-1962-06-08&{query}", status)


def test_navigation_top_level(client, ed):
    data = nav(client, "down=1")
    assert NAVIGATION_KEYS <= set(data) and data["@type"] == "Navigation"
    assert data["@id"] == "http://testserver/dts/navigation/?resource=minutes-1962-06-08&down=1"
    assert RESOURCE_KEYS <= set(data["resource"])
    assert "ref" not in data and "start" not in data
    assert [(u["identifier"], u["level"], u["parent"]) for u in data["member"]] == [("m-body", 1, None)]


def test_navigation_whole_tree_in_document_order(client, ed):
    members = nav(client, "down=-1")["member"]
    assert [(u["identifier"], u["level"], u["parent"], u["citeType"]) for u in members] == [
        ("m-body", 1, None, "section"),
        ("m-title", 2, "m-body", "paragraph"),
        ("m-sp-chervonenko-opening", 2, "m-body", "turn"),
        ("m-chervonenko-visit", 3, "m-sp-chervonenko-opening", "paragraph"),
        ("m-sp-zhang-reply", 2, "m-body", "turn"),
        ("m-zhang-report", 3, "m-sp-zhang-reply", "paragraph"),
        ("m-zhang-second", 3, "m-sp-zhang-reply", "paragraph"),
    ]
    for unit in members:
        assert UNIT_KEYS <= set(unit) and unit["@type"] == "CitableUnit"
    turn = members[2]
    assert turn["@id"] == MINUTES + "#m-sp-chervonenko-opening"
    assert turn["dublinCore"]["title"] == [{"lang": "en", "value": "Ambassador Chervonenko (hereafter Chervonenko):"}]
    assert nav(client, "down=2")["member"] == [u for u in members if u["level"] <= 2]


def test_navigation_ref_without_down_has_no_member(client, ed):
    data = nav(client, "ref=m-sp-zhang-reply")
    assert data["ref"]["identifier"] == "m-sp-zhang-reply" and data["ref"]["level"] == 2
    assert "member" not in data


def test_navigation_ref_with_down(client, ed):
    data = nav(client, "ref=m-sp-zhang-reply&down=1")
    assert [u["identifier"] for u in data["member"]] == ["m-sp-zhang-reply", "m-zhang-report", "m-zhang-second"]
    leaf = nav(client, "ref=m-zhang-report&down=1")
    assert [u["identifier"] for u in leaf["member"]] == ["m-zhang-report"]  # only the ref when nothing is below


def test_navigation_down_zero_gives_siblings(client, ed):
    data = nav(client, "ref=m-zhang-report&down=0")
    assert [u["identifier"] for u in data["member"]] == ["m-zhang-report", "m-zhang-second"]


def test_navigation_range(client, ed):
    data = nav(client, "start=m-sp-chervonenko-opening&end=m-sp-zhang-reply")
    assert data["start"]["identifier"] == "m-sp-chervonenko-opening" and data["end"]["identifier"] == "m-sp-zhang-reply"
    assert "member" not in data
    data = nav(client, "start=m-sp-chervonenko-opening&end=m-sp-zhang-reply&down=1")
    assert [u["identifier"] for u in data["member"]] == [
        "m-sp-chervonenko-opening",
        "m-chervonenko-visit",
        "m-sp-zhang-reply",
        "m-zhang-report",
        "m-zhang-second",
    ]


@pytest.mark.parametrize(
    "query, status",
    [
        ("", 400),  # no ref, no range, no down
        ("down=0", 400),
        ("ref=m-body&start=m-body&end=m-body", 400),
        ("start=m-body", 400),
        ("end=m-body&down=1", 400),
        ("start=m-zhang-second&end=m-title&down=1", 400),  # start after end
        ("start=m-title&end=m-title&down=0", 400),
        ("down=x", 400),
        ("down=-2", 400),
        ("ref=nope", 404),
        ("start=m-title&end=nope", 404),
        ("down=1&tree=other", 404),
    ],
)
def test_navigation_errors(client, ed, query, status):
    nav(client, query, status)


def test_navigation_requires_a_known_resource(client, ed):
    get_ld(client, "/dts/navigation/?down=1", status=400)
    get_ld(client, "/dts/navigation/?resource=nope&down=1", status=404)


def tei(client, query, status=200):
    response = client.get(f"/dts/document/?{query}")
    assert response.status_code == status, response.content
    if status != 200:
        assert response["Content-Type"] == "application/problem+json"
        return response.json()
    assert response["Content-Type"] == "application/tei+xml; charset=utf-8"
    assert response["Link"] == f'</dts/collection/?id={quote(MINUTES, safe="")}>; rel="collection"'
    return etree.fromstring(response.content)


def test_document_whole_text(client, ed):
    root = tei(client, "resource=minutes-1962-06-08")
    assert root.tag == f"{{{TEI_NS}}}TEI"
    assert root.find("tei:teiHeader", NS) is not None
    ids = [e.get(XML_ID) for e in root.find(".//tei:body", NS).iter() if e.get(XML_ID)]
    assert ids == [
        "m-body", "m-title", "m-sp-chervonenko-opening", "m-chervonenko-visit",
        "m-sp-zhang-reply", "m-zhang-report", "m-zhang-second",
    ]  # fmt: skip
    sp = root.find(".//tei:sp[@who='ent:zhang-hanfu']", NS)
    assert sp.findtext("tei:speaker", namespaces=NS) == "Vice Minister Zhang (hereafter Zhang):"
    choice = root.find(".//tei:choice", NS)  # editorial markup survives
    assert choice.findtext("tei:sic", namespaces=NS) == "out" and choice.findtext("tei:corr", namespaces=NS) == "our"
    assert root.find("dts:wrapper", NS) is None


def test_document_tree_without_ref_has_no_effect(client, ed):
    """DTS 1.0: `tree` MUST not affect the Document endpoint's response without ref or start/end."""
    whole = client.get("/dts/document/?resource=minutes-1962-06-08").content
    assert client.get("/dts/document/?resource=minutes-1962-06-08&tree=other").content == whole


def test_document_ref_is_wrapped(client, ed):
    root = tei(client, "resource=minutes-1962-06-08&ref=m-zhang-report")
    (wrapper,) = root.findall("dts:wrapper", NS)
    (p,) = list(wrapper)
    assert p.tag == f"{{{TEI_NS}}}p" and p.get(XML_ID) == "m-zhang-report"
    assert "".join(p.itertext()).startswith("I will report to our government")


def test_document_range_keeps_only_the_range(client, ed):
    root = tei(client, "resource=minutes-1962-06-08&start=m-chervonenko-visit&end=m-zhang-report")
    wrapper = root.find("dts:wrapper", NS)
    ids = [e.get(XML_ID) for e in wrapper.iter() if e.get(XML_ID)]
    assert ids == ["m-chervonenko-visit", "m-sp-zhang-reply", "m-zhang-report"]


@pytest.mark.parametrize(
    "query, status",
    [
        ("", 400),
        ("resource=nope", 404),
        ("resource=minutes-1962-06-08&ref=nope", 404),
        ("resource=minutes-1962-06-08&ref=m-title&start=m-title&end=m-title", 400),
        ("resource=minutes-1962-06-08&start=m-title", 400),
        ("resource=minutes-1962-06-08&start=m-zhang-second&end=m-title", 400),
        ("resource=minutes-1962-06-08&start=m-title&end=nope", 404),
        ("resource=minutes-1962-06-08&ref=m-title&tree=other", 404),
        ("resource=minutes-1962-06-08&mediaType=text/html", 404),
    ],
)
def test_document_errors(client, ed, query, status):
    tei(client, query, status)


def test_a_client_walks_from_the_entry_point_to_a_paragraph(client, ed):
    entry = get_ld(client, "/dts/")
    root = get_ld(client, expand(entry["collection"]))
    resource = next(m for m in root["member"] if m["title"].startswith("Minutes"))
    resource = get_ld(client, expand(resource["collection"]))  # the resource's own record
    top = get_ld(client, expand(resource["navigation"], down=1))
    (section,) = top["member"]
    turns = get_ld(client, expand(resource["navigation"], ref=section["identifier"], down=1))["member"]
    turn = next(u for u in turns if u["citeType"] == "turn" and "Zhang" in u["dublinCore"]["title"][0]["value"])
    paragraphs = get_ld(client, expand(resource["navigation"], ref=turn["identifier"], down=1))["member"][1:]
    paragraph = paragraphs[1]
    assert paragraph["citeType"] == "paragraph" and paragraph["parent"] == turn["identifier"]
    root = tei(client, expand(resource["document"], ref=paragraph["identifier"]).split("?", 1)[1])
    text = "".join(root.find("dts:wrapper", NS).itertext())
    assert text.startswith("Second, I won’t repeat the process of how, in the Xinjiang")


def test_query_counts_do_not_grow_with_the_number_of_passages(client, ed):
    urls = [
        "/dts/collection/",
        "/dts/navigation/?resource=minutes-1962-06-08&down=-1",
        "/dts/navigation/?resource=minutes-1962-06-08&ref=m-body&down=1",
        "/dts/document/?resource=minutes-1962-06-08",
        "/dts/document/?resource=minutes-1962-06-08&start=m-title&end=m-zhang-second",
    ]

    def counts():
        result = []
        for url in urls:
            with CaptureQueriesContext(connection) as ctx:
                assert client.get(url).status_code == 200
            result.append(len(ctx.captured_queries))
        return result

    before = counts()
    add_paragraphs(ed["minutes"], 30)
    assert counts() == before
    assert len(nav(client, "down=-1")["member"]) == 7 + 60  # 30 more turns with a paragraph each


def test_whole_documents_are_valid_tei(ed, tei_all):
    """The Document endpoint's TEI validates against TEI P5 (tei_all, read once per session from ../shared)."""
    schema = tei_all
    for document in (ed["minutes"], ed["memo"]):
        root = etree.fromstring(export("dts", document))
        assert schema.validate(root), schema.error_log


def test_collection_and_document_list_queries_do_not_grow_with_documents(client, ed):
    from documents.models import Document, Participation

    def counts():
        result = []
        for url in ("/dts/collection/", "/api/documents/"):
            with CaptureQueriesContext(connection) as ctx:
                assert client.get(url).status_code == 200
            result.append(len(ctx.captured_queries))
        return result

    before = counts()
    for i in range(12):
        doc = Document.objects.create(slug=f"extra-{i}", xml_id=f"extra-{i}", title=f"Extra {i}", sort_key=f"9{i}")
        Participation.objects.create(document=doc, entity=ed["mfa"], role="author")
        add_paragraphs(doc, 2)  # each with a citation tree of its own
    assert counts() == before
    assert get_ld(client, "/dts/collection/")["totalChildren"] == 14
