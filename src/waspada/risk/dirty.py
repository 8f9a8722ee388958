"""The dirty mark of the index: a cheap, import-light module, so that the signals connected at start-up
do not load numpy or scikit-learn into every process (the job itself is in :mod:`waspada.risk.jobs`)."""

from __future__ import annotations

import logging

from django.db import DatabaseError, IntegrityError, transaction
from django.utils import timezone

from waspada.risk.models import RecomputeState

log = logging.getLogger("waspada.risk")

STATE_ID = 1


def state_row() -> RecomputeState:
    try:
        state, _ = RecomputeState.objects.get_or_create(pk=STATE_ID)
    except IntegrityError:  # created by another process between the get and the create
        state = RecomputeState.objects.get(pk=STATE_ID)
    return state


def mark_dirty(reason: str) -> None:
    """Ask for a recomputation at the worker's next turn (cheap: one short UPDATE)."""
    now = timezone.now()
    if not RecomputeState.objects.filter(pk=STATE_ID).update(dirty_at=now, dirty_reason=reason[:200]):
        state_row()
        RecomputeState.objects.filter(pk=STATE_ID).update(dirty_at=now, dirty_reason=reason[:200])


def mark_dirty_after_commit(reason: str) -> None:
    """:func:`mark_dirty` once the current transaction commits; never fails the caller's change."""

    def mark() -> None:
        try:
            mark_dirty(reason)
        except DatabaseError:
            log.warning("could not mark the index dirty (%s)", reason, exc_info=True)

    transaction.on_commit(mark)
