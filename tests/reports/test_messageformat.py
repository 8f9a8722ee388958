"""The report text format of the message gateway, without a database: formats, Indonesian spellings of
places, times and event types, follow-up questions, and the exact replies a sender gets."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from typing import Any

import pytest

from waspada import taxonomy
from waspada.regions.gazetteer import iter_units
from waspada.regions.names import NameIndex
from waspada.reports import messageformat as mf
from waspada.reports.messageformat import Draft, Place

# Saturday 28 November 2026, 10:00 WITA (Kalimantan Utara).
NOW = datetime(2026, 11, 28, 2, 0, tzinfo=UTC)
AJI_KUNING = "65.03.12.2003"  # Sebatik Tengah, Nunukan
TANJUNG_HARAPAN_NUNUKAN_SELATAN = "65.03.09.1004"
TANJUNG_HARAPAN_SEBATIK_TIMUR = "65.03.10.2002"


@lru_cache(maxsize=1)
def _gazetteer() -> tuple[NameIndex, dict[str, Any]]:
    units = {u.code: u for u in iter_units() if u.code == "65" or u.code.startswith("65.")}
    index = NameIndex.build((u.code, u.name, u.level, u.kind) for u in units.values())
    return index, units


def _context(code: str) -> str:
    _, units = _gazetteer()
    parts = code.split(".")
    labels = []
    for size in range(len(parts) - 1, 1, -1):
        name = units[".".join(parts[:size])].name
        labels.append(f"Kec. {name}" if size == 3 else name.replace("Kabupaten ", "Kab. "))
    return ", ".join(labels)


def lookup(query: str, within: str | None) -> Sequence[Place]:
    """What the Django side plugs in, over Kaltara's gazetteer held in memory."""
    index, units = _gazetteer()
    if query[:1].isdigit():
        unit = units.get(query)
        return [Place(unit.code, unit.name, unit.level, _context(unit.code))] if unit else []
    return [
        Place(m.code, m.name, m.level, _context(m.code), m.reason)
        for m in index.search(query, within=within, limit=10)
    ]


def parse(text: str, now: datetime = NOW) -> mf.Result:
    result = mf.parse_message(text, now=now, lookup=lookup)
    assert len(result.reply) <= mf.MAX_REPLY, result.reply
    return result


def report(text: str, now: datetime = NOW) -> mf.ReportFields:
    result = parse(text, now)
    assert result.kind == "report", (result.kind, result.reply)
    assert result.fields is not None
    return result.fields


def wita(*args: int) -> datetime:
    from zoneinfo import ZoneInfo

    return datetime(*args, tzinfo=ZoneInfo("Asia/Makassar"))  # type: ignore[misc]


# --- The formats -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "LAPOR#bentrok#Aji Kuning, Sebatik Tengah#kemarin 15.00#massa saling lempar batu",
        "lapor*bentrok*Aji Kuning, Sebatik Tengah*kemarin 15.00*massa saling lempar batu",
        "Lapor # Bentrok # aji kuning , sebatik tengah # kemarin jam 3 sore # massa saling lempar batu",
        "LAP#bentrok#Ds. Aji Kuning Kec. Sebatik Tengah#27/11 15.00#massa saling lempar batu",
        "LAPORAN\nbentrok\nAji Kuning Sebatik Tengah\n27-11-2026 15:00\nmassa saling lempar batu",
        "*LAPOR*\nJENIS: bentrok\nLOKASI: Aji Kuning, Sebatik Tengah\nWAKTU: kemarin 15.00\nKET: massa saling lempar batu",
        "lapor\njenis = Bentrokan antarpendukung\nlokasi: 6503122003\nwaktu: 27 Nov 2026 pukul 15.00 WITA\n"
        "ket: massa saling lempar batu",
        "/lapor@WaspadaBot supporter_clash#65.03.12.2003#kemarin 15.00#massa saling lempar batu",
    ],
)
def test_it_reads_every_documented_spelling_of_one_report(text: str) -> None:
    fields = report(text)
    assert fields.event_type == "supporter_clash"
    assert fields.region == AJI_KUNING
    assert fields.occurred_at == wita(2026, 11, 27, 15, 0)
    assert fields.time_precision == 1
    assert fields.description == "massa saling lempar batu"
    assert fields.place_label == "Aji Kuning, Kec. Sebatik Tengah, Kab. Nunukan"


