"""Normalisation, actors, impact and dates: small pure functions."""

from __future__ import annotations

import datetime as dt

from waspada.nlp.actors import find_actors
from waspada.nlp.dates import event_date, parse_published
from waspada.nlp.impact import find_impact
from waspada.nlp.normalize import normalize_text, split_sentences, strip_noise
from waspada.nlp.rules import score_article

PUBLISHED = dt.date(2024, 12, 4)  # a Wednesday


def test_it_expands_abbreviations_and_informal_spellings() -> None:
    assert normalize_text("Paslon di Kab. Nunukan gak terima, kata Ketua KPU!") == (
        "pasangan calon di kabupaten nunukan tidak terima kata ketua kpu"
    )
    assert normalize_text("Sei Menggaris, Tj. Selor") == "sungai menggaris tanjung selor"


def test_it_splits_sentences_and_drops_baca_juga_lines() -> None:
    text = "Massa ricuh. Polisi datang.\nBaca Juga: Banjir di Malinau\nWarga pulang."
    assert split_sentences(strip_noise(text)) == ["Massa ricuh.", "Polisi datang.", "Warga pulang."]


def test_it_drops_the_page_furniture_of_news_sites() -> None:
    text = (
        "TARAKAN \u2013 Massa ricuh.\nADVERTISEMENT\nSCROLL TO CONTINUE WITH CONTENT\n(ant/nnk)\n"
        "Simak berita lainnya di Google News.\nArtikel ini telah tayang di Kompas.com dengan judul Bentrok.\n"
        "Laporan Wartawan Tribun, Andi\nIkuti berita terkini di WhatsApp Channel\nPenulis: Andi\nEditor : Budi"
    )
    assert split_sentences(strip_noise(text)) == ["TARAKAN \u2013 Massa ricuh."]


def test_it_keeps_story_lines_that_start_like_a_credit() -> None:
    text = (
        "SUMBER - KPU Kabupaten Cirebon menuntaskan rapat.\n"
        "Sumber di kepolisian menyebutkan dua orang luka.\nPenulis buku itu hadir."
    )
    assert strip_noise(text) == text


def test_it_reads_indonesian_number_words_for_impact() -> None:
    impact = find_impact(normalize_text("Dua orang tewas dan puluhan warga luka-luka, tiga rumah dibakar."))
    assert (impact["killed"], impact["injured"]) == (2, 20)
    assert impact["buildings"] == ["rumah dibakar"]
    assert find_impact(normalize_text("Seorang petugas meninggal dunia."))["killed"] == 1


def test_impact_is_none_when_the_article_does_not_say() -> None:
    impact = find_impact(normalize_text("Massa membubarkan diri dengan tertib."))
    assert impact["killed"] is None and impact["injured"] is None


def test_it_codes_actors_with_paslon_numbers() -> None:
    actors = find_actors(
        normalize_text("Pendukung paslon nomor urut 1 dan 2 bentrok, polisi dan TNI berjaga.")
    )
    assert [a["type"] for a in actors] == ["paslon_supporters", "police", "military"]
    assert actors[0]["paslon"] == [1, 2]


def test_event_date_from_day_and_month_in_brackets() -> None:
    assert event_date("terjadi Senin (2/12) malam", PUBLISHED) == (dt.date(2024, 12, 2), "Senin (2/12)")


def test_event_date_in_brackets_is_never_after_publication() -> None:
    assert event_date("Sabtu (28/12)", dt.date(2025, 1, 3))[0] == dt.date(2024, 12, 28)


def test_event_date_from_kemarin_and_weekday_evening() -> None:
    assert event_date("Bentrok terjadi kemarin.", PUBLISHED)[0] == dt.date(2024, 12, 3)
    assert event_date("terjadi Minggu malam di desa itu", PUBLISHED)[0] == dt.date(2024, 12, 1)


def test_event_date_is_unknown_without_publication_date_or_full_date() -> None:
    assert event_date("kemarin", None) == (None, None)
    assert parse_published("bukan tanggal") is None
    assert parse_published("2024-12-03T09:00:00+08:00") == dt.date(2024, 12, 3)


def test_a_negated_keyword_does_not_count() -> None:
    plain = score_article("Kericuhan di TPS", ["Pendukung paslon ricuh di TPS."])
    negated = score_article("Pleno di TPS", ["Tidak ada kericuhan selama pleno di TPS."])
    assert plain.relevant and not negated.relevant
    assert any(h.cue and h.cue.startswith("negation") for h in negated.hits)


def test_a_riot_control_drill_is_discounted() -> None:
    finding = score_article(
        "Simulasi Sispamkota", ["Massa ricuh dan membakar ban dalam simulasi pengamanan pilkada."]
    )
    assert not finding.relevant
    assert finding.negative_cues and finding.negative_cues[0].startswith("drill")
