"""The pure duplicate scorer (waspada.reports.duplicates): place, time, text and type, with the hard
negatives an analyst would otherwise have to wade through. No database."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from waspada.reports.duplicates import (
    MIN_SCORE,
    WINDOW_HOURS,
    BorderNeighbours,
    Scorer,
    Signal,
    TextProfile,
    find_duplicates,
    normalise_text,
    place_proximity,
    text_similarity,
    time_closeness,
)

T0 = datetime(2024, 11, 27, 14, 0, tzinfo=UTC)

# Kabupaten Nunukan, kecamatan Sebatik: two of its desa; another kecamatan of Nunukan; Kota Tarakan.
TANJUNGKARANG = "65.03.01.2001"
BALANSIKU = "65.03.01.2002"
SEBATIK = "65.03.01"
NUNUKAN_TIMUR = "65.03.02.1001"
KARANG_ANYAR_TARAKAN = "65.71.01.1001"

BURNING = "Massa pendukung paslon 2 membakar ban di depan kantor KPU Nunukan, polisi berjaga."
BURNING_SMS = "ada pembakaran ban oleh pendukung paslon no 2 didepan kantor kpu nunukan. aparat sdh di lokasi"
HOAX = "Beredar pesan berantai di grup WhatsApp yang menuduh petugas KPPS TPS 03 curang, isinya hoaks."


def sig(
    key: str,
    region: str = TANJUNGKARANG,
    hours: float = 0,
    text: str = BURNING,
    event_type: str = "arson",
    family: str = "Riots",
    slack: float = 0.0,
    group: str = "",
) -> Signal:
    return Signal(
        key=key,
        region_code=region,
        occurred_at=T0 + timedelta(hours=hours),
        event_type=event_type,
        event_family=family,
        text=text,
        time_slack_hours=slack,
        group=group,
    )


def test_it_scores_a_same_desa_report_two_hours_apart_with_an_indonesian_reason() -> None:
    [match] = find_duplicates(sig("report:1"), [sig("report:2", hours=2, text=BURNING_SMS)])
    assert match.key == "report:2"
    assert match.score > 0.8
    assert match.reason.startswith("desa sama, selisih 2 jam, teks mirip ")
    assert match.reason.endswith(" %, jenis kejadian sama")
    assert 0 <= match.score <= 1


def test_same_desa_a_week_apart_is_not_a_duplicate_even_with_the_same_text() -> None:
    assert find_duplicates(sig("report:1"), [sig("report:2", hours=7 * 24)]) == []


def test_same_time_in_another_kabkota_is_not_a_duplicate_even_with_the_same_text() -> None:
    assert find_duplicates(sig("report:1"), [sig("report:2", region=KARANG_ANYAR_TARAKAN)]) == []


def test_unrelated_events_in_one_desa_in_the_same_hour_are_not_duplicates() -> None:
    other = sig("report:2", hours=0.5, text=HOAX, event_type="hate_speech_hoax_sara", family="Strategic")
    assert find_duplicates(sig("report:1"), [other]) == []


def test_closer_place_scores_higher_all_else_equal() -> None:
    target = sig("report:0")
    scorer = Scorer(min_score=0)
    scores = [
        scorer.score(target, sig(f"report:{i}", region=region, hours=3, text=BURNING_SMS))
        for i, region in enumerate([TANJUNGKARANG, BALANSIKU, SEBATIK, NUNUKAN_TIMUR], start=1)
    ]
    values = [m.score for m in scores if m is not None]
    assert len(values) == 4
    assert values == sorted(values, reverse=True)
    assert len(set(values)) == 4


@pytest.mark.parametrize(
    ("a", "b", "score", "reason"),
    [
        (TANJUNGKARANG, TANJUNGKARANG, 1.0, "desa sama"),
        (TANJUNGKARANG, BALANSIKU, 0.8, "kecamatan sama, desa lain"),
        (TANJUNGKARANG, SEBATIK, 0.65, "kecamatan sama"),  # one coded only to the kecamatan
        (TANJUNGKARANG, NUNUKAN_TIMUR, 0.45, "kab/kota sama, kecamatan lain"),
        (TANJUNGKARANG, "65.03", 0.3, "kab/kota sama"),
        (TANJUNGKARANG, KARANG_ANYAR_TARAKAN, 0.0, ""),
        ("65.03", "65.71", 0.0, ""),
    ],
)
def test_place_proximity_with_the_sibling_stand_in(a: str, b: str, score: float, reason: str) -> None:
    assert place_proximity(a, b) == (score, reason)
    assert place_proximity(b, a) == (score, reason)


def test_true_adjacency_plugs_in_and_changes_reasons_and_scores() -> None:
    border = BorderNeighbours.of([(TANJUNGKARANG, "65.03.01.2004"), ("65.03.01", "65.03.02")])
    # Touching desa are neighbours; a desa of the same kecamatan that does not touch is only "kecamatan sama".
    assert place_proximity(TANJUNGKARANG, "65.03.01.2004", border) == (0.8, "desa bertetangga")
    assert place_proximity(TANJUNGKARANG, BALANSIKU, border) == (0.65, "kecamatan sama")
    assert place_proximity(TANJUNGKARANG, NUNUKAN_TIMUR, border) == (0.45, "kecamatan bertetangga")
    # Across a kab/kota border only a known touching pair counts.
    across = BorderNeighbours.of([(TANJUNGKARANG, KARANG_ANYAR_TARAKAN)])
    assert place_proximity(TANJUNGKARANG, KARANG_ANYAR_TARAKAN, across)[0] > 0
    assert find_duplicates(sig("report:1"), [sig("report:2", region=KARANG_ANYAR_TARAKAN)], neighbours=across)


def test_time_closeness_decays_and_stops_at_the_window() -> None:
    values = [time_closeness(T0, T0 + timedelta(hours=h)) for h in (0, 1, 6, 12, 24, 48, 72)]
    closeness = [v[0] for v in values if v is not None]
    assert len(closeness) == 7
    assert closeness == sorted(closeness, reverse=True)
    assert closeness[0] == 1.0
    assert closeness[3] == pytest.approx(0.5)
    assert time_closeness(T0, T0 - timedelta(hours=WINDOW_HOURS + 0.1)) is None
    assert time_closeness(T0, T0 + timedelta(hours=WINDOW_HOURS + 0.1)) is None


def test_a_time_known_only_to_the_week_gets_slack() -> None:
    four_days = sig("report:2", hours=96, text=BURNING_SMS)
    assert find_duplicates(sig("report:1"), [four_days]) == []
    weekly = sig("report:2", hours=96, text=BURNING_SMS, slack=84)
    [match] = find_duplicates(sig("report:1"), [weekly])
    assert "selisih ±4 hari" in match.reason


def test_normalisation_expands_sms_abbreviations_and_drops_stop_words() -> None:
    words = normalise_text("Ada pembakaran yg dilakukan pendukung pasangan calon no. 02 didepan TPS 05!!")
    assert words == ["bakar", "dilakukan", "pendukung", "paslon", "2", "depan", "tps", "5"]
    assert normalise_text("Sételah rapat, ricuuuh di sekolahnya") == ["rapat", "ricuh", "sekolah"]


def test_text_similarity_is_symmetric_bounded_and_zero_for_unrelated_texts() -> None:
    a, b, c = TextProfile.of(BURNING), TextProfile.of(BURNING_SMS), TextProfile.of(HOAX)
    assert text_similarity(a, a) == pytest.approx(1.0)
    assert text_similarity(a, b) == pytest.approx(text_similarity(b, a))
    assert 0.5 < text_similarity(a, b) < 1
    assert text_similarity(a, c) == 0.0
    assert text_similarity(a, TextProfile.of("")) == 0.0
    assert text_similarity(TextProfile.of("yang di dan"), a) == 0.0


def test_similar_event_types_count_half() -> None:
    scorer = Scorer(min_score=0)
    same = scorer.score(sig("report:1"), sig("report:2", hours=1, text=BURNING_SMS))
    similar = scorer.score(sig("report:1"), sig("report:3", hours=1, text=BURNING_SMS, event_type="riot"))
    other = scorer.score(
        sig("report:1"), sig("report:4", hours=1, text=BURNING_SMS, event_type="intimidation", family="S")
    )
    assert same and similar and other
    assert (same.type, similar.type, other.type) == (1.0, 0.5, 0.0)
    assert "jenis kejadian serupa" in similar.reason
    assert same.score > similar.score > other.score


def test_one_match_per_incident_and_the_best_one_wins() -> None:
    pool = [
        sig("incident:7", hours=5, text="Pembakaran ban di depan KPU"),
        sig("report:3", hours=1, text=BURNING_SMS, group="incident:7"),
        sig("report:4", hours=2, text=BURNING_SMS),
    ]
    matches = find_duplicates(sig("report:1"), pool)
    assert [m.group for m in matches] == ["incident:7", "report:4"]
    assert matches[0].key == "report:3"  # the closer report stands for its incident


def test_the_target_and_its_own_incident_are_left_out() -> None:
    target = sig("report:1", group="incident:7")
    pool = [target, sig("incident:7", hours=1), sig("report:2", hours=1, group="incident:7")]
    assert find_duplicates(target, pool) == []


def test_results_are_sorted_limited_and_above_the_threshold() -> None:
    pool = [sig(f"report:{i}", hours=i, text=BURNING_SMS) for i in range(2, 30)]
    matches = find_duplicates(sig("report:1"), pool, limit=5)
    assert len(matches) == 5
    assert [m.score for m in matches] == sorted((m.score for m in matches), reverse=True)
    assert all(m.score >= MIN_SCORE for m in matches)


def test_find_many_agrees_with_find_for_each_target() -> None:
    pool = [
        sig("report:1"),
        sig("report:2", hours=3, text=BURNING_SMS),
        sig("report:3", hours=50, region=BALANSIKU),
        sig("report:4", hours=200),
        sig("report:5", hours=1, region=KARANG_ANYAR_TARAKAN),
        sig("incident:1", hours=-4, text="Ban dibakar di depan kantor KPU"),
    ]
    scorer = Scorer()
    many = scorer.find_many(pool, pool)
    for target in pool:
        assert many[target.key] == Scorer().find(target, pool)
