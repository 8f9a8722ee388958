"""Actors, precision scales, urgency, source reliability, impact fields and channels."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from waspada.taxonomy._base import (
    CodeEntry,
    _index,
    _lookup,
    _normalise_lang,
    choices,
)
from waspada.taxonomy.codelists import (
    ACLED_INTER_TYPES,
)
from waspada.taxonomy.events import (
    _PROTESTS,
    _RIOTS,
    _VAC,
    get_event_type,
)

# --------------------------------------------------------------------------------------------------
# Actor types
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ActorType(CodeEntry):
    """A kind of actor. ``acled_inter`` is the ACLED actor type when the actor acts outside a
    demonstration; see :func:`acled_inter_for` for the type within a given event.
    ``takes_paslon_number`` says whether the actor is tied to one numbered candidate pair."""

    acled_inter: int
    takes_paslon_number: bool


ACTOR_TYPES: Final = (
    ActorType("paslon_supporters", "Pendukung paslon", "Supporters of a candidate pair", 3, True),
    ActorType("candidate_team", "Tim pemenangan / tim kampanye paslon", "Candidate campaign team", 3, True),
    ActorType(
        "kpu_staff", "Petugas KPU/PPK/PPS/KPPS", "Election commission staff (KPU/PPK/PPS/KPPS)", 7, False
    ),
    ActorType(
        "bawaslu", "Bawaslu / Panwascam / pengawas TPS", "Election supervisory body (Bawaslu)", 7, False
    ),
    ActorType("police", "Polri", "Police", 1, False),
    ActorType("military", "TNI", "Military", 1, False),
    ActorType("government", "Pemerintah daerah / pejabat", "Government officials", 1, False),
    ActorType("ormas", "Organisasi kemasyarakatan (ormas)", "Mass organisation (ormas)", 3, False),
    ActorType("adat_group", "Kelompok adat", "Customary (adat) community group", 4, False),
    ActorType("religious_group", "Kelompok keagamaan", "Religious group", 4, False),
    ActorType("civilians", "Warga / pemilih", "Civilians / voters", 7, False),
    ActorType("unknown", "Tidak diketahui", "Unknown", 3, False),
)
_ACTOR_TYPES_BY_CODE: Final = _index(ACTOR_TYPES)
_STATE_INTER: Final = 1


def actor_type_choices(lang: str = "id") -> list[tuple[str, str]]:
    return choices(ACTOR_TYPES, lang)


def get_actor_type(code: str) -> ActorType:
    return _lookup(_ACTOR_TYPES_BY_CODE, code, "Jenis aktor")


def acled_inter_for(actor_code: str, event_type_code: str, *, target: bool = False) -> int:
    """The ACLED "inter" code of an actor in an event, following ACLED's role-based actor typing.

    State actors (police, military, government) stay state forces (1). Other actors are protesters (6)
    in a protest event and rioters (5) in a riot event; the victim (``target=True``) of violence against
    civilians is a civilian (7). Otherwise the actor type's default applies ("unknown" follows ACLED's
    "Unidentified Armed Group", a political militia).
    """
    actor = get_actor_type(actor_code)
    event = get_event_type(event_type_code)
    if actor.acled_inter == _STATE_INTER:
        return _STATE_INTER
    if target and event.acled_event_type == _VAC:
        return 7
    if event.acled_event_type == _PROTESTS:
        return 6
    if event.acled_event_type == _RIOTS:
        return 5
    return actor.acled_inter


def acled_interaction(inter1: int, inter2: int | None = None) -> int:
    """ACLED's numeric interaction code: the two inter codes, lower first (17 = state forces–civilians);
    a sole actor gives ``inter1 * 10`` (60 = protesters alone)."""
    valid = {t.inter for t in ACLED_INTER_TYPES}
    for value in (inter1, inter2):
        if value is not None and value not in valid:
            raise ValueError(f"Invalid ACLED inter code {value!r}; expected 1-8")
    if inter2 is None:
        return inter1 * 10
    low, high = sorted((inter1, inter2))
    return low * 10 + high


# --------------------------------------------------------------------------------------------------
# Precision scales
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class GeoPrecision(CodeEntry):
    """How precisely the place of an event is known; ``value`` is stored (1 = desa … 4 = provinsi)."""

    value: int
    acled: int


GEO_PRECISION: Final = (
    GeoPrecision("desa", "Desa/kelurahan", "Village", 1, 1),
    GeoPrecision("kecamatan", "Kecamatan", "Subdistrict", 2, 2),
    GeoPrecision("kabupaten", "Kabupaten/kota", "Regency/city", 3, 3),
    GeoPrecision("provinsi", "Provinsi", "Province", 4, 3),
)

_GEO_ALIASES: Final = {
    "desa": "desa",
    "kelurahan": "desa",
    "village": "desa",
    "kecamatan": "kecamatan",
    "distrik": "kecamatan",
    "district": "kecamatan",
    "subdistrict": "kecamatan",
    "kabupaten": "kabupaten",
    "kota": "kabupaten",
    "kabupaten/kota": "kabupaten",
    "regency": "kabupaten",
    "city": "kabupaten",
    "provinsi": "provinsi",
    "province": "provinsi",
}
_GEO_BY_CODE: Final = _index(GEO_PRECISION)


def geo_precision_choices(lang: str = "id") -> list[tuple[int, str]]:
    """(value, label) pairs: geo precision is stored as its integer value."""
    lang = _normalise_lang(lang)
    return [(g.value, g.label(lang)) for g in GEO_PRECISION]


def acled_geo_precision(level_name: str) -> int:
    """ACLED ``geo_precision`` (1–3) for a level name: desa 1, kecamatan 2, kabupaten/kota and provinsi 3.

    Accepts Indonesian and English names in any case ("Kelurahan", "kota", "district", "province")."""
    key = level_name.strip().lower() if isinstance(level_name, str) else ""
    if key not in _GEO_ALIASES:
        raise ValueError(
            f"Tingkat wilayah tidak dikenal: {level_name!r}. Gunakan desa, kelurahan, kecamatan, kabupaten, "
            "kota atau provinsi."
        )
    return _GEO_BY_CODE[_GEO_ALIASES[key]].acled


def geo_precision_for_region_level(level: int) -> int:
    """Geo precision value of a place known to a region of the given level (1 provinsi … 4 desa).

    The region hierarchy counts down from the province; geo precision counts up from the village."""
    if level not in (1, 2, 3, 4):
        raise ValueError(f"Invalid region level {level!r}; expected 1 (provinsi) to 4 (desa)")
    return 5 - level


@dataclass(frozen=True, slots=True)
class TimePrecision(CodeEntry):
    """How precisely the date of an event is known; ``value`` equals ACLED's ``time_precision``."""

    value: int


