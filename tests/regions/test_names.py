from __future__ import annotations

import pytest

from waspada.regions.codes import InvalidCode
from waspada.regions.names import NameIndex, normalize_name, split_prefix


def codes_of(
    index: NameIndex, query: str, *, level: int | None = None, within: str | None = None, limit: int = 10
) -> list[str]:
    return [match.code for match in index.search(query, level=level, within=within, limit=limit)]


# --- normalize_name -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("  TARAKAN  Barat ", "tarakan barat"),
        ("Bulúngan", "bulungan"),
        ("Sei Menggaris", "sungai menggaris"),
        ("SUNGAI menggaris", "sungai menggaris"),
        ("Tj. Selor", "tanjung selor"),
        ("Tj.Selor", "tanjung selor"),
        ("Tg Palas", "tanjung palas"),
        ("Patal II", "patal 2"),
        ("Patal 02", "patal 2"),
        ("Pasar VIII.Namo Terasi", "pasar 8 namo terasi"),
        ("Sinampila XX", "sinampila 20"),
        ("Bu Nuapu\u2019u", "bu nuapuu"),
        ("N-1 Aek Nabara", "n 1 aek nabara"),
        ("Marga Baru (Kompleks)", "marga baru kompleks"),
    ],
)
def test_it_normalizes_names_to_comparable_keys(raw: str, expected: str) -> None:
    assert normalize_name(raw) == expected


def test_it_turns_roman_numerals_into_numbers_only_as_separate_words() -> None:
    assert normalize_name("Vivi Ixora") == "vivi ixora"
    assert normalize_name("Mara I") == normalize_name("Mara 1")


# --- split_prefix ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "kind", "rest"),
    [
        ("Prov. Kalimantan Utara", "provinsi", "Kalimantan Utara"),
        ("Provinsi Kalimantan Utara", "provinsi", "Kalimantan Utara"),
        ("Kab. Bulungan", "kabupaten", "Bulungan"),
        ("kab bulungan", "kabupaten", "bulungan"),
        ("Kab.Bulungan", "kabupaten", "Bulungan"),
        ("Kabupaten Administrasi Kepulauan Seribu", "kabupaten", "Kepulauan Seribu"),
        ("Kota Tarakan", "kota", "Tarakan"),
        ("Kota Adm. Jakarta Pusat", "kota", "Jakarta Pusat"),
        ("Kota Administrasi Jakarta Timur", "kota", "Jakarta Timur"),
        ("Kec. Sebatik Barat", "kecamatan", "Sebatik Barat"),
        ("kec sebatik barat", "kecamatan", "sebatik barat"),
        ("Kecamatan Sebatik", "kecamatan", "Sebatik"),
        ("Distrik Abepura", "kecamatan", "Abepura"),
        ("Desa Sungai Nyamuk", "desa", "Sungai Nyamuk"),
        ("Kel. Sebengkok", "kelurahan", "Sebengkok"),
        ("Kelurahan Sebengkok ", "kelurahan", "Sebengkok"),
    ],
)
def test_it_splits_a_leading_administrative_prefix(raw: str, kind: str, rest: str) -> None:
    assert split_prefix(raw) == (kind, rest)


@pytest.mark.parametrize("raw", ["Kotabaru", "Kota", "Desa ", "Kelapa Dua", "Kecil", "Sebatik Barat"])
def test_it_leaves_names_without_a_prefix_alone(raw: str) -> None:
    assert split_prefix(raw) == (None, raw.strip())


# --- NameIndex on a few rows ------------------------------------------------------------------------------

ROWS = [
    ("65", "Kalimantan Utara", 1, "provinsi"),
    ("65.01", "Kabupaten Bulungan", 2, "kabupaten"),
    ("65.01.05", "Tanjung Selor", 3, "kecamatan"),
    ("65.01.05.1001", "Tanjung Selor Hulu", 4, "kelurahan"),
    ("65.71", "Kota Tarakan", 2, "kota"),
    ("65.71.01", "Tarakan Barat", 3, "kecamatan"),
    ("65.71.02", "Tarakan Tengah", 3, "kecamatan"),
    ("33.18.19.2018", "Bulungan", 4, "desa"),
    ("11.01.01.2001", "Tarakan", 4, "desa"),
]


