"""OAI-PMH 2.0 with oai_dc (issue 11.7): every verb, resumption tokens, every error code of the spec.
Each response is checked as an OAI-PMH validator does (tests/oai_checks.py)."""

import datetime as dt

import pytest
from django.conf import settings

from documents.exports.oai import decode_token, encode_token
from documents.models import Document
from documents.services.importer import TEIImporter
from tests.oai_checks import NS, check_response

pytestmark = pytest.mark.django_db

BASE = "https://edition.example.org"


@pytest.fixture
def edition(settings):
    settings.EDITION_BASE_URL = BASE
    report = TEIImporter().import_paths([settings.EDITION_TEI_DIR])
    assert not report.failed


def oai(client, method="get", **params):
    response = getattr(client, method)("/oai", params)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/xml; charset=utf-8"
    assert response["Access-Control-Allow-Origin"] == "*"
    return check_response(response.content, f"{BASE}/oai", params)


def error_code(root):
    errors = root.findall("o:error", NS)
    return errors[0].get("code") if errors else None


def ids(root, path=".//o:header/o:identifier"):
    return [e.text for e in root.findall(path, NS)]


def test_identify(client, edition):
    root = oai(client, verb="Identify")
    identify = root.find("o:Identify", NS)
    assert identify.findtext("o:baseURL", namespaces=NS) == f"{BASE}/oai"
    assert identify.findtext("o:repositoryName", namespaces=NS) == settings.EDITION_TITLE
    earliest = identify.findtext("o:earliestDatestamp", namespaces=NS)
    listed = oai(client, verb="ListIdentifiers", metadataPrefix="oai_dc")
    stamps = [e.text for e in listed.iter(f"{{{NS['o']}}}datestamp")]
    assert earliest <= min(stamps)


def test_post_is_the_same_as_get(client, edition):
    get = oai(client, verb="ListIdentifiers", metadataPrefix="oai_dc")
    post = oai(client, "post", verb="ListIdentifiers", metadataPrefix="oai_dc")
    assert ids(get) == ids(post)


def test_list_metadata_formats(client, edition):
    root = oai(client, verb="ListMetadataFormats")
    assert [e.text for e in root.iterfind(".//o:metadataPrefix", NS)] == ["oai_dc"]
    identifier = ids(oai(client, verb="ListIdentifiers", metadataPrefix="oai_dc"))[0]
    assert error_code(oai(client, verb="ListMetadataFormats", identifier=identifier)) is None
    assert error_code(oai(client, verb="ListMetadataFormats", identifier="oai:nope:x")) == "idDoesNotExist"


def test_every_document_is_a_record_with_its_dublin_core(client, edition):
    root = oai(client, verb="ListRecords", metadataPrefix="oai_dc")
    slugs = sorted(i.rsplit(":", 1)[1] for i in ids(root))
    assert slugs == sorted(Document.objects.values_list("slug", flat=True))
    for identifier in ids(root):
        record = oai(client, verb="GetRecord", identifier=identifier, metadataPrefix="oai_dc")
        document = Document.objects.get(slug=identifier.rsplit(":", 1)[1])
        dc = record.find(".//oai_dc:dc", NS)
        assert dc.findtext("dc:title", namespaces=NS) == document.title
        assert dc.findtext("dc:identifier", namespaces=NS) == f"{BASE}/documents/{document.slug}/"
        assert dc.findtext("dc:date", namespaces=NS) == document.date.isoformat()
        assert dc.findtext("dc:language", namespaces=NS) == document.language
    memo = oai(client, verb="GetRecord", identifier="oai:edition.example.org:memorandum-1962-06-07",
               metadataPrefix="oai_dc")  # fmt: skip
    assert memo.findtext(".//dc:creator", namespaces=NS) == "Government of the Soviet Union"


@pytest.mark.parametrize("verb", ["ListIdentifiers", "ListRecords"])
def test_resumption_tokens_page_through_the_whole_list(client, edition, settings, verb):
    settings.EDITION_OAI_PAGE_SIZE = 1
    total = Document.objects.count()
    seen, root = [], oai(client, verb=verb, metadataPrefix="oai_dc")
    while True:
        seen += ids(root)
        token = root.find(f"o:{verb}/o:resumptionToken", NS)
        assert token is not None and token.get("completeListSize") == str(total)
        assert token.get("cursor") == str(len(seen) - 1)
        if not token.text:
            break  # the last part: an empty token
        root = oai(client, verb=verb, resumptionToken=token.text)
    assert len(seen) == len(set(seen)) == total


def test_a_complete_list_has_no_token(client, edition):
    root = oai(client, verb="ListIdentifiers", metadataPrefix="oai_dc")
    assert root.find(".//o:resumptionToken", NS) is None


