"""The message gateway (SMS, WhatsApp-style, Telegram): store every delivery first, then read it.

Each webhook delivery becomes one ``InboundMessage`` in its own transaction before anything else is done;
a redelivery of the same message (same channel and gateway id) creates nothing and gets the first reply
again. Reading the text is :mod:`waspada.reports.messageformat` (pure); this module adds the database:
senders (``Reporter``), follow-up questions (``Conversation``), the gazetteer lookup in the sender's
scope, and ``services.create_report``. Logs name message ids, never senders or texts.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Annotated, Any
from urllib.parse import parse_qsl
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from pydantic import BaseModel, ConfigDict, StringConstraints
from pydantic import ValidationError as PydanticError

from waspada.accounts.access import actor_for
from waspada.regions.codes import InvalidCode, ancestors, normalize_code
from waspada.regions.lookup import search_names
from waspada.regions.models import Region
from waspada.reports import messageformat as mf
from waspada.reports import services
from waspada.reports.models import Conversation, InboundMessage, InboundStatus, Reporter
from waspada.reports.schemas import ReportIn

log = logging.getLogger("waspada.gateway")

CONVERSATION_TTL = timedelta(hours=2)
MAX_SENDER = 64
MAX_EXTERNAL_ID = 100
# A message's own send time is used to read "kemarin" or "tadi pagi" when it is plausible.
SENT_AT_PAST = timedelta(days=7)
SENT_AT_FUTURE = timedelta(minutes=5)
EDITED_REPLY = "Pesan yang disunting tidak diproses. Kirim ulang sebagai pesan baru."
NOT_TEXT_REPLY = "Hanya pesan teks yang dapat dibaca. " + mf.HELP_REPLY


class BadDelivery(Exception):
    """A delivery whose payload cannot be read; ``message`` (Indonesian) goes into the 400 answer."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Delivery:
    channel: str
    external_id: str
    sender: str  # normalised: 62… for Indonesian numbers, the chat id for Telegram
    text: str
    sent_at: datetime | None
    payload: dict[str, Any]
    ignore: str = ""  # why this delivery is stored but not read (a Telegram edit, a sticker …)
    ignore_reply: str = ""


@dataclass(frozen=True)
class Outcome:
    reply: str
    report: str | None
    inbound_id: int
    duplicate: bool = False


# --- Reading deliveries ---------------------------------------------------------------------------------


def _pg_safe(value: Any) -> Any:
    """PostgreSQL stores no NUL character in text or JSON; replace it, everywhere in the payload."""
    if isinstance(value, str):
        return value.replace("\x00", "\ufffd")
    if isinstance(value, dict):
        return {_pg_safe(str(k)): _pg_safe(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_pg_safe(v) for v in value]
    return value


def parse_sent_at(value: Any) -> datetime | None:
    """ISO 8601 (naive = the server's zone) or Unix epoch seconds or milliseconds; None when unreadable."""
    if value is None or isinstance(value, bool) or value == "":
        return None
    try:
        if isinstance(value, int | float) or re.fullmatch(r"\s*\d+(?:\.\d+)?\s*", str(value)):
            seconds = float(value)
            if seconds > 1e11:
                seconds /= 1000
            return datetime.fromtimestamp(seconds, tz=UTC)
        parsed = datetime.fromisoformat(str(value).strip().replace("Z", "+00:00"))
    except (ValueError, OverflowError, OSError):
        return None
    if timezone.is_naive(parsed):
        parsed = parsed.replace(tzinfo=ZoneInfo(settings.TIME_ZONE))
    return parsed


class GenericMessageIn(BaseModel):
    """The generic SMS/WhatsApp gateway post: ``sender``, ``text``, ``sent_at``, ``id``."""

    model_config = ConfigDict(extra="allow", coerce_numbers_to_str=True)

    sender: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_SENDER)]
    text: str  # kept exactly as sent
    sent_at: str | None = None
    id: Annotated[str, StringConstraints(strip_whitespace=True, max_length=MAX_EXTERNAL_ID)] | None = None


_ALIASES = {
    "sender": ("from", "phone", "msisdn"),
    "text": ("message", "body"),
    "sent_at": ("timestamp", "time"),
    "id": ("message_id", "messageId"),
}
_FIELD_PROBLEMS = {
    "missing": "wajib ada",
    "string_too_short": "kosong",
    "string_too_long": "terlalu panjang",
    "string_type": "harus berupa teks",
}


