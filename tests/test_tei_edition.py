"""The TEI edition (documents/tei/): identifiers, pointers, headers, markup, notes, links.

The contract is docs/encoding.md. Validity against the schemas: tests/test_tei_schema.py;
fidelity to the witness: tests/test_fidelity.py.
"""

import re
from datetime import date
from pathlib import Path

import pytest
from lxml import etree

from documents.tei import XML_ID, XML_LANG, local_name, tei
from documents.tei.textview import passage_text

ROOT = Path(__file__).resolve().parent.parent
TEI_DIR = ROOT / "documents" / "tei"
MINUTES, MEMO, ENTITIES, LINKS = (
    "minutes-1962-06-08.xml",
    "memorandum-1962-06-07.xml",
    "entities.xml",
    "links.xml",
)
DOCUMENTS = [MINUTES, MEMO]
FILES = [ENTITIES, MINUTES, MEMO, LINKS]
PASSAGES = {"head", "p", "ab", "closer"}
#: Responsibility ids that every document declares in its own header for its own @resp
#: (resp="#translator", resp="#editors"); the only ids that are not unique edition-wide.
HEADER_RESP_IDS = {"translator", "editors"}
POINTER_ATTRIBUTES = ("ref", "who", "target", "sameAs", "resp", "corresp")
ENTITY_KIND = {"persName": "person", "placeName": "place", "orgName": "org"}


def secure_parser():
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)


def parse(name):
    return etree.parse(str(TEI_DIR / name), secure_parser())


@pytest.fixture(scope="session")
def trees():
    return {name: parse(name) for name in FILES}


def ids_of(tree):
    return {el.get(XML_ID): el for el in tree.iter() if el.get(XML_ID)}


def body_passages(tree):
    body = tree.getroot().find(f"{tei('text')}/{tei('body')}")
    return [el for el in body.iter() if local_name(el) in PASSAGES]


def test_the_edition_has_exactly_the_contract_files():
    assert sorted(p.name for p in TEI_DIR.glob("*.xml")) == sorted(FILES)


# --------------------------------------------------------------------------- identifiers and pointers


def test_every_passage_and_turn_has_an_id(trees):
    for name in DOCUMENTS:
        body = trees[name].getroot().find(f"{tei('text')}/{tei('body')}")
        for element in body.iter():
            if local_name(element) in PASSAGES | {"sp"}:
                assert element.get(XML_ID), f"{name}:{element.sourceline}: {local_name(element)} without xml:id"


def test_ids_are_unique_edition_wide(trees):
    seen = {}
    for name in FILES:
        for element in trees[name].iter():
            xml_id = element.get(XML_ID)
            if not xml_id or xml_id in HEADER_RESP_IDS:
                continue
            assert xml_id not in seen, f"{xml_id} in {name} and {seen[xml_id]}"
            seen[xml_id] = name
    assert len(seen) > 80


def test_id_prefixes_follow_the_contract(trees):
    for name, prefix in [(MINUTES, "m-"), (MEMO, "memo-")]:
        text = trees[name].getroot().find(tei("text"))
        for xml_id in (el.get(XML_ID) for el in text.iter() if el.get(XML_ID)):
            assert xml_id.startswith(prefix) or xml_id.startswith("n-"), (name, xml_id)
        for note in text.iter(tei("note")):
            assert note.get(XML_ID).startswith("n-")
    for name in DOCUMENTS:
        root = trees[name].getroot()
        assert root.get(XML_ID) == name.removesuffix(".xml")  # the document's slug
    for element in trees[ENTITIES].find(f".//{tei('standOff')}").iter():
        if local_name(element) in {"person", "org", "place"}:
            assert re.fullmatch(r"[a-z][a-z0-9-]*", element.get(XML_ID))


def test_header_responsibility_ids_are_declared_in_each_document(trees):
    for name in DOCUMENTS:
        ids = ids_of(trees[name])
        assert local_name(ids["translator"]) == "respStmt"
        assert local_name(ids["editors"]) == "respStmt"
        assert ids["editors"].findtext(tei("name")) == "the edition's editors"