def test_waktu_may_be_left_out_and_then_defaults_to_the_time_sent() -> None:
    fields = report("LAPOR#ricuh#Aji Kuning, Sebatik Tengah#massa melempari kantor PPK")
    assert fields.event_type == "riot"
    assert fields.occurred_at == NOW
    assert fields.time_precision == 1
    assert fields.description == "massa melempari kantor PPK"


def test_key_value_lines_continue_the_keterangan_over_several_lines() -> None:
    fields = report(
        "LAPOR\nJENIS: politik uang\nLOKASI: Aji Kuning, Sebatik Tengah\nKET: amplop dibagikan\nke rumah warga"
    )
    assert fields.event_type == "money_politics"
    assert fields.description == "amplop dibagikan\nke rumah warga"


def test_a_report_written_as_a_sentence_is_understood() -> None:
    fields = report("Lapor, ada bentrok di Aji Kuning Sebatik Tengah tadi malam, dua kelompok saling serang")
    assert fields.event_type == "supporter_clash"
    assert fields.region == AJI_KUNING
    assert fields.occurred_at == wita(2026, 11, 27, 20, 0)
    assert "dua kelompok" in fields.description


def test_place_and_type_given_in_the_wrong_order_are_forgiven() -> None:
    fields = report("LAPOR#Aji Kuning, Sebatik Tengah#bentrok#kemarin#lempar batu")
    assert (fields.event_type, fields.region) == ("supporter_clash", AJI_KUNING)


def test_a_time_at_the_start_of_the_keterangan_is_used() -> None:
    fields = report("LAPOR#bakar#Aji Kuning, Sebatik Tengah#tadi malam baliho paslon dibakar")
    assert fields.event_type == "arson"
    assert fields.occurred_at == wita(2026, 11, 27, 20, 0)


def test_script_tags_are_kept_verbatim_in_the_description() -> None:
    fields = report("LAPOR#hoaks#Aji Kuning, Sebatik Tengah#<script>alert(1)</script>")
    assert fields.description == "<script>alert(1)</script>"


# --- Event types -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("event", taxonomy.EVENT_TYPES, ids=lambda e: e.code)
def test_every_event_type_is_found_by_its_code_and_its_indonesian_label(event: taxonomy.EventType) -> None:
    assert mf.find_event_type(event.code) == event.code
    assert mf.find_event_type(event.code.upper().replace("_", " ")) == event.code
    assert mf.find_event_type(event.label_id) == event.code
    assert mf.find_event_type(event.label_id.upper()) == event.code


@pytest.mark.parametrize(
    ("words", "code"),
    [
        ("bentrok", "supporter_clash"),
        ("BENTROKAN massa", "supporter_clash"),
        ("tawuran", "supporter_clash"),
        ("ricuh", "riot"),
        ("kericuhan", "riot"),
        ("demo", "peaceful_protest"),
        ("demo damai", "peaceful_protest"),
        ("demo dibubarkan", "protest_with_intervention"),
        ("intimidasi", "intimidation"),
        ("saksi diancam", "intimidation"),
        ("ancaman", "intimidation"),
        ("amplop", "money_politics"),
        ("politik uang", "money_politics"),
        ("serangan fajar", "money_politics"),
        ("hoaks", "hate_speech_hoax_sara"),
        ("hoax", "hate_speech_hoax_sara"),
        ("isu SARA", "hate_speech_hoax_sara"),
        ("bakar", "arson"),
        ("kotak suara dibakar", "arson"),
        ("rusak", "property_destruction"),
        ("perusakan baliho", "property_destruction"),
        ("blokade", "blockade"),
        ("jalan diblokir", "blockade"),
        ("petugas dianiaya", "violence_election_officials"),
        ("penganiayaan", "violence_civilians"),
        ("diculik", "abduction"),
        ("pendukung ditangkap", "arrest"),
        ("deklarasi damai", "peace_agreement"),
        ("konvoi", "mass_mobilisation"),
        ("sengketa di MK", "result_rejection_dispute"),
    ],
)
def test_common_words_name_their_event_type(words: str, code: str) -> None:
    assert mf.find_event_type(words) == code


