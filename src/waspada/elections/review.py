"""An analyst's review of a recapitulation finding: open → acknowledged or dismissed (and back), with a note.

Every change writes an audit row (``recap_finding.reviewed``) in the same transaction. Dismissing needs a
note (why the finding is not a problem); acknowledging may have one. A review survives re-imports and
re-checks as long as the finding is found again (:func:`waspada.elections.importing.store_findings`).
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from waspada.accounts import audit
from waspada.elections.access import can_review_finding
from waspada.elections.results import FindingStatus, RecapFinding

MAX_NOTE = 2000


class ReviewRefused(Exception):
    """The user's role or scope does not allow the review (→ 403)."""


class ReviewInvalid(ValueError):
    """The review itself is not valid (→ 422 / a form error); the message says why, in Bahasa Indonesia."""


def review_finding(finding: RecapFinding, status: str, note: str, user: Any) -> RecapFinding:
    """Set the status and note of ``finding`` as ``user``; returns the finding as stored."""
    if not can_review_finding(user, finding):
        raise ReviewRefused("Peran atau wilayah Anda tidak dapat meninjau temuan ini.")
    if status not in FindingStatus.values:
        raise ReviewInvalid(f"Status '{status}' tidak dikenal (open, acknowledged, dismissed).")
    note = (note or "").strip()
    if len(note) > MAX_NOTE:
        raise ReviewInvalid(f"Catatan terlalu panjang (paling banyak {MAX_NOTE} karakter).")
    if status == FindingStatus.DISMISSED and not note:
        raise ReviewInvalid("Beri catatan mengapa temuan ini diabaikan.")
    with transaction.atomic():
        current = RecapFinding.objects.select_for_update().get(pk=finding.pk)
        if current.status == status and current.status_note == note:
            return current
        before = {"status": current.status, "note": current.status_note}
        current.status = status
        current.status_note = note
        current.reviewed_by = user
        current.reviewed_at = timezone.now()
        current.save(update_fields=["status", "status_note", "reviewed_by", "reviewed_at"])
        audit.record(
            user,
            "recap_finding.reviewed",
            current,
            region_code=current.region_code,
            before=before,
            after={"status": status, "note": note},
            note=f"{current.rule} {current.area_code}",
        )
    return current
