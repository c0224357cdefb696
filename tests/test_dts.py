"""Distributed Text Services 1.0: entry point, Collection, Navigation and Document endpoints,
checked against the shapes and rules of the specification (https://dtsapi.org/versions/v1.0/)."""

import re
from pathlib import Path
from urllib.parse import quote

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from lxml import etree

from documents.exports import export
from tests.builders import add_paragraphs, reader_edition

pytestmark = pytest.mark.django_db

LD = "application/ld+json"
CONTEXT = "https://dtsapi.org/context/v1.0.json"
TEI_NS = "http://www.tei-c.org/ns/1.0"
DTS_NS = "https://w3id.org/api/dts#"
NS = {"tei": TEI_NS, "dts": DTS_NS}
XML_ID = "{http://www.w3.org/XML/1998/namespace}id"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
BASE = "https://edition.example.org"  # EDITION_BASE_URL; the test client asks as http://testserver
MINUTES = f"{BASE}/documents/minutes-1962-06-08/"
MEMO = f"{BASE}/documents/memorandum-1962-06-07/"
ROOT = f"{BASE}/"
SHARED = Path(__file__).resolve().parents[2] / "shared"

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


@pytest.fixture(autouse=True)
def _base_url(settings):
    settings.EDITION_BASE_URL = BASE


@pytest.fixture
def ed():
    return reader_edition()


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
    assert entry["@id"] == f"{BASE}/dts/"
    assert entry["collection"] == f"{BASE}/dts/collection/{{?id,page,nav}}"
    assert entry["navigation"] == f"{BASE}/dts/navigation/{{?resource,ref,start,end,down,tree,page}}"
    assert entry["document"] == f"{BASE}/dts/document/{{?resource,ref,start,end,tree,mediaType}}"


def test_ids_do_not_depend_on_the_host(client, ed, settings):
    settings.ALLOWED_HOSTS = ["testserver", "other.example"]
    for url in ("/dts/", "/dts/collection/", "/dts/navigation/?resource=minutes-1962-06-08&down=-1",
                "/dts/collection/?id=minutes-1962-06-08"):  # fmt: skip
        here = client.get(url).content
        assert client.get(url, HTTP_HOST="other.example", secure=True).content == here
        assert b"testserver" not in here and b"other.example" not in here


def test_root_collection_lists_documents_as_resources(client, ed):
    root = get_ld(client, "/dts/collection/")
    assert COLLECTION_KEYS <= set(root)
    assert root["@type"] == "Collection" and root["totalParents"] == 0 and root["totalChildren"] == 2
    assert root["@id"] == ROOT
    assert [m["@id"] for m in root["member"]] == [MINUTES, MEMO]
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
    assert get_ld(client, f"/dts/collection/?id={quote(ROOT, safe='')}") == root


def test_resource_by_id_or_slug_and_its_parents(client, ed):
    by_id = get_ld(client, f"/dts/collection/?id={quote(MINUTES, safe='')}")
    assert by_id["@context"] == CONTEXT and by_id["dtsVersion"] == "1.0"
    assert RESOURCE_KEYS | {"totalParents", "totalChildren", "title"} <= set(by_id)
    assert get_ld(client, "/dts/collection/?id=minutes-1962-06-08") == by_id
    parents = get_ld(client, "/dts/collection/?id=minutes-1962-06-08&nav=parents")
    assert [p["@id"] for p in parents["member"]] == [ROOT]


def test_collection_pagination(client, ed, settings):
    settings.EDITION_DTS_PAGE_SIZE = 1
    page = get_ld(client, "/dts/collection/?id=edition&page=2")
    assert [m["@id"] for m in page["member"]] == [MEMO]
    view = page["view"]
    here = f"{BASE}/dts/collection/?id={quote(ROOT, safe='')}&page="
    assert view == {"@id": f"{here}2", "@type": "Pagination", "first": f"{here}1", "previous": f"{here}1",
                    "last": f"{here}2"}  # fmt: skip
    first = get_ld(client, "/dts/collection/")["view"]
    assert first == {"@id": f"{here}1", "@type": "Pagination", "first": f"{here}1", "next": f"{here}2",
                     "last": f"{here}2"}  # fmt: skip
    get_ld(client, "/dts/collection/?page=3", status=404)


def test_following_next_visits_every_page_once(client, ed, settings):
    settings.EDITION_DTS_PAGE_SIZE = 1
    add_paragraphs(ed["minutes"], 1)
    seen, url = [], "/dts/collection/"
    while url:
        page = get_ld(client, url)
        seen += [m["@id"] for m in page["member"]]
        nxt = page["view"].get("next")
        url = nxt[len(BASE):] if nxt else None
        assert len(seen) <= 2
    assert seen == [MINUTES, MEMO]


