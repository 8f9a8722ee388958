"""Forensic tests and the turnout × vote-share fingerprint (Klimek) of stored TPS results, for the pages
and the API: the current TPS records of an election (or one contest), one source, optionally one region.

The pure tests live in :mod:`waspada.elections.integrity.forensics`; below their minimum (50 TPS with both
turnout and valid votes) they answer "data terlalu sedikit" and no figure is drawn — an honest answer
for a small area rather than a picture that would mean nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl
from django.db.models import Count, Q

from waspada.elections.importing import current_frame
from waspada.elections.integrity.fingerprint_svg import render_svg
from waspada.elections.integrity.forensics import ForensicsReport, TestResult, fingerprint, run_forensics
from waspada.elections.models import Contest, Election
from waspada.elections.results import ResultRecord, Tier

#: Above this many TPS the pages ask for a smaller region instead of reading them all.
MAX_TPS = 150_000


class TooManyTps(ValueError):
    """The selection holds more TPS than a page reads at once; the message says what to narrow."""


@dataclass(slots=True)
class Figure:
    election: Election
    contest: Contest | None
    region: str | None
    source: str | None
    tps: int
    summary: TestResult | None  # the fingerprint's own result (statistic, verdict or "too few data")
    svg: str | None
    report: ForensicsReport | None = None

    @property
    def message(self) -> str:
        if self.source is None:
            return "Belum ada hasil TPS yang tersimpan untuk pilihan ini."
        return self.summary.verdict if self.summary is not None else ""


def tps_source(election: Election, contest: Contest | None, region: str | None = None) -> str | None:
    """The source holding the most current TPS records of the selection (Sirekap first on a tie)."""
    rows = ResultRecord.objects.filter(election=election, contest=contest, tier=Tier.TPS, is_current=True)
    if region:
        rows = rows.filter(Q(region_code=region) | Q(region_code__startswith=region + "."))
    counts = rows.values("source").annotate(n=Count("id")).order_by("-n", "source")
    best = sorted(counts, key=lambda r: (-r["n"], r["source"] != "sirekap", r["source"]))
    return best[0]["source"] if best else None


def tps_frame(election: Election, contest: Contest | None, source: str, region: str | None) -> pl.DataFrame:
    count = ResultRecord.objects.filter(
        election=election, contest=contest, tier=Tier.TPS, source=source, is_current=True
    )
    if region:
        count = count.filter(Q(region_code=region) | Q(region_code__startswith=region + "."))
    if count.count() > MAX_TPS:
        raise TooManyTps(f"lebih dari {MAX_TPS:,} TPS: pilih wilayah yang lebih kecil".replace(",", "."))
    return current_frame(election, contest, source, region)


def _title(election: Election, contest: Contest | None, region: str | None, n: int) -> str:
    where = f"{contest.get_office_display()} {contest.region.name}" if contest else election.name
    return f"{where}{f' · {region}' if region else ''} — {n} TPS"


def fingerprint_figure(
    election: Election, contest: Contest | None = None, region: str | None = None, source: str | None = None
) -> Figure:
    """The fingerprint of the selection's leader, drawn when there are enough TPS."""
    source = source or tps_source(election, contest, region)
    if source is None:
        return Figure(election, contest, region, None, 0, None, None)
    frame = tps_frame(election, contest, source, region)
    print_, summary = fingerprint(frame)
    svg = (
        render_svg(print_, title=_title(election, contest, region, print_.n)) if print_ is not None else None
    )
    return Figure(election, contest, region, source, frame.height, summary, svg)


def forensics_figure(
    election: Election, contest: Contest | None = None, region: str | None = None, source: str | None = None
) -> Figure:
    """Every forensic test of the selection, with the fingerprint."""
    source = source or tps_source(election, contest, region)
    if source is None:
        return Figure(election, contest, region, None, 0, None, None)
    frame = tps_frame(election, contest, source, region)
    report = run_forensics(frame)
    summary = next((r for r in report.results if r.test == "FINGERPRINT"), None)
    svg = None
    if report.fingerprint is not None:
        svg = render_svg(report.fingerprint, title=_title(election, contest, region, report.fingerprint.n))
    return Figure(election, contest, region, source, frame.height, summary, svg, report)
