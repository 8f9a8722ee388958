"""The map's cache stamp: the newest snapshot's creation time, read through an index on that column."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.utils import timezone

from waspada.risk.latest import snapshot_stamp
from waspada.risk.models import IndexSnapshot

pytestmark = pytest.mark.django_db


def snapshot(code: str, created_at: dt.datetime) -> IndexSnapshot:
    return IndexSnapshot.objects.create(
        date=created_at.date(), config_version="uji", region_id=code, score=10.0, created_at=created_at
    )


def test_the_stamp_changes_when_a_snapshot_is_stored(db: Any) -> None:
    assert snapshot_stamp() == "none"
    first = timezone.now() - dt.timedelta(days=2)
    snapshot("65.03", first)
    assert snapshot_stamp() == first.isoformat()
    later = first + dt.timedelta(hours=5)
    snapshot("65.71", later)
    assert snapshot_stamp() == later.isoformat()


def test_the_creation_time_it_orders_by_is_indexed(db: Any) -> None:
    with connection.cursor() as cursor:
        found = connection.introspection.get_constraints(cursor, IndexSnapshot._meta.db_table)
    leading = [c["columns"][0] for c in found.values() if c["index"] and c["columns"]]
    assert "created_at" in leading