@pytest.fixture
def small_index() -> NameIndex:
    return NameIndex.build(ROWS)


def test_it_counts_indexed_units(small_index: NameIndex) -> None:
    assert len(small_index) == len(ROWS)


def test_it_ranks_exact_then_prefix_then_contains(small_index: NameIndex) -> None:
    matches = small_index.search("tarakan")
    assert [(match.code, match.reason) for match in matches] == [
        ("65.71", "exact"),
        ("11.01.01.2001", "exact"),
        ("65.71.01", "prefix"),
        ("65.71.02", "prefix"),
    ]
    assert [(match.code, match.reason) for match in small_index.search("selor")] == [
        ("65.01.05", "contains"),
        ("65.01.05.1001", "contains"),
    ]


def test_it_scores_between_zero_and_one_best_first(small_index: NameIndex) -> None:
    matches = small_index.search("Kota Tarakan")
    assert matches[0].score == 1.0
    scores = [match.score for match in matches]
    assert scores == sorted(scores, reverse=True)
    assert all(0 < score <= 1 for score in scores)


def test_it_prefers_the_kind_named_by_the_query_prefix(small_index: NameIndex) -> None:
    assert codes_of(small_index, "Desa Tarakan")[0] == "11.01.01.2001"
    assert codes_of(small_index, "Kota Tarakan")[0] == "65.71"
    assert codes_of(small_index, "Desa Bulungan")[0] == "33.18.19.2018"
    assert codes_of(small_index, "Kab. Bulungan")[0] == "65.01"


def test_it_prefers_higher_levels_when_scores_tie(small_index: NameIndex) -> None:
    assert codes_of(small_index, "bulungan") == ["65.01", "33.18.19.2018"]


def test_it_keeps_only_the_requested_level_and_subtree(small_index: NameIndex) -> None:
    assert codes_of(small_index, "tarakan", level=4) == ["11.01.01.2001"]
    assert codes_of(small_index, "tarakan", within="65") == ["65.71", "65.71.01", "65.71.02"]
    assert codes_of(small_index, "tarakan", within="6571") == ["65.71", "65.71.01", "65.71.02"]
    assert codes_of(small_index, "tarakan", within="65.01") == []


def test_it_rejects_a_malformed_within_code(small_index: NameIndex) -> None:
    with pytest.raises(InvalidCode):
        small_index.search("tarakan", within="65.x")


def test_it_finds_a_one_typo_name_only_when_nothing_better_matches(small_index: NameIndex) -> None:
    matches = small_index.search("bulngan")
    assert [(match.code, match.reason) for match in matches] == [
        ("65.01", "fuzzy"),
        ("33.18.19.2018", "fuzzy"),
    ]
    assert all(match.reason == "exact" for match in small_index.search("bulungan"))


def test_it_does_not_guess_typos_in_short_queries(small_index: NameIndex) -> None:
    assert small_index.search("tark") == []


def test_it_respects_the_limit_and_ignores_empty_queries(small_index: NameIndex) -> None:
    assert len(small_index.search("tarakan", limit=2)) == 2
    assert small_index.search("tarakan", limit=0) == []
    assert small_index.search("  ...  ") == []
    assert small_index.search("Kab.") == []


def test_it_refuses_duplicate_codes() -> None:
    with pytest.raises(ValueError, match="65.01"):
        NameIndex.build([*ROWS, ("65.01", "Bulungan lagi", 2, "kabupaten")])


# --- NameIndex on the national gazetteer ----------------------------------------------------------------


@pytest.mark.slow
def test_it_indexes_every_gazetteer_unit(name_index: NameIndex) -> None:
    assert len(name_index) == 91_599


