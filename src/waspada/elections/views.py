"""Election result pages: a contest, the integrity findings, one TPS with every source and version.

Reading needs ``Action.VIEW_AGGREGATES`` (a role without it gets 403); objects outside the user's region
scope answer 404. Access decisions live in :mod:`waspada.elections.queries`."""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from waspada.elections import queries
from waspada.elections.integrity.findings import RULES, SEVERITY_ORDER
from waspada.elections.results import COUNT_FIELDS, ResultRecord

PAGE_SIZE = 100
RULE_RE = re.compile(r"[A-Za-z0-9_]{1,20}")
SEVERITY_RE = re.compile(r"error|warning|info")
REGION_RE = re.compile(r"\d{2}(?:\.\d{2}(?:\.\d{2}(?:\.\d{4})?)?)?")


def _clean(value: str, pattern: re.Pattern[str]) -> str:
    """A filter value, or "" when it is not of the expected form (ignored rather than an error)."""
    value = value.strip()
    return value if pattern.fullmatch(value) else ""


def _reader(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except queries.NotAllowed:
            raise PermissionDenied from None

    return login_required(require_GET(wrapped))


@_reader
def contest_page(request: HttpRequest, pk: int) -> HttpResponse:
    contest = queries.get_contest_for(request.user, pk)
    summary = queries.contest_summary(contest)
    numbers = sorted({n for t in summary.tiers for n in t.votes}, key=int)
    rows = [(t, [t.votes.get(n) for n in numbers]) for t in summary.tiers]
    return render(
        request,
        "elections/contest.html",
        {"contest": contest, "summary": summary, "ballot_numbers": numbers, "tier_rows": rows},
    )


@_reader
def findings_page(request: HttpRequest) -> HttpResponse:
    rule = _clean(request.GET.get("rule", ""), RULE_RE)
    severity = _clean(request.GET.get("severity", ""), SEVERITY_RE)
    region = _clean(request.GET.get("region", ""), REGION_RE)
    rows = queries.visible_findings(request.user, rule=rule, severity=severity, region=region)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "elections/findings.html",
        {
            "page": page,
            "rules": list(RULES.values()),
            "severities": sorted(SEVERITY_ORDER, key=SEVERITY_ORDER.__getitem__),
            "rule": rule,
            "severity": severity,
            "region": region,
            "query": query.urlencode(),
        },
    )


@_reader
def tps_page(request: HttpRequest, code: str) -> HttpResponse:
    records = queries.tps_records_for(request.user, code)
    numbers = sorted({n for r in records for n in r.votes}, key=int)
    columns = [_column(r, numbers) for r in records]
    labels = [ResultRecord._meta.get_field(f).verbose_name for f in COUNT_FIELDS]
    table = [(label, [c["counts"][i] for c in columns]) for i, label in enumerate(labels)]
    votes = [(n, [c["votes"][i] for c in columns]) for i, n in enumerate(numbers)]
    findings = queries.visible_findings(request.user).filter(area_code=code)
    return render(
        request,
        "elections/tps.html",
        {
            "code": code,
            "region_code": records[0].region_code,
            "region": records[0].region,
            "records": records,
            "count_rows": table,
            "vote_rows": votes,
            "findings": findings,
        },
    )


def _column(record: ResultRecord, numbers: list[str]) -> dict[str, Any]:
    return {
        "counts": [getattr(record, f) for f in COUNT_FIELDS],
        "votes": [record.votes.get(n) for n in numbers],
    }
