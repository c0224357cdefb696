"""The map of the places: an SVG drawn on the server from the vendored boundaries (docs/map.md).

The boundaries are Natural Earth's (public domain), cut to the map's box by bench/build_map_data.py
into static/data/central-asia.geojson. A place is drawn where its entity-list entry gives a point
(TEI ``<location><geo source="...">lat long</geo>``, mapped to ``Entity.data['geo']`` and
``['geo_source']``); a place without one, or outside the box, is listed as not on the map - no
point is ever guessed. The projection is equirectangular with the box's middle latitude as its
standard parallel. The SVG carries no style attribute and no external reference: it is styled by
classes (static/css/map.css) and presentation attributes, and is an image (role=img, title, desc)
whose accessible version is the list the template prints beside it.
"""

from __future__ import annotations

import json
import logging
import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from lxml import etree

logger = logging.getLogger("documents.render")

SVG_NS = "http://www.w3.org/2000/svg"
DATA_FILE = Path("static") / "data" / "central-asia.geojson"
#: Width of the drawing in SVG user units; the height follows from the box and the projection.
WIDTH = 720.0


@dataclass(frozen=True)
class Projection:
    west: float
    south: float
    east: float
    north: float
    width: float = WIDTH

    @property
    def kx(self) -> float:
        return math.cos(math.radians((self.south + self.north) / 2))

    @property
    def scale(self) -> float:
        return self.width / ((self.east - self.west) * self.kx)

    @property
    def height(self) -> float:
        return round((self.north - self.south) * self.scale, 1)

    def contains(self, lat: float, lon: float) -> bool:
        return self.south <= lat <= self.north and self.west <= lon <= self.east

    def xy(self, lat: float, lon: float) -> tuple[float, float]:
        """SVG coordinates of a point (x east, y down), to a tenth of a unit."""
        return round((lon - self.west) * self.kx * self.scale, 1), round((self.north - lat) * self.scale, 1)


@dataclass
class MapPlace:
    entity: object
    lat: float
    lon: float
    x: float
    y: float
    source: str


@dataclass
class OffMap:
    entity: object
    reason: str


@lru_cache(maxsize=1)
def boundaries() -> dict:
    """The vendored GeoJSON (read once per process)."""
    path = Path(settings.BASE_DIR) / DATA_FILE
    return json.loads(path.read_text(encoding="utf-8"))


def projection() -> Projection:
    west, south, east, north = boundaries()["bbox"]
    return Projection(west, south, east, north)


def parse_geo(value: str) -> tuple[float, float] | None:
    """TEI <geo> 'lat long' in decimal degrees (WGS 84), or None when it is not two numbers in range."""
    parts = (value or "").replace(",", " ").split()
    if len(parts) != 2:
        return None
    try:
        lat, lon = float(parts[0]), float(parts[1])
    except ValueError:
        return None
    if not (-90 <= lat <= 90 and -180 <= lon <= 180) or math.isnan(lat) or math.isnan(lon):
        return None
    return lat, lon


def locate(entities, proj: Projection | None = None) -> tuple[list[MapPlace], list[OffMap]]:
    """The places drawn (with their projected point) and those listed as not on the map, with why."""
    proj = proj or projection()
    on_map, off_map = [], []
    for entity in entities:
        data = entity.data or {}
        point = parse_geo(data.get("geo", ""))
        if point is None:
            reason = (
                "the entity list gives no point coordinates" if not data.get("geo") else "its coordinates do not read"
            )
            off_map.append(OffMap(entity, reason))
        elif not proj.contains(*point):
            off_map.append(OffMap(entity, "outside the area of the map"))
        else:
            x, y = proj.xy(*point)
            on_map.append(MapPlace(entity, point[0], point[1], x, y, data.get("geo_source", "")))
    return on_map, off_map


def ring_path(rings, proj: Projection) -> str:
    parts = []
    for ring in rings:
        points = [proj.xy(lat, lon) for lon, lat in ring]
        parts.append("M" + "L".join(f"{x:g},{y:g}" for x, y in points) + "Z")
    return "".join(parts)


