"""Every rule kind evaluated against the database: each situation raises exactly one alert, whatever the
number of rounds; open alerts take in new evidence; recipients are routed by role and region."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.utils import timezone

from waspada.accounts.models import AuditLog
from waspada.alerts import evaluation, responses, services
from waspada.alerts.models import Alert, AlertRule, Channel, Delivery
from waspada.reports.models import Report, Reporter

from .conftest import make_incident

pytestmark = pytest.mark.django_db


def rule(kind: str, params: dict[str, Any] | None = None, **kw: Any) -> AlertRule:
    return AlertRule.objects.create(name=kw.pop("name", kind), kind=kind, params=params or {}, **kw)


def rounds(n: int = 3, now: Any = None) -> list[Alert]:
    raised: list[Alert] = []
    for _ in range(n):
        raised += evaluation.evaluate_rules(now)[0]
    return raised


def report(
    region: str, *, channel: str = "sms", urgency: str = "sedang", trusted: bool = False, **kw: Any
) -> Report:
    reporter = Reporter.objects.create(trusted=trusted)
    return Report.objects.create(
        region_id=region,
        event_type="intimidation",
        occurred_at=timezone.now(),
        description="Uji",
        channel=channel,
        urgency=urgency,
        reporter=reporter,
        **kw,
    )


def test_incident_rules_raise_one_alert_per_situation_over_many_rounds() -> None:
    rule("incident_count", {"count": 2, "hours": 24}, level=3, scope_code="65")
    rule("casualties", {"hours": 72})
    now = timezone.now()
    make_incident("65.03.01.2001", now - timedelta(hours=3))
    make_incident("65.03.01.2002", now - timedelta(hours=2), killed=1)
    assert len(rounds()) == 2
    alerts = {a.rule.kind: a for a in Alert.objects.all()}
    assert alerts["incident_count"].region_id == "65.03.01"
    assert alerts["casualties"].region_id == "65.03.01.2002"
    third = make_incident("65.03.01", now - timedelta(minutes=5))
    raised, grown = evaluation.evaluate_rules()
    assert raised == [] and [a.pk for a in grown] == [alerts["incident_count"].pk]
    alerts["incident_count"].refresh_from_db()
    assert third.pk in alerts["incident_count"].evidence["incidents"]
    assert AuditLog.objects.filter(action="alert.group").count() == 1


def test_an_urgent_report_from_a_trusted_reporter_raises_an_alert() -> None:
    rule("urgent_report", {"urgencies": ["darurat"]})
    report("65.03.01.2001", urgency="darurat", trusted=True)
    report("65.03.02.1001", urgency="darurat", trusted=False)
    report("65.03.03.2001", urgency="darurat", status="ditolak", trusted=True)
    [alert] = rounds()
    assert alert.region_id == "65.03.01" and len(alert.evidence["reports"]) == 1


def test_a_category_rise_in_the_index_history_raises_an_alert_once() -> None:
    from waspada.risk.models import IndexSnapshot

    rule("category_rise", {"to": "tinggi"}, level=2)
    today = timezone.localdate()
    for day, cats in ((today - timedelta(days=1), ("sedang", "tinggi")), (today, ("tinggi", "tinggi"))):
        for code, cat in zip(("65.03", "65.04"), cats, strict=True):
            IndexSnapshot.objects.create(
                date=day, config_version="v1", region_id=code, score=50, category=cat
            )
    [alert] = rounds()
    assert alert.region_id == "65.03" and "sedang ke tinggi" in alert.summary
    services.set_status(alert, "selesai", None)
    assert rounds() == []


def test_close_contests_and_mk_filings_raise_alerts_once(db: Any) -> None:
    from waspada.elections.models import Candidate, Contest, Election
    from waspada.regions.models import Region

    Region.objects.filter(code="65.03").update(population=200_000)
    election = Election.objects.create(
        code="uji-2024", name="Uji", kind="pilkada", voting_date=date(2024, 11, 27)
    )
    close = Contest.objects.create(election=election, region_id="65.03", office="bupati", valid_votes=100_000)
    Candidate.objects.create(contest=close, ballot_no=1, names="A", votes=50_900)
    Candidate.objects.create(contest=close, ballot_no=2, names="B", votes=49_100)  # 1.8 % < 2 %
    Contest.objects.create(election=election, region_id="65.71", office="walikota", mk_case="Perkara 1/2025")
    rule("close_contest", {"include_mk_filings": True})
    alerts = rounds()
    assert sorted((a.region_id, a.group_key.split(":")[1]) for a in alerts) == [
        ("65.03", "pasal158"),
        ("65.71", "mk"),
    ]
    assert "dapat mengajukan ke MK" in next(a for a in alerts if a.region_id == "65.03").summary


def test_high_severity_recap_findings_raise_one_alert_per_kecamatan() -> None:
    from waspada.elections.models import Election
    from waspada.elections.results import RecapFinding

    election = Election.objects.create(
        code="pilpres-uji", name="Uji", kind="pemilu", voting_date=date(2024, 2, 14)
    )
    for n, (code, severity) in enumerate(
        [("65.03.01.2001", "error"), ("65.03.01.2002", "error"), ("65.03.02.1001", "warning")]
    ):
        RecapFinding.objects.create(
            election=election,
            source="sirekap",
            rule="R1",
            severity=severity,
            area_code=f"650301200100{n}",
            region_code=code,
            message="uji",
        )
    rule("recap_finding", {"min_count": 2}, level=3)
    [alert] = rounds()
    assert alert.region_id == "65.03.01" and len(alert.evidence["findings"]) == 2


def test_a_news_spike_against_the_regions_baseline_raises_an_alert() -> None:
    rule("news_spike", {"hours": 24, "baseline_days": 14, "factor": 3, "min_count": 3}, level=2)
    now = timezone.now()
    for _ in range(4):
        report("65.03.01", channel="media")
    quiet = report("65.04.01", channel="media")
    Report.objects.filter(pk=quiet.pk).update(created_at=now - timedelta(days=3))
    [alert] = rounds()
    assert alert.region_id == "65.03" and len(alert.evidence["reports"]) == 4


def test_an_overdue_response_action_raises_an_alert(personas: dict[str, Any]) -> None:
    rule("overdue_action", level=2)
    incident = make_incident("65.03.01", timezone.now())
    responses.create_action(
        personas["analis"], incident=incident, kind="mediasi", agency="Kesbangpol", due_date=date(2020, 1, 1)
    )
    responses.create_action(
        personas["analis"], incident=incident, kind="patroli", agency="Polres", due_date=date(2999, 1, 1)
    )
    [alert] = rounds()
    assert alert.region_id == "65.03" and len(alert.evidence["actions"]) == 1


def test_a_disabled_rule_and_an_out_of_scope_incident_raise_nothing() -> None:
    rule("casualties", enabled=False, name="mati")
    rule("casualties", scope_code="65.04", name="tana tidung")
    make_incident("65.03.01", timezone.now(), injured=2)
    assert rounds() == []


def test_people_are_reached_by_role_and_region_as_the_alert_escalates(make_user: Any) -> None:
    for name, role, scope, email in (
        ("camat", "analis", "65.03.01", "camat@uji.id"),
        ("kab", "koordinator", "65.03", "kab@uji.id"),
        ("prov", "koordinator", "65", "prov@uji.id"),
        ("lain", "koordinator", "65.04", "lain@uji.id"),
        ("baca", "pimpinan", "65", "baca@uji.id"),
    ):
        user = make_user(name, role, scope)
        user.email = email
        user.save()
    Channel.objects.create(
        name="Surel petugas", kind="email", config={"profiles": True}, roles=["analis", "koordinator"]
    )
    Channel.objects.create(
        name="Posko pimpinan", kind="email", config={"to": ["p@uji.id"]}, roles=["pimpinan"]
    )
    r = rule(
        "incident_count",
        {"count": 1},
        level=3,
        recipient_roles=["analis", "koordinator"],
        ack_timeout_minutes=30,
    )
    created = timezone.now()
    make_incident("65.03.01.2001", created)
    [alert] = rounds(1, created)

    def addresses() -> list[str]:
        return sorted(Delivery.objects.filter(alert=alert).values_list("address", flat=True))

    assert addresses() == ["camat@uji.id"]
    services.escalate_due(created + timedelta(minutes=31))
    assert addresses() == ["camat@uji.id", "kab@uji.id"]
    services.escalate_due(created + timedelta(minutes=61))
    assert addresses() == ["camat@uji.id", "kab@uji.id", "prov@uji.id"]
    notes = AuditLog.objects.filter(action="alert.notify", object_id=str(alert.pk)).order_by("id")
    assert [n.after["to"] for n in notes] == [
        ["Surel petugas → camat"],
        ["Surel petugas → kab"],
        ["Surel petugas → prov"],
    ]
    assert r.alerts.count() == 1
