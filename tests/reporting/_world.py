"""A small world for situation reports and exports: incidents in Nunukan (65.03) and Tarakan (65.71), a
verified report whose sender's name and phone must never leave the system, alerts, a response action past
its due date, index snapshots where a Sebatik kecamatan rises to "tinggi", and recap findings. Plus a real
SMTP peer (aiosmtpd) on 127.0.0.1 for the scheduled distribution."""

from __future__ import annotations

import datetime as dt
import socket
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

import pytest

WITA = ZoneInfo("Asia/Makassar")
DAY = dt.date(2026, 11, 20)  # the report day of the tests
NOW = dt.datetime(2026, 11, 21, 8, 0, tzinfo=WITA)  # the morning after

REPORTER_NAME = "Budiman Sitorus Rahasia"
REPORTER_PHONE = "+6281299887766"
REPORTER_CHAT = "987654321"
PRECISE_LON, PRECISE_LAT = 117.891234, 4.061987


@dataclass
class World:
    sebatik_incident: Any
    tarakan_incident: Any
    verified_report: Any
    sebatik_alert: Any
    tarakan_alert: Any
    overdue_action: Any


def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=WITA)


@pytest.fixture
def world(db: Any, personas: dict[str, Any]) -> World:
    from waspada.alerts.models import Alert, AlertRule, ResponseAction
    from waspada.elections.models import Election
    from waspada.elections.results import RecapFinding
    from waspada.reports.models import InboundMessage, Incident, Report, Reporter
    from waspada.risk.models import IndexSnapshot

    reporter = Reporter.objects.create(
        name=REPORTER_NAME, phone=REPORTER_PHONE, chat_id=REPORTER_CHAT, trusted=True
    )
    inbound = InboundMessage.objects.create(
        channel="sms", external_id="uji-1", sender=REPORTER_PHONE, text=f"Saya {REPORTER_NAME} melapor"
    )
    sebatik = Incident.objects.create(
        title="Bentrok pendukung di Tanjungkarang",
        region_id="65.03.01.2001",
        event_type="supporter_clash",
        occurred_at=at(DAY, 14, 30),
        created_at=at(DAY, 16),
        description=f"Dua kelompok saling dorong. Pelapor {REPORTER_NAME} ({REPORTER_PHONE}) menyaksikan.",
        injured=3,
        lon=PRECISE_LON,
        lat=PRECISE_LAT,
        actors=[{"type": "paslon_supporters", "paslon": 1}, {"type": "paslon_supporters", "paslon": 2}],
        urgency="tinggi",
    )
    tarakan = Incident.objects.create(
        title="Pembakaran baliho di Pamusian",
        region_id="65.71.02.1002",
        event_type="property_destruction",
        occurred_at=at(DAY, 21),
        created_at=at(DAY, 22),
        description="Baliho paslon dibakar orang tak dikenal; satu orang tewas saat memadamkan api.",
        killed=1,
        buildings_damaged=1,
    )
    old = Incident.objects.create(
        title="Kejadian lama di luar periode",
        region_id="65.03.01.2001",
        event_type="peaceful_protest",
        occurred_at=at(DAY - dt.timedelta(days=30), 10),
        created_at=at(DAY - dt.timedelta(days=30), 11),
        description="Di luar periode laporan.",
    )
    report = Report.objects.create(
        region_id="65.03.01.2001",
        event_type="supporter_clash",
        occurred_at=at(DAY, 14, 40),
        created_at=at(DAY, 15),
        description=f"Ribut di depan kantor camat. Hubungi saya {REPORTER_NAME} di 0812-9988-7766.",
        channel="sms",
        status="terverifikasi",
        reporter=reporter,
        inbound_message=inbound,
        incident=sebatik,
        lon=PRECISE_LON,
        lat=PRECISE_LAT,
        actors=[{"type": "civilians", "text": f"warga, pelapor {REPORTER_NAME}"}],
    )
    Report.objects.create(
        region_id="65.71.02.1002",
        event_type="property_destruction",
        occurred_at=at(DAY, 21, 5),
        created_at=at(DAY, 21, 30),
        description="Baliho dibakar.",
        channel="web",
        status="baru",
        incident=None,
    )
    rule = AlertRule.objects.create(
        name="Bentrok berulang (uji)", kind="incident_count", params={"count": 2, "hours": 24}
    )
    alert_sebatik = Alert.objects.create(
        rule=rule, region_id="65.03.01", group_key="uji:65.03.01", created_at=at(DAY, 17), status="terbuka"
    )
    alert_tarakan = Alert.objects.create(
        rule=rule,
        region_id="65.71.02",
        group_key="uji:65.71.02",
        created_at=at(DAY, 22, 30),
        status="diterima",
        acknowledged_at=at(DAY, 23),
    )
    action = ResponseAction.objects.create(
        incident=sebatik,
        kind="mediasi",
        agency="Kesbangpol Nunukan",
        due_date=DAY - dt.timedelta(days=1),
        created_at=at(DAY, 17),
    )
    previous, current = DAY - dt.timedelta(days=7), DAY
    snaps = [
        ("65.03.01", previous, 40.0, "sedang", {"riwayat_konflik": 30.0, "temuan_rekap": 10.0}),
        (
            "65.03.01",
            current,
            61.5,
            "tinggi",
            {"riwayat_konflik": 35.0, "temuan_rekap": 20.0, "ikp_bawaslu": 6.5},
        ),
        ("65.71.02", current, 30.0, "sedang", {"ikp_bawaslu": 30.0}),
        ("65.03.02", current, 5.0, "rendah", {"ikp_bawaslu": 5.0}),
    ]
    for code, date, score, category, contributions in snaps:
        IndexSnapshot.objects.create(
            date=date,
            config_version="uji",
            region_id=code,
            score=score,
            category=category,
            contributions=contributions,
        )
    election = Election.objects.create(
        code="uji-2024", name="Uji 2024", kind="pilkada", voting_date=dt.date(2024, 11, 27)
    )
    for n, code in enumerate(["65.03.01.2001", "65.03.01.2001", "65.71.02.1002"]):
        RecapFinding.objects.create(
            election=election,
            source="sirekap",
            rule="R1",
            severity="error",
            area_code=code.replace(".", "") + f"00{n}",
            region_code=code,
            message="jumlah suara paslon ≠ suara sah",
        )
    assert old.pk
    return World(sebatik, tarakan, report, alert_sebatik, alert_tarakan, action)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def media_root(settings: Any, tmp_path: Any) -> Any:
    """Stored reports go to a folder of the test's own."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path)},
        },
    }
    settings.MEDIA_ROOT = tmp_path
    return tmp_path