TIME_PRECISION: Final = (
    TimePrecision("day", "Tanggal pasti", "Exact day", 1),
    TimePrecision("week", "Dalam minggu yang sama", "Within a week", 2),
    TimePrecision("month", "Dalam bulan yang sama", "Within a month", 3),
)


def time_precision_choices(lang: str = "id") -> list[tuple[int, str]]:
    """(value, label) pairs: time precision is stored as its integer value, as in ACLED."""
    lang = _normalise_lang(lang)
    return [(t.value, t.label(lang)) for t in TIME_PRECISION]


# --------------------------------------------------------------------------------------------------
# Urgency, source reliability, impact, channels
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Urgency(CodeEntry):
    """How fast a report needs attention; ``rank`` orders the levels (1 = lowest)."""

    rank: int


URGENCY: Final = (
    Urgency("rendah", "Rendah", "Low", 1),
    Urgency("sedang", "Sedang", "Medium", 2),
    Urgency("tinggi", "Tinggi", "High", 3),
    Urgency("darurat", "Darurat", "Emergency", 4),
)
_URGENCY_BY_CODE: Final = _index(URGENCY)
_URGENCY_BY_SEVERITY: Final = {1: "rendah", 2: "rendah", 3: "sedang", 4: "tinggi", 5: "darurat"}


def urgency_choices(lang: str = "id") -> list[tuple[str, str]]:
    return choices(URGENCY, lang)


def get_urgency(code: str) -> Urgency:
    return _lookup(_URGENCY_BY_CODE, code, "Tingkat urgensi")