def resolve(pointer, name, trees):
    """The element a pointer in file `name` points to (None if it does not resolve)."""
    if pointer.startswith(("http://", "https://")):
        return "external"
    if pointer.startswith("ent:"):
        return ids_of(trees[ENTITIES]).get(pointer[4:])
    if pointer.startswith("#"):
        return ids_of(trees[name]).get(pointer[1:])
    file, _, fragment = pointer.partition("#")
    if file in trees:
        return ids_of(trees[file]).get(fragment) if fragment else trees[file].getroot()
    path = (TEI_DIR / file).resolve()
    return "file" if path.is_file() and not fragment else None


def test_every_pointer_resolves(trees):
    count = 0
    for name in FILES:
        for element in trees[name].iter():
            if not isinstance(element.tag, str):
                continue
            for attribute in POINTER_ATTRIBUTES:
                for pointer in (element.get(attribute) or "").split():
                    count += 1
                    assert resolve(pointer, name, trees) is not None, (
                        f"{name}:{element.sourceline}: {attribute}={pointer!r} does not resolve"
                    )
    assert count > 150


def test_mentions_point_to_entities_of_the_right_kind(trees):
    for name in DOCUMENTS:
        for element in trees[name].iter(*(tei(n) for n in ENTITY_KIND)):
            if element.get("ref"):
                target = resolve(element.get("ref"), name, trees)
                assert local_name(target) == ENTITY_KIND[local_name(element)], (name, element.sourceline)
    for sp in trees[MINUTES].iter(tei("sp")):
        assert local_name(resolve(sp.get("who"), MINUTES, trees)) == "person"


def test_every_entity_is_mentioned_or_has_a_reason_not_to_be(trees):
    """Entities exist for the texts: each is mentioned in a document, or (context places) in a note."""
    refs = set()
    for name in DOCUMENTS:
        for element in trees[name].iter(etree.Element):  # elements only: the files carry source comments
            for attribute in ("ref", "who", "sameAs"):
                if element.get(attribute, "").startswith("ent:"):
                    refs.add(element.get(attribute)[4:])
    entities = [el.get(XML_ID) for el in trees[ENTITIES].iter(tei("person"), tei("org"), tei("place"))]
    assert set(entities) <= refs


# --------------------------------------------------------------------------- headers


def test_document_headers_are_complete(trees):
    for name in DOCUMENTS:
        header = trees[name].getroot().find(tei("teiHeader"))
        title_stmt = header.find(f"{tei('fileDesc')}/{tei('titleStmt')}")
        assert title_stmt.findtext(tei("title")).strip()
        assert title_stmt.find(tei("respStmt")).findtext(tei("name")) == "the edition's editors"
        publication = header.find(f"{tei('fileDesc')}/{tei('publicationStmt')}")
        assert "edition project" in publication.findtext(tei("publisher"))
        assert publication.find(f"{tei('availability')}/{tei('licence')}").get("target")
        for when in (el.get("when") for el in publication.iter(tei("date"))):
            assert when.startswith("2026-")
        languages = {el.get("ident") for el in header.iter(tei("language"))}
        assert {"en", "ug-Latn"} <= languages
        prefix = header.find(f".//{tei('listPrefixDef')}/{tei('prefixDef')}")
        assert prefix.get("ident") == "ent"
        assert prefix.get("replacementPattern") == "entities.xml#$1"
        decl = header.find(f".//{tei('editorialDecl')}")
        for part in ("correction", "punctuation", "interpretation"):
            assert decl.find(tei(part)) is not None, (name, part)
        assert trees[name].getroot().find(tei("text")).get("type") in {"minutes", "memorandum"}


def participants(tree):
    return {
        (el.get("sameAs"), role)
        for el in tree.getroot().find(f".//{tei('particDesc')}").iter(tei("person"), tei("org"))
        for role in el.get("role").split()
    }