@pytest.mark.parametrize("words", ["", "   ", "xyz", "pukul 15.00", "pesta demokrasi"])
def test_words_that_name_no_event_type_give_none(words: str) -> None:
    assert mf.find_event_type(words) is None


# --- Places ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Aji Kuning, Sebatik Tengah",
        "aji kuning sebatik tengah",
        "AJI   KUNING / SEBATIK TENGAH",
        "Ds. Aji Kuning, Kec. Sebatik Tengah",
        "Desa Aji Kuning Kecamatan Sebatik Tengah Kabupaten Nunukan",
        "di desa aji kuning",
        "Aji Kuning",
        "6503122003",
        "65.03.12.2003",
        "kode 65.03.12.2003",
        "Sebatik Tengah, Aji Kuning",
    ],
)
def test_one_desa_in_many_spellings(text: str) -> None:
    located = mf.locate_text(text, lookup)
    assert located.place is not None and located.place.code == AJI_KUNING


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Sei Menggaris", "65.03.13"),
        ("Kec. Sungai Menggaris", "65.03.13"),
        ("Tj. Selor", "65.01.05"),
        ("Kab. Nunukan", "65.03"),
        ("Nunukan", "65.03"),  # the kabupaten, which contains the kecamatan of the same name
        ("Kota Tarakan", "65.71"),
        ("65.03", "65.03"),
        ("Tanjung Harapan, Sebatik Timur", TANJUNG_HARAPAN_SEBATIK_TIMUR),
        ("Tanjung Harapan Nunukan Selatan", TANJUNG_HARAPAN_NUNUKAN_SELATAN),
        ("Tg. Harapan, Kec. Sebatik Timur", TANJUNG_HARAPAN_SEBATIK_TIMUR),
    ],
)
def test_abbreviations_levels_and_hierarchy_cues(text: str, code: str) -> None:
    located = mf.locate_text(text, lookup)
    assert located.place is not None and located.place.code == code


def test_a_desa_name_found_twice_gives_the_choices_with_their_kecamatan() -> None:
    located = mf.locate_text("Tanjung Harapan", lookup)
    assert located.place is None
    assert [p.code for p in located.choices] == [
        TANJUNG_HARAPAN_NUNUKAN_SELATAN,
        TANJUNG_HARAPAN_SEBATIK_TIMUR,
    ]
    assert [p.context for p in located.choices] == [
        "Kec. Nunukan Selatan, Kab. Nunukan",
        "Kec. Sebatik Timur, Kab. Nunukan",
    ]


@pytest.mark.parametrize("text", ["Desa Antah Berantah", "99.99.99.9999", "", "RT 05"])
def test_unknown_places_are_not_found(text: str) -> None:
    assert mf.locate_text(text, lookup) == mf.Located()


