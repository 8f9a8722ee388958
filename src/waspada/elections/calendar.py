"""The election calendar (tahapan) as data: which stage a date falls in and how risky it is — pure.

Stages are anything with ``code``, ``starts_on``, ``ends_on`` (inclusive; None = the end is not known yet,
e.g. re-votes whose dates the KPU has not fixed: the stage then covers its start day only, so an unknown
end never raises the risk indefinitely) and ``risk_weight`` (0–1): the :class:`~waspada.elections.models.ElectionStage`
rows an admin edits, or the :class:`Stage` records below. Stages overlap (the kecamatan, kab/kota and
provinsi recaps run at once); the current stage is then the riskiest of them, and ``stage_risk`` is its
weight. Outside every stage the risk is ``baseline`` (0 by default).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Protocol, TypeVar


class StageLike(Protocol):
    @property
    def code(self) -> str: ...
    @property
    def starts_on(self) -> date: ...
    @property
    def ends_on(self) -> date | None: ...
    @property
    def risk_weight(self) -> float: ...


S = TypeVar("S", bound=StageLike)


@dataclass(frozen=True, slots=True)
class Stage:
    code: str
    name_id: str
    name_en: str
    starts_on: date
    ends_on: date | None
    risk_weight: float
    notes: str = ""


def is_active(stage: StageLike, day: date) -> bool:
    end = stage.ends_on if stage.ends_on is not None else stage.starts_on
    return stage.starts_on <= day <= end


def active_stages(stages: Iterable[S], day: date) -> list[S]:
    """Every stage covering ``day``, riskiest first (then the one that started last)."""
    found = [s for s in stages if is_active(s, day)]
    return sorted(found, key=lambda s: (-float(s.risk_weight), -s.starts_on.toordinal(), s.code))


def current_stage(stages: Iterable[S], day: date) -> S | None:
    """The stage ``day`` falls in (the riskiest when several overlap), or None."""
    found = active_stages(stages, day)
    return found[0] if found else None


def stage_risk(stages: Iterable[StageLike], day: date, *, baseline: float = 0.0) -> float:
    """The risk weight of the calendar on ``day``: the highest weight of the stages covering it."""
    stage = current_stage(stages, day)
    return max(baseline, float(stage.risk_weight)) if stage is not None else baseline


def validate_stage(stage: StageLike) -> list[str]:
    """What is wrong with a stage, in Bahasa Indonesia (empty when nothing is)."""
    problems = []
    if stage.ends_on is not None and stage.ends_on < stage.starts_on:
        problems.append("tanggal selesai sebelum tanggal mulai")
    if not 0.0 <= float(stage.risk_weight) <= 1.0:
        problems.append("bobot risiko harus antara 0 dan 1")
    return problems


#: Pilkada Serentak 2024 (PKPU 2/2024, KPU and MK schedules; reference notes §3). Risk weights, from the
#: notes' reading of the highest-risk windows: voting day and the TPS → kecamatan hand-over (0.9, 0.8),
#: the penetapan of bupati/wali kota results at kab/kota (0.85), the provincial recap (0.75), MK dismissal
#: day and final rulings (0.8), re-votes ordered by the MK (0.7); campaign and MK filing window (0.5–0.6);
#: quiet days, hearings and inauguration lower (0.3–0.5).
PILKADA_2024: tuple[Stage, ...] = (
    Stage("kampanye", "Masa kampanye", "Campaign", date(2024, 9, 25), date(2024, 11, 23), 0.5),
    Stage("masa_tenang", "Masa tenang", "Quiet period", date(2024, 11, 24), date(2024, 11, 26), 0.4),
    Stage(
        "pemungutan",
        "Pemungutan dan penghitungan suara di TPS",
        "Voting and count at the polling stations",
        date(2024, 11, 27),
        date(2024, 11, 27),
        0.9,
    ),
    Stage(
        "rekap_kecamatan",
        "Rekapitulasi tingkat kecamatan (PPK)",
        "Sub-district recapitulation",
        date(2024, 11, 28),
        date(2024, 12, 3),
        0.8,
    ),
    Stage(
        "rekap_kabkota",
        "Rekapitulasi dan penetapan hasil tingkat kabupaten/kota",
        "District/city recapitulation and results",
        date(2024, 11, 29),
        date(2024, 12, 6),
        0.85,
    ),
    Stage(
        "rekap_provinsi",
        "Rekapitulasi tingkat provinsi",
        "Provincial recapitulation",
        date(2024, 11, 30),
        date(2024, 12, 9),
        0.75,
    ),
    Stage(
        "permohonan_mk",
        "Pengajuan permohonan sengketa hasil ke MK",
        "Filing result disputes at the Constitutional Court",
        date(2024, 11, 27),
        date(2024, 12, 18),
        0.6,
        "Jendela PMK 4/2024; tiap daerah 3 hari kerja sejak pengumuman penetapan (Pasal 157(5) UU 10/2016).",
    ),
    Stage(
        "sidang_mk",
        "Registrasi perkara dan sidang pendahuluan/pemeriksaan di MK",
        "Case registration and hearings at the Constitutional Court",
        date(2025, 1, 3),
        date(2025, 2, 3),
        0.4,
        "Registrasi 3 Jan 2025; pendahuluan 8–16 Jan; pemeriksaan 17 Jan–4 Feb.",
    ),
    Stage(
        "putusan_dismissal",
        "Putusan dismissal MK",
        "Constitutional Court dismissal rulings",
        date(2025, 2, 4),
        date(2025, 2, 5),
        0.8,
        "270 perkara diputus; di Kaltara perkara Tarakan, Nunukan dan Tana Tidung selesai 4–5 Feb 2025.",
    ),
    Stage(
        "pelantikan",
        "Pelantikan kepala daerah terpilih",
        "Inauguration of the elected heads of region",
        date(2025, 2, 20),
        date(2025, 2, 20),
        0.3,
        "961 kepala daerah dari 481 daerah tanpa sengketa lanjutan, termasuk enam kepala daerah Kaltara.",
    ),
    Stage(
        "putusan_akhir_mk",
        "Putusan akhir MK",
        "Constitutional Court final rulings",
        date(2025, 2, 24),
        date(2025, 2, 24),
        0.8,
        "40 perkara: 26 dikabulkan, PSU di 24 daerah.",
    ),
    Stage(
        "psu",
        "Pemungutan suara ulang (PSU) putusan MK",
        "Re-votes ordered by the Constitutional Court",
        date(2025, 2, 25),
        None,
        0.7,
        "PSU di 24 daerah (tidak ada di Kaltara); tanggal per daerah mengikuti batas waktu putusan MK — "
        "admin menetapkan tanggal selesai.",
    ),
)
