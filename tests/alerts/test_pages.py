"""The alert and response pages: region-scoped list with filters, the detail with deliveries and status
buttons, response actions on alerts and incidents, the recommendation letter; read-only gets 403 on every
write, out of scope gets 404."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from waspada.accounts.models import AuditLog
from waspada.alerts.models import Alert, ResponseAction

from .conftest import make_alert, make_incident

pytestmark = pytest.mark.django_db


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_nav_links_to_alerts_for_readers_only(personas: dict[str, Any]) -> None:
    assert 'href="/peringatan/"' in client_for(personas["pimpinan"]).get("/kejadian/").content.decode()
    page = client_for(personas["pelapor"]).get("/lapor/").content.decode()
    assert 'href="/peringatan/"' not in page
    assert client_for(personas["pelapor"]).get("/peringatan/").status_code == 403


def test_the_list_is_region_scoped_and_filtered(personas: dict[str, Any]) -> None:
    nunukan = make_alert(region="65.03.01")
    tarakan = make_alert(rule_name="Korban", region="65.71.01")
    Alert.objects.filter(pk=tarakan.pk).update(status="selesai")
    page = client_for(personas["analis_nunukan"]).get("/peringatan/").content.decode()
    assert f'data-alert="{nunukan.pk}"' in page and f'data-alert="{tarakan.pk}"' not in page
    analis = client_for(personas["analis"])
    both = analis.get("/peringatan/").content.decode()
    assert f'data-alert="{nunukan.pk}"' in both and f'data-alert="{tarakan.pk}"' in both
    open_only = analis.get("/peringatan/", {"status": "aktif"}).content.decode()
    assert f'data-alert="{tarakan.pk}"' not in open_only
    by_region = analis.get("/peringatan/", {"region": "65.71"}).content.decode()
    assert f'data-alert="{nunukan.pk}"' not in by_region and f'data-alert="{tarakan.pk}"' in by_region
    outside = client_for(personas["analis_nunukan"]).get("/peringatan/", {"region": "65.71"})
    assert outside.status_code == 200 and 'data-error="region"' in outside.content.decode()


def test_the_detail_shows_evidence_deliveries_and_status_buttons(personas: dict[str, Any]) -> None:
    incident = make_incident("65.03.01", timezone.now(), title="Bentrok di Sebatik")
    alert = make_alert(region="65.03.01")
    Alert.objects.filter(pk=alert.pk).update(evidence={"incidents": [incident.pk]})
    page = client_for(personas["analis"]).get(f"/peringatan/{alert.pk}/").content.decode()
    assert "Bentrok di Sebatik" in page and f"/tindak-lanjut/kejadian/{incident.pk}/" in page
    assert 'data-next="diterima"' in page and 'data-next="selesai"' in page
    readonly = client_for(personas["pimpinan"]).get(f"/peringatan/{alert.pk}/").content.decode()
    assert "data-next=" not in readonly and "new-action-form" not in readonly
    assert (
        client_for(personas["analis_nunukan"])
        .get(f"/peringatan/{make_alert(rule_name='x', region='65.71').pk}/")
        .status_code
        == 404
    )


def test_acknowledge_handle_and_close_through_the_buttons(personas: dict[str, Any]) -> None:
    alert = make_alert(region="65.03.01")
    analis = client_for(personas["analis_nunukan"])
    for step in ("diterima", "ditangani", "selesai"):
        response = analis.post(f"/peringatan/{alert.pk}/status/", {"status": step, "note": f"langkah {step}"})
        assert response.status_code == 302
        alert.refresh_from_db()
        assert alert.status == step
    assert alert.acknowledged_by == personas["analis_nunukan"]
    notes = list(
        AuditLog.objects.filter(object_id=str(alert.pk), action__startswith="alert.").values_list(
            "action", "note"
        )
    )
    assert ("alert.selesai", "langkah selesai") in notes
    again = analis.post(f"/peringatan/{alert.pk}/status/", {"status": "diterima"}, follow=True)
    assert "berstatus selesai" in again.content.decode()


def test_read_only_gets_403_and_out_of_scope_gets_404_on_every_write(personas: dict[str, Any]) -> None:
    alert = make_alert(region="65.03.01")
    incident = make_incident("65.03.01", timezone.now())
    action = ResponseAction.objects.create(alert=alert, kind="patroli", agency="Polsek")
    readonly, outside = client_for(personas["pimpinan"]), client_for(make_user_outside(personas))
    writes = [
        (f"/peringatan/{alert.pk}/status/", {"status": "diterima"}),
        (f"/peringatan/{alert.pk}/tindak-lanjut/", {"kind": "mediasi", "agency": "Kesbangpol"}),
        (f"/tindak-lanjut/{action.pk}/", {"status": "berjalan"}),
        (f"/tindak-lanjut/kejadian/{incident.pk}/", {"kind": "mediasi", "agency": "Kesbangpol"}),
    ]
    for url, data in writes:
        assert readonly.post(url, data).status_code == 403, url
        assert outside.post(url, data).status_code == 404, url
    alert.refresh_from_db()
    assert alert.status == "terbuka" and ResponseAction.objects.count() == 1


def make_user_outside(personas: dict[str, Any]) -> Any:
    from waspada.accounts.management.commands.users import upsert_user
    from waspada.regions.models import Region

    user, _ = upsert_user("analis.tarakan", "analis", Region.objects.get(code="65.71"), "kata-sandi-uji-123")
    return user


def test_response_actions_are_recorded_updated_and_overdue_ones_shown(personas: dict[str, Any]) -> None:
    incident = make_incident("65.03.01", timezone.now())
    analis = client_for(personas["analis_nunukan"])
    response = analis.post(
        f"/tindak-lanjut/kejadian/{incident.pk}/",
        {
            "kind": "mediasi",
            "agency": "Kesbangpol Nunukan",
            "due_date": "2020-01-01",
            "description": "Mediasi dua kubu",
        },
    )
    assert response.status_code == 302
    action = ResponseAction.objects.get()
    assert (action.incident, action.agency, action.created_by) == (
        incident,
        "Kesbangpol Nunukan",
        personas["analis_nunukan"],
    )
    listing = analis.get("/tindak-lanjut/", {"state": "overdue"}).content.decode()
    assert f'data-action="{action.pk}"' in listing and 'data-overdue="1"' in listing
    assert 'id="overdue-actions"' in analis.get("/peringatan/").content.decode()
    refused = analis.post(f"/tindak-lanjut/{action.pk}/", {"status": "selesai", "outcome": ""}, follow=True)
    assert "hasil" in refused.content.decode()
    analis.post(
        f"/tindak-lanjut/{action.pk}/",
        {"status": "selesai", "outcome": "Kedua kubu sepakat damai", "due_date": "2020-01-01"},
    )
    action.refresh_from_db()
    assert action.status == "selesai" and action.completed_at is not None
    assert AuditLog.objects.filter(action="action.update", object_id=str(action.pk)).exists()


def test_the_recommendation_letter_is_generated_from_an_incident_and_its_actions(
    personas: dict[str, Any],
) -> None:
    incident = make_incident(
        "65.03.01.2001", timezone.now() - timedelta(hours=3), title="Bentrok pendukung di Sebatik", injured=2
    )
    alert = make_alert(region="65.03.01")
    Alert.objects.filter(pk=alert.pk).update(evidence={"incidents": [incident.pk]})
    ResponseAction.objects.create(
        incident=incident, kind="mediasi", agency="Kesbangpol", status="selesai", outcome="Sepakat damai"
    )
    ResponseAction.objects.create(
        incident=incident, kind="patroli", agency="Polres Nunukan", due_date=date(2030, 1, 5)
    )
    ResponseAction.objects.create(
        incident=incident,
        kind="rekomendasi",
        agency="Pemkab Nunukan",
        description="Menggelar rapat Forkopimda",
    )
    page = (
        client_for(personas["pimpinan"]).get(f"/tindak-lanjut/kejadian/{incident.pk}/surat/").content.decode()
    )
    assert "Yth. Bupati Nunukan" in page and "Tim Kewaspadaan Dini Kabupaten Nunukan" in page
    assert "Peraturan Menteri Dalam Negeri Nomor 46 Tahun 2019" in page
    assert "Bentrok pendukung di Sebatik" in page and "2 orang luka-luka" in page
    assert "Sepakat damai" in page and "Menggelar rapat Forkopimda" in page
    assert "Polres Nunukan selesai paling lambat 5 Januari 2030" in page
    assert f"P-{alert.pk}" in page
    governor = client_for(personas["pimpinan"]).get(
        f"/tindak-lanjut/kejadian/{incident.pk}/surat/?kepada=provinsi"
    )
    assert "Yth. Gubernur Kalimantan Utara" in governor.content.decode()
    outside = client_for(make_user_outside(personas)).get(f"/tindak-lanjut/kejadian/{incident.pk}/surat/")
    assert outside.status_code == 404


def test_the_channels_page_lists_disabled_channels_with_the_reason(personas: dict[str, Any]) -> None:
    from waspada.alerts.models import Channel

    Channel.objects.create(
        name="Rusak", kind="webhook", config={}, enabled=False, disabled_reason="HTTP 404: hilang"
    )
    page = client_for(personas["analis"]).get("/peringatan/kanal/").content.decode()
    assert 'data-enabled="0"' in page and "HTTP 404: hilang" in page


def test_admin_pages_validate_rules_and_enable_a_repaired_channel(personas: dict[str, Any]) -> None:
    from waspada.alerts.models import AlertRule, Channel

    admin = client_for(personas["admin"])
    bad = admin.post(
        "/admin/alerts/alertrule/add/",
        {
            "name": "x",
            "kind": "incident_count",
            "params": '{"count": 0}',
            "scope_code": "",
            "cooldown_minutes": 60,
            "ack_timeout_minutes": 30,
            "recipient_roles": "[]",
            "enabled": "on",
            "created_at_0": "2024-11-28",
            "created_at_1": "10:00:00",
        },
    )
    assert bad.status_code == 200 and "count" in bad.content.decode() and not AlertRule.objects.exists()
    good = admin.post(
        "/admin/alerts/alertrule/add/",
        {
            "name": "Bentrok",
            "kind": "incident_count",
            "params": '{"count": 2}',
            "scope_code": "65",
            "cooldown_minutes": 60,
            "ack_timeout_minutes": 30,
            "recipient_roles": '["koordinator"]',
            "enabled": "on",
            "created_at_0": "2024-11-28",
            "created_at_1": "10:00:00",
        },
    )
    assert good.status_code == 302 and AlertRule.objects.get().params == {"count": 2}
    assert AuditLog.objects.filter(action="alertrule.create").exists()
    channel = Channel.objects.create(
        name="Rusak", kind="webhook", config={}, enabled=False, disabled_reason="HTTP 404"
    )
    admin.post("/admin/alerts/channel/", {"action": "enable_again", "_selected_action": [channel.pk]})
    channel.refresh_from_db()
    assert channel.enabled and channel.disabled_reason == ""
    assert AuditLog.objects.filter(action="channel.enable", object_id=str(channel.pk)).exists()