def _decode_body(body: bytes, content_type: str) -> dict[str, Any]:
    looks_json = "json" in content_type or body.lstrip()[:1] in (b"{", b"[")
    if looks_json:
        try:
            data = json.loads(body.decode("utf-8", errors="replace") or "null")
        except ValueError:
            raise BadDelivery("Isi permintaan bukan JSON yang sah.") from None
        if not isinstance(data, dict):
            raise BadDelivery("Isi permintaan harus berupa objek JSON dengan sender, text, sent_at dan id.")
        return data
    text = body.decode("utf-8", errors="replace")
    return dict(parse_qsl(text, keep_blank_values=True, encoding="utf-8", errors="replace"))


def read_generic(
    channel: str, body: bytes, content_type: str, form: dict[str, Any] | None = None
) -> Delivery:
    """A generic gateway post, JSON or form-encoded; ``form`` is Django's parsed multipart form if any."""
    data = _pg_safe(form if form is not None else _decode_body(body, content_type))
    fields = dict(data)
    for name, aliases in _ALIASES.items():
        if fields.get(name) in (None, ""):
            for alias in aliases:
                if fields.get(alias) not in (None, ""):
                    fields[name] = fields[alias]
                    break
    try:
        message = GenericMessageIn.model_validate(fields)
    except PydanticError as exc:
        first = exc.errors()[0]
        name = ".".join(str(p) for p in first.get("loc", ())) or "isi"
        problem = _FIELD_PROBLEMS.get(str(first.get("type")), "tidak sah")
        raise BadDelivery(f"Kolom {name} {problem}.") from None
    sender = mf.normalize_sender(message.sender)[:MAX_SENDER]
    sent_at = parse_sent_at(message.sent_at)
    external_id = message.id or _content_id(sender, message.sent_at or "", message.text)
    return Delivery(channel, external_id, sender, message.text.replace("\x00", "\ufffd"), sent_at, data)


def _content_id(*parts: str) -> str:
    """An id for a delivery without one: the same sender, time and text count as the same message."""
    return "h:" + hashlib.sha256("\n".join(parts).encode("utf-8", errors="replace")).hexdigest()[:40]


class _TgChat(BaseModel):
    model_config = ConfigDict(extra="allow")
    id: int


class _TgMessage(BaseModel):
    model_config = ConfigDict(extra="allow")
    message_id: int
    date: int | None = None
    chat: _TgChat
    text: str | None = None
    caption: str | None = None


class _TgUpdate(BaseModel):
    model_config = ConfigDict(extra="allow")
    update_id: int
    message: _TgMessage | None = None
    edited_message: _TgMessage | None = None
    channel_post: _TgMessage | None = None


def read_telegram(body: bytes) -> Delivery:
    """A Telegram Bot API ``Update``; the chat id is the sender, ``update_id`` the message id."""
    try:
        data = json.loads(body.decode("utf-8", errors="replace") or "null")
    except ValueError:
        raise BadDelivery("Isi permintaan bukan JSON yang sah.") from None
    if not isinstance(data, dict):
        raise BadDelivery("Isi permintaan harus berupa objek Update dari Telegram Bot API.")
    data = _pg_safe(data)
    try:
        update = _TgUpdate.model_validate(data)
    except PydanticError as exc:
        name = ".".join(str(p) for p in exc.errors()[0].get("loc", ())) or "update"
        raise BadDelivery(f"Update Telegram tidak sah: kolom {name}.") from None
    external_id = str(update.update_id)
    message = update.message or update.edited_message or update.channel_post
    if message is None:
        return Delivery("telegram", external_id, "", "", None, data, ignore="jenis update tidak diproses")
    sender = str(message.chat.id)
    sent_at = parse_sent_at(message.date)
    text = (message.text if message.text is not None else message.caption) or ""
    if update.message is None:
        reason = "pesan disunting" if update.edited_message is not None else "pesan kanal"
        return Delivery("telegram", external_id, sender, text, sent_at, data, reason, EDITED_REPLY)
    if not text.strip():
        return Delivery(
            "telegram", external_id, sender, "", sent_at, data, "bukan pesan teks", NOT_TEXT_REPLY
        )
    return Delivery("telegram", external_id, sender, text, sent_at, data)


def telegram_chat_id(sender: str) -> int | str:
    return int(sender) if re.fullmatch(r"-?\d+", sender) else sender


