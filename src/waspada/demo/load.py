"""Loading the demo scenario and accounts. Every step is idempotent: a second run changes nothing."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db import transaction

from waspada.accounts import audit
from waspada.accounts.management.commands.users import upsert_user
from waspada.accounts.models import Role
from waspada.demo import scenario
from waspada.elections.models import Candidate, Contest, Election
from waspada.regions.models import Region
from waspada.reports.models import Incident, Report, Reporter


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
    return len(scenario.CONTESTS)


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
    return created_i, created_r