# --- Times -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected", "precision"),
    [
        ("27/11 15.00", wita(2026, 11, 27, 15, 0), 1),
        ("27-11-2026", wita(2026, 11, 27, 12, 0), 1),
        ("27.11.2026 08:30", wita(2026, 11, 27, 8, 30), 1),
        ("tgl 27 November 2026 jam 15.00", wita(2026, 11, 27, 15, 0), 1),
        ("hari ini", NOW, 1),
        ("sekarang", NOW, 1),
        ("kemarin", wita(2026, 11, 27, 12, 0), 1),
        ("kmrn sore", wita(2026, 11, 27, 16, 0), 1),
        ("tadi pagi", wita(2026, 11, 28, 8, 0), 1),
        ("tadi siang", wita(2026, 11, 27, 12, 0), 1),  # noon has not come yet at 10.00: yesterday
        ("tadi malam", wita(2026, 11, 27, 20, 0), 1),
        ("semalam", wita(2026, 11, 27, 20, 0), 1),
        ("jam 3 sore", wita(2026, 11, 27, 15, 0), 1),
        ("jam 9 pagi", wita(2026, 11, 28, 9, 0), 1),
        ("pukul 08.15", wita(2026, 11, 28, 8, 15), 1),
        ("jam 3", wita(2026, 11, 28, 3, 0), 1),  # 15.00 has not come yet: 03.00
        ("sekitar jam 10 malam kemarin", wita(2026, 11, 27, 22, 0), 1),
        ("senin", wita(2026, 11, 23, 12, 0), 1),
        ("hari Jum'at", wita(2026, 11, 27, 12, 0), 1),
        ("sabtu lalu", wita(2026, 11, 21, 12, 0), 1),
        ("2 hari lalu", wita(2026, 11, 26, 12, 0), 1),
        ("minggu lalu", wita(2026, 11, 21, 12, 0), 2),
        ("bulan lalu", wita(2026, 10, 29, 12, 0), 3),
        ("27/11 15.00 WIB", datetime(2026, 11, 27, 8, 0, tzinfo=UTC), 1),
        ("30/12", wita(2025, 12, 30, 12, 0), 1),  # no year and not yet this year: last year
    ],
)
def test_times_are_read_in_the_regions_zone(text: str, expected: datetime, precision: int) -> None:
    when = mf.read_when(text, NOW, "Asia/Makassar")
    assert isinstance(when, mf.When), when
    assert when.at == expected
    assert when.precision == precision


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("27/13", 'Tanggal "27/13" tidak ada di kalender.'),
        ("31/02/2026", 'Tanggal "31/02/2026" tidak ada di kalender.'),
        ("jam 25.00", 'Waktu "jam 25.00" tidak dapat dibaca.'),
        ("besok pagi", 'Waktu "besok pagi" tidak dapat dibaca.'),
        ("27/11/2030", 'Waktu "27/11/2030" ada di masa depan.'),
    ],
)
def test_unreadable_times_say_why(text: str, problem: str) -> None:
    assert mf.read_when(text, NOW, "Asia/Makassar") == problem


def test_the_zone_of_the_place_decides_the_clock() -> None:
    # 15.00 in Tarakan (WITA) is 07.00 UTC; the same words in a WIB province are an hour later.
    tarakan = report("LAPOR#demo#Kota Tarakan#kemarin 15.00#orasi")
    assert tarakan.occurred_at.astimezone(UTC) == datetime(2026, 11, 27, 7, 0, tzinfo=UTC)
    assert tarakan.zone == "WITA"
    assert mf.read_when("kemarin 15.00", NOW, "Asia/Jakarta").at.astimezone(UTC) == datetime(  # type: ignore[union-attr]
        2026, 11, 27, 8, 0, tzinfo=UTC
    )


# --- Follow-up questions and bad messages ------------------------------------------------------------------


def test_an_ambiguous_desa_gets_a_question_listing_the_choices() -> None:
    result = parse("LAPOR#ricuh#Tanjung Harapan#kemarin#massa ricuh")
    assert result.kind == "question" and result.missing == "lokasi"
    assert result.reply == (
        'Ada 2 tempat bernama "Tanjung Harapan": 1) Kec. Nunukan Selatan, Kab. Nunukan '
        "2) Kec. Sebatik Timur, Kab. Nunukan. Balas dengan nomornya (1-2) atau nama kecamatannya. "
        "Balas BATAL untuk membatalkan."
    )
    assert result.draft is not None
    draft = Draft.from_json(result.draft.to_json())  # as stored in the conversation
    by_number = mf.answer(draft, "lokasi", "2", now=NOW, lookup=lookup)
    assert by_number.kind == "report" and by_number.fields is not None
    assert by_number.fields.region == TANJUNG_HARAPAN_SEBATIK_TIMUR
    assert by_number.fields.event_type == "riot"
    assert by_number.fields.occurred_at == wita(2026, 11, 27, 12, 0)

    draft = Draft.from_json(result.draft.to_json())
    by_name = mf.answer(draft, "lokasi", "nunukan selatan", now=NOW, lookup=lookup)
    assert by_name.fields is not None and by_name.fields.region == TANJUNG_HARAPAN_NUNUKAN_SELATAN

    draft = Draft.from_json(result.draft.to_json())
    wrong = mf.answer(draft, "lokasi", "5", now=NOW, lookup=lookup)
    assert wrong.kind == "question"
    assert wrong.reply == "Pilihan 5 tidak ada; balas dengan nomor 1-2. Balas BATAL untuk membatalkan."


