"""The gazetteer place resolver: cues in the text decide which unit a name means."""

from __future__ import annotations

from waspada.nlp.places import Gazetteer, choose_primary

from .conftest import load_articles


def codes(gazetteer: Gazetteer, text: str, **kwargs: object) -> list[tuple[str, str, str]]:
    return [(m.text, m.place.code, m.role) for m in gazetteer.resolve(text, **kwargs)]  # type: ignore[arg-type]


def test_it_indexes_the_whole_national_gazetteer(gazetteer: Gazetteer) -> None:
    assert len(gazetteer) == 91_599


def test_it_resolves_a_kecamatan_followed_by_its_kabupaten(gazetteer: Gazetteer) -> None:
    found = codes(gazetteer, "Bentrok terjadi di Kecamatan Sebatik Barat, Kabupaten Nunukan, kemarin.")
    assert found == [("Sebatik Barat", "65.03.08", "place"), ("Nunukan", "65.03", "place")]


def test_a_bare_name_shared_by_a_kabupaten_and_its_kecamatan_means_the_kabupaten(
    gazetteer: Gazetteer,
) -> None:
    assert codes(gazetteer, "Situasi di Nunukan kondusif.") == [("Nunukan", "65.03", "place")]


def test_the_kec_prefix_selects_the_kecamatan(gazetteer: Gazetteer) -> None:
    assert codes(gazetteer, "Warga Kec. Nunukan berkumpul.") == [("Nunukan", "65.03.02", "place")]


def test_it_reads_a_dateline_and_skips_the_news_agency(gazetteer: Gazetteer) -> None:
    found = codes(gazetteer, "NUNUKAN, KOMPAS – Warga berkumpul di balai desa.")
    assert found == [("NUNUKAN", "65.03", "dateline")]
    assert codes(gazetteer, "TARAKAN – Hujan turun sejak pagi.") == [("TARAKAN", "65.71", "dateline")]


def test_it_matches_sei_and_tj_variants(gazetteer: Gazetteer) -> None:
    found = codes(gazetteer, "Massa dari Sei Menggaris bergerak ke Tj. Selor.")
    assert [c for _, c, _ in found] == ["65.03.13", "65.01.05"]
    assert codes(gazetteer, "Warga Sungai Menggaris berkumpul.")[0][1] == "65.03.13"


def test_it_ignores_person_street_and_building_names_that_look_like_places(gazetteer: Gazetteer) -> None:
    text = "Bapak Malinau dan H. Nunukan menginap di Hotel Tarakan Plaza di Jl. Sebatik, dekat Universitas Bulungan."
    assert codes(gazetteer, text) == []


def test_an_organisation_name_still_hints_its_kabupaten(gazetteer: Gazetteer) -> None:
    found = gazetteer.resolve("Kapolres Nunukan dan KPU Malinau memberi keterangan.")
    assert [(m.place.code, m.role) for m in found] == [("65.03", "organisation"), ("65.02", "organisation")]
    assert all(m.score <= 0.5 for m in found)


def test_an_ambiguous_name_without_any_cue_is_left_out(gazetteer: Gazetteer) -> None:
    assert codes(gazetteer, "Massa dari Sidomulyo datang.") == []


def test_a_parent_region_in_the_text_decides_an_ambiguous_name(gazetteer: Gazetteer) -> None:
    found = codes(gazetteer, "Di Kecamatan Sungai Raya, Kabupaten Kubu Raya, warga berkumpul.")
    assert found[0][1] == "61.12.01"


def test_no_place_outside_the_gazetteer(gazetteer: Gazetteer) -> None:
    assert codes(gazetteer, "Bentrok di Kecamatan Antahberantah, Kabupaten Negeri Dongeng.") == []
    for article in load_articles():
        for mention in gazetteer.resolve(article["title"] + "\n\n" + article["text"]):
            assert mention.place.code in gazetteer.places


def test_the_primary_location_prefers_the_event_sentence_over_the_dateline(gazetteer: Gazetteer) -> None:
    text = "TANJUNG SELOR – Ketua PPS di Kecamatan Tanjung Palas dianiaya. Bupati Bulungan mengecam."
    mentions = gazetteer.resolve(text)
    event = (text.index("Ketua"), text.index("dianiaya"))
    primary = choose_primary(gazetteer, mentions, [event])
    assert primary is not None and primary.place.code == "65.01.01"
    assert primary.evidence


def test_the_province_focus_decides_between_equal_candidates(gazetteer: Gazetteer) -> None:
    # Kayan Hilir is a kecamatan of Sintang (Kalimantan Barat) and of Malinau (Kalimantan Utara).
    assert codes(gazetteer, "Warga Kecamatan Kayan Hilir berkumpul.") == []
    found = codes(gazetteer, "Warga Kecamatan Kayan Hilir berkumpul.", province_focus="65")
    assert found == [("Kayan Hilir", "65.02.04", "place")]
    found = codes(gazetteer, "Warga Kecamatan Kayan Hilir berkumpul.", province_focus="61")
    assert found == [("Kayan Hilir", "61.05.08", "place")]


def test_a_title_case_headline_word_is_no_place_unless_the_body_supports_it(gazetteer: Gazetteer) -> None:
    title = "Masyarakat Adat Palang Kantor Desa di Lumbis"
    text = f"{title}\n\nNUNUKAN – Warga memalang kantor desa di Kecamatan Lumbis."
    found = codes(gazetteer, text, dateline_from=len(title) + 2)
    assert ("Palang", "35.23.18", "place") not in found  # a kecamatan in Jawa Timur, here a verb
    assert found[0] == ("Lumbis", "65.03.04", "place")
    assert ("NUNUKAN", "65.03", "dateline") in found
