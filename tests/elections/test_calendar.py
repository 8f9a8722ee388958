"""The election calendar: the stage a date falls in, its risk weight, and the Pilkada 2024 stages as data."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from waspada.elections.calendar import PILKADA_2024, Stage, current_stage, stage_risk, validate_stage


def code_on(day: date) -> str | None:
    stage = current_stage(PILKADA_2024, day)
    return None if stage is None else stage.code


def test_voting_day_is_the_riskiest_stage() -> None:
    assert code_on(date(2024, 11, 27)) == "pemungutan"
    assert stage_risk(PILKADA_2024, date(2024, 11, 27)) == 0.9


def test_overlapping_recaps_resolve_to_the_riskiest_one() -> None:
    assert code_on(date(2024, 11, 28)) == "rekap_kecamatan"  # only the PPK recap and the MK window
    assert code_on(date(2024, 12, 2)) == "rekap_kabkota"  # kecamatan, kab/kota and provinsi at once
    assert code_on(date(2024, 12, 8)) == "rekap_provinsi"
    assert code_on(date(2024, 12, 15)) == "permohonan_mk"


def test_mk_dismissals_final_rulings_and_inauguration_are_on_their_dates() -> None:
    assert code_on(date(2025, 2, 4)) == code_on(date(2025, 2, 5)) == "putusan_dismissal"
    assert code_on(date(2025, 2, 20)) == "pelantikan"
    assert code_on(date(2025, 2, 24)) == "putusan_akhir_mk"


def test_outside_every_stage_the_risk_is_the_baseline() -> None:
    assert current_stage(PILKADA_2024, date(2024, 12, 25)) is None
    assert stage_risk(PILKADA_2024, date(2024, 12, 25)) == 0.0
    assert stage_risk(PILKADA_2024, date(2024, 12, 25), baseline=0.1) == 0.1


def test_a_stage_without_an_end_date_counts_only_on_its_start_day() -> None:
    assert code_on(date(2025, 2, 25)) == "psu"
    assert code_on(date(2025, 6, 1)) is None
    fixed = Stage("psu", "PSU", "Re-vote", date(2025, 2, 25), date(2025, 4, 19), 0.7)
    assert current_stage([fixed], date(2025, 4, 19)) is fixed


def test_every_pilkada_stage_is_valid_and_has_a_documented_weight() -> None:
    assert len({s.code for s in PILKADA_2024}) == len(PILKADA_2024)
    for stage in PILKADA_2024:
        assert validate_stage(stage) == [] and stage.name_id and stage.name_en
    assert validate_stage(Stage("x", "x", "x", date(2025, 1, 2), date(2025, 1, 1), 1.5)) == [
        "tanggal selesai sebelum tanggal mulai",
        "bobot risiko harus antara 0 dan 1",
    ]


@pytest.mark.django_db
def test_the_demo_loads_the_calendar_idempotently_and_admins_can_edit_it(
    admin_client: object, settings: Any
) -> None:
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    from waspada.demo import load
    from waspada.elections.models import ElectionStage

    load.load_contests()
    load.load_contests()
    stages = list(ElectionStage.objects.filter(election__code="pilkada-2024"))
    assert len(stages) == len(PILKADA_2024)
    assert current_stage(stages, date(2024, 12, 2)).code == "rekap_kabkota"  # type: ignore[union-attr]
    response = admin_client.get("/admin/elections/electionstage/")  # type: ignore[attr-defined]
    assert response.status_code == 200 and "Rekapitulasi" in response.content.decode()
