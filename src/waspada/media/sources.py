"""Adding, listing and disabling news sources (``waspada media sources``; the admin does the same)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from waspada.accounts import audit
from waspada.media.models import ArticleStatus, Source, SourceKind
from waspada.regions.codes import InvalidCode, normalize_code
from waspada.regions.models import Region

ITEMS_PER_DAY_WINDOW = 7  # days


class SourceError(Exception):
    """Bad input for a source; the message is in Indonesian and names the field."""


def _province(code: str | None) -> Region | None:
    if not code:
        return None
    try:
        normal = normalize_code(code)
    except InvalidCode as exc:
        raise SourceError(f"--province-focus: {exc}") from None
    if "." in normal:
        raise SourceError(f"--province-focus: {normal} bukan kode provinsi (dua angka, mis. 65)")
    region = Region.objects.filter(code=normal).first()
    if region is None:
        raise SourceError(f"--province-focus: provinsi {normal} belum dimuat di gazetir")
    return region


def add_source(
    url: str,
    *,
    name: str = "",
    kind: str = SourceKind.FEED,
    poll_minutes: int = 30,
    province_focus: str | None = None,
    reliability: str = "cukup",
    simulated: bool = False,
    actor: Any = None,
) -> Source:
    parts = urlsplit(url.strip())
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        raise SourceError(f"alamat {url!r} tidak sah: harus diawali http:// atau https://")
    if kind not in SourceKind.values:
        raise SourceError(f"jenis sumber {kind!r} tidak dikenal: feed atau page")
    if not 1 <= poll_minutes <= 7 * 24 * 60:
        raise SourceError("interval pemeriksaan harus 1 menit sampai 7 hari")
    if Source.objects.filter(url=url.strip()).exists():
        raise SourceError(f"sumber dengan alamat {url.strip()} sudah ada")
    region = _province(province_focus)
    with transaction.atomic():
        source = Source.objects.create(
            url=url.strip(),
            name=(name.strip() or parts.hostname)[:120],
            kind=kind,
            poll_minutes=poll_minutes,
            province_focus=region,
            reliability=reliability,
            is_simulated=simulated,
        )
        audit.record(actor, "media.source.added", source, note=source.url)
    return source


def find_source(ref: str) -> Source:
    """A source by number or by its exact address."""
    found = (
        Source.objects.filter(pk=int(ref)).first()
        if ref.isdigit()
        else Source.objects.filter(url=ref).first()
    )
    if found is None:
        raise SourceError(f"sumber {ref} tidak ditemukan")
    return found


def set_enabled(source: Source, enabled: bool, *, actor: Any = None, note: str = "") -> Source:
    if source.enabled == enabled:
        return source
    with transaction.atomic():
        source.enabled = enabled
        if enabled:
            source.next_poll_at = None  # due at once
        source.save(update_fields=["enabled", "next_poll_at"])
        audit.record(actor, "media.source.enabled" if enabled else "media.source.disabled", source, note=note)
    return source


@dataclass(frozen=True)
class Health:
    source: Source
    items_per_day: float
    articles: int

    @property
    def state(self) -> str:
        s = self.source
        if not s.enabled:
            return "nonaktif"
        if s.last_polled_at is None:
            return "belum diperiksa"
        if s.consecutive_failures:
            return f"gagal {s.consecutive_failures}x"
        return "sehat"


def health(now: datetime | None = None) -> list[Health]:
    """Every source with its items per day over the last week (one query)."""
    since = (now or timezone.now()) - timedelta(days=ITEMS_PER_DAY_WINDOW)
    rows = Source.objects.select_related("province_focus").annotate(
        recent=Count(
            "articles",
            filter=Q(articles__created_at__gte=since) & ~Q(articles__status=ArticleStatus.SKIPPED),
        ),
        total=Count("articles", filter=~Q(articles__status=ArticleStatus.SKIPPED)),
    )
    return [Health(s, round(s.recent / ITEMS_PER_DAY_WINDOW, 1), s.total) for s in rows]
