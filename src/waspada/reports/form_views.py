"""The web report form (``/lapor/``): a light, mobile-first page that keeps working offline.

The page is server-rendered with everything the script needs in one JSON block (the taxonomy in the
user's language, the user's region scope, the API addresses). It submits through the REST API
(``POST /api/reports`` with an ``Idempotency-Key``, then the attachments), so the form, the API and every
other way in share one validation. The service worker (``/lapor/sw.js``, scope ``/lapor/``) caches the page,
its assets and the desa list of the user's scope (``/lapor/wilayah.json``) so the form opens and the region
picker works without a connection; queued reports wait on the device until they can be sent.
"""

from __future__ import annotations

import hashlib
import json
from functools import cache
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.contrib.staticfiles import finders
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import get_language, gettext, ngettext
from django.views.decorators.http import require_GET

from waspada import taxonomy
from waspada.accounts.access import Action, actor_for, scope_q_for
from waspada.regions.models import Region
from waspada.reports.attachments import FORMATS

STATIC_DIR = Path(__file__).resolve().parent / "static" / "reports"
# The assets the page loads; the service worker keeps them for offline use.
ASSETS = ("waspada/base.css", "reports/form.css", "reports/form.js")
MAX_OFFLINE_UNITS = 3000  # a whole province's desa; larger scopes search online only
MAX_FILES = 10


def _lang() -> str:
    code = (get_language() or "id").split("-")[0]
    return code if code in taxonomy.LANGUAGES else "id"


def _may_submit(user: Any) -> bool:
    actor = actor_for(user)
    return actor is not None and actor.can(Action.SUBMIT_REPORT)


def _strings() -> dict[str, str]:
    """The texts the script shows, translated here so they live in the one message catalogue."""
    return {
        # Translators: the queue of the report form on the phone, e.g. "2 laporan menunggu dikirim".
        "queued_one": ngettext("%(n)s report waiting to be sent", "%(n)s reports waiting to be sent", 1),
        "queued_other": ngettext("%(n)s report waiting to be sent", "%(n)s reports waiting to be sent", 2),
        # Translators: a report that reached the server, e.g. "terkirim: L-123".
        "sent": gettext("sent: %(number)s"),
        "sending": gettext("Sending…"),
        "offline": gettext(
            "You are offline. Reports are kept on this device and sent when you are back online."
        ),
        "saved_offline": gettext(
            "Saved on this device. It will be sent automatically when there is a connection."
        ),
        "saved_sending": gettext("Saved. Sending now…"),
        "fix": gettext("Edit and resend"),
        "discard": gettext("Delete"),
        "discard_confirm": gettext("Delete this unsent report from the device?"),
        "rejected": gettext("Not accepted by the server: %(message)s"),
        "rejected_loaded": gettext("The report was not accepted: %(message)s Correct it and send it again."),
        "session": gettext("Your session has ended. Log in again; the report stays on this device."),
        "login": gettext("Log in"),
        "waiting_retry": gettext("waiting for a connection"),
        "file_failed": gettext("attachment refused: %(name)s (%(message)s)"),
        "files_pending": gettext("%(n)s attachments still to send"),
        "required": gettext("Fill in this field."),
        "choose_region": gettext("Choose a desa from the list, or use GPS."),
        "future": gettext("The time is in the future. Check the date and time."),
        "check_form": gettext("Some fields need attention."),
        "searching": gettext("Searching…"),
        "no_match": gettext("No desa found with that name in your area."),
        "offline_search": gettext("Offline: searching the desa list kept on this device."),
        "recent": gettext("Recently used"),
        "gps_wait": gettext("Finding your position…"),
        "gps_found": gettext("Position found: %(place)s"),
        "gps_saved": gettext(
            "Position saved (%(lat)s, %(lon)s). The desa will be found when the report is sent."
        ),
        "gps_denied": gettext(
            "The position could not be read. Allow location access or choose the desa by name."
        ),
        "gps_outside": gettext("Your position is outside your area of duty. Choose the desa by name."),
        "gps_unavailable": gettext("This device cannot share its position."),
        "file_type": gettext("%(name)s: only photos (JPEG, PNG, WebP) or PDF documents."),
        "file_size": gettext("%(name)s is too large (maximum %(mb)s MB)."),
        "file_count": gettext("At most %(n)s files per report."),
        "remove": gettext("Remove"),
        "draft_saved": gettext("Draft saved on this device"),
        "clear_confirm": gettext("Clear the form and delete the draft?"),
        "storage": gettext("This browser cannot keep reports on the device; send them while online."),
    }