# --- Storing ----------------------------------------------------------------------------------------------


def store_bad(channel: str, body: bytes, problem: str) -> InboundMessage:
    """Keep a delivery that could not be read (status rejected), once per distinct body."""
    raw = body.decode("utf-8", errors="replace").replace("\x00", "\ufffd")
    external_id = "raw:" + hashlib.sha256(body).hexdigest()[:40]
    with transaction.atomic():
        inbound, _ = InboundMessage.objects.get_or_create(
            channel=channel,
            external_id=external_id,
            defaults={
                "sender": "",
                "payload": {"raw": raw},
                "status": InboundStatus.REJECTED,
                "problem": problem,
            },
        )
    log.info("gateway: %s delivery %s rejected: %s", channel, inbound.pk, problem)
    return inbound


def _store(delivery: Delivery) -> tuple[InboundMessage, bool]:
    values = {
        "sender": delivery.sender,
        "text": delivery.text,
        "payload": delivery.payload,
        "sent_at": delivery.sent_at,
    }
    if delivery.ignore:
        values |= {
            "status": InboundStatus.IGNORED,
            "problem": delivery.ignore,
            "reply": delivery.ignore_reply,
        }
    try:
        with transaction.atomic():
            inbound = InboundMessage.objects.create(
                channel=delivery.channel, external_id=delivery.external_id[:MAX_EXTERNAL_ID], **values
            )
        return inbound, True
    except IntegrityError:
        existing = InboundMessage.objects.get(
            channel=delivery.channel, external_id=delivery.external_id[:MAX_EXTERNAL_ID]
        )
        return existing, False


def receive(delivery: Delivery) -> Outcome:
    """Store the delivery, then read and act on it; a redelivery gets the first answer again."""
    inbound, created = _store(delivery)
    if not created and inbound.status != InboundStatus.RECEIVED:
        log.info("gateway: %s message %s delivered again", inbound.channel, inbound.pk)
        return Outcome(inbound.reply, _report_number(inbound), inbound.pk, duplicate=True)
    if inbound.status != InboundStatus.RECEIVED:
        return Outcome(inbound.reply, None, inbound.pk)
    return _process(inbound.pk, duplicate=not created)


def _report_number(inbound: InboundMessage) -> str | None:
    """The report a message's own reply announced (the message that completed it), as first answered."""
    if inbound.status != InboundStatus.ACCEPTED or not inbound.reply.startswith("Terima kasih"):
        return None
    found = re.search(r"\bL-\d+\b", inbound.reply)
    return found.group(0) if found else None


def _process(pk: int, *, duplicate: bool) -> Outcome:
    try:
        with transaction.atomic():
            inbound = InboundMessage.objects.select_for_update().get(pk=pk)
            if inbound.status != InboundStatus.RECEIVED:  # another delivery of it got here first
                return Outcome(inbound.reply, _report_number(inbound), pk, duplicate=True)
            reply, report = _handle(inbound)
    except Exception:
        # The raw message is committed already; mark it so that an analyst sees it, and apologise.
        log.exception("gateway: message %s could not be processed", pk)
        InboundMessage.objects.filter(pk=pk, status=InboundStatus.RECEIVED).update(
            status=InboundStatus.REJECTED,
            problem="kesalahan server saat memproses pesan",
            reply=mf.SORRY_REPLY,
        )
        return Outcome(mf.SORRY_REPLY, None, pk)
    log.info("gateway: %s message %s handled (report %s)", inbound.channel, pk, report or "-")
    return Outcome(reply, report, pk, duplicate=duplicate)


# --- Acting on a message ---------------------------------------------------------------------------------


def _finish(inbound: InboundMessage, status: str, reply: str, problem: str = "") -> str:
    inbound.status, inbound.reply, inbound.problem = status, mf.fit(reply), problem[:2000]
    inbound.save(update_fields=["status", "reply", "problem", "reporter"])
    return inbound.reply


def _reference_time(inbound: InboundMessage) -> datetime:
    sent = inbound.sent_at
    received = inbound.received_at
    if sent is not None and received - SENT_AT_PAST <= sent <= received + SENT_AT_FUTURE:
        return min(sent, received)
    return received


