"""ACLED and SNPK code lists, and the threat domains (ipoleksosbudhankam)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from waspada.taxonomy._base import (
    CodeEntry,
    _index,
    _lookup,
    choices,
)

# --------------------------------------------------------------------------------------------------
# External code lists: ACLED and SNPK
# --------------------------------------------------------------------------------------------------

#: ACLED event types and their sub-event types, in the codebook's hierarchy order.
ACLED_SUB_EVENT_TYPES: Final[dict[str, tuple[str, ...]]] = {
    "Battles": ("Government regains territory", "Non-state actor overtakes territory", "Armed clash"),
    "Protests": ("Excessive force against protesters", "Protest with intervention", "Peaceful protest"),
    "Riots": ("Violent demonstration", "Mob violence"),
    "Explosions/Remote violence": (
        "Chemical weapon",
        "Air/drone strike",
        "Suicide bomb",
        "Shelling/artillery/missile attack",
        "Remote explosive/landmine/IED",
        "Grenade",
    ),
    "Violence against civilians": ("Sexual violence", "Attack", "Abduction/forced disappearance"),
    "Strategic developments": (
        "Agreement",
        "Arrests",
        "Change to group/activity",
        "Disrupted weapons use",
        "Headquarters or base established",
        "Looting/property destruction",
        "Non-violent transfer of territory",
        "Other",
    ),
}

#: ACLED ``disorder_type`` for the sub-event types that differ from their event type's usual one.
_DISORDER_EXCEPTIONS: Final = {
    "Excessive force against protesters": "Political violence; Demonstrations",
    "Protest with intervention": "Demonstrations",
    "Peaceful protest": "Demonstrations",
    "Violent demonstration": "Demonstrations",
    "Mob violence": "Political violence",
}
_DISORDER_BY_EVENT_TYPE: Final = {
    "Battles": "Political violence",
    "Explosions/Remote violence": "Political violence",
    "Violence against civilians": "Political violence",
    "Strategic developments": "Strategic developments",
}

#: ACLED ``disorder_type`` of each sub-event type.
ACLED_DISORDER_TYPES: Final[dict[str, str]] = {
    sub: _DISORDER_EXCEPTIONS.get(sub) or _DISORDER_BY_EVENT_TYPE[event_type]
    for event_type, subs in ACLED_SUB_EVENT_TYPES.items()
    for sub in subs
}


@dataclass(frozen=True, slots=True)
class AcledInterType:
    """An ACLED actor type ("inter" code 1–8)."""

    inter: int
    label_en: str
    label_id: str


ACLED_INTER_TYPES: Final = (
    AcledInterType(1, "State forces", "Aparat negara"),
    AcledInterType(2, "Rebel groups", "Kelompok pemberontak"),
    AcledInterType(3, "Political militias", "Milisi politik"),
    AcledInterType(4, "Identity militias", "Milisi identitas (komunal, etnis, klan)"),
    AcledInterType(5, "Rioters", "Perusuh"),
    AcledInterType(6, "Protesters", "Pengunjuk rasa"),
    AcledInterType(7, "Civilians", "Warga sipil"),
    AcledInterType(8, "External/other forces", "Pihak luar/lainnya"),
)


@dataclass(frozen=True, slots=True)
class SnpkCategory(CodeEntry):
    """An SNPK conflict category; the code is the category name as SNPK writes it, in lower case."""


SNPK_CATEGORIES: Final = (
    SnpkCategory("sumber daya", "Sumber daya", "Resources"),
    SnpkCategory("tata kelola pemerintahan", "Tata kelola pemerintahan", "Governance"),
    SnpkCategory("pemilihan dan jabatan", "Pemilihan dan jabatan", "Elections and appointments"),
    SnpkCategory("identitas", "Identitas", "Identity"),
    SnpkCategory("main hakim sendiri", "Main hakim sendiri", "Vigilantism (popular justice)"),
    SnpkCategory("separatisme", "Separatisme", "Separatism"),
    SnpkCategory("lainnya", "Lainnya", "Other (outside the six conflict categories)"),
)


def snpk_category_choices(lang: str = "id") -> list[tuple[str, str]]:
    return choices(SNPK_CATEGORIES, lang)


# --------------------------------------------------------------------------------------------------
# Threat domains (ATHG across ipoleksosbudhankam)
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ThreatDomain(CodeEntry):
    """One domain of ipoleksosbudhankam, the fields in which ATHG threats are assessed."""


THREAT_DOMAINS: Final = (
    ThreatDomain("ideologi", "Ideologi", "Ideology"),
    ThreatDomain("politik", "Politik", "Politics"),
    ThreatDomain("ekonomi", "Ekonomi", "Economy"),
    ThreatDomain("sosial", "Sosial", "Social"),
    ThreatDomain("budaya", "Budaya", "Culture"),
    ThreatDomain("hankam", "Pertahanan dan keamanan", "Defence and security"),
)
_THREAT_DOMAINS_BY_CODE: Final = _index(THREAT_DOMAINS)


def threat_domain_choices(lang: str = "id") -> list[tuple[str, str]]:
    return choices(THREAT_DOMAINS, lang)


def get_threat_domain(code: str) -> ThreatDomain:
    return _lookup(_THREAT_DOMAINS_BY_CODE, code, "Bidang ancaman")
