"""Loading the demo scenario and accounts. Every step is idempotent: a second run changes nothing."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from waspada.accounts import audit
from waspada.accounts.management.commands.users import upsert_user
from waspada.accounts.models import Role
from waspada.demo import scenario
from waspada.elections.models import Candidate, Contest, Election, ElectionStage
from waspada.regions.models import Region
from waspada.regions.timezones import zone_for
from waspada.reports import gateway, services
from waspada.reports.import_reading import COLUMN_NAMES
from waspada.reports.importing import import_file
from waspada.reports.models import InboundMessage, Incident, Report, Reporter
from waspada.reports.schemas import ActorIn, ReportIn


@dataclass(frozen=True)
class DemoAccount:
    username: str
    role: str
    scope: str | None
    password: str
    note: str


ACCOUNTS: tuple[DemoAccount, ...] = (
    DemoAccount("admin", Role.ADMIN, None, "demo-admin-waspada", "administrator, seluruh Indonesia"),
    DemoAccount(
        "koordinator", Role.KOORDINATOR, "65", "demo-koordinator-waspada", "Tim Kewaspadaan Dini Kaltara"
    ),
    DemoAccount("analis", Role.ANALIS, "65", "demo-analis-waspada", "analis Bakesbangpol Kaltara"),
    DemoAccount("analis.nunukan", Role.ANALIS, "65.03", "demo-analis-nunukan", "analis Kabupaten Nunukan"),
    DemoAccount("pimpinan", Role.PIMPINAN, "65", "demo-pimpinan-waspada", "pimpinan, hanya membaca"),
    DemoAccount(
        "pelapor", Role.PELAPOR, "65.03.01", "demo-pelapor-waspada", "anggota FKDM Kecamatan Sebatik"
    ),
)


def load_accounts() -> list[DemoAccount]:
    for account in ACCOUNTS:
        scope = Region.objects.get(code=account.scope) if account.scope else None
        upsert_user(account.username, account.role, scope, account.password)
    return list(ACCOUNTS)


@transaction.atomic
def load_population() -> int:
    changed = 0
    for code, value in scenario.POPULATION.items():
        changed += Region.objects.filter(code=code).exclude(population=value).update(population=value)
    return changed


@transaction.atomic
def load_contests() -> int:
    data = scenario.ELECTION
    election, _ = Election.objects.update_or_create(
        code=data["code"], defaults={k: v for k, v in data.items() if k != "code"}
    )
    for fact in scenario.CONTESTS:
        contest, _ = Contest.objects.update_or_create(
            election=election,
            region_id=fact.region,
            office=fact.office,
            defaults={
                "single_candidate": fact.single_candidate,
                "dpt": fact.dpt,
                "tps_count": fact.tps_count,
                "valid_votes": fact.valid_votes,
                "invalid_votes": fact.invalid_votes,
                "determined_on": fact.determined_on,
                "determination": fact.determination,
                "mk_case": fact.mk_case,
                "mk_outcome": fact.mk_outcome,
                "notes": fact.notes,
            },
        )
        for c in fact.candidates:
            Candidate.objects.update_or_create(
                contest=contest,
                names=c.names,
                defaults={
                    "ballot_no": c.ballot_no,
                    "acronym": c.acronym,
                    "votes": c.votes,
                    "parties": c.parties,
                    "is_empty_box": c.is_empty_box,
                    "is_winner": c.is_winner,
                },
            )
    load_stages(election)
    return len(scenario.CONTESTS)


def load_pilpres_tps(path: Path) -> tuple[int, int]:
    """Pilpres 2024 per TPS from a Sirekap file (the real Kaltara file when present): records and findings.

    Idempotent: unchanged TPS keep their record. Returns (TPS in the file, findings stored)."""
    from waspada.elections.importing import import_tps_csv

    election, _ = Election.objects.update_or_create(
        code="pilpres-2024",
        defaults={"name": "Pilpres 2024", "kind": "pemilu", "voting_date": date(2024, 2, 14)},
    )
    result = import_tps_csv(path, election, source="sirekap")
    return result.rows, result.findings


def load_stages(election: Election) -> int:
    """The election calendar (tahapan) of the scenario, keyed by stage code (idempotent)."""
    for stage in scenario.STAGES:
        ElectionStage.objects.update_or_create(
            election=election,
            code=stage.code,
            defaults={
                "name_id": stage.name_id,
                "name_en": stage.name_en,
                "starts_on": stage.starts_on,
                "ends_on": stage.ends_on,
                "risk_weight": stage.risk_weight,
                "notes": stage.notes,
            },
        )
    return len(scenario.STAGES)


@transaction.atomic
def load_simulation() -> tuple[int, int]:
    """The simulated incidents and reports, keyed by a stable client id so reloading never duplicates."""
    incidents: dict[str, Incident] = {}
    created_i = created_r = 0
    for fact in scenario.INCIDENTS:
        incident = Incident.objects.filter(
            is_simulated=True, title=scenario.SIMULATION_NOTE + fact.title
        ).first()
        if incident is None:
            incident = Incident.objects.create(
                title=scenario.SIMULATION_NOTE + fact.title,
                region_id=fact.region,
                event_type=fact.event_type,
                occurred_at=datetime.fromisoformat(fact.occurred_at),
                description=fact.description,
                status=fact.status,
                urgency=fact.urgency,
                injured=fact.injured,
                buildings_damaged=fact.buildings_damaged,
                actors=list(fact.actors),
                is_simulated=True,
            )
            audit.record(None, "incident.created", incident, note="demo scenario (simulasi)")
            created_i += 1
        incidents[fact.key] = incident
    reporter, _ = Reporter.objects.get_or_create(
        pseudonym="P-DEMO0001",
        defaults={"name": "Pelapor Simulasi", "phone": "+620000000000", "trusted": True},
    )
    for fact in scenario.REPORTS:
        if Report.objects.filter(client_id=fact.key, is_simulated=True).exists():
            continue
        report = Report.objects.create(
            client_id=fact.key,
            region_id=fact.region,
            event_type=fact.event_type,
            occurred_at=datetime.fromisoformat(fact.occurred_at),
            description=scenario.SIMULATION_NOTE + fact.description,
            channel=fact.channel,
            urgency=fact.urgency,
            status=fact.status,
            reporter=reporter,
            incident=incidents.get(fact.incident) if fact.incident else None,
            injured=fact.injured,
            buildings_damaged=fact.buildings_damaged,
            actors=list(fact.actors),
            is_simulated=True,
        )
        audit.record(None, "report.created", report, note="demo scenario (simulasi)")
        created_r += 1
    created_r += load_channels()
    return created_i, created_r


# --- Part three: one queue, every channel ------------------------------------------------------------------


def _account(username: str) -> Any:
    """A demo account, created on the spot when the accounts step has not run yet."""
    user = get_user_model().objects.filter(username=username).first()
    if user is None:
        account = next(a for a in ACCOUNTS if a.username == username)
        scope = Region.objects.get(code=account.scope) if account.scope else None
        user, _ = upsert_user(account.username, account.role, scope, account.password)
    return user


def _local(days_ago: int, clock: str, region: str, now: datetime) -> datetime:
    """``clock`` (HH:MM, the region's own zone) ``days_ago`` days before ``now``; a day earlier when that
    time has not come yet, so a simulated event is never in the future."""
    today = now.astimezone(ZoneInfo(zone_for(region)))
    hour, minute = (int(part) for part in clock.split(":"))
    when = today.replace(hour=hour, minute=minute, second=0, microsecond=0) - timedelta(days=days_ago)
    return when - timedelta(days=1) if when > now else when


def load_channels(now: datetime | None = None) -> int:
    """Reports from every intake channel through the real intake code, so the review queue shows each one:
    a CSV file through the importer, web and API reports through ``services.create_report`` with their
    channel (as the form view and the API endpoint call it), and SMS/WhatsApp/Telegram texts through the
    message gateway. Idempotent: every report carries a stable client id or gateway message id. Returns the
    number of reports created."""
    now = now or timezone.now()
    created = _import_file(now)
    for fact in scenario.INTAKE:
        if fact.channel in {"web", "api"}:
            if Report.objects.filter(client_id=fact.key, is_simulated=True).exists():
                continue
            _submitted(fact, now)
        else:
            if InboundMessage.objects.filter(channel=fact.channel, external_id=fact.key).exists():
                continue
            _message(fact, now)
        created += 1
    return created


def _import_file(now: datetime) -> int:
    """The simulated FKDM spreadsheet, imported as the demo analyst; rows imported before are "sudah ada"."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(COLUMN_NAMES), extrasaction="ignore")
    writer.writeheader()
    for row in scenario.IMPORT_ROWS:
        when = _local(int(str(row["days_ago"])), str(row["clock"]), "65", now)
        writer.writerow({**row, "waktu": when.strftime("%d/%m/%Y %H:%M")})
    result = import_file(
        scenario.IMPORT_FILENAME,
        out.getvalue().encode(),
        _account(scenario.IMPORT_ACCOUNT),
        all_or_nothing=True,
        simulated=True,
    )
    if not result.ok:  # the scenario is ours: a failing row is a bug in it, not bad input
        raise ValueError("; ".join(result.error_lines()))
    return result.count("diimpor")


def _report_in(fact: scenario.SimulatedIntake, now: datetime) -> ReportIn:
    return ReportIn(
        region=fact.region,
        event_type=fact.event_type,
        occurred_at=_local(fact.days_ago, fact.clock, fact.region, now),
        description=fact.description,
        urgency=fact.urgency,
        injured=fact.injured,
        actors=[ActorIn.model_validate(a) for a in fact.actors],
        client_id=fact.key,
    )


def _submitted(fact: scenario.SimulatedIntake, now: datetime) -> Report:
    """A web-form or API report: the demo account submits it, as the form view and the API endpoint do."""
    user = _account(fact.account)
    reporter_for_user = getattr(services, "reporter_for_user", None)
    reporter = reporter_for_user(user) if reporter_for_user is not None else None
    report = services.create_report(
        _report_in(fact, now),
        services.Submission(fact.channel, user=user, reporter=reporter, simulated=True),
    )
    if fact.status != report.status:
        services.change_status(report, fact.status, fact.status_reason, _account("koordinator"))
    return report


def _message(fact: scenario.SimulatedIntake, now: datetime) -> Report | None:
    """An SMS, WhatsApp or Telegram report through the message gateway, as its webhook would hand it over:
    the delivery body is read by the channel's adapter, the raw message is stored, parsed and answered, and
    the report is created by the gateway. The report is then marked as simulation (audited)."""
    local = _local(fact.days_ago, fact.clock, fact.region, now)
    sent = min(local + timedelta(minutes=20), now)
    text = fact.text.format(when=local.strftime("%d/%m %H.%M"))
    if fact.channel == "telegram":
        update = {
            "update_id": int(fact.key),
            "message": {
                "message_id": int(fact.key) % 100_000,
                "date": int(sent.timestamp()),
                "chat": {"id": int(fact.sender), "type": "private"},
                "text": text,
            },
        }
        delivery = gateway.read_telegram(json.dumps(update).encode())
    else:
        body = {
            "id": fact.key,
            "from": fact.sender,
            "text": text,
            "timestamp": sent.isoformat(),
            "simulasi": True,
        }
        delivery = gateway.read_generic(fact.channel, json.dumps(body).encode(), "application/json")
    outcome = gateway.receive(delivery)
    report = Report.objects.filter(inbound_message_id=outcome.inbound_id).first()
    if report is None:  # the scenario's texts are ours: a text the gateway cannot read is a bug in them
        raise ValueError(f"simulated {fact.channel} message {fact.key} made no report: {outcome.reply}")
    if not report.is_simulated:
        Report.objects.filter(pk=report.pk).update(is_simulated=True)
        audit.record(None, "report.simulated", report, note="demo scenario (simulasi)")
    return report


def needs_index_snapshot() -> bool:
    """True until today's index snapshot exists (one computation a day keeps a second run fast)."""
    from django.utils import timezone

    from waspada.risk.models import IndexSnapshot

    return not IndexSnapshot.objects.filter(date=timezone.localdate(), region_id="65").exists()


def load_sitrep() -> str:
    """This week's situation report of the demo region, stored for download (one per day)."""
    from waspada.reporting.demo import ready_sitrep

    return ready_sitrep()


def load_pilkada_areas(folder: Path, region: str = "65") -> str | None:
    """Kaltara's real Pilkada 2024 Sirekap counts (provinsi, kab/kota and kecamatan; snapshot of 28 Nov
    2024) from ``pilkada2024_kecamatan_sirekap.csv.gz`` and its candidates file in ``folder``, stored as
    result records of the scenario's contests (idempotent). A summary line, or None without the files."""
    from waspada.elections.import_areas import import_area_table
    from waspada.elections.integrity.candidates import read_candidates_csv
    from waspada.elections.integrity.tiers import read_area_long_csv

    long, names = folder / "pilkada2024_kecamatan_sirekap.csv.gz", folder / "pilkada2024_candidates.csv"
    if not (long.is_file() and names.is_file()):
        return None
    election = Election.objects.get(code=scenario.ELECTION["code"])
    result = import_area_table(
        read_area_long_csv(long), election, candidates=read_candidates_csv(names), area=region
    )
    return (
        f"Pilkada 2024 Sirekap counts: {result.areas} areas of {result.races} races from {long.name} "
        f"({result.created} new, {result.unchanged} unchanged), {result.findings} findings"
    )
