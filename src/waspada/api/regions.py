"""/api/regions: the gazetteer (public reference data, no token needed)."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Query, Router

from waspada.api.errors import ApiError
from waspada.api.schemas import RegionChildren, RegionDetail, RegionMatch, RegionRef, RegionSearch
from waspada.regions.codes import InvalidCode, normalize_code
from waspada.regions.lookup import locate, search_names
from waspada.regions.models import Region
from waspada.regions.timezones import zone_label

router = Router(tags=["regions"])


def _ref(region: Region) -> RegionRef:
    return RegionRef(code=region.code, name=region.name, level=region.level, kind=region.kind)


def _get(code: str) -> Region:
    try:
        dotted = normalize_code(code)
    except InvalidCode as exc:
        raise ApiError(400, str(exc), code="invalid_code") from None
    region = Region.objects.filter(code=dotted).defer("geometry", "display_geometry").first()
    if region is None:
        raise ApiError(404, f"Wilayah {dotted} tidak ada di gazetir.")
    return region


@router.get("/search", response=RegionSearch, summary="Find regions by name")
def search(
    request: HttpRequest,
    q: str = Query(..., min_length=1, max_length=120, description="a name, with or without a prefix"),
    level: int | None = Query(None, ge=1, le=4),
    within: str | None = Query(None, max_length=20, description="only inside this region code"),
    limit: int = Query(10, ge=1, le=50),
) -> RegionSearch:
    scope = None
    if within:
        scope = _get(within).code
    matches = search_names(q, level=level, within=scope, limit=limit)
    parents = {
        r.code: r.name
        for r in Region.objects.filter(code__in={p for m in matches for p in _ancestor_codes(m.code)}).only(
            "code", "name"
        )
    }
    results = [
        RegionMatch(
            code=m.code,
            name=m.name,
            level=m.level,
            kind=m.kind,
            score=round(m.score, 3),
            reason=m.reason,
            path=", ".join(
                [m.name, *(parents[c] for c in reversed(_ancestor_codes(m.code)) if c in parents)]
            ),
        )
        for m in matches
    ]
    return RegionSearch(query=q, results=results)


@router.get("/locate", response=RegionDetail, summary="The region containing a point (lon/lat, WGS84)")
def locate_point(
    request: HttpRequest, lon: float = Query(..., ge=-180, le=180), lat: float = Query(..., ge=-90, le=90)
) -> RegionDetail:
    code = locate(lon, lat)
    if code is None:
        raise ApiError(404, "Titik itu tidak berada di dalam batas wilayah mana pun yang sudah diimpor.")
    return detail(request, code)


@router.get("/{code}", response=RegionDetail, summary="A region with its parent chain")
def detail(request: HttpRequest, code: str) -> RegionDetail:
    region = _get(code)
    return RegionDetail(
        code=region.code,
        name=region.name,
        level=region.level,
        kind=region.kind,
        population=region.population,
        has_geometry=region.bbox is not None,
        centroid=[region.centroid_lon, region.centroid_lat] if region.centroid_lon is not None else None,
        bbox=list(region.bbox) if region.bbox else None,
        timezone=zone_label(region.code),
        parents=[_ref(p) for p in region.ancestors()],
        children_count=Region.objects.filter(parent=region).count(),
    )


@router.get("/{code}/children", response=RegionChildren, summary="The units directly under a region")
def children(request: HttpRequest, code: str) -> RegionChildren:
    region = _get(code)
    kids = Region.objects.filter(parent=region).only("code", "name", "level", "kind").order_by("code")
    return RegionChildren(region=_ref(region), children=[_ref(k) for k in kids])


def _ancestor_codes(code: str) -> list[str]:
    parts = code.split(".")
    return [".".join(parts[:i]) for i in range(1, len(parts))]
