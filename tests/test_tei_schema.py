"""Validity of the TEI edition: the edition's own subset (documents/schema/edition.rng) and TEI P5.

tei_all.rng (../shared/schemas/) takes seconds to load, so it is loaded once per test session
(the `tei_all` fixture in tests/conftest.py, shared with the DTS and export tests).
Broken copies of our files must fail edition.rng: the schema is what keeps the encoding contract.
"""

import copy
from pathlib import Path

import pytest
from lxml import etree

from documents.tei import XML_ID, tei
from documents.tei.parser import make_parser

ROOT = Path(__file__).resolve().parent.parent
TEI_DIR = ROOT / "documents" / "tei"
EDITION_RNG = ROOT / "documents" / "schema" / "edition.rng"
MINUTES, LINKS = "minutes-1962-06-08.xml", "links.xml"
FILES = sorted(p.name for p in TEI_DIR.glob("*.xml"))


def secure_parser():
    return make_parser()


@pytest.fixture(scope="session")
def trees():
    return {name: etree.parse(str(TEI_DIR / name), secure_parser()) for name in FILES}


@pytest.fixture(scope="session")
def edition_rng():
    return etree.RelaxNG(etree.parse(str(EDITION_RNG), secure_parser()))


def errors(schema):
    return "\n".join(f"{e.line}: {e.message}" for e in schema.error_log)


def test_all_four_files_are_checked():
    assert FILES == ["entities.xml", "links.xml", "memorandum-1962-06-07.xml", "minutes-1962-06-08.xml"]


# --------------------------------------------------------------------------- validity


@pytest.mark.parametrize("name", FILES)
def test_valid_against_the_edition_schema(name, trees, edition_rng):
    assert edition_rng.validate(trees[name]), errors(edition_rng)


@pytest.mark.parametrize("name", FILES)
def test_valid_against_tei_p5(name, trees, tei_all):
    assert tei_all.validate(trees[name]), errors(tei_all)


def _remove_first_paragraph_id(root):
    root.find(f".//{tei('sp')}/{tei('p')}").attrib.pop(XML_ID)


def _add_unknown_element(root):
    p = root.find(f".//{tei('sp')}/{tei('p')}")
    etree.SubElement(p, tei("blink")).text = "new"


def _inline_note(root):
    p = root.find(f".//{tei('sp')}/{tei('p')}")
    etree.SubElement(p, tei("note")).text = "notes belong in back/div[@type=notes]"


def _turn_without_speaker(root):
    sp = root.find(f".//{tei('sp')}")
    sp.remove(sp.find(tei("speaker")))


def _mention_without_ref(root):
    root.find(f".//{tei('body')}//{tei('persName')}").attrib.pop("ref")


def _supplied_without_resp(root):
    root.find(f".//{tei('supplied')}").attrib.pop("resp")


def _note_without_target(root):
    root.find(f".//{tei('back')}//{tei('note')}").attrib.pop("target")


def _unknown_role(root):
    root.find(f".//{tei('particDesc')}//{tei('person')}").set("role", "spectator")


@pytest.mark.parametrize(
    "breakage",
    [
        _remove_first_paragraph_id,
        _add_unknown_element,
        _inline_note,
        _turn_without_speaker,
        _mention_without_ref,
        _supplied_without_resp,
        _note_without_target,
        _unknown_role,
    ],
)
def test_a_broken_copy_fails_the_edition_schema(breakage, trees, edition_rng):
    root = copy.deepcopy(trees[MINUTES].getroot())
    breakage(root)
    assert not edition_rng.validate(root)
    assert len(edition_rng.error_log) > 0


def test_a_link_with_one_target_fails_the_edition_schema(trees, edition_rng):
    root = copy.deepcopy(trees[LINKS].getroot())
    link = root.find(f".//{tei('link')}")
    link.set("target", link.get("target").split()[0])
    assert not edition_rng.validate(root)
