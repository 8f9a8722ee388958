"""A transparent rule-based relevance and event-type scorer over :data:`waspada.taxonomy.EVENT_TYPES`.

Each event type has weighted keywords (the taxonomy's ``keywords_id`` plus the phrases below). A keyword
hit counts fully in a plain sentence, hardly at all when a negation is just before it ("tidak ada
kericuhan", "mengantisipasi bentrok") and only a little in a sentence that carries a hard-negative cue:
a coordination meeting urging vigilance, a riot-control drill ("simulasi sispamkota"), a sports report.
Hits in the title count one and a half times. Violence against people and arrests need an election or
social-conflict context to make an article relevant; peace declarations and security deployments alone
do not. Every finding keeps the sentences and words that decided it.

This is the transparent baseline of the analysis; the trained model of a later slice replaces the
scores, not the contract.
"""

from __future__ import annotations

import math
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import accumulate
from typing import Final

from waspada.taxonomy import EVENT_TYPES

from .normalize import normalize_text
from .phrases import phrase_pattern

__all__ = ["EXTRA_KEYWORDS", "Finding", "Hit", "score_article", "score_normalized"]

#: Phrases beyond the taxonomy's keywords (normalised spelling), with a weight.
EXTRA_KEYWORDS: Final[dict[str, dict[str, float]]] = {
    "peaceful_protest": {"demonstrasi": 1.0, "berunjuk rasa": 1.0, "menggelar aksi": 1.0, "aksi unjuk rasa": 1.0},
    "protest_with_intervention": {"membubarkan massa": 1.0, "dibubarkan paksa": 1.5},
    "riot": {"mengamuk": 1.0, "amuk": 1.0, "berujung ricuh": 1.5},
    "supporter_clash": {
        "bentrok antarpendukung": 2.0, "saling lempar": 1.5, "lempar batu": 1.0, "baku hantam": 1.5,
        "adu fisik": 1.0, "perkelahian": 1.0, "saling serang": 1.5, "kedua kubu": 1.0,
    },
    "violence_civilians": {"dibacok": 1.5, "ditusuk": 1.5, "dipukuli": 1.0, "dianiaya": 1.0},
    "violence_election_officials": {"petugas kpps": 0.5, "ketua kpps dianiaya": 2.0, "anggota pps dipukul": 2.0},
    "intimidation": {"mengintimidasi": 1.5, "diintimidasi": 1.5, "mengancam": 1.0, "ancaman pembunuhan": 1.5},
    "property_destruction": {"merusak": 1.0, "pengrusakan": 1.5, "dilempari": 1.0, "rusak parah": 1.0},
    "arson": {"dibakar massa": 2.0, "aksi pembakaran": 1.5},
    "money_politics": {"membagikan uang": 1.5, "bagi-bagi uang": 1.5, "uang tunai": 0.5},
    "result_rejection_dispute": {
        "mahkamah konstitusi": 1.0, "phpu": 1.5, "menolak hasil rekapitulasi": 2.0, "tidak menerima hasil": 1.5,
    },
    "mass_mobilisation": {"ratusan massa": 1.0, "ribuan massa": 1.0},
    "blockade": {"memblokade": 1.5, "memalang": 1.5, "menyegel": 1.0},
}  # fmt: skip
#: Keywords of the taxonomy that are too common to count fully.
_WEAK: Final[dict[str, float]] = {
    "demo": 0.7, "ancaman": 0.4, "amplop": 0.5, "sembako": 0.4, "siaga": 0.3, "pasukan": 0.3, "sara": 0.7,
    "tersangka": 0.5, "ditahan": 0.5, "palang": 0.4, "sengketa": 0.8, "gugatan": 0.8, "provokasi": 0.6,
    "konvoi": 0.5, "teror": 0.8, "fitnah": 0.6, "dihadang": 0.6, "orasi": 0.6, "long march": 0.6,
}  # fmt: skip
#: Event types that alone do not make an article relevant, and their factor.
_WEAK_TYPES: Final[dict[str, float]] = {"peace_agreement": 0.15, "security_deployment": 0.15, "arrest": 0.5}
#: Event types whose keywords also describe unrelated crime: they need election or social-conflict context.
_NEEDS_CONTEXT: Final = frozenset({"violence_civilians", "abduction", "arrest", "intimidation", "arson"})

