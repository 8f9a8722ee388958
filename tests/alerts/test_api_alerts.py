"""/api/alerts and /api/actions: shapes, scope, status steps, and the one error shape."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from waspada.alerts import delivery
from waspada.alerts.models import Channel

from .conftest import make_alert, make_incident

pytestmark = pytest.mark.django_db


def api(token: str) -> Any:
    client = Client()
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}

    class Api:
        def get(self, path: str, **query: Any) -> Any:
            return client.get("/api" + path, query, **auth)

        def post(self, path: str, body: Any) -> Any:
            raw = body if isinstance(body, str) else json.dumps(body)
            return client.post("/api" + path, raw, content_type="application/json", **auth)

    return Api()


def error_of(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) == {"error"} and body["error"]["status"] == status
    return body["error"]  # type: ignore[no-any-return]


def test_it_lists_alerts_in_scope_with_their_deliveries(
    personas: dict[str, Any], token_for: Any, http_sink: Any
) -> None:
    Channel.objects.create(
        name="Posko", kind="webhook", config={"url": http_sink.url + "/ok", "secret": "x" * 20}
    )
    mine = make_alert(region="65.03.01")
    other = make_alert(rule_name="Lain", region="65.71.01")
    delivery.deliver_due()
    body = api(token_for(personas["analis_nunukan"])).get("/alerts").json()
    assert body["count"] == 1
    [row] = body["results"]
    assert (row["id"], row["region"], row["status"], row["rule"]) == (
        mine.pk,
        "65.03.01",
        "terbuka",
        "Bentrok berulang",
    )
    assert row["deliveries"][0]["channel"] == "Posko" and row["deliveries"][0]["status"] == "delivered"
    everything = api(token_for(personas["analis"])).get("/alerts", region="65.71").json()
    assert [r["id"] for r in everything["results"]] == [other.pk]
    error_of(api(token_for(personas["analis_nunukan"])).get(f"/alerts/{other.pk}"), 404)
    error_of(api(token_for(personas["pelapor"])).get("/alerts"), 403)
    error_of(api(token_for(personas["analis"])).get("/alerts", region="65.x"), 400)
    error_of(api(token_for(personas["analis"])).get("/alerts", status="hilang"), 422)


def test_it_moves_an_alert_through_its_statuses(personas: dict[str, Any], token_for: Any) -> None:
    alert = make_alert(region="65.03.01")
    client = api(token_for(personas["analis_nunukan"]))
    done = client.post(f"/alerts/{alert.pk}/status", {"status": "diterima", "note": "sudah dihubungi"}).json()
    assert done["status"] == "diterima" and done["acknowledged_at"] is not None
    assert (
        "berstatus diterima"
        in error_of(client.post(f"/alerts/{alert.pk}/status", {"status": "diterima"}), 409)["message"]
    )
    error_of(
        api(token_for(personas["pimpinan"])).post(f"/alerts/{alert.pk}/status", {"status": "selesai"}), 403
    )
    error_of(client.post(f"/alerts/{alert.pk}/status", {"status": "terbuka"}), 422)
    error_of(client.post(f"/alerts/{alert.pk}/status", "{"), 400)


def test_it_records_and_updates_response_actions(personas: dict[str, Any], token_for: Any) -> None:
    incident = make_incident("65.03.01", timezone.now())
    client = api(token_for(personas["analis_nunukan"]))
    created = client.post(
        "/actions",
        {"incident": incident.pk, "kind": "mediasi", "agency": "Kesbangpol", "due_date": "2020-01-01"},
    )
    assert created.status_code == 201, created.content
    action = created.json()
    assert (action["incident"], action["region"], action["overdue"]) == (incident.pk, "65.03.01", True)
    assert [a["id"] for a in client.get("/actions", state="overdue").json()["results"]] == [action["id"]]
    error_of(client.post(f"/actions/{action['id']}", {"status": "selesai"}), 409)  # the outcome is missing
    updated = client.post(f"/actions/{action['id']}", {"status": "selesai", "outcome": "Damai"}).json()
    assert updated["status"] == "selesai" and not updated["overdue"]
    error_of(client.post("/actions", {"kind": "mediasi", "agency": "X"}), 422)
    error_of(client.post("/actions", {"incident": incident.pk, "kind": "tawuran", "agency": "X"}), 422)
    error_of(
        api(token_for(personas["pimpinan"])).post(
            "/actions", {"incident": incident.pk, "kind": "mediasi", "agency": "X"}
        ),
        403,
    )
    tarakan = make_incident("65.71.01", timezone.now())
    error_of(client.post("/actions", {"incident": tarakan.pk, "kind": "mediasi", "agency": "X"}), 404)