def _close(conversation: Conversation, status: str, problem: str) -> None:
    conversation.closed = True
    conversation.save(update_fields=["closed"])
    InboundMessage.objects.filter(pk=conversation.first_message.pk, status=InboundStatus.FOLLOW_UP).update(
        status=status, problem=problem
    )


def _handle(inbound: InboundMessage) -> tuple[str, str | None]:
    text = inbound.text
    reporter = find_reporter(inbound.channel, inbound.sender)
    inbound.reporter = reporter
    if mf.is_help(text):
        return _finish(inbound, InboundStatus.IGNORED, mf.HELP_REPLY, "permintaan bantuan"), None
    conversation = (
        Conversation.objects.select_related("first_message")
        .filter(channel=inbound.channel, sender=inbound.sender, closed=False)
        .order_by("-id")
        .first()
    )
    expired = conversation is not None and conversation.expires_at <= timezone.now()
    if conversation is not None and expired:
        _close(conversation, InboundStatus.REJECTED, "pertanyaan lanjutan tidak dijawab dalam 2 jam")
    if mf.is_cancel(text):
        if conversation is None or expired:
            return _finish(
                inbound, InboundStatus.IGNORED, mf.NOTHING_TO_CANCEL_REPLY, "tidak ada yang dibatalkan"
            ), None
        _close(conversation, InboundStatus.IGNORED, "dibatalkan pengirim")
        return _finish(inbound, InboundStatus.IGNORED, mf.CANCELLED_REPLY, "dibatalkan pengirim"), None
    lookup = make_lookup(_scope_of(reporter))
    now = _reference_time(inbound)
    if conversation is not None and not expired and not mf.has_keyword(text):
        draft = mf.Draft.from_json(conversation.draft)
        missing = conversation.missing if conversation.missing in ("jenis", "lokasi", "waktu") else "lokasi"
        result = mf.answer(draft, missing, text, now=now, lookup=lookup)  # type: ignore[arg-type]
        return _act(inbound, result, reporter, conversation)
    if conversation is not None and not expired:
        _close(conversation, InboundStatus.IGNORED, "diganti laporan baru")
    if expired and not mf.has_keyword(text):
        return _finish(
            inbound, InboundStatus.REJECTED, mf.EXPIRED_REPLY, "pertanyaan lanjutan kedaluwarsa"
        ), None
    return _act(inbound, mf.parse_message(text, now=now, lookup=lookup), reporter, None)


def _act(
    inbound: InboundMessage, result: mf.Result, reporter: Reporter | None, conversation: Conversation | None
) -> tuple[str, str | None]:
    if result.kind == "help":
        return _finish(inbound, InboundStatus.IGNORED, result.reply, result.problem), None
    if result.kind == "invalid" and not mf.has_keyword(inbound.text) and _is_group_chat(inbound):
        # In a Telegram group people talk to each other: only messages meant for the bot get an answer.
        return _finish(inbound, InboundStatus.IGNORED, "", "percakapan grup tanpa kata kunci"), None
    if result.kind == "invalid" or result.draft is None:
        return _finish(inbound, InboundStatus.REJECTED, result.reply, result.problem), None
    if reporter is None:
        reporter = _new_reporter(inbound.channel, inbound.sender)
    inbound.reporter = reporter
    if result.kind == "question":
        expires = timezone.now() + CONVERSATION_TTL
        if conversation is None:
            Conversation.objects.create(
                channel=inbound.channel,
                sender=inbound.sender,
                draft=result.draft.to_json(),
                missing=result.missing or "lokasi",
                first_message=inbound,
                expires_at=expires,
            )
        else:
            conversation.draft, conversation.missing = result.draft.to_json(), result.missing or "lokasi"
            conversation.expires_at = expires
            conversation.save(update_fields=["draft", "missing", "expires_at"])
        return _finish(inbound, InboundStatus.FOLLOW_UP, result.reply, result.problem), None
    fields = result.fields
    assert fields is not None
    first = conversation.first_message if conversation is not None else inbound
    try:
        data = ReportIn.model_validate(
            {
                "region": fields.region,
                "event_type": fields.event_type,
                "occurred_at": fields.occurred_at,
                "time_precision": fields.time_precision,
                "description": fields.description,
                "language": "id",
            }
        )
        with transaction.atomic():
            report = services.create_report(
                data,
                services.Submission(
                    channel=inbound.channel, reporter=reporter, inbound=first, check_scope=False
                ),
            )
    except (services.ReportRejected, PydanticError) as exc:
        message = exc.message if isinstance(exc, services.ReportRejected) else "isi laporan tidak sah."
        if conversation is not None:
            _close(conversation, InboundStatus.REJECTED, message)
        return _finish(inbound, InboundStatus.REJECTED, mf.rejected_reply(message), message), None
    if conversation is not None:
        conversation.closed = True
        conversation.save(update_fields=["closed"])
        InboundMessage.objects.filter(pk=first.pk).update(status=InboundStatus.ACCEPTED, reporter=reporter)
    reply = mf.success_reply(report.number, fields, trusted=reporter.trusted)
    return _finish(inbound, InboundStatus.ACCEPTED, reply), report.number


