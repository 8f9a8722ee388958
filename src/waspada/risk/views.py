"""The ranking page of the index (``/peta-rawan/``) and its exports (CSV, XLSX, GeoJSON).

Query parameters, shared by the page and its exports: ``tingkat`` (level 1–4), ``wilayah`` (only regions
under this code), ``kategori`` (a category code, or ``none`` for regions without a score), ``q`` (name or
code), ``urut`` (rank, score, delta, name, code) and ``arah`` (asc, desc). Reading needs
``Action.VIEW_MAP`` (403 otherwise), exporting ``Action.EXPORT_DATA``; a region outside the user's scope
answers 404, and every list only holds regions in scope. A malformed parameter answers 400 with a message.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils.translation import get_language
from django.views.decorators.http import require_GET

from waspada.accounts import audit
from waspada.accounts.access import Action, may
from waspada.regions.codes import InvalidCode, normalize_code
from waspada.regions.models import Level, Region
from waspada.risk import explain, export, exporting, queries
from waspada.risk.active import active_config
from waspada.risk.config import IndexConfig
from waspada.risk.ranking import SORT_KEYS, RankRow, filter_rows, sort_rows
from waspada.risk.region import category_labels, verdict

PAGE_SIZE = 100
MAX_TEXT = 80


class BadParameter(ValueError):
    """A query parameter we cannot use; the message names it (in Indonesian)."""


@dataclass
class Params:
    level: int
    parent: Region | None
    category: str
    text: str
    sort: str
    descending: bool | None

    def query(self) -> dict[str, str]:
        out = {"tingkat": str(self.level)}
        if self.parent:
            out["wilayah"] = self.parent.code
        if self.category:
            out["kategori"] = self.category
        if self.text:
            out["q"] = self.text
        if self.sort != "rank":
            out["urut"] = self.sort
        if self.descending is not None:
            out["arah"] = "desc" if self.descending else "asc"
        return out


def _scope_level(scope: str | None) -> int:
    return len(scope.split(".")) if scope else 0


def parse(request: HttpRequest, scope: str | None, config: IndexConfig) -> Params:
    get = request.GET
    parent = None
    raw_parent = get.get("wilayah", "").strip()
    if raw_parent:
        try:
            code = normalize_code(raw_parent)
        except InvalidCode as exc:
            raise BadParameter(f"wilayah: {exc}") from None
        parent = queries.region_for(request.user, code)  # 404 when unknown or out of scope
    raw_level = get.get("tingkat", "").strip()
    if raw_level:
        try:
            level = queries.check_level(raw_level)
        except queries.BadLevel as exc:
            raise BadParameter(f"tingkat: {exc}") from None
    else:
        level = min(4, (parent.level if parent else _scope_level(scope)) + 1)
    category = get.get("kategori", "").strip()
    codes = [c.code for c in config.categories]
    if category and category != "none" and category not in codes:
        raise BadParameter(f"kategori: {category!r} tidak dikenal; pilih {', '.join(codes)} atau none")
    sort = get.get("urut", "").strip() or "rank"
    if sort not in SORT_KEYS:
        raise BadParameter(f"urut: {sort!r} tidak dikenal; pilih {', '.join(SORT_KEYS)}")
    direction = get.get("arah", "").strip()
    if direction not in {"", "asc", "desc"}:
        raise BadParameter(f"arah: {direction!r} tidak dikenal; pilih asc atau desc")
    return Params(
        level=level,
        parent=parent,
        category=category,
        text=get.get("q", "").strip()[:MAX_TEXT],
        sort=sort,
        descending=None if not direction else direction == "desc",
    )


def _reader(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Login, GET only, 403 for roles that may not read the index, 400 with a message for bad parameters."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            scope = queries.scope_of(request.user)
        except queries.NotAllowed:
            raise PermissionDenied from None
        config = active_config()
        try:
            params = parse(request, scope, config)
        except BadParameter as exc:
            return render(request, "risk/bad_request.html", {"message": str(exc)}, status=400)
        return view(request, scope, config, params, *args, **kwargs)

    return login_required(require_GET(wrapped))


def _rows(
    scope: str | None, config: IndexConfig, params: Params, *, contributions: bool
) -> tuple[Any, list[RankRow]]:
    ranking = queries.ranking(
        scope, params.level, config, parent=params.parent, with_contributions=contributions
    )
    rows = filter_rows(ranking.rows, category=params.category, text=params.text)
    return ranking, sort_rows(rows, params.sort, params.descending)


@_reader
def ranking_page(
    request: HttpRequest, scope: str | None, config: IndexConfig, params: Params
) -> HttpResponse:
    ranking, rows = _rows(scope, config, params, contributions=False)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    shown: list[RankRow] = list(page.object_list)
    if ranking.key:
        queries.fill_contributions(ranking.key, shown)
    lang = get_language()
    labels = category_labels(config, lang)
    forecast_key = queries.forecast_key()
    forecast = {}
    if params.level == queries.KECAMATAN and forecast_key:
        forecast = {
            f.region_id: f
            for f in queries.forecasts(forecast_key).filter(region_id__in=[r.code for r in shown])
        }
    table = [
        {
            "row": r,
            "category_label": labels.get(r.category, r.category),
            "top": explain.top(r.contributions, config, lang),
            "forecast": forecast.get(r.code),
        }
        for r in shown
    ]
    base = params.query()
    sort_links = {}
    for key in SORT_KEYS:
        q = {k: v for k, v in base.items() if k not in {"urut", "arah"}}
        q["urut"] = key
        if key == params.sort:
            natural_desc = key in {"score", "delta"}
            current_desc = natural_desc if params.descending is None else params.descending
            q["arah"] = "asc" if current_desc else "desc"
        sort_links[key] = urlencode(q)
    run = (forecast_key and next((f.backtest for f in forecast.values() if f.backtest_id), None)) or (
        queries.latest_backtest() if forecast_key else None
    )
    return render(
        request,
        "risk/ranking.html",
        {
            "params": params,
            "ranking": ranking,
            "page": page,
            "table": table,
            "total": len(ranking.rows),
            "matching": len(rows),
            "levels": Level.choices,
            "categories": [(c.code, labels[c.code]) for c in config.categories],
            "query": urlencode(base),
            "sort_links": sort_links,
            "can_export": may(
                request.user, Action.EXPORT_DATA, params.parent.code if params.parent else scope
            ),
            "show_forecast": params.level == queries.KECAMATAN and bool(forecast_key),
            "forecast_key": forecast_key,
            "verdict": verdict(run) if forecast_key else None,
        },
    )


@_reader
def export_view(
    request: HttpRequest, scope: str | None, config: IndexConfig, params: Params, fmt: str
) -> HttpResponse:
    area = params.parent.code if params.parent else scope
    if not may(request.user, Action.EXPORT_DATA, area):
        raise PermissionDenied
    ranking, rows = _rows(scope, config, params, contributions=True)
    head = exporting.header(config)
    name = exporting.file_name(ranking, fmt)
    audit.record(
        request.user,
        "risk.exported",
        object_type="risk.index",
        object_id=ranking.key.date.isoformat() if ranking.key else "",
        region_code=area or "",
        note=f"{fmt}, tingkat {params.level}, {len(rows)} wilayah",
    )
    response: HttpResponse
    if fmt == "xlsx":
        buffer = io.BytesIO()
        export.write_xlsx(
            buffer,
            head,
            exporting.records(ranking, rows, config),
            title=f"tingkat{params.level}",
            notes=exporting.notes(ranking, config, scope),
        )
        buffer.seek(0)
        response = FileResponse(
            buffer, as_attachment=True, filename=name, content_type=export.CONTENT_TYPES[fmt]
        )
        return response
    if fmt == "csv":
        chunks = export.csv_chunks(head, exporting.records(ranking, rows, config))
    else:
        geometry = exporting.Geometries(
            [r.code for r in rows], simplified=request.GET.get("geometri") == "sederhana"
        )
        chunks = export.geojson_chunks(
            head,
            exporting.records(ranking, rows, config),
            geometry,
            metadata=exporting.metadata(ranking, config, scope),
        )
    response = StreamingHttpResponse(chunks, content_type=export.CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