@pytest.mark.slow
@pytest.mark.parametrize(
    "query", ["Bulungan", "BULUNGAN", "bulúngan", "Kab. Bulungan", "Kabupaten Bulungan", "kab bulungan"]
)
def test_it_finds_kabupaten_bulungan_by_any_spelling(name_index: NameIndex, query: str) -> None:
    best = name_index.search(query)[0]
    assert (best.code, best.name, best.kind) == ("65.01", "Kabupaten Bulungan", "kabupaten")


@pytest.mark.slow
def test_it_finds_kota_tarakan_with_its_prefix_as_the_kota(name_index: NameIndex) -> None:
    best = name_index.search("Kota Tarakan")[0]
    assert (best.code, best.kind, best.reason, best.score) == ("65.71", "kota", "exact", 1.0)


@pytest.mark.slow
def test_it_tells_kota_from_kabupaten_of_the_same_name(name_index: NameIndex) -> None:
    assert codes_of(name_index, "Kota Bogor")[0] == "32.71"
    assert codes_of(name_index, "Kabupaten Bogor")[0] == "32.01"
    assert codes_of(name_index, "Bogor")[:2] == ["32.01", "32.71"]


@pytest.mark.slow
def test_it_finds_kecamatan_by_abbreviated_prefix(name_index: NameIndex) -> None:
    best = name_index.search("kec sebatik barat")[0]
    assert (best.code, best.name, best.kind) == ("65.03.08", "Sebatik Barat", "kecamatan")


@pytest.mark.slow
@pytest.mark.parametrize(
    "query", ["Sei Menggaris", "Sungai Menggaris", "sei. menggaris", "Kec. Sungai Menggaris"]
)
def test_it_treats_sei_and_sungai_alike(name_index: NameIndex, query: str) -> None:
    best = name_index.search(query, within="65")[0]
    assert (best.code, best.name) == ("65.03.13", "Sei Menggaris")


@pytest.mark.slow
@pytest.mark.parametrize("query", ["Tj. Selor", "Tg Selor", "tanjung selor"])
def test_it_expands_tj_to_tanjung(name_index: NameIndex, query: str) -> None:
    assert codes_of(name_index, query, within="65")[0] == "65.01.05"


@pytest.mark.slow
@pytest.mark.parametrize(
    ("query", "code"),
    [
        ("Patal 2", "65.03.04.2020"),
        ("Patal II", "65.03.04.2020"),
        ("Patal I", "65.03.04.2006"),
        ("Tinampak 2", "65.03.14.2009"),
        ("Kampung 1 Skip", "65.71.02.1001"),
    ],
)
def test_it_matches_roman_and_arabic_numerals(name_index: NameIndex, query: str, code: str) -> None:
    best = name_index.search(query, within="65")[0]
    assert (best.code, best.reason) == (code, "exact")


@pytest.mark.slow
def test_it_drops_apostrophes_when_matching(name_index: NameIndex) -> None:
    assert codes_of(name_index, "Regapuu")[0] == "53.07.01.2021"
    assert codes_of(name_index, "regapu'u")[0] == "53.07.01.2021"


@pytest.mark.slow
def test_it_limits_results_to_a_region_with_within(name_index: NameIndex) -> None:
    everywhere = codes_of(name_index, "Tanjung Harapan", limit=50)
    in_nunukan = codes_of(name_index, "Tanjung Harapan", within="65.03", limit=50)
    assert in_nunukan == ["65.03.09.1004", "65.03.10.2002"]
    assert len(everywhere) > len(in_nunukan)
    assert any(not code.startswith("65.") for code in everywhere)


@pytest.mark.slow
def test_it_prefers_the_kecamatan_over_the_desa_of_the_same_name(name_index: NameIndex) -> None:
    matches = name_index.search("Malinau Kota")
    assert [(match.code, match.kind) for match in matches[:2]] == [
        ("65.02.02", "kecamatan"),
        ("65.02.02.2002", "desa"),
    ]


@pytest.mark.slow
def test_it_rescues_a_typo_in_a_kabupaten_name(name_index: NameIndex) -> None:
    matches = name_index.search("nunukn", level=2)
    assert [(match.code, match.reason) for match in matches] == [("65.03", "fuzzy")]
