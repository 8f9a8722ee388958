"""A small world for the map workspace and the overview: incidents in Nunukan (65.03) and Tarakan (65.71)
of several types, statuses and channels, a news finding, recap findings, alerts, response actions, index
snapshots over three days, and an election calendar. Every date is fixed, so tests pass ``tanggal``."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

import pytest

WITA = ZoneInfo("Asia/Makassar")
DAY = dt.date(2026, 11, 20)
SEBATIK_DESA = "65.03.01.2001"  # in kecamatan Sebatik (65.03.01), Nunukan
TARAKAN_DESA = "65.71.02.1002"


def at(day: dt.date, hour: int = 10, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=WITA)


@dataclass
class World:
    clash: Any  # Sebatik, supporter clash, active, from an SMS report, precise coordinates
    protest: Any  # Sebatik, peaceful protest, closed, from a web report, 10 days earlier
    arson: Any  # Tarakan, property destruction, being handled, no coordinates
    old: Any  # Sebatik, 60 days earlier
    news: Any  # a media report in Nunukan
    alert_open: Any
    alert_closed: Any
    action: Any


@pytest.fixture
def world(db: Any, personas: dict[str, Any]) -> World:
    from waspada.alerts.models import Alert, AlertRule, ResponseAction
    from waspada.elections.models import Election, ElectionStage
    from waspada.elections.results import RecapFinding
    from waspada.reports.models import Incident, Report
    from waspada.risk.models import IndexSnapshot

    def incident(title: str, region: str, kind: str, when: dt.datetime, status: str, **kw: Any) -> Any:
        return Incident.objects.create(
            title=title,
            region_id=region,
            event_type=kind,
            occurred_at=when,
            status=status,
            description=title,
            created_at=when,
            **kw,
        )

    clash = incident(
        "Bentrok pendukung",
        SEBATIK_DESA,
        "supporter_clash",
        at(DAY, 14),
        "aktif",
        lon=117.8912,
        lat=4.0619,
        injured=2,
    )
    protest = incident(
        "Aksi damai", SEBATIK_DESA, "peaceful_protest", at(DAY - dt.timedelta(days=10)), "selesai"
    )
    arson = incident("Pembakaran baliho", TARAKAN_DESA, "property_destruction", at(DAY, 21), "ditangani")
    old = incident(
        "Kejadian lama", SEBATIK_DESA, "peaceful_protest", at(DAY - dt.timedelta(days=60)), "selesai"
    )
    for inc, channel in ((clash, "sms"), (protest, "web"), (arson, "web")):
        Report.objects.create(
            region_id=inc.region_id,
            event_type=inc.event_type,
            occurred_at=inc.occurred_at,
            description=inc.title,
            channel=channel,
            status="terverifikasi",
            incident=inc,
            created_at=at(DAY),
        )
    news = Report.objects.create(
        region_id="65.03.01",
        event_type="hate_speech_hoax_sara",
        occurred_at=at(DAY, 9),
        description="Berita hoaks beredar di Sebatik",
        channel="media",
        status="baru",
        created_at=at(DAY, 9),
        source_url="https://berita.example/hoaks",
    )
    Report.objects.create(
        region_id="65.71.02",
        event_type="other",
        occurred_at=at(DAY, 9),
        description="Berita ditolak",
        channel="media",
        status="ditolak",
        created_at=at(DAY, 9),
    )
    rule = AlertRule.objects.create(
        name="Bentrok (uji)", kind="incident_count", params={"count": 2, "hours": 24}
    )
    alert_open = Alert.objects.create(
        rule=rule,
        region_id="65.03.01",
        group_key="u1",
        created_at=at(DAY, 15),
        summary="Dua bentrok di Sebatik",
    )
    alert_closed = Alert.objects.create(
        rule=rule, region_id="65.71.02", group_key="u2", created_at=at(DAY, 22), status="selesai"
    )
    action = ResponseAction.objects.create(
        incident=clash, kind="mediasi", agency="Kesbangpol Nunukan", due_date=DAY + dt.timedelta(days=3)
    )
    for date, score, category in ((DAY - dt.timedelta(days=2), 30.0, "sedang"), (DAY, 61.5, "tinggi")):
        IndexSnapshot.objects.create(
            date=date,
            config_version="uji",
            region_id="65.03.01",
            score=score,
            category=category,
            contributions={"riwayat_konflik": score - 10, "temuan_rekap": 10.0},
        )
        IndexSnapshot.objects.create(
            date=date,
            config_version="uji",
            region_id="65.03",
            score=score / 2,
            category="sedang",
            contributions={"riwayat_konflik": score / 2},
        )
    IndexSnapshot.objects.create(
        date=DAY, config_version="uji", region_id="65.71", score=12.0, category="rendah", contributions={}
    )
    IndexSnapshot.objects.create(
        date=DAY + dt.timedelta(days=5),
        config_version="uji",
        region_id="65.71",
        score=80.0,
        category="tinggi",
        contributions={},
    )
    election = Election.objects.create(code="uji-2026", name="Pilkada Uji", kind="pilkada", voting_date=DAY)
    ElectionStage.objects.create(
        election=election,
        code="rekap",
        name_id="Rekapitulasi kecamatan",
        starts_on=DAY - dt.timedelta(days=1),
        ends_on=DAY + dt.timedelta(days=2),
        risk_weight=0.8,
    )
    ElectionStage.objects.create(
        election=election,
        code="mk",
        name_id="Sengketa di MK",
        starts_on=DAY + dt.timedelta(days=10),
        ends_on=None,
        risk_weight=0.6,
    )
    for n, code in enumerate([SEBATIK_DESA, TARAKAN_DESA]):
        RecapFinding.objects.create(
            election=election,
            source="sirekap",
            rule="R1",
            severity="error",
            area_code=code.replace(".", "") + f"00{n + 1}",
            region_code=code,
            message="jumlah suara ≠ suara sah",
        )
    RecapFinding.objects.filter(pk__isnull=False).update(found_at=at(DAY, 8))
    return World(clash, protest, arson, old, news, alert_open, alert_closed, action)
