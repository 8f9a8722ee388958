"""The delivery engine: the database is the queue. A worker claims due deliveries (on PostgreSQL with
``SELECT … FOR UPDATE SKIP LOCKED``, everywhere with a conditional update on ``claimed_until``), sends,
and records every attempt. Temporary failures are retried with exponential backoff up to
``MAX_ATTEMPTS``; a permanent failure fails the delivery and disables the channel with the reason."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from waspada.accounts.audit import record
from waspada.alerts.models import Channel, Delivery, DeliveryAttempt, DeliveryStatus
from waspada.alerts.transports import PermanentFailure, TemporaryFailure, transport_for

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


def claim(now: datetime, limit: int = 20) -> list[int]:
    """Take up to ``limit`` due deliveries for this worker; no other worker gets the same ones."""
    claimed: list[int] = []
    with transaction.atomic():
        qs = Delivery.objects.filter(_due(now)).order_by("next_attempt_at", "id")
        if connection.features.has_select_for_update_skip_locked:
            qs = qs.select_for_update(skip_locked=True)
        candidates = list(qs.values_list("id", flat=True)[:limit])
        for pk in candidates:
            # The conditional update is the claim: only one worker sees it change a row.
            if Delivery.objects.filter(_due(now), pk=pk).update(claimed_until=now + CLAIM_FOR):
                claimed.append(pk)
    return claimed


def send_one(pk: int, now: datetime | None = None) -> Delivery:
    now = now or timezone.now()
    delivery = Delivery.objects.select_related("alert__rule", "alert__region", "channel").get(pk=pk)
    alert, channel = delivery.alert, delivery.channel
    error, permanent = "", False
    try:
        if not channel.enabled:
            raise PermanentFailure(f"kanal dinonaktifkan: {channel.disabled_reason or 'oleh admin'}")
        transport_for(channel.kind).notify(alert, channel)
    except PermanentFailure as exc:
        error, permanent = str(exc) or "kegagalan permanen", True
    except TemporaryFailure as exc:
        error = str(exc) or "kegagalan sementara"
    except Exception as exc:  # a bug in a transport must not stop the worker; it is logged as an attempt
        error = f"kesalahan tak terduga: {type(exc).__name__}: {exc}"

    with transaction.atomic():
        delivery.attempts += 1
        delivery.claimed_until = None
        DeliveryAttempt.objects.create(
            delivery=delivery, at=now, ok=not error, permanent=permanent, error=error
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
                error,
            )
        else:
            delivery.next_attempt_at, delivery.last_error = now + backoff(delivery.attempts), error
        delivery.save()
        if permanent and channel.enabled:
            Channel.objects.filter(pk=channel.pk).update(enabled=False, disabled_reason=error[:1000])
            record(
                None,
                "channel.disable",
                channel,
                before={"enabled": True},
                after={"enabled": False, "disabled_reason": error[:1000]},
            )
        if delivery.status != DeliveryStatus.RETRYING:
            record(
                None,
                f"delivery.{delivery.status}",
                delivery,
                region_code=alert.region_id,
                after={"attempts": delivery.attempts, "last_error": delivery.last_error},
            )
    return delivery


def deliver_due(now: datetime | None = None, limit: int = 20) -> int:
    """One round: claim due deliveries and send them. Returns how many attempts were made."""
    now = now or timezone.now()
    ids = claim(now, limit)
    for pk in ids:
        send_one(pk, now)
    return len(ids)
