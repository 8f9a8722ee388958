"""``Idempotency-Key``: a client that retries a submission with the same key gets the same report back.

The first request with a key stores an ``IdempotencyRecord`` (who sent it, the key, a fingerprint of the
body) in the same transaction as the report. A later request with the same key and the same body gets that
report again; the same key with another body is refused. Two requests racing with one key both try to
insert the record; the unique constraint lets exactly one commit, and the loser's transaction — its report
included — is rolled back before it answers with the winner's report. So a client that lost the answer
(timeout, crash, lost connection) can always retry safely.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError

from waspada.reports.models import IdempotencyRecord, Report

MAX_KEY_LENGTH = 200


class KeyReused(Exception):
    """The key was already used for a request with a different body."""

    def __init__(self, report_id: int) -> None:
        super().__init__("Idempotency-Key sudah dipakai untuk laporan lain dengan isi berbeda.")
        self.message = str(self)
        self.report_id = report_id


@dataclass(frozen=True)
class Outcome:
    report: Report
    replayed: bool  # True when the report was created by an earlier request with the same key


def fingerprint(body: Any) -> str:
    """sha256 of the canonical JSON of a body (keys sorted, no whitespace), so that key order and
    formatting do not make two equal bodies differ."""
    canonical = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def user_scope(user: Any) -> str:
    return f"user:{user.pk}"


Remember = Callable[[Report], None]


def create_once(
    scope: str, key: str | None, body: Any, create: Callable[[Remember | None], Report]
) -> Outcome:
    """Run ``create`` once per (scope, key). ``create`` receives ``remember`` and must call it with the new
    report inside the report's transaction (``Submission.on_created``); without a key it gets None and simply
    creates. Raises ``KeyReused`` when the key was used with another body; whatever ``create`` raises (e.g.
    ``ReportRejected``) stores nothing."""
    if not key:
        return Outcome(create(None), replayed=False)
    digest = fingerprint(body)
    earlier = _find(scope, key)
    if earlier is not None:
        return _replay(earlier, digest)
    remembered: list[int] = []

    def remember(report: Report) -> None:
        IdempotencyRecord.objects.create(scope=scope, key=key, body_sha256=digest, report=report)
        remembered.append(report.pk)

    try:
        report = create(remember)
    except IntegrityError:
        # Another request with the same key committed first; our report was rolled back with the record.
        earlier = _find(scope, key)
        if earlier is None:
            raise
        return _replay(earlier, digest)
    if remembered != [report.pk]:
        raise RuntimeError("create_once: the report was stored without its idempotency record")
    return Outcome(report, replayed=False)


def _find(scope: str, key: str) -> tuple[str, int] | None:
    """(body fingerprint, report id) of the first request with this key, if there was one."""
    rows = IdempotencyRecord.objects.filter(scope=scope, key=key).values_list("body_sha256", "report_id")[:1]
    return rows[0] if rows else None


def _replay(earlier: tuple[str, int], digest: str) -> Outcome:
    body_sha256, report_id = earlier
    if body_sha256 != digest:
        raise KeyReused(report_id)
    return Outcome(Report.objects.get(pk=report_id), replayed=True)
