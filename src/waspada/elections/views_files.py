"""Result files and figures: the import page (/pemilihan/impor/), the XLSX template, and the forensic tests
with the turnout × vote-share fingerprint of an election or contest, per region (/pemilihan/forensik/…).

Importing needs the import role (Analis, Koordinator, Admin) and every TPS or race inside the user's scope;
a file that cannot be used answers 400 with the reason, and nothing of it is stored. The forensics page
reads like every result page (``VIEW_AGGREGATES``, in scope).
"""

from __future__ import annotations

from typing import Any

import polars as pl
from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods

from waspada.accounts.access import Action, actor_for, may
from waspada.elections import access, queries
from waspada.elections.figures import TooManyTps, forensics_figure
from waspada.elections.import_files import ImportSummary, import_results, read_candidates
from waspada.elections.integrity.tps_csv import TpsCsvError
from waspada.elections.integrity.xlsx_template import MAX_PASLON, XLSX_TYPE, build_tps_template
from waspada.elections.models import Contest, Election
from waspada.elections.results import ResultSource
from waspada.elections.views import REGION_RE, _clean

MAX_UPLOAD_BYTES = 50 * 1024 * 1024
SHOWN_ERRORS = 500
SUFFIXES = (".csv", ".csv.gz", ".gz", ".xlsx", ".json", ".jsonl", ".json.gz", ".zip")


class ImportForm(forms.Form):
    election = forms.ModelChoiceField(
        queryset=Election.objects.all(), label=_("Election"), to_field_name="code"
    )
    contest = forms.IntegerField(
        label=_("Contest id (TPS files of a regional race)"), required=False, min_value=1, max_value=2**62
    )
    source = forms.ChoiceField(choices=ResultSource.choices, label=_("Source"), initial=ResultSource.SIREKAP)
    file = forms.FileField(label=_("Results file"))
    candidates = forms.FileField(label=_("Candidates file (area format, optional)"), required=False)
    area = forms.RegexField(
        regex=REGION_RE, label=_("Only this region (optional)"), required=False, max_length=13
    )

    def _upload(self, name: str) -> Any:
        upload = self.cleaned_data.get(name)
        if upload is None:
            return None
        filename = upload.name or ""
        if not filename.lower().endswith(SUFFIXES):
            raise forms.ValidationError(
                _("%(name)s: this file type is not supported (.csv, .csv.gz, .xlsx, .json, .jsonl, .zip)."),
                params={"name": filename},
            )
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                _("%(name)s is too large (at most %(mb)s MB)."),
                params={"name": filename, "mb": MAX_UPLOAD_BYTES // 1024 // 1024},
            )
        return upload

    def clean_file(self) -> Any:
        return self._upload("file")

    def clean_candidates(self) -> Any:
        return self._upload("candidates")


def _require_import(request: HttpRequest) -> None:
    if not access.can_import_results(request.user):
        raise PermissionDenied("results import not allowed")


@login_required
@require_http_methods(["GET", "POST"])
def import_page(request: HttpRequest) -> HttpResponse:
    _require_import(request)
    form = ImportForm(request.POST or None, request.FILES or None)
    summary: ImportSummary | None = None
    file_error = ""
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        contest = None
        if data.get("contest"):
            contest = Contest.objects.filter(pk=data["contest"], election=data["election"]).first()
            if contest is None or not may(request.user, Action.REVIEW_REPORTS, contest.region_id):
                form.add_error("contest", _("No such contest in this election within your scope."))
        if form.is_valid():
            try:
                candidates = None
                if data.get("candidates") is not None:
                    upload = data["candidates"]
                    candidates = read_candidates(upload.name, upload.read())
                upload = data["file"]
                summary = import_results(
                    upload.name,
                    upload.read(),
                    data["election"],
                    contest=contest,
                    source=data["source"],
                    candidates=candidates,
                    area=data.get("area") or None,
                    user=request.user,
                    allowed=access.import_scope(request.user),
                )
            except TpsCsvError as exc:
                file_error = str(exc)
            except pl.exceptions.PolarsError as exc:
                file_error = f"{data['file'].name}: berkas tidak dapat dibaca ({type(exc).__name__})"
    context: dict[str, Any] = {"form": form, "summary": summary, "file_error": file_error}
    if summary is not None:
        errors = [*summary.errors]
        for part in (summary.tps, summary.areas):
            if part is not None:
                errors += [e for e in part.errors if e not in errors]
        context["errors"] = [e.message for e in errors[:SHOWN_ERRORS]]
        context["more_errors"] = max(0, len(errors) - SHOWN_ERRORS)
        context["error_count"] = len(errors)
    status = 400 if request.method == "POST" and (file_error or not form.is_valid()) else 200
    return render(request, "elections/import.html", context, status=status)


@login_required
@require_GET
def template_xlsx(request: HttpRequest) -> HttpResponse:
    if not (access.can_import_results(request.user) or may(request.user, Action.VIEW_AGGREGATES)):
        raise PermissionDenied("template not allowed")
    try:
        n = int(request.GET.get("paslon", "3"))
    except ValueError:
        n = 3
    n = min(max(n, 1), MAX_PASLON)
    response = HttpResponse(build_tps_template(n), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="templat-hasil-tps-{n}-paslon.xlsx"'
    response["Cache-Control"] = "private, no-store"
    return response


def _selection(request: HttpRequest, code: str) -> tuple[Election, Contest | None, str | None, str | None]:
    """The election, contest, region and source a forensics request asks for, within the user's scope."""
    try:
        queries.require_reader(request.user)
    except queries.NotAllowed:
        raise PermissionDenied from None
    election = Election.objects.filter(code=code).first()
    if election is None:
        raise Http404("election not found")
    contest = None
    raw = request.GET.get("contest", "")
    if raw.isdigit() and 0 < len(raw) < 18:
        contest = queries.get_contest_for(request.user, int(raw))
        if contest.election_id != election.pk:
            raise Http404("contest not in election")
    region = _clean(request.GET.get("region", ""), REGION_RE) or None
    actor = actor_for(request.user)
    scope = actor.scope if actor is not None else None
    if region is None and contest is None:
        region = scope
    if region is not None and not may(request.user, Action.VIEW_AGGREGATES, region):
        raise Http404("region not in scope")
    source = request.GET.get("source") if request.GET.get("source") in ResultSource.values else None
    return election, contest, region, source


@login_required
@require_GET
def forensics_page(request: HttpRequest, code: str) -> HttpResponse:
    election, contest, region, source = _selection(request, code)
    error = ""
    figure = None
    try:
        figure = forensics_figure(election, contest, region, source)
    except TooManyTps as exc:
        error = str(exc)
    return render(
        request,
        "elections/forensics.html",
        {
            "election": election,
            "contest": contest,
            "region": region or "",
            "source": source or "",
            "sources": ResultSource.choices,
            "figure": figure,
            "error": error,
            "query": request.GET.urlencode(),
        },
    )


@login_required
@require_GET
def fingerprint_svg(request: HttpRequest, code: str) -> HttpResponse:
    election, contest, region, source = _selection(request, code)
    try:
        figure = forensics_figure(election, contest, region, source)
    except TooManyTps:
        raise Http404("too many TPS") from None
    if figure.svg is None:
        raise Http404("too few data")
    response = HttpResponse(figure.svg, content_type="image/svg+xml; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="sidik-jari-{election.code}-{region or "semua"}.svg"'
    )
    response["Cache-Control"] = "private, no-store"
    return response