def test_minutes_participants_and_setting(trees):
    tree = trees[MINUTES]
    assert participants(tree) == {
        ("ent:zhang-hanfu", "speaker"),
        ("ent:chervonenko", "speaker"),
        ("ent:yu-man", "attendee"),
        ("ent:wang-gaiqing", "interpreter"),
        ("ent:zhang-zifan", "minute-taker"),
    }
    speakers = {sp.get("who") for sp in tree.iter(tei("sp"))}
    assert speakers == {who for who, role in participants(tree) if role == "speaker"}
    setting = tree.getroot().find(f".//{tei('settingDesc')}/{tei('setting')}")
    assert setting.find(tei("date")).get("when") == "1962-06-08"
    assert setting.find(tei("time")).get("when") == "17:00:00"
    venue = " ".join("".join(setting.find(tei("locale")).itertext()).split())
    assert venue == "Meeting Room, Ministry of Foreign Affairs"


def test_memorandum_participants_and_dates(trees):
    tree = trees[MEMO]
    roles = participants(tree)
    assert ("ent:soviet-government", "author") in roles
    assert ("ent:zhang-hanfu", "recipient") in roles
    assert ("ent:chervonenko", "submitter") in roles
    dated, delivered = tree.getroot().find(f".//{tei('settingDesc')}").findall(tei("setting"))
    assert dated.find(tei("date")).get("when") == "1962-06-07"  # the document's own date comes first
    assert (dated.find(tei("time")), dated.find(tei("locale"))) == (None, None)
    assert delivered.find(tei("date")).get("when") == "1962-06-08"
    closer = tree.getroot().find(f".//{tei('closer')}")
    assert closer.find(f".//{tei('date')}").get("when") == "1962-06-07"


# --------------------------------------------------------------------------- text markup


def test_minutes_opening_is_encoded(trees):
    body = trees[MINUTES].getroot().find(f"{tei('text')}/{tei('body')}")
    heads = body.findall(tei("head"))
    assert [h.get("type") for h in heads] == ["title", "subtitle"]
    texts = [passage_text(p).reading for p in body.findall(tei("p"))]
    assert texts[0] == "(Not reviewed by Vice Minister Zhang)"
    labels = [p.findtext(tei("label")) for p in body.findall(tei("p"))[1:]]
    assert labels == ["Date:", "Venue:", "Attendees:", "Interpreter:", "Minutes Prepared:"]


def test_memorandum_has_heading_paragraphs_and_dated_closer(trees):
    body = trees[MEMO].getroot().find(f"{tei('text')}/{tei('body')}")
    assert [local_name(el) for el in body] == ["head"] + ["p"] * 6 + ["closer"]


_MONTH_NAMES = "January February March April May June July August September October November December"
MONTHS = {month: i for i, month in enumerate(_MONTH_NAMES.split(), 1)}


def test_dates_agree_with_their_words(trees):
    """'19 May' has when=1962-05-19, '8 June 1962' 1962-06-08; 'today' is the day of the meeting."""
    seen = set()
    for name in DOCUMENTS:
        for element in trees[name].getroot().find(tei("text")).iter(tei("date")):
            words = " ".join("".join(element.itertext()).split())
            when = element.get("when")
            match = re.fullmatch(r"(\d{1,2}) ([A-Z][a-z]+)(?: (\d{4}))?", words)
            if match:
                day, month, year = match.groups()
                assert when, (name, words)
                parsed = date.fromisoformat(when)
                assert (parsed.day, parsed.month) == (int(day), MONTHS[month]), (name, words, when)
                assert parsed.year == int(year or 1962), (name, words, when)
                seen.add(when)
            elif words == "today":
                assert when == "1962-06-08"
            else:
                assert when is None, f"{words!r} is vague: no @when"
    assert {"1962-04-23", "1962-04-29", "1962-05-19", "1962-06-07", "1962-06-08"} <= seen


def reading_spans(tree):
    for passage in body_passages(tree):
        yield passage, passage_text(passage)


