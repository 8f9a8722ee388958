"""Election result pages: a contest, the integrity findings (list, one finding and its review), one TPS with
every source and version.

Reading needs ``Action.VIEW_AGGREGATES`` (a role without it gets 403); objects outside the user's region
scope answer 404. Access decisions live in :mod:`waspada.elections.queries` and
:mod:`waspada.elections.access`. Imports, templates and forensics are in :mod:`views_files`."""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from waspada.elections import access, queries
from waspada.elections.figures import TooManyTps, fingerprint_figure
from waspada.elections.integrity.findings import RULES, SEVERITY_ORDER
from waspada.elections.results import COUNT_FIELDS, FindingKind, FindingStatus, ResultRecord, ResultSource
from waspada.elections.review import ReviewInvalid, ReviewRefused, review_finding

PAGE_SIZE = 100
RULE_RE = re.compile(r"[A-Za-z0-9_]{1,20}")
SEVERITY_RE = re.compile(r"error|warning|info")
REGION_RE = re.compile(r"\d{2}(?:\.\d{2}(?:\.\d{2}(?:\.\d{4})?)?)?")
ELECTION_RE = re.compile(r"[-a-zA-Z0-9_]{1,40}")
ID_RE = re.compile(r"[1-9]\d{0,17}")


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
    names = {str(c.ballot_no): c.names for c in summary.candidates if c.ballot_no}
    try:
        figure = fingerprint_figure(contest.election, contest)
        figure_error = ""
    except TooManyTps as exc:
        figure, figure_error = None, str(exc)
    return render(
        request,
        "elections/contest.html",
        {
            "contest": contest,
            "summary": summary,
            "ballot_numbers": numbers,
            "ballot_names": [names.get(n, "") for n in numbers],
            "tier_rows": rows,
            "figure": figure,
            "figure_error": figure_error,
        },
    )


def _filters(request: HttpRequest) -> dict[str, Any]:
    """The findings filters of a query string; malformed values are ignored rather than an error."""
    get = request.GET
    contest = _clean(get.get("contest", ""), ID_RE)
    return {
        "rule": _clean(get.get("rule", ""), RULE_RE),
        "severity": _clean(get.get("severity", ""), SEVERITY_RE),
        "region": _clean(get.get("region", ""), REGION_RE),
        "status": get.get("status", "") if get.get("status", "") in FindingStatus.values else "",
        "kind": get.get("kind", "") if get.get("kind", "") in FindingKind.values else "",
        "source": get.get("source", "") if get.get("source", "") in ResultSource.values else "",
        "election": _clean(get.get("election", ""), ELECTION_RE),
        "contest": int(contest) if contest else None,
    }


@_reader
def findings_page(request: HttpRequest) -> HttpResponse:
    filters = _filters(request)
    rows = queries.visible_findings(request.user, **filters)
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
            "statuses": FindingStatus.choices,
            "kinds": FindingKind.choices,
            "sources": ResultSource.choices,
            **filters,
            "query": query.urlencode(),
            "can_review": access.can_review_findings(request.user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def finding_page(request: HttpRequest, pk: int) -> HttpResponse:
    """One finding with its values; an analyst acknowledges or dismisses it here (POST), with a note."""
    try:
        queries.require_reader(request.user)
    except queries.NotAllowed:
        raise PermissionDenied from None
    finding = access.get_finding_for(request.user, pk)
    error = ""
    if request.method == "POST":
        try:
            review_finding(
                finding, request.POST.get("status", ""), request.POST.get("note", ""), request.user
            )
        except ReviewRefused:
            raise PermissionDenied from None
        except ReviewInvalid as exc:
            error = str(exc)
        else:
            return HttpResponseRedirect(reverse("elections:finding", args=[finding.pk]))
    return render(
        request,
        "elections/finding.html",
        {
            "finding": finding,
            "statuses": FindingStatus.choices,
            "can_review": access.can_review_finding(request.user, finding),
            "error": error,
            "note": request.POST.get("note", finding.status_note) if error else finding.status_note,
        },
        status=400 if error else 200,
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