#: Violence against people in a sentence that names election officials is violence against officials.
_AGAINST_PEOPLE: Final = frozenset({"violence_civilians", "mob_justice"})
_OFFICIALS: Final = phrase_pattern(
    ("kpps", "pps", "ppk", "panwascam", "pengawas tps", "petugas kpu", "komisioner", "penyelenggara")
)
_HARD_NEGATIVE: Final[dict[str, tuple[str, ...]]] = {
    "meeting": (
        "rapat koordinasi", "rakor", "mengimbau", "imbauan", "diimbau", "mengajak", "sosialisasi",
        "mengantisipasi", "antisipasi", "pencegahan", "mencegah", "potensi", "kerawanan", "jangan sampai",
        "apel", "menjaga kondusivitas", "silaturahmi", "dialog", "diskusi", "seminar",
    ),
    "drill": ("simulasi", "sispamkota", "latihan", "gladi", "peragaan", "skenario", "pasukan pengendalian massa"),
    "sport": (
        "sepak bola", "pertandingan", "laga", "turnamen", "liga", "gol", "wasit", "pemain", "kejuaraan",
        "stadion", "futsal", "klub",
    ),
}  # fmt: skip
_NEGATIONS: Final = frozenset(
    [
        "tidak",
        "tanpa",
        "bukan",
        "belum",
        "jangan",
        "cegah",
        "mencegah",
        "antisipasi",
        "mengantisipasi",
        "potensi",
    ]
)
_ELECTION_CONTEXT: Final = phrase_pattern(
    (
        "pilkada",
        "pemilihan",
        "pemilu",
        "pasangan calon",
        "calon bupati",
        "calon gubernur",
        "calon wali kota",
        "kpu",
        "bawaslu",
        "tps",
        "kpps",
        "ppk",
        "pps",
        "rekapitulasi",
        "pencoblosan",
        "pemungutan suara",
        "kampanye",
        "pendukung",
        "simpatisan",
        "tim pemenangan",
        "saksi",
        "kotak suara",
        "surat suara",
        "ormas",
        "organisasi kemasyarakatan",
        "antarwarga",
        "antarkelompok",
        "adat",
    )
)


@dataclass(frozen=True, slots=True)
class Hit:
    event_type: str
    keyword: str
    weight: float
    sentence: int
    cue: str | None  # why it was discounted, if it was


@dataclass(slots=True)
class Finding:
    relevant: bool
    relevance_score: float
    event_type: str | None
    event_confidence: float
    type_scores: dict[str, float] = field(default_factory=dict)
    hits: list[Hit] = field(default_factory=list)
    election_context: bool = False
    negative_cues: list[str] = field(default_factory=list)


def _keyword_table() -> dict[str, tuple[str, float]]:
    """Normalised phrase -> (event type, weight); the first event type to claim a phrase keeps it."""
    table: dict[str, tuple[str, float]] = {}
    for et in EVENT_TYPES:
        if et.code == "other":
            continue
        phrases: dict[str, float] = {normalize_text(k): _WEAK.get(k, 1.0) for k in et.keywords_id}
        for phrase, weight in EXTRA_KEYWORDS.get(et.code, {}).items():
            phrases[normalize_text(phrase)] = weight
        for phrase, weight in phrases.items():
            table.setdefault(phrase, (et.code, weight))
    return table


