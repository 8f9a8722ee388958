"""The import page (/laporan/impor/): upload a CSV or XLSX file, see the result of every row; and the
template downloads. Analis, Koordinator and Admin only; every row stays inside the user's scope."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods

from waspada.reports.import_reading import COLUMNS, EXTENSIONS, MAX_FILE_BYTES
from waspada.reports.importing import (
    ImportFileError,
    ImportRefused,
    ImportResult,
    can_import,
    import_file,
)
from waspada.reports.template_files import template_for

SHOWN_ROWS = 500  # rows listed on the page; every error is listed whatever its row


class UploadForm(forms.Form):
    file = forms.FileField(label=_("File (.csv or .xlsx)"))
    all_or_nothing = forms.BooleanField(
        label=_("All or nothing: import nothing when any row has an error"), required=False
    )
    dry_run = forms.BooleanField(label=_("Check only (store nothing)"), required=False)

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        name = upload.name or ""
        if not name.lower().endswith(EXTENSIONS):
            raise forms.ValidationError(
                _("%(name)s: this file type is not supported; upload a .csv or .xlsx file."),
                params={"name": name},
            )
        if upload.size > MAX_FILE_BYTES:
            raise forms.ValidationError(
                _("%(name)s is too large (at most %(mb)s MB)."),
                params={"name": name, "mb": MAX_FILE_BYTES // 1024 // 1024},
            )
        return upload


def _require_import(request: HttpRequest) -> None:
    if not can_import(request.user):
        raise PermissionDenied("import not allowed")


@login_required
@require_http_methods(["GET", "POST"])
def upload(request: HttpRequest) -> HttpResponse:
    _require_import(request)
    result: ImportResult | None = None
    file_error = ""
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            result = import_file(
                upload.name,
                upload.read(),
                request.user,
                all_or_nothing=form.cleaned_data["all_or_nothing"],
                dry_run=form.cleaned_data["dry_run"],
            )
        except ImportFileError as exc:
            file_error = exc.message
        except ImportRefused as exc:
            raise PermissionDenied(str(exc)) from None
    context: dict[str, Any] = {
        "form": form,
        "result": result,
        "file_error": file_error,
        "columns": COLUMNS,
        "max_mb": MAX_FILE_BYTES // 1024 // 1024,
    }
    if result is not None:
        context["shown"] = result.outcomes[:SHOWN_ROWS]
        context["truncated"] = len(result.outcomes) > SHOWN_ROWS
    status = 400 if request.method == "POST" and (file_error or not form.is_valid()) else 200
    return render(request, "reports/import.html", context, status=status)


@login_required
@require_GET
def template(request: HttpRequest, fmt: str) -> HttpResponse:
    _require_import(request)
    content, filename, content_type = template_for(
        request.user, fmt, with_example=request.GET.get("contoh") in {"1", "ya", "true"}
    )
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response
