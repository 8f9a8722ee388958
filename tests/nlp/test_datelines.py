"""Datelines in the forms Indonesian outlets write them: the city is a cue, the outlet is no place."""

from __future__ import annotations

import pytest

from waspada.nlp.datelines import find_dateline
from waspada.nlp.places import Gazetteer


@pytest.mark.parametrize(
    ("body", "city"),
    [
        ("TRIBUNKALTARA.COM, TARAKAN - Massa mendatangi kantor KPU.", "TARAKAN"),
        ("Liputan6.com, Jayapura: Ratusan warga memblokade jalan.", "Jayapura"),
        ("Nunukan (ANTARA) - Polisi mengamankan tiga orang.", "Nunukan"),
        ("TANJUNG SELOR, KaltaraNews.id \u2013 Warga berkumpul.", "TANJUNG SELOR"),
        ("NUNUKAN, KOMPAS - Hujan turun.", "NUNUKAN"),
        ("Tarakan, Kaltaranews.id - Warga berkumpul.", "Tarakan"),
        ("Tarakan \u2013 Warga RT 14 berkumpul.", "Tarakan"),
        ("  MALINAU \u2014 Perjalanan dua hari.", "MALINAU"),
    ],
)
def test_it_finds_the_city_of_each_dateline_form(body: str, city: str) -> None:
    found = find_dateline(body)
    assert found is not None
    assert body[found.city_start : found.city_end] == city
    assert (
        body[found.end - 2 : found.end].strip() in {"-", "\u2013", "\u2014", ":"}
        or body[found.end - 1] == " "
    )


@pytest.mark.parametrize(
    "body",
    [
        "Ratusan warga mendatangi kantor KPU Tarakan, Senin.",
        "KOMPAS.com - Kericuhan terjadi di Nunukan.",
        "Pada Senin - Selasa, warga berkumpul.",
        "",
    ],
)
def test_a_body_without_a_dateline_has_none(body: str) -> None:
    assert find_dateline(body) is None


def test_offsets_count_from_the_start_of_the_whole_text() -> None:
    text = "Judul Berita\n\nNunukan (ANTARA) - Isi."
    found = find_dateline(text, 14)
    assert found is not None and text[found.city_start : found.city_end] == "Nunukan"


def test_the_outlet_before_the_city_is_not_read_as_a_place(gazetteer: Gazetteer) -> None:
    text = "TRIBUNKALTARA.COM, TARAKAN - Warga Nunukan berkumpul."
    found = [(m.text, m.place.code, m.role) for m in gazetteer.resolve(text)]
    assert ("TARAKAN", "65.71", "dateline") in found
    assert all(m != "TRIBUNKALTARA" for m, _, _ in found)


def test_a_title_case_dateline_counts_as_the_dateline(gazetteer: Gazetteer) -> None:
    found = [(m.text, m.place.code, m.role) for m in gazetteer.resolve("Nunukan (ANTARA) - Warga berkumpul.")]
    assert found == [("Nunukan", "65.03", "dateline")]