def test_one_page_has_no_pagination(client, ed):
    assert "view" not in get_ld(client, "/dts/collection/")


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
    assert data["@id"] == f"{BASE}/dts/navigation/?resource=minutes-1962-06-08&down=1"
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
    assert response["Link"] == f'<{BASE}/dts/collection/?id={quote(MINUTES, safe="")}>; rel="collection"'
    root = etree.fromstring(response.content)
    assert root.tag == f"{{{TEI_NS}}}TEI" and root.get(XML_LANG) == "en"
    assert [child.tag for child in root] == [f"{{{TEI_NS}}}teiHeader", f"{{{TEI_NS}}}text"]
    return root


def wrapper(root):
    (found,) = root.findall("tei:text/tei:body/dts:wrapper", NS)
    return found


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
    (p,) = list(wrapper(root))
    assert p.tag == f"{{{TEI_NS}}}p" and p.get(XML_ID) == "m-zhang-report"
    assert "".join(p.itertext()).startswith("I will report to our government")


def test_document_range_keeps_only_the_range(client, ed):
    root = tei(client, "resource=minutes-1962-06-08&start=m-chervonenko-visit&end=m-zhang-report")
    ids = [e.get(XML_ID) for e in wrapper(root).iter() if e.get(XML_ID)]
    # The range starts inside a turn: the turn (and the division) around it come with it.
    assert ids == ["m-body", "m-sp-chervonenko-opening", "m-chervonenko-visit", "m-sp-zhang-reply", "m-zhang-report"]


def test_a_range_starting_inside_a_turn_keeps_its_sp_and_speaker(client, ed):
    root = tei(client, "resource=minutes-1962-06-08&start=m-zhang-second&end=m-zhang-second")
    (sp,) = wrapper(root).iter(f"{{{TEI_NS}}}sp")
    assert sp.get(XML_ID) == "m-sp-zhang-reply" and sp.get("who") == "ent:zhang-hanfu"
    assert sp.findtext("tei:speaker", namespaces=NS) == "Vice Minister Zhang (hereafter Zhang):"
    assert [p.get(XML_ID) for p in sp.findall("tei:p", NS)] == ["m-zhang-second"]  # not its sibling


def test_blocks_are_separated_by_white_space(client, ed):
    whole = tei(client, "resource=minutes-1962-06-08")
    text = "".join(whole.find("tei:text", NS).itertext())
    assert "(hereafter Zhang):\n" in text and "Zhang):I" not in text
    part = tei(client, "resource=minutes-1962-06-08&ref=m-sp-zhang-reply")
    assert "Zhang):I" not in "".join(wrapper(part).itertext())


def test_media_type_written_unencoded_is_accepted(client, ed):
    encoded = client.get("/dts/document/?resource=minutes-1962-06-08&mediaType=application%2Ftei%2Bxml")
    unencoded = client.get("/dts/document/?resource=minutes-1962-06-08&mediaType=application/tei+xml")
    assert encoded.status_code == unencoded.status_code == 200 and encoded.content == unencoded.content


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
    text = "".join(wrapper(root).itertext()).strip()
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


def unwrapped(root):
    """The response without its dts:wrapper (the wrapper's children in its place)."""
    for found in root.iter(f"{{{DTS_NS}}}wrapper"):
        parent, index = found.getparent(), found.getparent().index(found)
        parent.remove(found)
        for offset, child in enumerate(list(found)):
            parent.insert(index + offset, child)
        break
    etree.cleanup_namespaces(root)
    return root


def test_whole_documents_and_parts_are_valid_tei(ed, tei_all):
    """The Document endpoint's TEI validates against TEI P5 (tei_all, read once per session from
    ../shared): whole documents as they are, parts once their dts:wrapper (the DTS namespace) is taken away."""
    schema = tei_all
    for document in (ed["minutes"], ed["memo"]):
        root = etree.fromstring(export("dts", document))
        assert root.find(f".//{{{DTS_NS}}}wrapper") is None
        assert schema.validate(root), schema.error_log
    parts = [{"ref": "m-zhang-report"}, {"ref": "m-sp-zhang-reply"}, {"ref": "m-body"},
             {"start": "m-chervonenko-visit", "end": "m-zhang-report"}, {"start": "m-title", "end": "m-zhang-second"},
             {"start": "m-zhang-second", "end": "m-zhang-second"}]  # fmt: skip
    for part in parts:
        root = etree.fromstring(export("dts", ed["minutes"], **part))
        assert root.find(f"{{{TEI_NS}}}text/{{{TEI_NS}}}body/{{{DTS_NS}}}wrapper") is not None, part
        assert schema.validate(unwrapped(root)), (part, schema.error_log)


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