def line_path(lines, proj: Projection) -> str:
    parts = []
    for line in lines:
        points = [proj.xy(lat, lon) for lon, lat in line]
        parts.append("M" + "L".join(f"{x:g},{y:g}" for x, y in points))
    return "".join(parts)


def sub(parent, tag: str, text: str | None = None, **attrs):
    element = etree.SubElement(
        parent, f"{{{SVG_NS}}}{tag}", {k.rstrip("_").replace("_", "-"): str(v) for k, v in attrs.items()}
    )
    if text is not None:
        element.text = text
    return element


def map_svg(places: list[MapPlace], *, ident: str, title: str, description: str) -> str:
    """The SVG of the map with a labelled point for each place in `places` (see locate)."""
    proj = projection()
    root = etree.Element(f"{{{SVG_NS}}}svg", nsmap={None: SVG_NS})
    root.set("viewBox", f"0 0 {proj.width:g} {proj.height:g}")
    root.set("class", "place-map-svg")
    root.set("role", "img")
    root.set("aria-labelledby", f"{ident}-title {ident}-desc")
    root.set("id", ident)
    sub(root, "title", title, id=f"{ident}-title")
    sub(root, "desc", description, id=f"{ident}-desc")
    sub(root, "rect", x=0, y=0, width=f"{proj.width:g}", height=f"{proj.height:g}", fill="#dfe8ee", class_="map-sea")
    countries = sub(root, "g", class_="map-countries", aria_hidden="true")
    lines = []
    for feature in boundaries()["features"]:
        kind, name = feature["properties"]["kind"], feature["properties"]["name"]
        if kind == "country":
            d = "".join(ring_path(polygon, proj) for polygon in feature["geometry"]["coordinates"])
            cls = "map-country map-country-china" if name == "China" else "map-country"
            fill = "#f3ead7" if name == "China" else "#ffffff"
            path = sub(countries, "path", d=d, class_=cls, fill=fill, stroke="none", data_name=name)
            sub(path, "title", name)
        else:
            lines.append(line_path(feature["geometry"]["coordinates"], proj))
    sub(root, "path", d="".join(lines), class_="map-boundary", fill="none", stroke="#5b5b5b", stroke_width="1",
        stroke_dasharray="4 2", aria_hidden="true")  # fmt: skip
    points = sub(root, "g", class_="map-places")
    for place in places:
        group = sub(points, "g", class_="map-place", id=f"{ident}-{place.entity.key}", data_key=place.entity.key)
        sub(group, "circle", cx=f"{place.x:g}", cy=f"{place.y:g}", r=5, class_="map-point", fill="#8a1c1c",
            stroke="#ffffff", stroke_width="1.5")  # fmt: skip
        sub(group, "text", place.entity.name, x=f"{place.x + 8:g}", y=f"{place.y + 4:g}", class_="map-label",
            fill="#1a1a1a", font_size="14")  # fmt: skip
    sub(root, "rect", x=0.5, y=0.5, width=f"{proj.width - 1:g}", height=f"{proj.height - 1:g}", fill="none",
        stroke="#5b5b5b", class_="map-frame", aria_hidden="true")  # fmt: skip
    return etree.tostring(root, encoding="unicode")


def map_context(entities, *, ident: str, title: str) -> dict:
    """What the map snippet prints: the SVG, the places on it and the places not on it."""
    places = [e for e in entities if getattr(e, "kind", "place") == "place"]
    on_map, off_map = locate(places)
    names = ", ".join(p.entity.name for p in on_map) or "none"
    description = (
        f"Map of Xinjiang and the neighbouring part of Central Asia with present-day international boundaries "
        f"(Natural Earth). Places marked: {names}. The list beside the map gives every place with its coordinates."
    )
    return {
        "svg": map_svg(on_map, ident=ident, title=title, description=description),
        "on_map": on_map,
        "off_map": off_map,
        "ident": ident,
        "title": title,
    }
