"""The map of a situation report: region shapes coloured by index category, and incident points — pure.

:func:`project` fits GeoJSON shapes (longitude/latitude) into a box of page units with an equirectangular
projection scaled by the cosine of the middle latitude (Indonesia straddles the equator, so this is close
to what the web map shows). The result is drawn as SVG for the HTML report (:func:`to_svg`) and as PDF
vector paths by the PDF renderer, so both show the same picture. No tiles, nothing fetched.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from html import escape
from typing import Any

from waspada.reporting.sitrep import MapUnit

#: The web map's colours for the default categories (dashboard/static/waspada/base.css).
DEFAULT_COLOURS = {"rendah": "#cfe8d4", "sedang": "#f6d98b", "tinggi": "#e8998f"}
RAMP = ("#cfe8d4", "#e6efb0", "#f6d98b", "#f0b98d", "#e8998f", "#d06f66")
NO_INDEX = "#e4e8ee"
STROKE = "#4d6a88"
POINT = "#1d2633"
OUTLINE = "#1d2633"

Point = tuple[float, float]
Ring = list[Point]


@dataclass(frozen=True, slots=True)
class Shape:
    code: str
    name: str
    category: str
    fill: str
    rings: tuple[tuple[Point, ...], ...]  # outer rings and holes, filled even-odd


@dataclass(frozen=True, slots=True)
class Projected:
    width: float
    height: float
    shapes: tuple[Shape, ...]
    points: tuple[Point, ...]
    outlines: tuple[tuple[tuple[Point, ...], ...], ...] = ()  # rings of the boundaries drawn over the shapes

    @property
    def empty(self) -> bool:
        return not self.shapes


def colours(categories: Sequence[tuple[str, str]]) -> dict[str, str]:
    """A fill colour per category code: the web map's for the default codes, else a green-to-red ramp."""
    codes = [code for code, _label in categories]
    if set(codes) <= set(DEFAULT_COLOURS):
        return {c: DEFAULT_COLOURS[c] for c in codes}
    if len(codes) <= 1:
        return {c: RAMP[0] for c in codes}
    step = (len(RAMP) - 1) / (len(codes) - 1)
    return {c: RAMP[round(i * step)] for i, c in enumerate(codes)}


def _rings(geometry: Mapping[str, Any]) -> Iterator[list[Sequence[float]]]:
    kind = geometry.get("type")
    coords = geometry.get("coordinates") or []
    if kind == "Polygon":
        yield from coords
    elif kind == "MultiPolygon":
        for polygon in coords:
            yield from polygon
    elif kind == "GeometryCollection":
        for part in geometry.get("geometries") or []:
            yield from _rings(part)


def project(
    units: Sequence[MapUnit],
    points: Sequence[Point],
    categories: Sequence[tuple[str, str]],
    *,
    outlines: Sequence[Mapping[str, Any]] = (),
    max_width: float = 800.0,
    max_height: float = 560.0,
    margin: float = 8.0,
) -> Projected:
    """Shapes, outlines and points in page units (origin top left, y downwards), fitted into the box."""
    raw = [(u, [list(r) for r in _rings(u.geometry)]) for u in units if u.geometry]
    lons = [float(p[0]) for _u, rings in raw for ring in rings for p in ring]
    lats = [float(p[1]) for _u, rings in raw for ring in rings for p in ring]
    if not lons:
        return Projected(max_width, 0.0, (), ())
    min_lon, max_lon, min_lat, max_lat = min(lons), max(lons), min(lats), max(lats)
    kx = math.cos(math.radians((min_lat + max_lat) / 2))
    dx = max((max_lon - min_lon) * kx, 1e-9)
    dy = max(max_lat - min_lat, 1e-9)
    scale = min((max_width - 2 * margin) / dx, (max_height - 2 * margin) / dy)
    width, height = dx * scale + 2 * margin, dy * scale + 2 * margin

    def xy(lon: float, lat: float) -> Point:
        return (margin + (lon - min_lon) * kx * scale, margin + (max_lat - lat) * scale)

    fill = colours(categories)
    shapes = tuple(
        Shape(
            u.region.code,
            u.region.name,
            u.category,
            fill.get(u.category, NO_INDEX),
            tuple(tuple(xy(float(p[0]), float(p[1])) for p in ring) for ring in rings if len(ring) >= 3),
        )
        for u, rings in raw
    )
    inside = tuple(
        xy(lon, lat) for lon, lat in points if min_lon <= lon <= max_lon and min_lat <= lat <= max_lat
    )
    lines = tuple(
        tuple(tuple(xy(float(p[0]), float(p[1])) for p in ring) for ring in _rings(g) if len(ring) >= 3)
        for g in outlines
    )
    return Projected(width, height, shapes, inside, lines)


def _path(rings: Sequence[Sequence[Point]]) -> str:
    parts = []
    for ring in rings:
        head, *rest = ring
        parts.append(f"M{head[0]:.1f} {head[1]:.1f}" + "".join(f"L{x:.1f} {y:.1f}" for x, y in rest) + "Z")
    return "".join(parts)


def to_svg(projected: Projected, title: str) -> str:
    """An inline SVG of the map (scales with its container; each shape has a tooltip with its name)."""
    w, h = projected.width, projected.height
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w:.0f} {h:.0f}" role="img" '
        f'aria-label="{escape(title)}" class="sitrep-map">'
    ]
    for s in projected.shapes:
        out.append(
            f'<path d="{_path(s.rings)}" fill="{s.fill}" fill-rule="evenodd" stroke="{STROKE}" '
            f'stroke-width="0.8" stroke-linejoin="round" data-code="{escape(s.code)}" '
            f'data-category="{escape(s.category)}"><title>{escape(s.name)}</title></path>'
        )
    for rings in projected.outlines:
        out.append(
            f'<path d="{_path(rings)}" fill="none" stroke="{OUTLINE}" stroke-width="1.6" stroke-linejoin="round"/>'
        )
    for x, y in projected.points:
        out.append(
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4" fill="{POINT}" stroke="#fff" stroke-width="1.2"/>'
        )
    out.append("</svg>")
    return "".join(out)
