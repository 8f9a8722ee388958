"""The analysts' review queue (``/antrean/``), its bulk actions, and a reporter's own reports
(``/laporan/saya/``). Views stay thin: visibility from ``waspada.reports.access``, every change through
``waspada.reports.services``."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any
from urllib.parse import urlsplit

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Case, Count, IntegerField, Q, QuerySet, Value, When
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from waspada import taxonomy
from waspada.accounts.access import Action, actor_for, scope_q_for
from waspada.regions.models import Region
from waspada.reports import access, candidates, services
from waspada.reports.forms_review import (
    AGES,
    OPEN_STATUSES,
    BulkActionForm,
    QueueFilterForm,
    reviewer_label,
    reviewers_for,
)
from waspada.reports.models import Report, ReportStatus

PAGE_SIZE = 50
MAX_PROBLEMS_SHOWN = 20

URGENCY_RANK = Case(
    *[When(urgency=u.code, then=Value(u.rank)) for u in taxonomy.URGENCY],
    default=Value(0),
    output_field=IntegerField(),
)
ORDERINGS = {
    "urgency": ["-urgency_rank", "created_at", "id"],
    "oldest": ["created_at", "id"],
    "newest": ["-created_at", "-id"],
    "occurred": ["-occurred_at", "-id"],
    "region": ["region_id", "created_at", "id"],
}


def require_reviewer(request: HttpRequest) -> None:
    """Only roles that review reports go further; the others (Pimpinan, Pelapor) get 403."""
    actor = actor_for(request.user)
    if actor is None or not actor.can(Action.REVIEW_REPORTS):
        raise PermissionDenied


def _filtered(qs: QuerySet[Report], data: dict[str, Any], user: Any) -> QuerySet[Report]:
    """Every filter but status (the status counts are taken before it)."""
    region: Region | None = data.get("region")
    if region is not None:
        qs = qs.filter(scope_q_for(region.code, "region"))
    for name in ("event_type", "urgency", "channel"):
        if data.get(name):
            qs = qs.filter(**{name: data[name]})
    age = data.get("age")
    now = timezone.now()
    if age in AGES:
        qs = qs.filter(created_at__gte=now - AGES[age])
    elif age == "older7d":
        qs = qs.filter(created_at__lt=now - AGES["7d"])
    if data.get("assigned") == "me":
        qs = qs.filter(assigned_to=user)
    elif data.get("assigned") == "none":
        qs = qs.filter(assigned_to__isnull=True)
    return qs


MAX_SUGGESTIONS = 600


def region_suggestions(user: Any) -> list[Region]:
    """Regions to offer in the region filter: the two levels under the user's scope (provinces for a
    national user), as far as a short list allows."""
    actor = actor_for(user)
    if actor is None:
        return []
    if actor.scope is None:
        qs = Region.objects.filter(level=1)
    else:
        depth = actor.scope.count(".") + 1
        qs = Region.objects.filter(scope_q_for(actor.scope, "code"), level__gt=depth, level__lte=depth + 2)
    return list(qs.only("code", "name", "kind").order_by("code")[:MAX_SUGGESTIONS])


def media_sources(reports: Iterable[Report]) -> dict[int, str]:
    """Where each media report (channel "media", no reporter) came from: its news source's name, else the
    host of its article's address. One query for a page of reports; a report with neither is absent."""
    ids = [r.pk for r in reports if r.channel == "media" and r.reporter_id is None]
    if not ids:
        return {}
    rows = Report.objects.filter(pk__in=ids).values_list(
        "pk",
        "media_finding__article__source_name",
        "media_finding__article__source__name",
        "source_url",
        "media_finding__article__url",
    )
    found: dict[int, str] = {}
    for pk, stored_name, source_name, source_url, article_url in rows:
        host = urlsplit(source_url or article_url or "").hostname or ""
        name = stored_name or source_name or host.removeprefix("www.")
        if name:
            found[pk] = name
    return found


def _rows(page_reports: list[Report], user: Any) -> list[dict[str, Any]]:
    dups = candidates.duplicates_for_many(page_reports, user) if page_reports else {}
    sources = media_sources(page_reports)
    now = timezone.now()
    rows = []
    for report in page_reports:
        locked = report.locked_by_id and report.locked_until and report.locked_until > now
        rows.append(
            {
                "report": report,
                "identity": report.reporter
                if report.reporter and access.can_see_identity(user, report.region_id)
                else None,
                "source": sources.get(report.pk, ""),
                "locked_by": report.locked_by if locked else None,
                "locked_by_me": bool(locked and report.locked_by_id == user.pk),
                "duplicates": len(dups.get(report.pk, [])),
            }
        )
    return rows


