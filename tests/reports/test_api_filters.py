"""The list endpoints of reports, incidents, alerts and actions share one region filter and one page window:
documented alike in the schema, and a bad region answered alike."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

LISTS = ["/api/reports", "/api/incidents", "/api/alerts", "/api/actions"]


@pytest.fixture(scope="module")
def schema() -> dict[str, Any]:
    from waspada.api.urls import api

    return api.get_openapi_schema()  # type: ignore[no-any-return]


def parameters(schema: dict[str, Any], path: str) -> dict[str, dict[str, Any]]:
    return {p["name"]: p for p in schema["paths"][path]["get"]["parameters"]}


def test_the_shared_filters_are_documented_alike(schema: dict[str, Any]) -> None:
    first, *others = (parameters(schema, path) for path in LISTS)
    for name in ("region", "limit", "offset"):
        assert all(other[name] == first[name] for other in others), name
    assert first["region"]["description"] == "Kemendagri code: that region and everything under it"


@pytest.mark.parametrize("path", LISTS)
def test_a_bad_region_is_answered_alike_on_every_list(
    path: str, personas: dict[str, Any], token_for: Any
) -> None:
    client = Client(HTTP_AUTHORIZATION=f"Bearer {token_for(personas['admin'])}")
    malformed = client.get(path, {"region": "65.x"})
    assert malformed.status_code == 400
    error = malformed.json()["error"]
    assert error["code"] == "invalid_code" and error["details"][0]["field"] == "region"
    unknown = client.get(path, {"region": "65.99"})
    assert unknown.status_code == 422
    assert unknown.json()["error"]["message"] == "Kode wilayah 65.99 tidak ada di gazetir Kemendagri."
    assert client.get(path, {"region": "6503"}).status_code == 200  # undotted, as KPU writes it