def test_from_and_until_select_by_datestamp(client, edition):
    old = dt.datetime(2020, 1, 1, 12, 0, 30, 500000, tzinfo=dt.UTC)
    Document.objects.filter(slug="memorandum-1962-06-07").update(modified=old)
    memo = "oai:edition.example.org:memorandum-1962-06-07"
    assert ids(oai(client, verb="ListIdentifiers", metadataPrefix="oai_dc", until="2020-01-01")) == [memo]
    assert ids(oai(client, verb="ListIdentifiers", metadataPrefix="oai_dc", until="2020-01-01T12:00:30Z")) == [memo]
    empty = oai(client, verb="ListIdentifiers", metadataPrefix="oai_dc", until="2020-01-01T12:00:29Z")
    assert error_code(empty) == "noRecordsMatch"
    assert memo not in ids(oai(client, verb="ListIdentifiers", metadataPrefix="oai_dc", **{"from": "2020-01-02"}))
    second = {"from": "2020-01-01T12:00:30Z", "until": "2020-01-01T12:00:30Z"}
    assert ids(oai(client, verb="ListRecords", metadataPrefix="oai_dc", **second)) == [memo]


@pytest.mark.parametrize(
    "params, code",
    [
        ({}, "badVerb"),
        ({"verb": "Nope"}, "badVerb"),
        ({"verb": "Identify", "extra": "1"}, "badArgument"),
        ({"verb": "ListRecords"}, "badArgument"),  # no metadataPrefix
        ({"verb": "GetRecord", "metadataPrefix": "oai_dc"}, "badArgument"),  # no identifier
        ({"verb": "ListIdentifiers", "metadataPrefix": "oai_dc", "from": "yesterday"}, "badArgument"),
        ({"verb": "ListIdentifiers", "metadataPrefix": "oai_dc", "from": "2020-01-01", "until": "2020-01-01T00:00:00Z"},
         "badArgument"),  # different granularities
        ({"verb": "ListIdentifiers", "metadataPrefix": "oai_dc", "from": "2021-01-01", "until": "2020-01-01"},
         "badArgument"),
        ({"verb": "ListRecords", "resumptionToken": "x", "metadataPrefix": "oai_dc"}, "badArgument"),  # exclusive
        ({"verb": "ListRecords", "resumptionToken": "not-a-token"}, "badResumptionToken"),
        ({"verb": "ListRecords", "resumptionToken": encode_token("oai_dc", None, None, 99)}, "badResumptionToken"),
        ({"verb": "ListSets", "resumptionToken": "x"}, "badResumptionToken"),
        ({"verb": "ListRecords", "metadataPrefix": "marc21"}, "cannotDisseminateFormat"),
        ({"verb": "GetRecord", "metadataPrefix": "marc21", "identifier": "oai:edition.example.org:minutes-1962-06-08"},
         "cannotDisseminateFormat"),
        ({"verb": "GetRecord", "metadataPrefix": "oai_dc", "identifier": "oai:edition.example.org:nope"},
         "idDoesNotExist"),
        ({"verb": "GetRecord", "metadataPrefix": "oai_dc", "identifier": "minutes-1962-06-08"}, "idDoesNotExist"),
        ({"verb": "ListIdentifiers", "metadataPrefix": "oai_dc", "until": "1900-01-01"}, "noRecordsMatch"),
        ({"verb": "ListSets"}, "noSetHierarchy"),
        ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "set": "minutes"}, "noSetHierarchy"),
    ],
)
def test_every_error_code(client, edition, params, code):
    assert error_code(oai(client, **params)) == code


def test_repeated_arguments_are_bad(client, edition):
    response = client.get("/oai?verb=ListRecords&metadataPrefix=oai_dc&metadataPrefix=oai_dc")
    root = check_response(response.content, f"{BASE}/oai", {"verb": "ListRecords", "metadataPrefix": "oai_dc"})
    assert error_code(root) == "badArgument"
    response = client.get("/oai?verb=Identify&verb=Identify")
    assert error_code(check_response(response.content, f"{BASE}/oai", {})) == "badVerb"


def test_tokens_round_trip_and_reject_garbage():
    token = encode_token("oai_dc", "2020-01-01", None, 5)
    assert decode_token(token) == {"metadataPrefix": "oai_dc", "from": "2020-01-01", "until": None, "offset": 5}
    for bad in ("", "%%%", encode_token("oai_dc", None, None, 0), "WyJvYWlfZGMiXQ"):
        with pytest.raises(Exception) as info:
            decode_token(bad)
        assert getattr(info.value, "code", "") == "badResumptionToken"


def test_an_empty_repository_answers_no_records_match(client, settings):
    settings.EDITION_BASE_URL = BASE
    assert error_code(oai(client, verb="ListRecords", metadataPrefix="oai_dc")) == "noRecordsMatch"
    assert oai(client, verb="Identify").find("o:Identify", NS) is not None