@login_required
@require_GET
def queue(request: HttpRequest) -> HttpResponse:
    actor = actor_for(request.user)
    if actor is not None and not actor.can(Action.REVIEW_REPORTS) and actor.can(Action.VIEW_OWN_REPORTS):
        return redirect("review:my-reports")
    require_reviewer(request)
    base = access.visible_reports(request.user)
    data: dict[str, Any] | None
    if request.GET:
        form = QueueFilterForm(request.GET, user=request.user)
        data = form.cleaned_data if form.is_valid() else None
    else:
        form = QueueFilterForm(user=request.user, initial={"status": OPEN_STATUSES, "sort": "urgency"})
        data = {"status": list(OPEN_STATUSES)}
    if data is None:
        reports = Report.objects.none()
        counts: dict[str, int] = {}
    else:
        filtered = _filtered(base, data, request.user)
        counts = dict(
            filtered.order_by().values_list("status").annotate(n=Count("id")).values_list("status", "n")
        )
        reports = filtered.filter(status__in=data["status"]) if data["status"] else filtered
    sort = (data or {}).get("sort") or "urgency"
    reports = (
        reports.annotate(urgency_rank=URGENCY_RANK)
        .select_related("region", "region__parent", "reporter", "locked_by", "assigned_to")
        .order_by(*ORDERINGS[sort])
    )
    page = Paginator(reports, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    chosen = set((data or {}).get("status") or [])
    context = {
        "form": form,
        "page": page,
        "rows": _rows(list(page.object_list), request.user),
        "query": query.urlencode(),
        "status_counts": [
            {"code": s.value, "label": s.label, "count": counts.get(s.value, 0), "chosen": s.value in chosen}
            for s in ReportStatus
        ],
        "total_in_scope": sum(counts.values()),
        "bulk_actions": BulkActionForm.ACTIONS,
        "reviewers": [(u.pk, reviewer_label(u)) for u in reviewers_for(request.user)],
        "region_suggestions": region_suggestions(request.user),
        "next": request.get_full_path(),
    }
    return render(request, "reports/queue.html", context)


def _safe_next(request: HttpRequest, fallback: str) -> str:
    target = request.POST.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback


@login_required
@require_POST
def bulk_action(request: HttpRequest) -> HttpResponse:
    """Apply one action to the selected reports. Rows that cannot take it are listed; the others change."""
    require_reviewer(request)
    back = _safe_next(request, reverse("review:queue"))
    form = BulkActionForm(request.POST, user=request.user)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(back)
    ids: list[int] = form.cleaned_data["ids"]
    action = form.cleaned_data["action"]
    reason = form.cleaned_data["reason"].strip()
    found = {
        r.pk: r for r in access.visible_reports(request.user).filter(pk__in=ids).select_related("region")
    }
    problems = [_("L-%(id)s: not found.") % {"id": pk} for pk in ids if pk not in found]
    reports = [found[pk] for pk in ids if pk in found]
    if action in {"verify", "clarify", "reject"}:
        status = {
            "verify": ReportStatus.TERVERIFIKASI,
            "clarify": ReportStatus.PERLU_KLARIFIKASI,
            "reject": ReportStatus.DITOLAK,
        }[action]
        changed, refused = services.bulk_change_status(reports, status, reason, request.user)
        problems += refused
    else:
        assignee = request.user if action == "assign_me" else form.cleaned_data["assignee"]
        changed = 0
        for report in reports:
            try:
                before = report.assigned_to_id
                services.assign(report, assignee, request.user)
                changed += before != report.assigned_to_id
            except services.ActionRefused as exc:
                problems.append(f"{report.number}: {exc.message}")
    messages.success(
        request,
        ngettext("%(count)d report changed.", "%(count)d reports changed.", changed) % {"count": changed},
    )
    for problem in problems[:MAX_PROBLEMS_SHOWN]:
        messages.warning(request, problem)
    if len(problems) > MAX_PROBLEMS_SHOWN:
        messages.warning(request, _("… and %(n)d more problems.") % {"n": len(problems) - MAX_PROBLEMS_SHOWN})
    return redirect(back)


@login_required
@require_GET
def my_reports(request: HttpRequest) -> HttpResponse:
    """The reports the user sent (a reporter's view of what became of them)."""
    actor = actor_for(request.user)
    if actor is None or not actor.can(Action.VIEW_OWN_REPORTS):
        raise PermissionDenied
    own = Q(submitted_by=request.user) | Q(reporter__user=request.user)
    reports = (
        access.visible_reports(request.user)
        .filter(own)
        .select_related("region", "region__parent")
        .order_by("-created_at", "-id")
    )
    page = Paginator(reports, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "reports/my_reports.html",
        {"page": page, "can_review": actor.can(Action.REVIEW_REPORTS)},
    )
