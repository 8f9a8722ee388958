"""/api/contests, /api/findings and /api/tps: election results, margins and integrity findings.

Reading needs the ``view_aggregates`` action (403 otherwise); contests, findings and TPS outside the
caller's region scope do not exist for them (404 / left out of lists). Decisions in
``waspada.elections.queries``.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest
from ninja import Path, Query, Router, Schema

from waspada.api.auth import AUTH
from waspada.api.errors import ApiError
from waspada.api.report_schemas import ErrorOut
from waspada.elections import queries
from waspada.elections.models import Contest
from waspada.elections.results import COUNT_FIELDS, ResultRecord
from waspada.regions.codes import InvalidCode, normalize_code

router = Router(tags=["elections"])

READ_ERRORS = frozenset({400, 401, 403, 404, 422})
MAX_ID = 2**63 - 1
DENIED = "Peran Anda tidak dapat melihat hasil pemilihan."


class CandidateOut(Schema):
    ballot_no: int | None
    names: str
    votes: int | None
    is_empty_box: bool
    is_winner: bool


class ContestBrief(Schema):
    id: int
    election: str
    election_name: str
    office: str
    region_code: str
    region_name: str
    valid_votes: int | None
    margin: int | None


class ContestList(Schema):
    count: int
    results: list[ContestBrief]


class StandingOut(Schema):
    name: str
    votes: int
    margin_votes: int
    margin_percent: float
    eligible: bool


class Pasal158Out(Schema):
    population: int
    population_class: str
    threshold_percent: float
    threshold_votes: float
    valid_votes: int
    winner: str
    any_eligible: bool
    standings: list[StandingOut]


class StageOut(Schema):
    code: str
    name: str
    starts_on: str
    ends_on: str | None
    risk_weight: float
    is_current: bool


class TierOut(Schema):
    tier: str
    source: str
    areas: int
    votes: dict[str, int]
    valid_votes: int


class ContestDetail(ContestBrief):
    candidates: list[CandidateOut]
    pasal158: Pasal158Out | None
    pasal158_error: str | None
    stage: StageOut | None
    tiers: list[TierOut]
    mk_case: str
    mk_outcome: str


class FindingOut(Schema):
    id: int
    election: str
    source: str
    rule: str
    severity: str
    area_code: str
    region_code: str
    values: dict[str, Any]
    message: str
    suggested: dict[str, Any] | None
    status: str


class FindingList(Schema):
    count: int
    limit: int
    offset: int
    results: list[FindingOut]


class RecordOut(Schema):
    election: str
    contest_id: int | None
    source: str
    version: int
    is_current: bool
    counts: dict[str, int | None]
    votes: dict[str, int | None]
    source_timestamp: str
    file_name: str
    row_number: int | None
    imported_at: str


class TpsOut(Schema):
    code: str
    region_code: str
    records: list[RecordOut]


def _read(call: Any, *args: Any, **kwargs: Any) -> Any:
    try:
        return call(*args, **kwargs)
    except queries.NotAllowed:
        raise ApiError(403, DENIED) from None


def _brief(c: Contest) -> dict[str, Any]:
    return {
        "id": c.pk,
        "election": c.election.code,
        "election_name": c.election.name,
        "office": c.office,
        "region_code": c.region.code,
        "region_name": c.region.name,
        "valid_votes": c.valid_votes,
        "margin": c.margin,
    }


@router.get(
    "/contests",
    response={200: ContestList, READ_ERRORS: ErrorOut},
    auth=AUTH,
    summary="Contests in the caller's scope",
)
def list_contests(
    request: HttpRequest, election: str | None = Query(None, max_length=40, pattern=r"^[-a-zA-Z0-9_]+$")
) -> dict[str, Any]:
    rows = _read(queries.visible_contests, request.user)
    if election:
        rows = rows.filter(election__code=election)
    results = [_brief(c) for c in rows]
    return {"count": len(results), "results": results}


@router.get(
    "/contests/{contest_id}",
    response={200: ContestDetail, READ_ERRORS: ErrorOut},
    auth=AUTH,
    summary="A contest with its candidates, margins, Pasal 158 status, stage and results by tier",
)
def get_contest(request: HttpRequest, contest_id: int = Path(..., ge=1, le=MAX_ID)) -> dict[str, Any]:
    try:
        contest = _read(queries.get_contest_for, request.user, contest_id)
    except Http404:
        raise ApiError(404, f"Kontestasi {contest_id} tidak ditemukan.") from None
    s = queries.contest_summary(contest)
    m = s.margins
    pasal = None
    if m is not None:
        pasal = {
            "population": m.threshold.population,
            "population_class": m.threshold.class_label,
            "threshold_percent": float(m.threshold.percent),
            "threshold_votes": round(m.threshold_votes, 2),
            "valid_votes": m.valid_votes,
            "winner": m.winner,
            "any_eligible": m.any_eligible,
            "standings": [
                {
                    "name": x.name,
                    "votes": x.votes,
                    "margin_votes": x.margin_votes,
                    "margin_percent": round(x.margin_percent, 4),
                    "eligible": x.eligible,
                }
                for x in m.standings
            ],
        }
    stage = None
    if s.stage is not None:
        stage = {
            "code": s.stage.code,
            "name": s.stage.name_id,
            "starts_on": s.stage.starts_on.isoformat(),
            "ends_on": s.stage.ends_on.isoformat() if s.stage.ends_on else None,
            "risk_weight": s.stage.risk_weight,
            "is_current": s.stage_is_current,
        }
    return {
        **_brief(contest),
        "candidates": [
            {
                "ballot_no": c.ballot_no,
                "names": c.names,
                "votes": c.votes,
                "is_empty_box": c.is_empty_box,
                "is_winner": c.is_winner,
            }
            for c in s.candidates
        ],
        "pasal158": pasal,
        "pasal158_error": s.margins_error,
        "stage": stage,
        "tiers": [
            {
                "tier": t.tier,
                "source": t.source,
                "areas": t.areas,
                "votes": t.votes,
                "valid_votes": t.valid_votes,
            }
            for t in s.tiers
        ],
        "mk_case": contest.mk_case,
        "mk_outcome": contest.mk_outcome,
    }


@router.get(
    "/findings",
    response={200: FindingList, READ_ERRORS: ErrorOut},
    auth=AUTH,
    summary="Integrity findings of the current result records in the caller's scope",
)
def list_findings(
    request: HttpRequest,
    rule: str | None = Query(None, max_length=20, pattern=r"^[A-Za-z0-9_]+$"),
    severity: str | None = Query(None, pattern="^(error|warning|info)$"),
    region: str | None = Query(None, max_length=20, description="only inside this region code"),
    limit: int = Query(100, ge=1, le=1000),
    offset: int = Query(0, ge=0, le=1_000_000),
) -> dict[str, Any]:
    code = None
    if region:
        try:
            code = normalize_code(region)
        except InvalidCode as exc:
            raise ApiError(400, str(exc), code="invalid_code") from None
    rows = _read(queries.visible_findings, request.user, rule=rule, severity=severity, region=code)
    page = rows[offset : offset + limit]
    return {
        "count": rows.count(),
        "limit": limit,
        "offset": offset,
        "results": [
            {
                "id": f.pk,
                "election": f.election.code,
                "source": f.source,
                "rule": f.rule,
                "severity": f.severity,
                "area_code": f.area_code,
                "region_code": f.region_code,
                "values": f.values,
                "message": f.message,
                "suggested": f.suggested,
                "status": f.status,
            }
            for f in page
        ],
    }


def _record(r: ResultRecord) -> dict[str, Any]:
    return {
        "election": r.election.code,
        "contest_id": r.contest_id,
        "source": r.source,
        "version": r.version,
        "is_current": r.is_current,
        "counts": {f: getattr(r, f) for f in COUNT_FIELDS},
        "votes": dict(r.ranked_votes()),
        "source_timestamp": r.source_timestamp,
        "file_name": r.file_name,
        "row_number": r.row_number,
        "imported_at": r.imported_at.isoformat(),
    }


@router.get(
    "/tps/{code}",
    response={200: TpsOut, READ_ERRORS: ErrorOut},
    auth=AUTH,
    summary="One TPS: every source and every version of its results",
)
def get_tps(request: HttpRequest, code: str = Path(..., max_length=20)) -> dict[str, Any]:
    _read(queries.require_reader, request.user)
    if len(code) != queries.TPS_CODE_LENGTH or not code.isdigit():
        raise ApiError(400, f"Kode TPS '{code}' harus 13 angka.", code="invalid_code")
    try:
        records = _read(queries.tps_records_for, request.user, code)
    except Http404:
        raise ApiError(404, f"TPS {code} tidak ditemukan.") from None
    return {"code": code, "region_code": records[0].region_code, "records": [_record(r) for r in records]}
