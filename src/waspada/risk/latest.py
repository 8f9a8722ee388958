"""The latest index snapshot per region, for the map and the region page."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from waspada.risk.models import IndexSnapshot


def latest_snapshots(codes: Iterable[str]) -> dict[str, IndexSnapshot]:
    """For each region code, its most recent snapshot (regions without one are absent)."""
    found: dict[str, IndexSnapshot] = {}
    rows = IndexSnapshot.objects.filter(region_id__in=list(codes)).order_by(
        "region_id", "-date", "-created_at"
    )
    for snap in rows.only("region_id", "date", "score", "category", "contributions"):
        found.setdefault(snap.region_id, snap)
    return found


def snapshot_stamp() -> str:
    """Changes whenever a snapshot is stored: part of the map data's cache key."""
    last = IndexSnapshot.objects.order_by("-created_at").values_list("created_at", flat=True).first()
    return last.isoformat() if last else "none"


def top_contributions(snap: IndexSnapshot, n: int = 3) -> list[tuple[str, float]]:
    items: list[tuple[str, Any]] = sorted(snap.contributions.items(), key=lambda kv: -float(kv[1]))
    return [(ident, float(value)) for ident, value in items[:n]]