_TABLE: Final = _keyword_table()
_KEYWORDS: Final = phrase_pattern(_TABLE)  # a longer phrase takes its words
_CUE_KIND: Final = {normalize_text(c): kind for kind, cues in _HARD_NEGATIVE.items() for c in cues}
_CUES: Final = phrase_pattern(_CUE_KIND)
_ORDER: Final = {et.code: i for i, et in enumerate(EVENT_TYPES)}
_SEVERITY: Final = {et.code: et.severity for et in EVENT_TYPES}


def _cue_text(phrase: str | None) -> str | None:
    return f"{_CUE_KIND[phrase]}: {phrase}" if phrase else None


def score_article(title: str, sentences: Sequence[str]) -> Finding:
    """Score an article given its title and its body sentences (original text, normalised here).

    Sentence 0 is the title; body sentences follow from 1. The returned hits refer to those indices.
    """
    return score_normalized([normalize_text(title), *(normalize_text(s) for s in sentences)])


def score_normalized(normalized: Sequence[str]) -> Finding:
    """:func:`score_article` on normalised text: the title first, then the body sentences."""
    # One pass of each pattern over all sentences, joined by newlines (no phrase spans a newline).
    joined = "\n".join(normalized)
    starts = [0, *accumulate(len(s) + 1 for s in normalized)]
    first_cue: dict[int, str] = {}
    for match in _CUES.finditer(joined):
        first_cue.setdefault(bisect_right(starts, match.start()) - 1, match.group())
    title_cue = _cue_text(first_cue.get(0))
    hits: list[Hit] = []
    negative_cues: list[str] = []
    for idx in range(len(normalized)):
        cue = _cue_text(first_cue.get(idx)) or title_cue
        if normalized[idx] and cue and cue not in negative_cues:
            negative_cues.append(cue)
    officials: dict[int, bool] = {}
    for match in _KEYWORDS.finditer(joined):
        phrase = match.group()
        code, weight = _TABLE[phrase]
        idx = bisect_right(starts, match.start()) - 1
        sent_start = starts[idx]
        cue = _cue_text(first_cue.get(idx)) or title_cue
        before = joined[max(sent_start, match.start() - 40) : match.start()].split()[-3:]
        factor = 1.0
        why = cue
        if _NEGATIONS & set(before):
            factor, why = 0.1, "negation: " + " ".join(before)
        elif cue:
            factor = 0.15
        if idx == 0:
            factor *= 1.5
        if code in _AGAINST_PEOPLE:
            if idx not in officials:
                officials[idx] = bool(_OFFICIALS.search(normalized[idx]))
            if officials[idx]:
                code = "violence_election_officials"
        hits.append(Hit(code, phrase, weight * factor, idx, why))
    election_context = bool(_ELECTION_CONTEXT.search(" ".join(normalized)))
    type_scores: dict[str, float] = {}
    for hit in hits:
        type_scores[hit.event_type] = type_scores.get(hit.event_type, 0.0) + hit.weight
    strength = 0.0
    for code, score in type_scores.items():
        factor = _WEAK_TYPES.get(code, 1.0)
        if code in _NEEDS_CONTEXT and not election_context:
            factor *= 0.3
        strength += score * factor
    if not election_context:
        strength *= 0.6
    relevance = 1.0 - math.exp(-0.55 * strength)
    relevant = relevance >= 0.5
    event_type: str | None = None
    confidence = 0.0
    if relevant and type_scores:
        ranked = sorted(
            type_scores.items(),
            key=lambda kv: (-kv[1] * _WEAK_TYPES.get(kv[0], 1.0), -_SEVERITY[kv[0]], _ORDER[kv[0]]),
        )
        event_type = ranked[0][0]
        total = sum(type_scores.values())
        confidence = ranked[0][1] / total if total else 0.0
    return Finding(
        relevant=relevant,
        relevance_score=round(relevance, 3),
        event_type=event_type,
        event_confidence=round(confidence, 3),
        type_scores={k: round(v, 3) for k, v in type_scores.items()},
        hits=hits,
        election_context=election_context,
        negative_cues=negative_cues,
    )
