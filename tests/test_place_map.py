"""The map of the places (documents/render/map.py, docs/map.md) on the places index and the document pages."""

from __future__ import annotations

import json
import math
import re
from pathlib import Path

import html5lib
import pytest
from django.conf import settings
from lxml import etree, html

from documents.models import Entity, Mention
from documents.render.map import MapPlace, Projection, locate, map_svg, parse_geo
from documents.tei import TEI_NS
from tests.pages_data import imported_once

pytestmark = pytest.mark.django_db

SVG = "{http://www.w3.org/2000/svg}"
ENTITIES = Path(settings.BASE_DIR) / "documents" / "tei" / "entities.xml"
DATA = Path(settings.BASE_DIR) / "static" / "data" / "central-asia.geojson"


@pytest.fixture(scope="module", autouse=True)
def edition(django_db_setup, django_db_blocker):
    with imported_once(django_db_blocker):
        yield


def page(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    html5lib.HTMLParser(strict=True, namespaceHTMLElements=False).parse(response.content)
    return html.fromstring(response.content)


def svg_of(root, ident):
    (svg,) = root.xpath(f"//*[local-name()='svg'][@id='{ident}']")
    return etree.fromstring(html.tostring(svg))  # a standalone copy to read as SVG


def expected_xy(lat, lon):
    """The equirectangular projection, computed here from the box of the data file (not from map.py)."""
    west, south, east, north = json.loads(DATA.read_text())["bbox"]
    k = math.cos(math.radians((south + north) / 2))
    scale = 720 / ((east - west) * k)
    return (lon - west) * k * scale, (north - lat) * scale


def placed():
    """(entity, lat, lon) of every place of the edition whose entry gives a point."""
    out = []
    for entity in Entity.objects.filter(kind="place"):
        if entity.data.get("geo"):
            lat, lon = (float(x) for x in entity.data["geo"].split())
            out.append((entity, lat, lon))
    return out


def test_every_point_of_the_entity_list_has_its_source_beside_it():
    root = etree.parse(str(ENTITIES)).getroot()
    geos = root.findall(f".//{{{TEI_NS}}}place/{{{TEI_NS}}}location/{{{TEI_NS}}}geo")
    assert len(geos) >= 2  # Ili and Tacheng
    for geo in geos:
        assert geo.get("source", "").startswith("https://"), etree.tostring(geo)
        lat, lon = (float(x) for x in geo.text.split())
        assert -90 <= lat <= 90 and -180 <= lon <= 180


def test_the_import_keeps_the_point_and_its_source():
    tacheng = Entity.objects.get(key="tacheng")
    assert tacheng.data["geo"] == "46.7517 82.9869"
    assert tacheng.data["geo_source"] == "https://en.wikipedia.org/wiki/Tacheng"


def test_every_place_with_coordinates_is_drawn_at_its_projected_position(client):
    svg = svg_of(page(client, "/places/"), "places-map")
    points = placed()
    assert {e.key for e, _, _ in points} == {"ili", "tacheng"}
    for entity, lat, lon in points:
        (group,) = svg.xpath(f".//*[@data-key='{entity.key}']")
        circle = group.find(f"{SVG}circle")
        x, y = expected_xy(lat, lon)
        assert float(circle.get("cx")) == pytest.approx(x, abs=0.1)
        assert float(circle.get("cy")) == pytest.approx(y, abs=0.1)
        assert group.find(f"{SVG}text").text == entity.name  # every point is labelled


def test_the_list_beside_the_map_names_every_place(client):
    root = page(client, "/places/")
    (figure,) = root.xpath("//figure[@class='place-map']")
    on_map = figure.xpath(".//ul[@class='place-map-list']/li/@data-key")
    off_map = figure.xpath(".//ul[@class='place-map-off']/li/@data-key")
    assert sorted(on_map + off_map) == sorted(Entity.objects.filter(kind="place").values_list("key", flat=True))
    assert sorted(on_map) == ["ili", "tacheng"]
    for li in figure.xpath(".//ul[@class='place-map-list']/li"):  # coordinates and their source, as text
        key = li.get("data-key")
        lat, lon = Entity.objects.get(key=key).data["geo"].split()
        assert f"{lat}° N, {lon}° E" in li.text_content()
        assert li.xpath(".//a[@class='geo-source']/@href") == [Entity.objects.get(key=key).data["geo_source"]]


def test_the_svg_is_an_accessible_image_without_external_urls_or_style_attributes(client):
    svg = svg_of(page(client, "/places/"), "places-map")
    assert svg.get("role") == "img"
    title, desc = svg.get("aria-labelledby").split()
    assert svg.find(f"{SVG}title").get("id") == title and svg.find(f"{SVG}desc").get("id") == desc
    assert "Ili" in svg.find(f"{SVG}desc").text and "Tacheng" in svg.find(f"{SVG}desc").text
    for el in svg.iter():
        for name, value in el.attrib.items():
            assert name != "style", "CSP: no style attribute"
            assert "href" not in name and "://" not in value and "url(" not in value, (name, value)
    assert not svg.xpath(".//*[local-name()='image' or local-name()='use' or local-name()='style' or "
                         "local-name()='script' or local-name()='foreignObject']")  # fmt: skip


def test_a_document_page_maps_the_places_it_mentions(client):
    root = page(client, "/documents/minutes-1962-06-08/")
    (section,) = root.xpath("//section[@class='doc-map']")
    mentioned = set(
        Mention.objects.filter(passage__document__slug="minutes-1962-06-08", entity__kind="place").values_list(
            "entity__key", flat=True
        )
    )
    keys = set(section.xpath(".//figcaption//li/@data-key"))
    assert mentioned and keys == mentioned
    assert ".place-map" in "".join(root.xpath("//head/style/text()"))  # map.css, inlined (issue 13.1)


def test_a_point_outside_the_box_or_unreadable_is_listed_not_guessed():
    class Place:
        kind = "place"

        def __init__(self, key, geo):
            self.key, self.name, self.data = key, key, {"geo": geo} if geo is not None else {}

    places = [Place("in", "45 85"), Place("far", "51.5 -0.12"), Place("bad", "north"), Place("none", None)]
    on_map, off_map = locate(places, Projection(68, 34, 98, 51))
    assert [p.entity.key for p in on_map] == ["in"]
    assert {o.entity.key: o.reason for o in off_map} == {
        "far": "outside the area of the map",
        "bad": "its coordinates do not read",
        "none": "the entity list gives no point coordinates",
    }


@pytest.mark.parametrize("value", ["", "1", "1 2 3", "91 0", "0 181", "nan 1", "a b"])
def test_parse_geo_refuses_what_is_not_a_point(value):
    assert parse_geo(value) is None


def test_parse_geo_reads_tei_lat_long():
    assert parse_geo("46.7517 82.9869") == (46.7517, 82.9869)


def test_names_are_escaped_in_the_svg():
    class Hostile:
        key, name, data = "x", "<script>alert(1)</script> & co", {}

    svg = map_svg([MapPlace(Hostile(), 45, 85, 10, 10, "")], ident="m", title="t <b>", description="d")
    assert "<script>" not in svg and "&lt;script&gt;" in svg
    etree.fromstring(svg)


def test_the_vendored_boundaries_are_small_and_inside_their_box():
    data = json.loads(DATA.read_text())
    assert DATA.stat().st_size < 60_000
    assert "Natural Earth" in data["source"]
    west, south, east, north = data["bbox"]
    names = {f["properties"]["name"] for f in data["features"]}
    assert {"China", "Kazakhstan", "Kyrgyzstan", "Russia", "Mongolia"} <= names
    text = json.dumps([f["geometry"]["coordinates"] for f in data["features"]])
    numbers = [float(n) for n in re.findall(r"-?\d+(?:\.\d+)?", text)]
    lons, lats = numbers[0::2], numbers[1::2]
    assert all(west <= x <= east for x in lons) and all(south <= y <= north for y in lats)