@pytest.mark.parametrize(
    "words, kind, key",
    [
        (r"Soviet Union", "placeName orgName persName", None),
        (r"China\b", "placeName persName", None),
        (r"People’s Republic of China", "placeName", "ent:china"),
        (r"Xinjiang", "placeName", "ent:xinjiang"),
        (r"Chinese [Gg]overnment", "orgName", "ent:chinese-government"),
        (r"Government of the Soviet Union", "orgName", "ent:soviet-government"),
        (r"Zhang Hanfu|Vice Minister Zhang", "persName", "ent:zhang-hanfu"),
        (r"Sino-Soviet border", "placeName", "ent:sino-soviet-border"),
        (r"Ministry of Foreign Affairs", "orgName", "ent:prc-mfa"),
    ],
)
def test_names_are_tagged_consistently(trees, words, kind, key):
    """Every occurrence of these names in the text lies inside a mention of the right kind."""
    occurrences = 0
    for name in DOCUMENTS:
        for passage, text in reading_spans(trees[name]):
            spans = text.spans_of(*kind.split())
            for match in re.finditer(words, text.reading):
                occurrences += 1
                covering = [s for s in spans if s.start <= match.start() and match.end() <= s.end]
                assert covering, f"{passage.get(XML_ID)}: {match.group()!r} at {match.start()} is not tagged"
                if key:
                    assert any(s.attrib.get("ref") == key for s in covering), (passage.get(XML_ID), match.group())
    assert occurrences > 0


def test_aliases_carry_a_language(trees):
    count = 0
    for element in trees[ENTITIES].iter(tei("persName"), tei("placeName"), tei("orgName")):
        if element.get("type") == "alias":
            count += 1
            assert element.get(XML_LANG), element.text
    assert count >= 15
    zhang = ids_of(trees[ENTITIES])["zhang-hanfu"]
    names = [el.text for el in zhang.iter(tei("persName"))]
    assert "章汉夫" in names and "章漢夫" in names  # issue 12: 章, not 张 (the wrong surname character)
    assert "张汉夫" not in names and "張漢夫" not in names


def test_people_have_a_side(trees):
    """Each person has an occupation and an affiliation to an organisation (the reader shows sides)."""
    for person in trees[ENTITIES].iter(tei("person")):
        assert person.findtext(tei("occupation"))
        affiliation = person.find(tei("affiliation"))
        assert local_name(resolve(affiliation.get("ref"), ENTITIES, trees)) == "org"


# --------------------------------------------------------------------------- notes and links


def test_at_least_ten_editorial_notes_with_resolving_targets(trees):
    notes = []
    for name in DOCUMENTS:
        div = trees[name].getroot().find(f"{tei('text')}/{tei('back')}/{tei('div')}")
        assert div.get("type") == "notes"
        for note in div.findall(tei("note")):
            notes.append(note)
            assert note.get("type") in {"editorial", "translation", "crossref", "commentary"}
            target = resolve(note.get("target"), name, trees)
            assert target is not None and target.getroottree().getroot() is trees[name].getroot()
            assert len(" ".join("".join(note.itertext()).split())) > 80, note.get(XML_ID)
    assert len(notes) >= 10


def test_notes_cover_what_a_researcher_needs(trees):
    text = {
        note.get(XML_ID): " ".join("".join(note.itertext()).split())
        for name in DOCUMENTS
        for note in trees[name].getroot().iter(tei("note"))
    }
    everything = " ".join(text.values())
    for fact in [
        "1959 to 1965",  # Chervonenko's embassy
        "has not identified",  # Yu Man, Wang Gaiqing, Zhang Zifan
        "1 October 1955",  # the Xinjiang Uyghur Autonomous Region
        "19 May",
        "23 April 1962",
        "29 April 1962",
        "block the border with Xinjiang entirely",
        "continue out previous discussions",
        "at in",
        "translator's insertions",
    ]:
        assert fact in everything, fact


def test_at_least_four_links_pair_minutes_with_memorandum_passages(trees):
    links = list(trees[LINKS].iter(tei("link")))
    assert len(links) >= 4
    assert links[0].getparent().get("type") == "correspondence"
    pairs = set()
    for link in links:
        assert link.get("type") in {"answers", "repeats"}
        source, target = link.get("target").split()
        assert source.startswith(MINUTES + "#") and target.startswith(MEMO + "#")
        for pointer in (source, target):
            element = resolve(pointer, LINKS, trees)
            # Links join passages (the importer's unit), not spans inside them.
            assert local_name(element) in PASSAGES, pointer
        pairs.add((source, target, link.get("type")))
    assert len(pairs) == len(links)