def test_a_missing_place_gets_a_question_and_the_answer_completes_the_report() -> None:
    result = parse("LAPOR#intimidasi")
    assert result.kind == "question" and result.missing == "lokasi"
    assert result.reply == (
        "Lokasi kejadian belum ada. Balas dengan nama desa dan kecamatannya, misalnya: "
        "Aji Kuning, Sebatik Tengah. Balas BATAL untuk membatalkan."
    )
    assert result.draft is not None
    done = mf.answer(result.draft, "lokasi", "aji kuning sebatik tengah", now=NOW, lookup=lookup)
    assert done.fields is not None
    assert (done.fields.event_type, done.fields.region) == ("intimidation", AJI_KUNING)


def test_an_unknown_event_type_gets_a_question_with_examples() -> None:
    result = parse("LAPOR#keributan kecil#Aji Kuning, Sebatik Tengah#warga gaduh")
    assert result.kind == "question" and result.missing == "jenis"
    assert result.reply == (
        'Jenis kejadian "keributan kecil" tidak dikenali. Balas dengan jenisnya, misalnya: bentrok, ricuh, '
        "demo, intimidasi, politik uang, hoaks, bakar, rusak, blokade. Balas BATAL untuk membatalkan."
    )
    assert result.draft is not None
    done = mf.answer(result.draft, "jenis", "ricuh", now=NOW, lookup=lookup)
    assert done.fields is not None and done.fields.event_type == "riot"
    assert done.fields.description == "warga gaduh"


def test_an_unknown_place_gets_a_question_naming_it() -> None:
    result = parse("LAPOR#demo#Desa Antah Berantah#orasi")
    assert result.kind == "question"
    assert result.reply.startswith('Lokasi "Desa Antah Berantah" tidak ditemukan. Balas dengan nama desa')


def test_an_unreadable_time_gets_a_question_for_the_time() -> None:
    result = parse("LAPOR#demo#Aji Kuning, Sebatik Tengah#27/13 jam 9#orasi")
    assert result.kind == "question" and result.missing == "waktu"
    assert result.reply == (
        'Tanggal "27/13 jam 9" tidak ada di kalender. Balas dengan waktu kejadian, misalnya: 27/11 15.00, '
        "kemarin sore, tadi pagi, jam 3 sore. Balas BATAL untuk membatalkan."
    )
    assert result.draft is not None
    done = mf.answer(result.draft, "waktu", "kemarin jam 9 pagi", now=NOW, lookup=lookup)
    assert done.fields is not None and done.fields.occurred_at == wita(2026, 11, 27, 9, 0)


def test_a_message_without_the_keyword_is_explained_with_an_example() -> None:
    result = parse("ada ribut di pasar")
    assert result.kind == "invalid"
    assert result.reply == (
        "Pesan ini bukan laporan: awali dengan kata LAPOR. Contoh: "
        "LAPOR#bentrok#Aji Kuning, Sebatik Tengah#kemarin 15.00#massa saling lempar batu"
    )


@pytest.mark.parametrize(
    ("text", "start"),
    [
        ("", "Pesan kosong."),
        ("   \n ", "Pesan kosong."),
        ("LAPOR", "Laporan masih kosong. Contoh: LAPOR#"),
        ("LAPOR###", "Laporan masih kosong."),
        ("x" * 100_000, "Pesan terlalu panjang (100000 karakter, batasnya 10000)."),
    ],
)
def test_empty_and_oversized_messages_are_refused_politely(text: str, start: str) -> None:
    result = parse(text)
    assert result.kind == "invalid"
    assert result.reply.startswith(start)


@pytest.mark.parametrize("text", ["/start", "bantuan", "HELP", "info", "?"])
def test_help_requests_get_the_format(text: str) -> None:
    result = parse(text)
    assert result.kind == "help"
    assert result.reply == mf.HELP_REPLY
    assert "LAPOR#jenis#lokasi#waktu#keterangan" in result.reply


