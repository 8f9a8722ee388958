from __future__ import annotations

from ninja import Schema


class RegionRef(Schema):
    code: str
    name: str
    level: int
    kind: str


class RegionDetail(RegionRef):
    population: int | None
    has_geometry: bool
    centroid: list[float] | None
    bbox: list[float] | None
    timezone: str
    parents: list[RegionRef]
    children_count: int


class RegionChildren(Schema):
    region: RegionRef
    children: list[RegionRef]


class RegionMatch(RegionRef):
    score: float
    reason: str
    path: str


class RegionSearch(Schema):
    query: str
    results: list[RegionMatch]


class Me(Schema):
    username: str
    role: str
    scope: str | None
