"""The delivery engine: the database is the queue.

Each delivery is sent by a task (``waspada.alerts.tasks.send_delivery``) enqueued when the delivery is
created and again, for its due time, after each temporary failure; a periodic sweep (``deliver_due``) picks
up any delivery whose task was lost. Whoever sends first claims the delivery with a conditional update on
``claimed_until`` (on PostgreSQL after ``SELECT … FOR UPDATE SKIP LOCKED``), so several workers never send
one notification twice. Every attempt is recorded; temporary failures are retried with exponential backoff
up to ``MAX_ATTEMPTS``; a permanent failure fails the delivery and disables the channel with the reason (a
delivery to one person's address fails alone: one bad address does not close a channel)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from waspada.accounts.audit import record
from waspada.alerts.models import Channel, Delivery, DeliveryAttempt, DeliveryStatus
from waspada.alerts.transports import Outbound, PermanentFailure, TemporaryFailure, transport_for

MAX_ATTEMPTS = 5
BASE_BACKOFF = timedelta(seconds=30)
MAX_BACKOFF = timedelta(hours=1)
CLAIM_FOR = timedelta(minutes=5)


def backoff(attempts: int) -> timedelta:
    """30 s, 1 min, 2 min, 4 min … capped at one hour."""
    return min(MAX_BACKOFF, BASE_BACKOFF * (2 ** max(0, attempts - 1)))


def _due(now: datetime) -> Q:
    return (
        Q(status=DeliveryStatus.RETRYING)
        & (Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
        & (Q(claimed_until__isnull=True) | Q(claimed_until__lt=now))
    )


def schedule(delivery: Delivery) -> None:
    """Enqueue the task that sends ``delivery`` at its next attempt time (in the caller's transaction, so
    the task exists exactly when the delivery does)."""
    from waspada.alerts.tasks import send_delivery

    task = send_delivery
    if delivery.next_attempt_at is not None:
        task = task.using(run_after=delivery.next_attempt_at)
    task.enqueue(delivery.pk)


def claim(now: datetime, limit: int = 20) -> list[int]:
    """Take up to ``limit`` due deliveries for this worker; no other worker gets the same ones."""
    claimed: list[int] = []
    with transaction.atomic():
        qs = Delivery.objects.filter(_due(now)).order_by("next_attempt_at", "id")
        if connection.features.has_select_for_update_skip_locked:
            qs = qs.select_for_update(skip_locked=True)
        candidates = list(qs.values_list("id", flat=True)[:limit])
        for pk in candidates:
            if claim_one(pk, now):
                claimed.append(pk)
    return claimed


def claim_one(pk: int, now: datetime) -> bool:
    """The conditional update is the claim: only one worker sees it change the row."""
    return bool(Delivery.objects.filter(_due(now), pk=pk).update(claimed_until=now + CLAIM_FOR))


def send_one(pk: int, now: datetime | None = None) -> Delivery:
    """Send one claimed delivery and record the attempt."""
    now = now or timezone.now()
    delivery = Delivery.objects.select_related("alert__rule", "alert__region", "channel").get(pk=pk)
    alert, channel = delivery.alert, delivery.channel
    out = Outbound(alert, channel, delivery.address, frozenset(delivery.sent_to or ()))
    error, permanent = "", False
    try:
        if not channel.enabled:
            raise PermanentFailure(f"kanal dinonaktifkan: {channel.disabled_reason or 'oleh admin'}")
        transport_for(channel.kind).notify(out)
    except PermanentFailure as exc:
        error, permanent = str(exc) or "kegagalan permanen", True
    except TemporaryFailure as exc:
        error = str(exc) or "kegagalan sementara"
    except Exception as exc:  # a bug in a transport must not stop the worker; it is logged as an attempt
        error = f"kesalahan tak terduga: {type(exc).__name__}: {exc}"

    with transaction.atomic():
        delivery.attempts += 1
        delivery.claimed_until = None
        delivery.sent_to = sorted({*(delivery.sent_to or ()), *out.sent})
        DeliveryAttempt.objects.create(
            delivery=delivery, at=now, ok=not error, permanent=permanent, error=error[:4000]
        )
        if not error:
            delivery.status, delivery.delivered_at, delivery.next_attempt_at = (
                DeliveryStatus.DELIVERED,
                now,
                None,
            )
            delivery.last_error = ""
        elif permanent or delivery.attempts >= MAX_ATTEMPTS:
            delivery.status, delivery.next_attempt_at, delivery.last_error = (
                DeliveryStatus.FAILED,
                None,
                error[:4000],
            )
        else:
            delivery.next_attempt_at, delivery.last_error = now + backoff(delivery.attempts), error[:4000]
        delivery.save()
        if permanent and channel.enabled and not delivery.address:
            _disable(channel, error)
        if delivery.status == DeliveryStatus.RETRYING:
            schedule(delivery)
        else:
            record(
                None,
                f"delivery.{delivery.status}",
                delivery,
                region_code=alert.region_id,
                after={
                    "alert": alert.pk,
                    "channel": channel.name,
                    "attempts": delivery.attempts,
                    "last_error": delivery.last_error,
                },
            )
    return delivery


def _disable(channel: Channel, error: str) -> None:
    if Channel.objects.filter(pk=channel.pk, enabled=True).update(
        enabled=False, disabled_reason=error[:1000]
    ):
        record(
            None,
            "channel.disable",
            channel,
            before={"enabled": True},
            after={"enabled": False, "disabled_reason": error[:1000]},
        )


def deliver_task(pk: int, now: datetime | None = None) -> dict[str, Any]:
    """What the ``send_delivery`` task does: claim, then send. A delivery already sent, failed, claimed by
    another worker or not yet due is left alone (its own task or the sweep comes back for it)."""
    now = now or timezone.now()
    if not claim_one(pk, now):
        return {"delivery": pk, "sent": False}
    done = send_one(pk, now)
    return {"delivery": pk, "sent": True, "status": done.status}


def deliver_due(now: datetime | None = None, limit: int = 20) -> int:
    """One sweep: claim due deliveries and send them. Returns how many attempts were made."""
    now = now or timezone.now()
    ids = claim(now, limit)
    for pk in ids:
        send_one(pk, now)
    return len(ids)


def sweep(now: datetime | None = None) -> dict[str, int]:
    """The periodic job: send every due delivery nobody has sent yet."""
    attempts = 0
    while batch := deliver_due(now):
        attempts += batch
    return {"attempts": attempts}


def retry(delivery: Delivery, user: Any, now: datetime | None = None) -> Delivery:
    """Try a failed delivery again (after its channel was repaired); audited."""
    now = now or timezone.now()
    with transaction.atomic():
        changed = Delivery.objects.filter(pk=delivery.pk, status=DeliveryStatus.FAILED).update(
            status=DeliveryStatus.RETRYING, next_attempt_at=now, claimed_until=None
        )
        delivery.refresh_from_db()
        if changed:
            record(
                user,
                "delivery.retry",
                delivery,
                region_code=delivery.alert.region_id,
                before={"status": DeliveryStatus.FAILED},
                after={"status": DeliveryStatus.RETRYING},
            )
            schedule(delivery)
    return delivery