def urgency_for_severity(severity: int) -> Urgency:
    """Default urgency of a new report from its event type's severity (1–2 rendah … 5 darurat)."""
    if severity not in _URGENCY_BY_SEVERITY:
        raise ValueError(f"Invalid severity {severity!r}; expected 1-5")
    return _URGENCY_BY_CODE[_URGENCY_BY_SEVERITY[severity]]


@dataclass(frozen=True, slots=True)
class SourceReliability(CodeEntry):
    """How far the source of a report can be trusted, judged on the source and not on the content.

    A simple four-level scale for field use; ``admiralty`` gives the nearest letter of the NATO
    Admiralty (A–F) source-reliability scale for analysts who use it."""

    admiralty: str
    description_id: str
    description_en: str


SOURCE_RELIABILITY: Final = (
    SourceReliability(
        "terpercaya",
        "Terpercaya",
        "Reliable",
        "B",
        "Anggota FKDM atau Tim Kewaspadaan Dini terdaftar, instansi resmi, atau media dengan rekam jejak baik.",
        "A registered FKDM or early-warning team member, an official body, or a media outlet with a good record.",
    ),
    SourceReliability(
        "cukup",
        "Cukup terpercaya",
        "Fairly reliable",
        "C",
        "Sumber dikenal yang laporannya kadang benar, tetapi belum bisa dipastikan tanpa konfirmasi.",
        "A known source whose reports are sometimes right but cannot be relied on without confirmation.",
    ),
    SourceReliability(
        "diragukan",
        "Diragukan",
        "Doubtful",
        "D",
        "Sumber yang pernah menyampaikan laporan keliru atau hoaks.",
        "A source that has passed on false reports or hoaxes before.",
    ),
    SourceReliability(
        "belum_diketahui",
        "Belum diketahui",
        "Not yet known",
        "F",
        "Pengirim anonim atau belum terdaftar; keandalannya belum bisa dinilai. Nilai bawaan.",
        "An anonymous or unregistered sender whose reliability cannot yet be judged. The default.",
    ),
)
_SOURCE_RELIABILITY_BY_CODE: Final = _index(SOURCE_RELIABILITY)
DEFAULT_SOURCE_RELIABILITY: Final = "belum_diketahui"


def source_reliability_choices(lang: str = "id") -> list[tuple[str, str]]:
    return choices(SOURCE_RELIABILITY, lang)


def get_source_reliability(code: str) -> SourceReliability:
    return _lookup(_SOURCE_RELIABILITY_BY_CODE, code, "Keandalan sumber")


@dataclass(frozen=True, slots=True)
class ImpactField(CodeEntry):
    """A counted consequence of an incident; ``acled_column`` names the ACLED column, if any."""

    acled_column: str | None


IMPACT_FIELDS: Final = (
    ImpactField("killed", "Tewas", "Killed", "fatalities"),
    ImpactField("injured", "Luka-luka", "Injured", None),
    ImpactField("buildings_damaged", "Bangunan rusak", "Buildings damaged", None),
    ImpactField("displaced", "Mengungsi", "Displaced", None),
)


def impact_field_choices(lang: str = "id") -> list[tuple[str, str]]:
    return choices(IMPACT_FIELDS, lang)


@dataclass(frozen=True, slots=True)
class Channel(CodeEntry):
    """How a report reached Waspada; ``is_message`` marks text-message channels that get a reply."""

    is_message: bool


CHANNELS: Final = (
    Channel("web", "Formulir web", "Web form", False),
    Channel("sms", "SMS", "SMS", True),
    Channel("telegram", "Telegram", "Telegram", True),
    Channel("whatsapp", "WhatsApp", "WhatsApp", True),
    Channel("api", "API", "API", False),
    Channel("import", "Impor berkas (CSV/XLSX)", "File import (CSV/XLSX)", False),
    Channel("media", "Pemantauan media", "Media monitoring", False),
)
_CHANNELS_BY_CODE: Final = _index(CHANNELS)


def channel_choices(lang: str = "id") -> list[tuple[str, str]]:
    return choices(CHANNELS, lang)


def get_channel(code: str) -> Channel:
    return _lookup(_CHANNELS_BY_CODE, code, "Saluran")
