"""Regenerate static/data/central-asia.geojson, the boundaries the edition's map is drawn on (docs/map.md).

    python bench/build_map_data.py            # npm-installs world-atlas into bench/out/map-build/ (ignored)

The source is Natural Earth's Admin 0 countries at 1:50m (public domain) as TopoJSON, from the npm package
world-atlas (PACKAGE below, ISC licence for the packaging). Only what the map needs is kept: the countries
that reach into BBOX, clipped to it, simplified (Douglas-Peucker, TOLERANCE degrees) and rounded to
DIGITS decimals, plus the land boundaries between two countries as lines (so that the frame of the
box is not drawn as a border). Pure Python; nothing here runs at request or test time.
"""

from __future__ import annotations

import json
import shutil
import subprocess  # noqa: S404  # nosec B404 -- runs npm with fixed arguments
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BUILD = ROOT / "bench" / "out" / "map-build"
OUT = ROOT / "static" / "data" / "central-asia.geojson"
PACKAGE = "world-atlas@2.0.2"
TOPOLOGY = "countries-50m.json"
#: (west, south, east, north) in degrees: Xinjiang and the Soviet (now Kazakh, Kyrgyz, Russian) side.
BBOX = (68.0, 34.0, 98.0, 51.0)
TOLERANCE = 0.04
DIGITS = 2


def install() -> Path:
    path = BUILD / "node_modules" / "world-atlas" / TOPOLOGY
    if not path.exists():
        BUILD.mkdir(parents=True, exist_ok=True)
        npm = shutil.which("npm") or "npm"
        subprocess.run(  # noqa: S603  # nosec B603 -- fixed arguments
            [npm, "install", "--no-audit", "--no-fund", "--loglevel=error", "--prefix", str(BUILD), PACKAGE],
            check=True,
        )
    return path


def decode_arcs(topology: dict) -> list[list[tuple[float, float]]]:
    """The topology's arcs in degrees (quantized, delta-encoded; TopoJSON specification 2.1.4)."""
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def arc_points(arcs, index: int):
    return arcs[index] if index >= 0 else arcs[~index][::-1]


def ring(arcs, indexes) -> list[tuple[float, float]]:
    points: list[tuple[float, float]] = []
    for index in indexes:
        part = arc_points(arcs, index)
        points.extend(part if not points else part[1:])
    return points


def clip_ring(points, box):
    """Sutherland-Hodgman clipping of a closed ring to the box."""
    west, south, east, north = box
    edges = (
        (lambda p: p[0] >= west, lambda a, b: (west, a[1] + (b[1] - a[1]) * (west - a[0]) / (b[0] - a[0]))),
        (lambda p: p[0] <= east, lambda a, b: (east, a[1] + (b[1] - a[1]) * (east - a[0]) / (b[0] - a[0]))),
        (lambda p: p[1] >= south, lambda a, b: (a[0] + (b[0] - a[0]) * (south - a[1]) / (b[1] - a[1]), south)),
        (lambda p: p[1] <= north, lambda a, b: (a[0] + (b[0] - a[0]) * (north - a[1]) / (b[1] - a[1]), north)),
    )
    for inside, cross in edges:
        if not points:
            break
        out = []
        previous = points[-1]
        for point in points:
            if inside(point):
                if not inside(previous):
                    out.append(cross(previous, point))
                out.append(point)
            elif inside(previous):
                out.append(cross(previous, point))
            previous = point
        points = out
    return points


def clip_line(points, box):
    """The parts of a line inside the box (a segment is kept when both ends are inside; enough at 1:50m)."""
    west, south, east, north = box
    parts, current = [], []
    for x, y in points:
        if west <= x <= east and south <= y <= north:
            current.append((x, y))
        else:
            if len(current) > 1:
                parts.append(current)
            current = []
    if len(current) > 1:
        parts.append(current)
    return parts


def simplify(points, tolerance):
    """Douglas-Peucker."""
    if len(points) < 3:
        return points
    (x1, y1), (x2, y2) = points[0], points[-1]
    dx, dy = x2 - x1, y2 - y1
    norm = (dx * dx + dy * dy) ** 0.5
    best, index = -1.0, 0
    for i in range(1, len(points) - 1):
        px, py = points[i]
        d = abs(dy * px - dx * py + x2 * y1 - y2 * x1) / norm if norm else ((px - x1) ** 2 + (py - y1) ** 2) ** 0.5
        if d > best:
            best, index = d, i
    if best <= tolerance:
        return [points[0], points[-1]]
    return simplify(points[: index + 1], tolerance)[:-1] + simplify(points[index:], tolerance)


def rounded(points):
    out = []
    for x, y in points:
        point = [round(x, DIGITS), round(y, DIGITS)]
        if not out or out[-1] != point:
            out.append(point)
    return out


def polygons_of(geometry):
    if geometry["type"] == "Polygon":
        return [geometry["arcs"]]
    if geometry["type"] == "MultiPolygon":
        return geometry["arcs"]
    return []


def build(topology: dict) -> dict:
    arcs = decode_arcs(topology)
    features = []
    owners: dict[int, set[str]] = {}
    for geometry in topology["objects"]["countries"]["geometries"]:
        name = geometry.get("properties", {}).get("name", "")
        polygons = []
        for polygon in polygons_of(geometry):
            rings = []
            for indexes in polygon:
                for index in indexes:
                    owners.setdefault(index if index >= 0 else ~index, set()).add(name)
                clipped = clip_ring(ring(arcs, indexes), BBOX)
                points = rounded(simplify(clipped + clipped[:1], TOLERANCE)) if clipped else []
                if len(points) >= 4:
                    rings.append(points)
            if rings:
                polygons.append(rings)
        if polygons:
            features.append({"type": "Feature", "properties": {"name": name, "kind": "country"},
                             "geometry": {"type": "MultiPolygon", "coordinates": polygons}})  # fmt: skip
    borders = []
    for index, names in sorted(owners.items()):
        if len(names) == 2:  # an arc two countries share is a land boundary
            for part in clip_line(arcs[index], BBOX):
                points = rounded(simplify(part, TOLERANCE))
                if len(points) >= 2:
                    borders.append(points)
    features.append({"type": "Feature", "properties": {"name": "international boundaries", "kind": "boundary"},
                     "geometry": {"type": "MultiLineString", "coordinates": borders}})  # fmt: skip
    return {
        "type": "FeatureCollection",
        "bbox": list(BBOX),
        "source": f"Natural Earth 1:50m Admin 0 countries (public domain), npm {PACKAGE} {TOPOLOGY}; "
        f"clipped to {list(BBOX)}, simplified {TOLERANCE} degrees, bench/build_map_data.py",
        "features": features,
    }


def main() -> int:
    topology = json.loads(install().read_text(encoding="utf-8"))
    data = build(topology)
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8")
    countries = [f["properties"]["name"] for f in data["features"] if f["properties"]["kind"] == "country"]
    print(f"{OUT.relative_to(ROOT)}: {OUT.stat().st_size} bytes, {len(countries)} countries: {', '.join(countries)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
