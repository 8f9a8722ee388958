"""The analysts' pages: review queue, report page, incidents. Role × scope × action for every view, bulk
actions with per-row problems, reasons, the edit lock between two analysts, coding edits and merges (every
source report kept), and the audit rows they leave.

The UI text is being translated while these tests are written, so they assert on data attributes, on the
database and on the Indonesian messages of the services, not on English words."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from waspada.accounts.models import AuditLog
from waspada.reports import services
from waspada.reports.models import InboundMessage, Incident, Report, Reporter, ReportStatus
from waspada.reports.schemas import ReportIn
from waspada.reports.services import Submission, create_report

TANJUNGKARANG = "65.03.01.2001"  # desa in Sebatik, Kabupaten Nunukan
BALANSIKU = "65.03.01.2002"  # another desa of Sebatik
NUNUKAN_TIMUR = "65.03.02.1001"  # kecamatan Nunukan, Kabupaten Nunukan
KARANG_ANYAR = "65.71.01.1001"  # Tarakan Barat, Kota Tarakan (outside analis_nunukan's scope)

BURNING = "Massa pendukung paslon 2 membakar ban di depan kantor KPU Nunukan, polisi berjaga."
BURNING_SMS = "ada pembakaran ban oleh pendukung paslon no 2 didepan kantor kpu nunukan. aparat sdh di lokasi"


@pytest.fixture(autouse=True)
def _plain_static_and_fast_passwords(settings: Any) -> None:
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def make_report(
    region: str = TANJUNGKARANG,
    *,
    event_type: str = "arson",
    hours_ago: float = 2,
    description: str = BURNING,
    channel: str = "web",
    user: Any = None,
    reporter: Reporter | None = None,
    inbound: InboundMessage | None = None,
    **fields: Any,
) -> Report:
    data = ReportIn(
        region=region,
        event_type=event_type,
        occurred_at=timezone.now() - timedelta(hours=hours_ago),
        description=description,
        **fields,
    )
    sub = Submission(channel=channel, user=user, reporter=reporter, inbound=inbound, check_scope=False)
    return create_report(data, sub)


def client_for(user: Any) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def messages_of(response: Any) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


def follow(client: Client, response: Any) -> Any:
    assert response.status_code in (302, 303), response.status_code
    return client.get(response["Location"])


def row_ids(response: Any) -> list[int]:
    return [int(x) for x in re.findall(r'<tr data-report="(\d+)"', response.content.decode())]


def status_of(report: Report) -> str:
    report.refresh_from_db()
    return report.status


# --- Role × scope × action: reading -----------------------------------------------------------------------


@pytest.fixture
def tarakan(personas: dict[str, Any]) -> Report:
    return make_report(KARANG_ANYAR, description="Spanduk paslon dirobek orang tak dikenal di Karang Anyar.")


@pytest.fixture
def tarakan_incident(tarakan: Report, personas: dict[str, Any]) -> Incident:
    return services.create_incident([tarakan], personas["analis"], title="Perusakan spanduk di Tarakan")


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("admin", 200),
        ("koordinator", 200),
        ("analis", 200),
        ("analis_nunukan", 200),
        ("pimpinan", 403),
        ("pelapor", 302),
    ],
)
def test_the_queue_opens_for_reviewers_only(personas: dict[str, Any], who: str, expected: int) -> None:
    response = client_for(personas[who]).get("/antrean/")
    assert response.status_code == expected
    if who == "pelapor":  # a reporter is sent to their own reports instead
        assert response["Location"] == "/laporan/saya/"


def test_anonymous_visitors_are_sent_to_log_in(db: Any) -> None:
    for url in ["/antrean/", "/laporan/1/", "/kejadian/", "/kejadian/1/", "/laporan/saya/"]:
        response = Client().get(url)
        assert response.status_code == 302 and response["Location"].startswith("/masuk/"), url


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("admin", 200),
        ("koordinator", 200),
        ("analis", 200),
        ("analis_nunukan", 404),
        ("pimpinan", 403),
        ("pelapor", 404),
    ],
)
def test_report_page_by_role_and_scope(
    personas: dict[str, Any], tarakan: Report, who: str, expected: int
) -> None:
    assert client_for(personas[who]).get(f"/laporan/{tarakan.pk}/").status_code == expected


@pytest.mark.parametrize(
    ("who", "list_status", "detail_status"),
    [
        ("admin", 200, 200),
        ("koordinator", 200, 200),
        ("analis", 200, 200),
        ("analis_nunukan", 200, 404),
        ("pimpinan", 200, 200),
        ("pelapor", 403, 403),
    ],
)
def test_incident_pages_by_role_and_scope(
    personas: dict[str, Any], tarakan_incident: Incident, who: str, list_status: int, detail_status: int
) -> None:
    client = client_for(personas[who])
    listing = client.get("/kejadian/")
    assert listing.status_code == list_status
    if list_status == 200:
        shown = f'data-incident="{tarakan_incident.pk}"' in listing.content.decode()
        assert shown == (who != "analis_nunukan")
    assert client.get(f"/kejadian/{tarakan_incident.pk}/").status_code == detail_status


def test_unknown_ids_answer_404(personas: dict[str, Any]) -> None:
    client = client_for(personas["admin"])
    assert client.get("/laporan/999999/").status_code == 404
    assert client.get("/laporan/99999999999999999999999/").status_code == 404
    assert client.get("/kejadian/99999999999999999999999/").status_code == 404
    assert client.get("/kejadian/999999/").status_code == 404
    assert client.post("/laporan/999999/status/", {"status": "terverifikasi"}).status_code == 404


# --- Role × scope × action: writing -----------------------------------------------------------------------

WRITE_URLS = [
    ("/laporan/{pk}/status/", {"status": "terverifikasi", "reason": "cek"}),
    ("/laporan/{pk}/tugaskan/", {"me": "1"}),
    ("/laporan/{pk}/kode/", {"event_type": "riot"}),
    ("/laporan/{pk}/kejadian-baru/", {"title": "x"}),
    ("/laporan/{pk}/gabungkan/", {"incident_number": "K-{incident}"}),
    ("/laporan/{pk}/kunci/", {}),
    ("/laporan/{pk}/lepaskan/", {}),
    ("/antrean/aksi/", {"ids": "{pk}", "action": "verify"}),
    ("/kejadian/{incident}/status/", {"status": "selesai", "reason": "selesai"}),
]


def _fill(value: str, report: Report, incident: Incident) -> str:
    return value.format(pk=report.pk, incident=incident.pk)


@pytest.mark.parametrize(("url", "data"), WRITE_URLS)
@pytest.mark.parametrize("who", ["pimpinan", "pelapor"])
def test_read_only_roles_get_403_on_every_write_view(
    personas: dict[str, Any], tarakan_incident: Incident, url: str, data: dict[str, str], who: str
) -> None:
    report = make_report(TANJUNGKARANG, user=personas["pelapor"])
    client = client_for(personas[who])
    before = AuditLog.objects.count()
    form = {k: _fill(v, report, tarakan_incident) for k, v in data.items()}
    response = client.post(_fill(url, report, tarakan_incident), form)
    assert response.status_code == 403
    assert AuditLog.objects.count() == before
    assert status_of(report) == ReportStatus.BARU


@pytest.mark.parametrize(("url", "data"), [u for u in WRITE_URLS if "antrean" not in u[0]])
def test_out_of_scope_objects_answer_404_on_every_write_view(
    personas: dict[str, Any], tarakan: Report, tarakan_incident: Incident, url: str, data: dict[str, str]
) -> None:
    """analis_nunukan acting on a Tarakan report or incident: as if it did not exist."""
    client = client_for(personas["analis_nunukan"])
    before = AuditLog.objects.count()
    form = {k: _fill(v, tarakan, tarakan_incident) for k, v in data.items()}
    assert client.post(_fill(url, tarakan, tarakan_incident), form).status_code == 404
    assert AuditLog.objects.count() == before


def test_write_views_refuse_get(personas: dict[str, Any], tarakan: Report) -> None:
    client = client_for(personas["analis"])
    for url in ["/antrean/aksi/", f"/laporan/{tarakan.pk}/status/", f"/laporan/{tarakan.pk}/gabungkan/"]:
        assert client.get(url).status_code == 405


def test_write_views_need_the_csrf_token(personas: dict[str, Any], tarakan: Report) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(personas["analis"])
    response = client.post(f"/laporan/{tarakan.pk}/status/", {"status": "terverifikasi"})
    assert response.status_code == 403
    assert status_of(tarakan) == ReportStatus.BARU


def test_merging_into_an_incident_out_of_scope_answers_404(
    personas: dict[str, Any], tarakan_incident: Incident
) -> None:
    report = make_report(TANJUNGKARANG)
    client = client_for(personas["analis_nunukan"])
    response = client.post(f"/laporan/{report.pk}/gabungkan/", {"target": f"incident:{tarakan_incident.pk}"})
    assert response.status_code == 404
    assert status_of(report) == ReportStatus.BARU and report.incident_id is None


# --- The queue ---------------------------------------------------------------------------------------------


def test_queue_shows_open_reports_in_scope_by_urgency_then_oldest(personas: dict[str, Any]) -> None:
    old_medium = make_report(event_type="intimidation", urgency="sedang")
    new_emergency = make_report(event_type="intimidation", urgency="darurat")
    old_emergency = make_report(event_type="intimidation", urgency="darurat")
    Report.objects.filter(pk=old_emergency.pk).update(created_at=timezone.now() - timedelta(days=2))
    Report.objects.filter(pk=old_medium.pk).update(created_at=timezone.now() - timedelta(days=3))
    verified = make_report()
    services.change_status(verified, "terverifikasi", "", personas["analis"])
    tarakan = make_report(KARANG_ANYAR)

    mine = client_for(personas["analis_nunukan"]).get("/antrean/")
    assert row_ids(mine) == [old_emergency.pk, new_emergency.pk, old_medium.pk]  # no Tarakan, no verified
    everyone = client_for(personas["analis"]).get("/antrean/")
    assert tarakan.pk in row_ids(everyone)


def test_queue_counts_reports_per_status(personas: dict[str, Any]) -> None:
    for _ in range(3):
        make_report()
    rejected = make_report()
    services.change_status(rejected, "ditolak", "bukan kejadian nyata", personas["analis"])
    make_report(KARANG_ANYAR)
    html = client_for(personas["analis_nunukan"]).get("/antrean/").content.decode()
    assert 'data-status="baru" data-count="3"' in html
    assert 'data-status="ditolak" data-count="1"' in html
    assert 'data-status="terverifikasi" data-count="0"' in html


def test_queue_filters(personas: dict[str, Any]) -> None:
    analis = personas["analis"]
    sebatik = make_report(TANJUNGKARANG, event_type="arson", urgency="tinggi", channel="sms")
    nunukan = make_report(NUNUKAN_TIMUR, event_type="money_politics", urgency="rendah", channel="web")
    tarakan = make_report(KARANG_ANYAR, event_type="money_politics", urgency="rendah", channel="telegram")
    old = make_report(BALANSIKU, event_type="intimidation")
    Report.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=10))
    verified = make_report(TANJUNGKARANG)
    services.change_status(verified, "terverifikasi", "", analis)
    services.assign(nunukan, analis, analis)
    client = client_for(analis)

    def ids(query: str) -> set[int]:
        response = client.get("/antrean/?" + query)
        assert response.status_code == 200
        return set(row_ids(response))

    assert ids("region=65.03.01") == {sebatik.pk, old.pk}
    assert ids("region=6503") == {sebatik.pk, nunukan.pk, old.pk}  # undotted codes are read too
    assert ids("event_type=money_politics") == {nunukan.pk, tarakan.pk}
    assert ids("urgency=tinggi") == {sebatik.pk}
    assert ids("channel=telegram") == {tarakan.pk}
    assert ids("age=24h") == {sebatik.pk, nunukan.pk, tarakan.pk}
    assert ids("age=older7d") == {old.pk}
    assert ids("assigned=me") == {nunukan.pk}
    assert nunukan.pk not in ids("assigned=none")
    assert ids("f=1&status=terverifikasi") == {verified.pk}
    assert ids("f=1") == {sebatik.pk, nunukan.pk, tarakan.pk, old.pk, verified.pk}  # no status ticked: all
    assert ids("f=1&status=baru&status=terverifikasi&region=65.03.01.2001") == {sebatik.pk, verified.pk}


@pytest.mark.parametrize("region", ["65.71", "99", "not-a-code", "65.03.99"])
def test_queue_region_filter_outside_scope_or_unknown_shows_an_error_and_no_rows(
    personas: dict[str, Any], region: str
) -> None:
    make_report(TANJUNGKARANG)
    make_report(KARANG_ANYAR)
    response = client_for(personas["analis_nunukan"]).get("/antrean/", {"region": region})
    assert response.status_code == 200
    assert row_ids(response) == []
    assert 'data-error="region"' in response.content.decode()


def test_queue_sorts_and_paginates(personas: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> None:
    from waspada.reports import views_queue

    monkeypatch.setattr(views_queue, "PAGE_SIZE", 2)
    reports = [make_report(hours_ago=h) for h in (5, 1, 3)]
    client = client_for(personas["analis"])
    first = client.get("/antrean/?f=1&status=baru&sort=newest")
    second = client.get("/antrean/?f=1&status=baru&sort=newest&page=2")
    assert row_ids(first) + row_ids(second) == [r.pk for r in reversed(reports)]
    assert "sort=newest" in first.content.decode().split('rel="next"')[0].rsplit("href=", 1)[-1]
    by_event = client.get("/antrean/?f=1&status=baru&sort=occurred&page=1")
    assert row_ids(by_event) == [reports[1].pk, reports[2].pk]
    assert client.get("/antrean/?sort=bogus").status_code == 200  # bad sort: a form error, not a 500


def test_queue_rows_show_lock_duplicates_and_identity_only_to_coordinators(personas: dict[str, Any]) -> None:
    reporter = Reporter.objects.create(name="Siti Rahma", phone="+6281234567890")
    first = make_report(reporter=reporter)
    make_report(description=BURNING_SMS, hours_ago=1)
    services.acquire_lock(first, personas["koordinator"])

    analyst = client_for(personas["analis"]).get("/antrean/").content.decode()
    assert reporter.pseudonym in analyst
    assert "Siti Rahma" not in analyst and "6281234567890" not in analyst
    assert 'data-locked-by="koordinator"' in analyst
    assert re.search(rf'data-report="{first.pk}"[^>]*data-duplicates="1"', analyst)

    coordinator = client_for(personas["koordinator"]).get("/antrean/").content.decode()
    assert "Siti Rahma" in coordinator


# --- Bulk actions --------------------------------------------------------------------------------------------


def test_bulk_verify_applies_valid_rows_and_lists_the_others(personas: dict[str, Any]) -> None:
    analis_nunukan = personas["analis_nunukan"]
    ok1, ok2, locked, merged = (make_report() for _ in range(4))
    services.acquire_lock(locked, personas["analis"])
    services.create_incident([make_report(), merged], personas["analis"])  # 'merged' is now digabung
    tarakan = make_report(KARANG_ANYAR)
    client = client_for(analis_nunukan)
    ids = [ok1.pk, ok2.pk, locked.pk, tarakan.pk, 987654]
    response = client.post(
        "/antrean/aksi/", {"ids": ids, "action": "verify", "next": "/antrean/?f=1"}, follow=True
    )
    assert response.redirect_chain[-1][0] == "/antrean/?f=1"
    assert [status_of(r) for r in (ok1, ok2, locked, tarakan)] == [
        "terverifikasi",
        "terverifikasi",
        "baru",
        "baru",
    ]
    text = " | ".join(messages_of(response))
    assert f"{locked.number}: Laporan ini sedang ditinjau oleh analis lain" in text
    assert f"L-{tarakan.pk}" in text and "L-987654" in text  # out of scope and unknown: "not found" alike
    assert (
        AuditLog.objects.filter(action="report.status", object_id__in=[str(ok1.pk), str(ok2.pk)]).count() == 2
    )


def test_bulk_verify_reports_rows_whose_status_cannot_change(personas: dict[str, Any]) -> None:
    analis = personas["analis"]
    fresh = make_report()
    merged = make_report()
    services.create_incident([make_report(), merged], analis)
    response = client_for(analis).post(
        "/antrean/aksi/", {"ids": [fresh.pk, merged.pk], "action": "reject", "reason": "hoaks"}, follow=True
    )
    assert status_of(fresh) == "ditolak"
    assert fresh.status_reason == "hoaks"
    assert status_of(merged) == "digabung"
    assert any(m.startswith(f"{merged.number}: Status tidak dapat diubah") for m in messages_of(response))


@pytest.mark.parametrize("action", ["clarify", "reject"])
def test_bulk_reject_and_clarify_need_a_reason(personas: dict[str, Any], action: str) -> None:
    reports = [make_report(), make_report()]
    before = AuditLog.objects.count()
    response = client_for(personas["analis"]).post(
        "/antrean/aksi/", {"ids": [r.pk for r in reports], "action": action, "reason": "   "}, follow=True
    )
    assert response.status_code == 200
    assert [status_of(r) for r in reports] == ["baru", "baru"]
    assert AuditLog.objects.count() == before
    assert messages_of(response)


def test_bulk_clarify_with_reason_is_audited_with_before_and_after(personas: dict[str, Any]) -> None:
    report = make_report()
    client_for(personas["analis"]).post(
        "/antrean/aksi/", {"ids": [report.pk], "action": "clarify", "reason": "Lokasi persis di mana?"}
    )
    entry = AuditLog.objects.get(action="report.status", object_id=str(report.pk))
    assert (entry.before["status"], entry.after["status"]) == ("baru", "perlu_klarifikasi")
    assert entry.note == "Lokasi persis di mana?"
    assert entry.actor == personas["analis"]


def test_bulk_assign_to_me_and_to_another_analyst_in_scope(personas: dict[str, Any]) -> None:
    analis, analis_nunukan = personas["analis"], personas["analis_nunukan"]
    sebatik, tarakan = make_report(), make_report(KARANG_ANYAR)
    client = client_for(analis)
    client.post("/antrean/aksi/", {"ids": [sebatik.pk, tarakan.pk], "action": "assign_me"})
    sebatik.refresh_from_db()
    tarakan.refresh_from_db()
    assert sebatik.assigned_to == analis and tarakan.assigned_to == analis

    response = client.post(
        "/antrean/aksi/",
        {"ids": [sebatik.pk, tarakan.pk], "action": "assign", "assignee": analis_nunukan.pk},
        follow=True,
    )
    sebatik.refresh_from_db()
    tarakan.refresh_from_db()
    assert sebatik.assigned_to == analis_nunukan
    assert tarakan.assigned_to == analis  # Tarakan is outside the assignee's scope
    assert any(
        m.startswith(f"{tarakan.number}: Pengguna itu tidak dapat meninjau") for m in messages_of(response)
    )
    entry = AuditLog.objects.filter(action="report.assigned", object_id=str(sebatik.pk)).first()
    assert entry is not None and entry.after["assigned_to_id"] == analis_nunukan.pk


def test_bulk_assign_needs_an_assignee_and_refuses_reporters(personas: dict[str, Any]) -> None:
    report = make_report()
    client = client_for(personas["analis"])
    client.post("/antrean/aksi/", {"ids": [report.pk], "action": "assign"})
    client.post(
        "/antrean/aksi/", {"ids": [report.pk], "action": "assign", "assignee": personas["pelapor"].pk}
    )
    report.refresh_from_db()
    assert report.assigned_to is None


@pytest.mark.parametrize(
    "data",
    [
        {"action": "verify"},
        {"ids": ["abc"], "action": "verify"},
        {"ids": ["1"], "action": "explode"},
        {"ids": ["1"], "action": "verify", "reason": "x" * 5000},
        {"ids": [str(i) for i in range(1, 502)], "action": "verify"},
    ],
)
def test_bulk_bad_input_is_a_message_not_a_500(personas: dict[str, Any], data: dict[str, Any]) -> None:
    response = client_for(personas["analis"]).post("/antrean/aksi/", data, follow=True)
    assert response.status_code == 200
    assert messages_of(response)


def test_bulk_never_redirects_off_site(personas: dict[str, Any]) -> None:
    report = make_report()
    response = client_for(personas["analis"]).post(
        "/antrean/aksi/", {"ids": [report.pk], "action": "verify", "next": "https://evil.example/"}
    )
    assert response["Location"] == "/antrean/"


# --- The report page ---------------------------------------------------------------------------------------


def test_report_page_escapes_text_and_shows_the_coding(personas: dict[str, Any]) -> None:
    report = make_report(
        description='Ricuh <script>alert("x")</script> di TPS 05',
        actors=[{"type": "paslon_supporters", "paslon": 2, "text": "<b>Laskar</b>"}],
        injured=3,
    )
    html = client_for(personas["analis"]).get(f"/laporan/{report.pk}/").content.decode()
    assert "<script>alert" not in html and "&lt;script&gt;alert" in html
    assert "<b>Laskar</b>" not in html and "&lt;b&gt;Laskar&lt;/b&gt;" in html
    assert "Tanjungkarang" in html and "Sebatik" in html and "Kabupaten Nunukan" in html
    assert "Pembakaran" in html  # the event type's label


def test_report_page_offers_verification_first_never_rejection_by_default(personas: dict[str, Any]) -> None:
    report = make_report()
    response = client_for(personas["analis"]).get(f"/laporan/{report.pk}/")
    statuses = response.context["allowed_statuses"]
    assert [code for code, _ in statuses] == ["terverifikasi", "perlu_klarifikasi", "ditolak"]


def test_report_page_shows_the_raw_message_and_the_sender_only_to_coordinators(
    personas: dict[str, Any],
) -> None:
    inbound = InboundMessage.objects.create(
        channel="sms", external_id="m-1", sender="+6281299998888", text="LAPOR#Sebatik#ricuh <i>di TPS</i>"
    )
    report = make_report(channel="sms", inbound=inbound)
    analyst = client_for(personas["analis"]).get(f"/laporan/{report.pk}/").content.decode()
    assert 'id="raw-message"' in analyst
    assert "LAPOR#Sebatik#ricuh &lt;i&gt;di TPS&lt;/i&gt;" in analyst
    assert "6281299998888" not in analyst
    services.release_lock(report, personas["analis"])
    coordinator = client_for(personas["koordinator"]).get(f"/laporan/{report.pk}/").content.decode()
    assert "+6281299998888" in coordinator


def test_report_page_lists_attachments(personas: dict[str, Any]) -> None:
    from django.core.files.base import ContentFile

    from waspada.reports.models import Attachment

    report = make_report()
    attachment = Attachment(
        report=report, kind="document", content_type="application/pdf", size=4, sha256="0" * 64
    )
    attachment.original_name = "berita-acara.pdf"
    attachment.file.save("berita-acara.pdf", ContentFile(b"%PDF"), save=True)
    html = client_for(personas["analis"]).get(f"/laporan/{report.pk}/").content.decode()
    assert "berita-acara.pdf" in html
    assert re.search(rf'href="[^"]*{report.pk}[^"]*{attachment.pk}[^"]*"', html)


def test_a_reporter_sees_their_own_report_read_only(personas: dict[str, Any]) -> None:
    pelapor = personas["pelapor"]
    report = make_report(user=pelapor)
    response = client_for(pelapor).get(f"/laporan/{report.pk}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="actions"' not in html and 'id="history"' not in html and 'id="candidates"' not in html
    report.refresh_from_db()
    assert report.locked_by is None


def test_my_reports_lists_only_the_users_own(personas: dict[str, Any]) -> None:
    pelapor = personas["pelapor"]
    own = make_report(user=pelapor)
    services.change_status(own, "perlu_klarifikasi", "Sebutkan nama dusunnya", personas["analis"])
    someone_elses = make_report()
    response = client_for(pelapor).get("/laporan/saya/")
    assert row_ids(response) == [own.pk]
    assert "Sebutkan nama dusunnya" in response.content.decode()
    assert someone_elses.pk not in row_ids(client_for(personas["analis"]).get("/laporan/saya/"))
    assert client_for(personas["pimpinan"]).get("/laporan/saya/").status_code == 403


def test_status_change_with_reason_is_audited_and_shown_in_history(personas: dict[str, Any]) -> None:
    analis = personas["analis"]
    report = make_report()
    client = client_for(analis)
    client.get(f"/laporan/{report.pk}/")
    response = client.post(f"/laporan/{report.pk}/status/", {"status": "ditolak", "reason": "Kabar bohong"})
    assert response["Location"] == "/antrean/"
    assert status_of(report) == "ditolak" and report.status_reason == "Kabar bohong"
    assert report.locked_by is None  # decided: free for others
    entry = AuditLog.objects.get(action="report.status", object_id=str(report.pk))
    assert (entry.before["status"], entry.after["status"], entry.note) == ("baru", "ditolak", "Kabar bohong")
    html = client.get(f"/laporan/{report.pk}/").content.decode()
    history = html.split('id="history"')[1].split("</section>")[0]
    assert 'data-action="report.status"' in history and "Kabar bohong" in history and "analis" in history


def test_status_change_needs_a_reason_for_rejection(personas: dict[str, Any]) -> None:
    report = make_report()
    client = client_for(personas["analis"])
    response = client.post(f"/laporan/{report.pk}/status/", {"status": "ditolak", "reason": ""}, follow=True)
    assert status_of(report) == "baru"
    assert messages_of(response)
    response = client.post(
        f"/laporan/{report.pk}/status/", {"status": "digabung", "reason": "x"}, follow=True
    )
    assert status_of(report) == "baru"  # merged only by merging, never by hand


def test_opening_a_report_takes_the_lock_for_ten_minutes(personas: dict[str, Any]) -> None:
    report = make_report()
    html = client_for(personas["analis"]).get(f"/laporan/{report.pk}/").content.decode()
    report.refresh_from_db()
    assert report.locked_by == personas["analis"]
    assert timedelta(minutes=9) < report.locked_until - timezone.now() <= timedelta(minutes=10)
    assert 'data-lock="mine"' in html


def test_the_lock_between_two_analysts(personas: dict[str, Any]) -> None:
    first, second = client_for(personas["analis"]), client_for(personas["analis_nunukan"])
    report = make_report()
    first.get(f"/laporan/{report.pk}/")

    html = second.get(f"/laporan/{report.pk}/").content.decode()
    assert 'data-lock="other"' in html and 'data-locked-by="analis"' in html
    actions = html.split('id="actions"')[1]
    assert re.search(r'<fieldset class="plain"\s+disabled', actions)
    response = second.post(f"/laporan/{report.pk}/status/", {"status": "terverifikasi"}, follow=True)
    assert status_of(report) == "baru"
    assert any("sedang ditinjau oleh analis lain" in m for m in messages_of(response))
    assert second.post(f"/laporan/{report.pk}/kunci/").status_code == 409
    # Releasing by the other analyst does nothing; the holder's release frees it.
    second.post(f"/laporan/{report.pk}/lepaskan/")
    report.refresh_from_db()
    assert report.locked_by == personas["analis"]
    first.post(f"/laporan/{report.pk}/lepaskan/")
    assert 'data-lock="mine"' in second.get(f"/laporan/{report.pk}/").content.decode()
    second.post(f"/laporan/{report.pk}/status/", {"status": "terverifikasi"})
    assert status_of(report) == "terverifikasi"


def test_an_expired_lock_can_be_taken_over(personas: dict[str, Any]) -> None:
    report = make_report()
    services.acquire_lock(report, personas["analis"])
    Report.objects.filter(pk=report.pk).update(locked_until=timezone.now() - timedelta(seconds=1))
    response = client_for(personas["analis_nunukan"]).post(f"/laporan/{report.pk}/kunci/")
    assert response.status_code == 200 and response.json()["held"] is True


def test_coding_edit_is_audited_with_before_and_after(personas: dict[str, Any]) -> None:
    report = make_report(event_type="arson", urgency="sedang")
    occurred = timezone.localtime(timezone.now() - timedelta(hours=5)).strftime("%Y-%m-%dT%H:%M")
    form = {
        "event_type": "supporter_clash",
        "threat_domain": "politik",
        "region": "6503022004",
        "occurred_at": occurred,
        "time_precision": "1",
        "urgency": "tinggi",
        "killed": "0",
        "injured": "4",
        "buildings_damaged": "1",
        "displaced": "0",
    }
    client_for(personas["analis_nunukan"]).post(f"/laporan/{report.pk}/kode/", form)
    report.refresh_from_db()
    assert (report.event_type, report.region_id, report.urgency, report.injured) == (
        "supporter_clash",
        "65.03.02.2004",
        "tinggi",
        4,
    )
    entry = AuditLog.objects.get(action="report.updated", object_id=str(report.pk))
    assert entry.before["event_type"] == "arson" and entry.after["event_type"] == "supporter_clash"
    assert entry.before["region_id"] == TANJUNGKARANG and entry.after["region_id"] == "65.03.02.2004"
    assert (entry.before["injured"], entry.after["injured"]) == (0, 4)


@pytest.mark.parametrize(
    ("change", "why"),
    [
        ({"region": KARANG_ANYAR}, "outside the editor's scope"),
        ({"region": "65.03.99.9999"}, "unknown region"),
        ({"injured": "-1"}, "negative impact"),
        ({"event_type": "alien_invasion"}, "unknown event type"),
        ({"occurred_at": "2999-01-01T10:00"}, "in the future"),
        ({"occurred_at": "kemarin"}, "not a time"),
    ],
)
def test_coding_edit_refuses_bad_values(personas: dict[str, Any], change: dict[str, str], why: str) -> None:
    report = make_report()
    form = {
        "event_type": "arson",
        "region": TANJUNGKARANG,
        "occurred_at": timezone.localtime(report.occurred_at).strftime("%Y-%m-%dT%H:%M"),
        "time_precision": "1",
        "urgency": "sedang",
        "killed": "0",
        "injured": "0",
        "buildings_damaged": "0",
        "displaced": "0",
    } | change
    response = client_for(personas["analis_nunukan"]).post(f"/laporan/{report.pk}/kode/", form, follow=True)
    assert response.status_code == 200, why
    assert messages_of(response), why
    assert not AuditLog.objects.filter(action="report.updated").exists(), why


def test_update_report_service_refuses_unknown_fields(personas: dict[str, Any]) -> None:
    report = make_report()
    with pytest.raises(services.ActionRefused) as refused:
        services.update_report(report, {"status": "terverifikasi"}, personas["analis"])
    assert refused.value.status == 422


# --- Incidents and merging ---------------------------------------------------------------------------------


def test_create_incident_from_a_report(personas: dict[str, Any]) -> None:
    report = make_report()
    response = client_for(personas["analis"]).post(
        f"/laporan/{report.pk}/kejadian-baru/", {"title": "Ban dibakar"}
    )
    incident = Incident.objects.get()
    assert response["Location"] == f"/kejadian/{incident.pk}/"
    assert incident.title == "Ban dibakar"
    assert status_of(report) == "terverifikasi" and report.incident == incident
    assert AuditLog.objects.filter(action="incident.created", object_id=str(incident.pk)).exists()


def test_the_report_page_offers_candidates_and_merge_creates_one_incident_keeping_both(
    personas: dict[str, Any],
) -> None:
    analis = personas["analis"]
    original = make_report(hours_ago=3)
    duplicate = make_report(description=BURNING_SMS, hours_ago=1, channel="sms")
    unrelated = make_report(KARANG_ANYAR)
    client = client_for(analis)
    html = client.get(f"/laporan/{duplicate.pk}/").content.decode()
    candidates = html.split('id="candidates"')[1].split("</section>")[0]
    assert f'data-candidate="report:{original.pk}"' in candidates
    assert f"report:{unrelated.pk}" not in candidates
    assert "desa sama, selisih 2 jam, teks mirip" in candidates

    response = client.post(f"/laporan/{duplicate.pk}/gabungkan/", {"target": f"report:{original.pk}"})
    incident = Incident.objects.get()
    assert response["Location"] == f"/kejadian/{incident.pk}/"
    assert set(incident.reports.values_list("pk", "status")) == {
        (original.pk, "terverifikasi"),  # received first: it leads the incident
        (duplicate.pk, "digabung"),
    }
    assert Report.objects.filter(pk__in=[original.pk, duplicate.pk]).count() == 2
    merged = AuditLog.objects.get(action="report.merged", object_id=str(duplicate.pk))
    assert merged.before["incident_id"] is None and merged.after["incident_id"] == incident.pk
    page = client.get(f"/kejadian/{incident.pk}/").content.decode()
    assert f'data-report="{original.pk}"' in page and f'data-report="{duplicate.pk}"' in page
    assert 'data-action="report.merged"' in page


def test_merging_into_an_existing_incident_by_candidate_and_by_number(personas: dict[str, Any]) -> None:
    analis = personas["analis"]
    first = make_report(hours_ago=4)
    incident = services.create_incident([first], analis, title="Pembakaran ban di depan KPU Nunukan")
    second = make_report(description=BURNING_SMS, hours_ago=2)
    third = make_report(BALANSIKU, hours_ago=30, event_type="intimidation", description="Ancaman ke saksi")
    client = client_for(analis)
    html = client.get(f"/laporan/{second.pk}/").content.decode()
    assert f'data-candidate="report:{first.pk}"' in html or f'data-candidate="incident:{incident.pk}"' in html

    client.post(
        f"/laporan/{second.pk}/gabungkan/", {"target": f"report:{first.pk}"}
    )  # joins first's incident
    client.post(f"/laporan/{third.pk}/gabungkan/", {"incident_number": f" k-{incident.pk} "})
    assert set(incident.reports.values_list("pk", flat=True)) == {first.pk, second.pk, third.pk}
    assert status_of(second) == "digabung" and status_of(third) == "digabung"
    assert Incident.objects.count() == 1


def test_merge_refusals(personas: dict[str, Any]) -> None:
    analis = personas["analis"]
    a, b = make_report(), make_report()
    services.create_incident([a], analis)
    services.create_incident([b], analis)
    lone = make_report()
    client = client_for(analis)
    response = client.post(f"/laporan/{a.pk}/gabungkan/", {"target": f"report:{b.pk}"}, follow=True)
    assert response.status_code == 200 and messages_of(response)
    assert Report.objects.get(pk=a.pk).incident_id != Report.objects.get(pk=b.pk).incident_id
    assert client.post(f"/laporan/{lone.pk}/gabungkan/", {"target": f"report:{lone.pk}"}).status_code == 302
    assert status_of(lone) == "baru"
    for bad in [{}, {"target": "user:1"}, {"incident_number": "K-abc"}]:
        response = client.post(f"/laporan/{lone.pk}/gabungkan/", bad, follow=True)
        assert response.status_code == 200 and messages_of(response), bad
    assert client.post(f"/laporan/{lone.pk}/gabungkan/", {"incident_number": "K-999999"}).status_code == 404


def test_merging_a_report_locked_by_another_analyst_is_refused(personas: dict[str, Any]) -> None:
    original, duplicate = make_report(), make_report(description=BURNING_SMS)
    services.acquire_lock(original, personas["koordinator"])
    response = client_for(personas["analis"]).post(
        f"/laporan/{duplicate.pk}/gabungkan/", {"target": f"report:{original.pk}"}, follow=True
    )
    assert not Incident.objects.exists()
    assert any("sedang ditinjau" in m for m in messages_of(response))


def test_incident_status_change_needs_a_reason_and_is_audited(personas: dict[str, Any]) -> None:
    incident = services.create_incident([make_report()], personas["analis"])
    client = client_for(personas["analis_nunukan"])
    client.post(f"/kejadian/{incident.pk}/status/", {"status": "ditangani", "reason": ""})
    incident.refresh_from_db()
    assert incident.status == "aktif"
    client.post(
        f"/kejadian/{incident.pk}/status/", {"status": "ditangani", "reason": "Polres turun ke lokasi"}
    )
    incident.refresh_from_db()
    assert incident.status == "ditangani"
    entry = AuditLog.objects.get(action="incident.status", object_id=str(incident.pk))
    assert (entry.before["status"], entry.after["status"], entry.note) == (
        "aktif",
        "ditangani",
        "Polres turun ke lokasi",
    )
    html = client.get(f"/kejadian/{incident.pk}/").content.decode()
    assert "Polres turun ke lokasi" in html


def test_incident_pages_for_leadership_are_read_only(personas: dict[str, Any]) -> None:
    report = make_report()
    incident = services.create_incident([report], personas["analis"])
    html = client_for(personas["pimpinan"]).get(f"/kejadian/{incident.pk}/").content.decode()
    assert 'id="incident-status-form"' not in html
    assert f'data-report="{report.pk}"' in html
    assert f'href="/laporan/{report.pk}/"' not in html  # leadership cannot open reports


def test_incident_list_filters(personas: dict[str, Any]) -> None:
    analis = personas["analis"]
    sebatik = services.create_incident([make_report()], analis)
    tarakan = services.create_incident([make_report(KARANG_ANYAR, event_type="money_politics")], analis)
    services.change_incident_status(tarakan, "selesai", "beres", analis)
    client = client_for(personas["pimpinan"])

    def ids(query: str) -> set[int]:
        html = client.get("/kejadian/?" + query).content.decode()
        return {int(x) for x in re.findall(r'data-incident="(\d+)"', html)}

    assert ids("") == {sebatik.pk, tarakan.pk}
    assert ids("region=65.71") == {tarakan.pk}
    assert ids("status=selesai") == {tarakan.pk}
    assert ids("event_type=arson") == {sebatik.pk}
    assert ids("region=99") == set()


# --- Cost and scope of the queue page ----------------------------------------------------------------------


def test_queue_queries_do_not_grow_with_the_rows(personas: dict[str, Any]) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(personas["koordinator"])
    reporter = Reporter.objects.create(name="Budi")
    for i in range(3):
        make_report(reporter=reporter, hours_ago=i)
    client.get("/antrean/")  # warm the session and caches
    with CaptureQueriesContext(connection) as few:
        client.get("/antrean/")
    for i in range(30):
        locked = make_report(NUNUKAN_TIMUR if i % 2 else TANJUNGKARANG, reporter=reporter, hours_ago=i)
        services.acquire_lock(locked, personas["analis"])  # rows with a lock holder and an assignee
        services.assign(locked, personas["analis"], personas["analis"])
    with CaptureQueriesContext(connection) as many:
        response = client.get("/antrean/")
    assert len(row_ids(response)) == 33
    assert len(many) == len(few), [q["sql"][:120] for q in many.captured_queries]


def test_region_suggestions_stay_in_scope(personas: dict[str, Any]) -> None:
    html = client_for(personas["analis_nunukan"]).get("/antrean/").content.decode()
    datalist = html.split('id="region-suggestions"')[1].split("</datalist>")[0]
    assert 'value="65.03.01"' in datalist and 'value="65.03.01.2001"' in datalist
    assert "65.71" not in datalist and 'value="65.03"' not in datalist


def test_renewing_the_lock_answers_json(personas: dict[str, Any]) -> None:
    report = make_report()
    response = client_for(personas["analis"]).post(f"/laporan/{report.pk}/kunci/")
    assert response.status_code == 200
    assert response.json()["held"] is True and response.json()["until"]
