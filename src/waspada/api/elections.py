"""/api/contests, /api/findings, /api/tps and /api/elections/{code}/forensics: election results, margins,
integrity findings (and their review), forensic tests with the fingerprint.

Reading needs the ``view_aggregates`` action (403 otherwise); contests, findings and TPS outside the
caller's region scope do not exist for them (404 / left out of lists). Reviewing a finding needs the
``acknowledge_alerts`` action in the finding's region. Decisions in ``waspada.elections.queries`` and
``waspada.elections.access``.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest
from ninja import Path, Query, Router, Schema
from pydantic import ConfigDict, Field

from waspada.accounts.access import Action, actor_for, may
from waspada.api.auth import AUTH
from waspada.api.errors import ApiError
from waspada.api.report_schemas import ErrorOut
from waspada.elections import access, queries
from waspada.elections.figures import TooManyTps, forensics_figure
from waspada.elections.models import Contest, Election
from waspada.elections.results import (
    COUNT_FIELDS,
    FindingKind,
    FindingStatus,
    RecapFinding,
    ResultRecord,
    ResultSource,
)
from waspada.elections.review import ReviewInvalid, ReviewRefused, review_finding
from waspada.regions.codes import InvalidCode, normalize_code

router = Router(tags=["elections"])

READ_ERRORS = frozenset({400, 401, 403, 404, 422})
WRITE_ERRORS = frozenset({400, 401, 403, 404, 409, 422})
STATUS_PATTERN = f"^({'|'.join(FindingStatus.values)})$"
KIND_PATTERN = f"^({'|'.join(FindingKind.values)})$"
SOURCE_PATTERN = f"^({'|'.join(ResultSource.values)})$"
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
    findings: int = Field(description="tier-sum (R9) differences at this tier and source")


class ProvisionalOut(Schema):
    source: str
    tier: str
    areas: int
    votes: dict[str, int]
    timestamp: str


class FingerprintSummary(Schema):
    tps: int
    source: str | None
    status: str | None = Field(description="wajar, menyimpang, or data_kurang (too few data)")
    statistic: float | None = Field(description="correlation of turnout and the leader's share")
    verdict: str


class ContestDetail(ContestBrief):
    candidates: list[CandidateOut]
    pasal158: Pasal158Out | None
    pasal158_basis: str = Field(description="final (the KPU's tally) or provisional (current records)")
    pasal158_error: str | None
    provisional: ProvisionalOut | None
    stage: StageOut | None
    tiers: list[TierOut]
    findings: int
    open_findings: int
    fingerprint: FingerprintSummary | None
    mk_case: str
    mk_outcome: str


class FindingOut(Schema):
    id: int
    election: str
    contest_id: int | None
    source: str
    other_source: str
    kind: str
    rule: str
    severity: str
    area_code: str
    region_code: str
    values: dict[str, Any]
    message: str
    suggested: dict[str, Any] | None
    status: str
    status_note: str
    reviewed_by: str | None
    reviewed_at: str | None
    found_at: str


class ReviewIn(Schema):
    model_config = ConfigDict(extra="forbid")

    status: FindingStatus
    note: str = Field("", max_length=2000, description="required to dismiss")


class TestOut(Schema):
    test: str
    title: str
    statistic: float | None
    expected: float
    n: int
    z: float | None
    status: str
    verdict: str


class ForensicsOut(Schema):
    election: str
    contest_id: int | None
    region: str | None
    source: str | None
    tps: int
    tests: list[TestOut]
    fingerprint: dict[str, Any] | None = Field(
        description="bins × bins TPS counts (turnout rows × share columns), n, correlation, corner_share"
    )
    message: str


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
    try:
        figure = forensics_figure(contest.election, contest)
        fingerprint: dict[str, Any] | None = {
            "tps": figure.tps,
            "source": figure.source,
            "status": figure.summary.status if figure.summary else None,
            "statistic": figure.summary.statistic if figure.summary else None,
            "verdict": figure.message,
        }
    except TooManyTps:
        fingerprint = None
    p = s.provisional
    return {
        **_brief(contest),
        "pasal158_basis": s.margins_basis,
        "provisional": None
        if p is None
        else {
            "source": p.source,
            "tier": p.tier,
            "areas": p.areas,
            "votes": p.votes,
            "timestamp": p.timestamp,
        },
        "findings": s.findings,
        "open_findings": s.open_findings,
        "fingerprint": fingerprint,
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
                "findings": t.findings,
            }
            for t in s.tiers
        ],
        "mk_case": contest.mk_case,
        "mk_outcome": contest.mk_outcome,
    }


def _finding(f: RecapFinding) -> dict[str, Any]:
    return {
        "id": f.pk,
        "election": f.election.code,
        "contest_id": f.contest_id,
        "source": f.source,
        "other_source": f.other_source,
        "kind": f.kind,
        "rule": f.rule,
        "severity": f.severity,
        "area_code": f.area_code,
        "region_code": f.region_code,
        "values": f.values,
        "message": f.message,
        "suggested": f.suggested,
        "status": f.status,
        "status_note": f.status_note,
        "reviewed_by": f.reviewed_by.get_username() if f.reviewed_by else None,
        "reviewed_at": f.reviewed_at.isoformat() if f.reviewed_at else None,
        "found_at": f.found_at.isoformat(),
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
    status: str | None = Query(None, pattern=STATUS_PATTERN, description="open, acknowledged or dismissed"),
    kind: str | None = Query(None, pattern=KIND_PATTERN, description="import, tps, tiers or sources"),
    source: str | None = Query(None, pattern=SOURCE_PATTERN, description="either side of a comparison"),
    election: str | None = Query(None, max_length=40, pattern=r"^[-a-zA-Z0-9_]+$"),
    contest: int | None = Query(None, ge=1, le=MAX_ID),
    limit: int = Query(100, ge=1, le=1000),
    offset: int = Query(0, ge=0, le=1_000_000),
) -> dict[str, Any]:
    code = None
    if region:
        try:
            code = normalize_code(region)
        except InvalidCode as exc:
            raise ApiError(400, str(exc), code="invalid_code") from None
    rows = _read(
        queries.visible_findings,
        request.user,
        rule=rule,
        severity=severity,
        region=code,
        status=status,
        kind=kind,
        source=source,
        election=election,
        contest=contest,
    )
    page = rows[offset : offset + limit]
    return {"count": rows.count(), "limit": limit, "offset": offset, "results": [_finding(f) for f in page]}


def _finding_for(request: HttpRequest, finding_id: int) -> RecapFinding:
    _read(queries.require_reader, request.user)
    try:
        return access.get_finding_for(request.user, finding_id)
    except Http404:
        raise ApiError(404, f"Temuan {finding_id} tidak ditemukan.") from None


@router.get(
    "/findings/{finding_id}",
    response={200: FindingOut, READ_ERRORS: ErrorOut},
    auth=AUTH,
    summary="One integrity finding with its review",
)
def get_finding(request: HttpRequest, finding_id: int = Path(..., ge=1, le=MAX_ID)) -> dict[str, Any]:
    return _finding(_finding_for(request, finding_id))


@router.post(
    "/findings/{finding_id}/review",
    response={200: FindingOut, WRITE_ERRORS: ErrorOut},
    auth=AUTH,
    summary="Acknowledge, dismiss (with a note) or reopen a finding (audited)",
)
def review(
    request: HttpRequest, payload: ReviewIn, finding_id: int = Path(..., ge=1, le=MAX_ID)
) -> dict[str, Any]:
    finding = _finding_for(request, finding_id)
    try:
        stored = review_finding(finding, payload.status, payload.note, request.user)
    except ReviewRefused as exc:
        raise ApiError(403, str(exc)) from None
    except ReviewInvalid as exc:
        raise ApiError(422, str(exc), details=[{"field": "body.note", "message": str(exc)}]) from None
    return _finding(access.get_finding_for(request.user, stored.pk))


@router.get(
    "/elections/{election_code}/forensics",
    response={200: ForensicsOut, READ_ERRORS: ErrorOut},
    auth=AUTH,
    summary="Forensic tests and the turnout × vote-share fingerprint of stored TPS results",
)
def forensics(
    request: HttpRequest,
    election_code: str = Path(..., max_length=40, pattern=r"^[-a-zA-Z0-9_]+$"),
    region: str | None = Query(None, max_length=20, description="only TPS inside this region code"),
    contest: int | None = Query(None, ge=1, le=MAX_ID),
    source: str | None = Query(None, pattern=SOURCE_PATTERN, description="default: the source with most TPS"),
) -> dict[str, Any]:
    _read(queries.require_reader, request.user)
    election = Election.objects.filter(code=election_code).first()
    if election is None:
        raise ApiError(404, f"Pemilihan '{election_code}' tidak ditemukan.")
    chosen = None
    if contest is not None:
        try:
            chosen = queries.get_contest_for(request.user, contest)
        except Http404:
            raise ApiError(404, f"Kontestasi {contest} tidak ditemukan.") from None
        if chosen.election_id != election.pk:
            raise ApiError(404, f"Kontestasi {contest} bukan bagian dari {election_code}.")
    code = None
    if region:
        try:
            code = normalize_code(region)
        except InvalidCode as exc:
            raise ApiError(400, str(exc), code="invalid_code") from None
    elif chosen is None:
        actor = actor_for(request.user)
        code = actor.scope if actor is not None else None
    if code is not None and not may(request.user, Action.VIEW_AGGREGATES, code):
        raise ApiError(404, f"Wilayah {code} tidak ditemukan.")
    try:
        figure = forensics_figure(election, chosen, code, source)
    except TooManyTps as exc:
        raise ApiError(400, str(exc), code="too_many_tps") from None
    report = figure.report
    return {
        "election": election.code,
        "contest_id": chosen.pk if chosen else None,
        "region": code,
        "source": figure.source,
        "tps": figure.tps,
        "tests": [] if report is None else [_test(r) for r in report.results],
        "fingerprint": None if report is None or report.fingerprint is None else report.fingerprint.to_dict(),
        "message": figure.message,
    }


def _test(r: Any) -> dict[str, Any]:
    return {k: v for k, v in r.to_dict().items() if k != "details"}


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