def _is_group_chat(inbound: InboundMessage) -> bool:
    if inbound.channel != "telegram" or not isinstance(inbound.payload, dict):
        return False
    message = inbound.payload.get("message")
    chat = message.get("chat") if isinstance(message, dict) else None
    return isinstance(chat, dict) and chat.get("type") in {"group", "supergroup"}


# --- Senders and places -----------------------------------------------------------------------------------


def find_reporter(channel: str, sender: str) -> Reporter | None:
    """The registered reporter behind a sender: the chat id for Telegram, else the phone number, compared
    in one form whatever prefix (+62, 62, 0) either side was written with."""
    if not sender:
        return None
    if channel == "telegram":
        return Reporter.objects.filter(chat_id=sender).order_by("-trusted", "id").first()
    if not sender.isdigit():
        return Reporter.objects.filter(phone=sender).order_by("-trusted", "id").first()
    candidates = Reporter.objects.filter(phone__endswith=sender[-2:]).order_by("-trusted", "id")
    return next((r for r in candidates if mf.normalize_sender(r.phone) == sender), None)


def _new_reporter(channel: str, sender: str) -> Reporter:
    """An unknown sender becomes a reporter (not trusted); only Koordinator and Admin see who it is."""
    if channel == "telegram":
        return Reporter.objects.create(chat_id=sender[:64])
    return Reporter.objects.create(phone=sender[:32])


def _scope_of(reporter: Reporter | None) -> str | None:
    if reporter is None or reporter.user_id is None:
        return None
    actor = actor_for(reporter.user)
    return actor.scope if actor is not None else None


def make_lookup(scope: str | None) -> mf.Lookup:
    """Names are searched in the sender's scope first, then in the deployment's region
    (``WASPADA_DEFAULT_REGION``); a Kemendagri code names its region wherever it is."""
    default = str(getattr(settings, "DEFAULT_REGION", "") or "") or None
    areas: list[str | None] = []
    for area in (scope, default):
        if area not in areas:
            areas.append(area)
    if default is None and None not in areas:
        areas.append(None)

    def lookup(query: str, within: str | None) -> Sequence[mf.Place]:
        try:
            code = normalize_code(query) if re.fullmatch(r"[\d.]+", query) else None
        except InvalidCode:
            code = None
        if code is not None:
            region = Region.objects.filter(code=code).values_list("code", "name", "level").first()
            return _places([(region[0], region[1], region[2], "exact")]) if region else []
        for area in areas:
            overlap, bound = _narrower(area, within)
            if not overlap:
                continue
            matches = search_names(query, within=bound, limit=10)
            if matches:
                return _places([(m.code, m.name, m.level, m.reason) for m in matches])
        return []

    return lookup


def _narrower(area: str | None, within: str | None) -> tuple[bool, str | None]:
    """Whether two areas (None = everywhere) overlap, and the smaller of them when they do."""
    if area is None or within is None:
        return True, within or area
    if within == area or within.startswith(area + "."):
        return True, within
    if area.startswith(within + "."):
        return True, area
    return False, None


def _places(rows: Sequence[tuple[str, str, int, str]]) -> list[mf.Place]:
    wanted = {code for row in rows for code in ancestors(row[0]) if code.count(".") >= 1}
    names = dict(Region.objects.filter(code__in=wanted).values_list("code", "name"))
    places = []
    for code, name, level, quality in rows:
        context = []
        for outer in reversed(ancestors(code)):
            if outer in names:
                label = names[outer]
                context.append(
                    f"Kec. {label}" if outer.count(".") == 2 else label.replace("Kabupaten ", "Kab. ")
                )
        places.append(mf.Place(code, name, level, ", ".join(context), quality))
    return places
