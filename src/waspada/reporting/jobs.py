"""The scheduled situation report: once a day, after ``WASPADA_SITREP_HOUR`` (local time of the region,
default 07), the worker makes the daily report of the day before for the deployment's default region and
for the region of every enabled email alert channel, keeps it in the data directory, and emails it (PDF
attached) to those channels: their fixed addresses and, for a channel that reaches accounts by role, the
users whose role and scope make them recipients for the report's region (``reporting.mailer.recipients``).
Safe with many workers: a unique constraint lets one of them make a day's report, and each delivery is
claimed with a conditional update before it is sent.

Every delivery attempt is counted on its :class:`~waspada.reporting.models.SitrepDelivery` row; temporary
failures are retried with backoff, a permanent one fails the delivery with its reason.
"""

from __future__ import annotations

import datetime as dt
import logging
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from waspada import conf
from waspada.alerts.models import Channel
from waspada.alerts.transports import PermanentFailure, TemporaryFailure
from waspada.regions.models import Region
from waspada.regions.timezones import zone_for
from waspada.reporting import mailer, services
from waspada.reporting.document import kind_title
from waspada.reporting.models import Sitrep, SitrepDelivery, SitrepDeliveryStatus

log = logging.getLogger("waspada.reporting")

MAX_ATTEMPTS = 5
CLAIM_FOR = dt.timedelta(minutes=10)
BASE_BACKOFF = dt.timedelta(minutes=1)
MAX_BACKOFF = dt.timedelta(hours=1)


def sitrep_hour() -> int:
    return conf.env_int("WASPADA_SITREP_HOUR", 7, minimum=0, maximum=23)


def _email_channels() -> list[Channel]:
    return list(Channel.objects.filter(enabled=True, kind="email").order_by("id"))


def target_regions(channels: list[Channel]) -> list[str]:
    """The default region, and each email channel's region (a channel without one gets the default's)."""
    codes = [settings.DEFAULT_REGION] + [c.scope_code or settings.DEFAULT_REGION for c in channels]
    return sorted(set(Region.objects.filter(code__in=codes).values_list("code", flat=True)))


def due_day(code: str, now: dt.datetime, hour: int) -> dt.date | None:
    """The day whose report is due at ``now`` in the region's zone: yesterday once ``hour`` has passed."""
    local = now.astimezone(ZoneInfo(zone_for(code)))
    return local.date() - dt.timedelta(days=1) if local.hour >= hour else None


def make_daily(code: str, day: dt.date, now: dt.datetime) -> Sitrep | None:
    """The scheduled daily report of ``day``: made once (None when it exists or another worker made it)."""
    if Sitrep.objects.filter(region_id=code, period="daily", date=day, scheduled=True).exists():
        return None
    region = Region.objects.get(code=code)
    rendered = services.generate(region, "daily", day, "pdf", now=now, via="schedule")
    try:
        with transaction.atomic():
            return services.store(region, "daily", day, rendered, scheduled=True)
    except IntegrityError:  # another worker stored the same day first
        return None


def queue(sitrep: Sitrep, channels: list[Channel], now: dt.datetime) -> int:
    made = 0
    for channel in channels:
        if (channel.scope_code or settings.DEFAULT_REGION) != sitrep.region_id:
            continue
        _, created = SitrepDelivery.objects.get_or_create(
            sitrep=sitrep, channel=channel, defaults={"next_attempt_at": now}
        )
        made += created
    return made


def _backoff(attempts: int) -> dt.timedelta:
    return min(MAX_BACKOFF, BASE_BACKOFF * (2 ** max(0, attempts - 1)))


def _due(now: dt.datetime) -> Q:
    return Q(status=SitrepDeliveryStatus.RETRYING) & (
        Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now)
    )


def subject_and_body(sitrep: Sitrep) -> tuple[str, str]:
    with translation.override("id"):
        day = formats.date_format(sitrep.date, "l, j F Y")
        title = kind_title(sitrep.period)
        subject = f"[WASPADA] {title} — {sitrep.region.name} — {day}"
        body = "\n".join(
            [
                f"{title}: {sitrep.region.name} ({sitrep.region_id})",
                _("Period") + f": {day}",
                _("The report is attached as a PDF (%(pages)s pages).") % {"pages": sitrep.pages},
                "",
                _("Sent automatically by Waspada to the alert channels of this region."),
            ]
        )
    return subject, body


def send_one(delivery_id: int, now: dt.datetime) -> str:
    # The conditional update is the claim: a second worker finds the row no longer due.
    claimed = SitrepDelivery.objects.filter(_due(now), pk=delivery_id).update(next_attempt_at=now + CLAIM_FOR)
    if not claimed:
        return "skipped"
    delivery = SitrepDelivery.objects.select_related("sitrep__region", "channel").get(pk=delivery_id)
    error, permanent = "", False
    try:
        if not delivery.channel.enabled:
            raise PermanentFailure("kanal dinonaktifkan")
        to = mailer.recipients(delivery.channel, delivery.sitrep.region_id)
        if not to.envelope:
            raise PermanentFailure(
                "tidak ada penerima: kanal tanpa alamat tetap dan tanpa pengguna sesuai peran di wilayah ini"
            )
        subject, body = subject_and_body(delivery.sitrep)
        with delivery.sitrep.file.open("rb") as fh:
            content = fh.read()
        mailer.send(to, subject, body, content, delivery.sitrep.file.name.rsplit("/", 1)[-1])
    except PermanentFailure as exc:
        error, permanent = str(exc) or "kegagalan permanen", True
    except TemporaryFailure as exc:
        error = str(exc) or "kegagalan sementara"
    except OSError as exc:  # the stored file is gone: nothing a retry can fix
        error, permanent = f"berkas laporan tidak dapat dibaca: {exc}", True
    delivery.attempts += 1
    if not error:
        delivery.status, delivery.delivered_at, delivery.last_error = SitrepDeliveryStatus.DELIVERED, now, ""
        delivery.next_attempt_at = None
    elif permanent or delivery.attempts >= MAX_ATTEMPTS:
        delivery.status, delivery.last_error, delivery.next_attempt_at = (
            SitrepDeliveryStatus.FAILED,
            error,
            None,
        )
    else:
        delivery.last_error, delivery.next_attempt_at = error, now + _backoff(delivery.attempts)
    delivery.save(update_fields=["attempts", "status", "delivered_at", "last_error", "next_attempt_at"])
    if error:
        log.warning("sitrep delivery %s to channel %s: %s", delivery.pk, delivery.channel_id, error)
    return str(delivery.status)


def send_scheduled_sitreps(now: dt.datetime | None = None) -> dict[str, int]:
    """Make the due daily reports, queue them to their email channels, send what is due. Returns counts."""
    now = now or timezone.now()
    hour = sitrep_hour()
    channels = _email_channels()
    counts = {"built": 0, "queued": 0, "delivered": 0, "retrying": 0, "failed": 0}
    for code in target_regions(channels):
        day = due_day(code, now, hour)
        if day is None:
            continue
        made = make_daily(code, day, now)
        if made is not None:
            counts["built"] += 1
        sitrep = Sitrep.objects.filter(region_id=code, period="daily", date=day, scheduled=True).first()
        if sitrep is not None:
            counts["queued"] += queue(sitrep, channels, now)
    for pk in SitrepDelivery.objects.filter(_due(now)).order_by("id").values_list("id", flat=True)[:50]:
        outcome = send_one(pk, now)
        if outcome in counts:
            counts[outcome] += 1
    return counts