def test_garbage_and_control_characters_never_break_the_parser() -> None:
    for text in [
        "\x00\x01\x02LAPOR#\ufffd\ufffd#\x7f",
        "LAPOR#" + "\u200b" * 50,
        "LAPOR#💥🔥#🏠",
        "#*#*\n\n",
    ]:
        result = parse(text)
        assert result.kind in {"question", "invalid"}


@pytest.mark.parametrize("text", ["BATAL", "batal", " Batal. ", "/batal", "/batal@WaspadaBot"])
def test_cancel_words(text: str) -> None:
    assert mf.is_cancel(text)


def test_cancel_is_only_the_whole_message() -> None:
    assert not mf.is_cancel("batal demo di Aji Kuning")


@pytest.mark.parametrize(
    ("raw", "normal"),
    [
        ("+62 812-3456-7890", "6281234567890"),
        ("081234567890", "6281234567890"),
        ("6281234567890", "6281234567890"),
        ("0062 812 3456 7890", "6281234567890"),
        ("whatsapp:+6281234567890", "6281234567890"),
        ("81234567890", "6281234567890"),
        ("+60 12-345 6789", "60123456789"),
        ("TELKOMSEL", "TELKOMSEL"),
    ],
)
def test_sender_numbers_are_compared_in_one_form(raw: str, normal: str) -> None:
    assert mf.normalize_sender(raw) == normal


def test_success_replies_name_the_report_and_say_when_a_check_is_pending() -> None:
    fields = report("LAPOR#bentrok#Aji Kuning, Sebatik Tengah#kemarin 15.00#lempar batu")
    trusted = mf.success_reply("L-123", fields, trusted=True)
    assert trusted == (
        "Terima kasih, laporan Anda tercatat dengan nomor L-123: Bentrokan antarpendukung, "
        "Aji Kuning, Kec. Sebatik Tengah, Kab. Nunukan, 27/11/2026 15.00 WITA."
    )
    unknown = mf.success_reply("L-123", fields, trusted=False)
    assert unknown == trusted + " Laporan akan diperiksa petugas."
    long_place = replace(fields, place_label="x" * 500)
    reply = mf.success_reply("L-123456", long_place, trusted=False)
    assert len(reply) <= mf.MAX_REPLY and reply.endswith("akan diperiksa petugas.")


def test_every_reply_fits_in_two_sms() -> None:
    long_name = "Desa " + "Sangat Panjang " * 30
    for text in [
        f"LAPOR#bentrok#{long_name}",
        f"LAPOR#{'x' * 400}#Aji Kuning",
        f"LAPOR#demo#Aji Kuning#27/13 {'9' * 200}",
        "LAPOR#bentrok#Harapan",
    ]:
        assert len(parse(text).reply) <= mf.MAX_REPLY


def test_a_draft_survives_its_json_round_trip() -> None:
    draft = Draft(jenis="riot", lokasi_text="Tanjung Harapan", choices=[{"code": "65.03.09.1004"}])
    assert Draft.from_json(draft.to_json() | {"unknown": 1}) == draft


def test_sent_time_not_received_time_anchors_relative_words() -> None:
    sent = NOW - timedelta(days=1)
    fields = report("LAPOR#demo#Aji Kuning, Sebatik Tengah#kemarin#orasi", now=sent)
    assert fields.occurred_at.date().isoformat() == "2026-11-26"


def test_every_example_in_the_documentation_makes_a_report() -> None:
    import re
    from pathlib import Path

    doc = Path(__file__).resolve().parents[2] / "docs" / "message-format.md"
    examples = re.findall(r"```sms\n(.*?)```", doc.read_text(encoding="utf-8"), flags=re.DOTALL)
    assert len(examples) >= 5
    for example in examples:
        fields = report(example.strip())
        assert fields.region.startswith("65.03.12"), (example, fields.region)


def test_the_message_format_imports_no_django() -> None:
    import subprocess
    import sys

    code = (
        "import sys, waspada.reports.messageformat, waspada.reports.messagetime; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'django'))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