def _config(request: HttpRequest) -> dict[str, Any]:
    actor = actor_for(request.user)
    assert actor is not None
    lang = _lang()
    scope_name = ""
    if actor.scope:
        region = Region.objects.filter(code=actor.scope).only("code", "name").first()
        scope_name = region.name if region else actor.scope
    return {
        "user": str(request.user.pk),
        "scope": actor.scope or "",
        "scopeName": scope_name,
        "maxBytes": int(settings.MAX_ATTACHMENT_BYTES),
        "maxFiles": MAX_FILES,
        "accept": sorted({ct for ct, *_ in FORMATS.values()}),
        "definitions": {e.code: e.definition(lang) for e in taxonomy.EVENT_TYPES},
        "paslonActors": [a.code for a in taxonomy.ACTOR_TYPES if a.takes_paslon_number],
        "urls": {
            "page": reverse("lapor:form"),
            "sw": reverse("lapor:sw"),
            "units": reverse("lapor:units"),
            "login": reverse("login"),
            "reports": "/api/reports",
            "attachments": "/api/reports/{id}/attachments",
            "search": reverse("api:search"),
            "locate": reverse("api:locate_point"),
        },
        "t": _strings(),
    }


@login_required
@require_GET
def form_page(request: HttpRequest) -> HttpResponse:
    if not _may_submit(request.user):
        return render(request, "reports/form_denied.html", status=403)
    lang = _lang()
    context = {
        "event_types": [(e.code, e.label(lang)) for e in taxonomy.EVENT_TYPES],
        "actor_types": taxonomy.actor_type_choices(lang),
        "urgencies": taxonomy.urgency_choices(lang),
        "time_precisions": taxonomy.time_precision_choices(lang),
        "max_mb": settings.MAX_ATTACHMENT_BYTES // (1024 * 1024),
        "config": _config(request),
    }
    response = render(request, "reports/form.html", context)
    # Always revalidated: the service worker keeps the last copy for offline use.
    response["Cache-Control"] = "private, no-cache"
    return response


@cache
def _worker_source() -> str:
    return (STATIC_DIR / "sw.js").read_text(encoding="utf-8")


def _asset_digest(name: str) -> str:
    path = finders.find(name)
    if not path:
        return name
    return hashlib.sha256(Path(str(path)).read_bytes()).hexdigest()[:16]


@require_GET
def service_worker(request: HttpRequest) -> HttpResponse:
    """The service worker, with the (hashed) addresses of the assets it keeps and a version that changes
    whenever one of them changes, so phones drop old copies."""
    source = _worker_source() if not settings.DEBUG else (STATIC_DIR / "sw.js").read_text(encoding="utf-8")
    assets = [static(name) for name in ASSETS]
    version = hashlib.sha256(
        "|".join([source, *assets, *(_asset_digest(n) for n in ASSETS)]).encode()
    ).hexdigest()[:12]
    config = {
        "version": version,
        "page": reverse("lapor:form"),
        "assets": assets,
        "units": reverse("lapor:units"),
        "data": [reverse("api:search"), reverse("api:locate_point")],
        "offlineTitle": gettext("Offline"),
        "offlineText": gettext(
            "This page is not available offline yet. Open the report form once while online."
        ),
    }
    body = f"const CONFIG = {json.dumps(config, ensure_ascii=False)};\n{source}"
    response = HttpResponse(body, content_type="application/javascript; charset=utf-8")
    response["Cache-Control"] = "no-cache"
    response["Service-Worker-Allowed"] = reverse("lapor:form")
    return response


@require_GET
def scope_units(request: HttpRequest) -> HttpResponse:
    """The desa of the user's scope as ``[code, desa, kecamatan, kab/kota]``, for searching offline."""
    if not request.user.is_authenticated or not _may_submit(request.user):
        return JsonResponse(
            {"error": {"status": 403, "code": "forbidden", "message": "Akses ditolak."}}, status=403
        )
    actor = actor_for(request.user)
    assert actor is not None
    units = Region.objects.filter(level=4).filter(scope_q_for(actor.scope, "code"))
    total = units.count()
    rows: list[list[str]] = []
    if total <= MAX_OFFLINE_UNITS:
        rows = [
            [code, name, kec or "", kab or ""]
            for code, name, kec, kab in units.order_by("code").values_list(
                "code", "name", "parent__name", "parent__parent__name"
            )
        ]
    response = JsonResponse(
        {"scope": actor.scope or "", "complete": total <= MAX_OFFLINE_UNITS, "units": rows}
    )
    response["Cache-Control"] = "private, max-age=86400"
    return response
