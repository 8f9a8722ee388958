"""The list filters the API's routers share: the region filter (a Kemendagri code: that region and
everything under it), the page window (``limit``, ``offset``), and the one check of a region code given as
a parameter (400 for a malformed code, 422 for a code the gazetteer does not hold)."""

from __future__ import annotations

from ninja import Query

from waspada.api.errors import ApiError
from waspada.regions.codes import InvalidCode, normalize_code
from waspada.regions.models import Region

MAX_OFFSET = 1_000_000

RegionFilter = Query(
    None, min_length=1, max_length=20, description="Kemendagri code: that region and everything under it"
)
Limit = Query(50, ge=1, le=200)
Offset = Query(0, ge=0, le=MAX_OFFSET)


def known_region(raw: str, field: str = "region") -> Region:
    """The region a parameter names (dotted or undotted code), without its geometry."""
    try:
        code = normalize_code(raw)
    except InvalidCode as exc:
        raise ApiError(
            400, str(exc), code="invalid_code", details=[{"field": field, "message": str(exc)}]
        ) from None
    region = Region.objects.filter(code=code).defer("geometry", "display_geometry").first()
    if region is None:
        message = f"Kode wilayah {code} tidak ada di gazetir Kemendagri."
        raise ApiError(422, message, details=[{"field": field, "message": message}])
    return region
