"""Duplicate grouping: how likely another report or incident describes the same real-world event.

Pure Python (no Django): plain ``Signal`` values in, ``Match`` values out, so it can be tested and timed
without a database. ``waspada.reports.candidates`` fetches the signals and calls ``find_duplicates``.

Four pieces of evidence, each 0–1, summed with weights (``WEIGHTS``):

* place — same desa 1.0 > neighbouring desa 0.8 > same kecamatan 0.65 > neighbouring kecamatan 0.45 >
  same kab/kota 0.3; another kab/kota counts only when a neighbour test says the units touch. Which units
  are neighbours is a pluggable ``Neighbours`` object: ``SiblingNeighbours`` (units with the same parent)
  stands in until shared borders are computed; ``BorderNeighbours`` takes real adjacency pairs.
* time — halves every ``HALF_LIFE_HOURS`` of difference; nothing beyond ``WINDOW_HOURS`` (±72 h). A time
  known only to the week or month (``time_slack_hours``) is given that much slack first.
* text — normalised Indonesian (lower case, common SMS abbreviations expanded, stop words and particles
  dropped), the mean of a token-set cosine and a character 3-gram cosine, with chance overlap removed.
* event type — the same type 1.0, the same family (e.g. the same ACLED event type) 0.5.

Place and time are gates: a candidate in another kab/kota (not touching) or more than 72 h apart is never
a duplicate, however similar its text. Each match carries a reason in Indonesian, e.g.
``"desa sama, selisih 2 jam, teks mirip 64 %, jenis kejadian sama"``.
"""

from __future__ import annotations

import math
import re
import unicodedata
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Final, Protocol

__all__ = [
    "MIN_SCORE",
    "WEIGHTS",
    "WINDOW_HOURS",
    "BorderNeighbours",
    "Match",
    "Neighbours",
    "Scorer",
    "SiblingNeighbours",
    "Signal",
    "TextProfile",
    "find_duplicates",
    "normalise_text",
    "place_proximity",
    "text_similarity",
    "time_closeness",
]

WINDOW_HOURS: Final = 72.0
HALF_LIFE_HOURS: Final = 12.0
MIN_SCORE: Final = 0.55
WEIGHTS: Final = {"place": 0.30, "time": 0.20, "text": 0.35, "type": 0.15}
MAX_TEXT_CHARS: Final = 3000  # long descriptions: the opening says what happened
# Two unrelated Indonesian texts still share some 3-grams; similarity below this is chance.
_CHANCE_OVERLAP: Final = 0.12


# --- Input and output ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Signal:
    """One report or incident as the scorer sees it."""

    key: str  # "report:12", "incident:3"
    region_code: str  # dotted Kemendagri code, any level
    occurred_at: datetime  # timezone-aware
    event_type: str
    text: str
    event_family: str = ""  # types in one family are "serupa" (similar), e.g. the ACLED event type
    time_slack_hours: float = 0.0  # the time is known only to the week or month
    group: str = ""  # the incident a report already belongs to ("incident:3"): one match per group


@dataclass(frozen=True, slots=True)
class Match:
    key: str
    group: str  # the candidate's incident, or its own key
    score: float  # 0–1
    reason: str  # Indonesian, e.g. "desa sama, selisih 2 jam, teks mirip 64 %, jenis kejadian sama"
    place: float
    time: float
    text: float
    type: float
    hours_apart: float


# --- Place -----------------------------------------------------------------------------------------------


class Neighbours(Protocol):
    """Which units touch. ``exact`` is False for a stand-in that only guesses (reasons then say so)."""

    @property
    def exact(self) -> bool: ...

    def adjacent(self, a: str, b: str) -> bool: ...


def _parent(code: str) -> str:
    return code.rpartition(".")[0]


@dataclass(frozen=True, slots=True)
class SiblingNeighbours:
    """Stand-in until shared borders are computed: units with the same parent count as neighbours."""

    @property
    def exact(self) -> bool:
        return False

    def adjacent(self, a: str, b: str) -> bool:
        return a != b and a.count(".") == b.count(".") and _parent(a) == _parent(b)


@dataclass(frozen=True, slots=True)
class BorderNeighbours:
    """Real adjacency: the pairs of units whose boundaries touch (in either order)."""

    pairs: frozenset[tuple[str, str]]

    @property
    def exact(self) -> bool:
        return True

    @classmethod
    def of(cls, pairs: Iterable[tuple[str, str]]) -> BorderNeighbours:
        return cls(frozenset((min(a, b), max(a, b)) for a, b in pairs if a != b))

    def adjacent(self, a: str, b: str) -> bool:
        return (min(a, b), max(a, b)) in self.pairs


SIBLINGS: Final = SiblingNeighbours()

SAME_DESA: Final = 1.0
NEIGHBOUR_DESA: Final = 0.8
SAME_KECAMATAN: Final = 0.65
NEIGHBOUR_KECAMATAN: Final = 0.45
SAME_KABKOTA: Final = 0.3
NEIGHBOUR_DESA_ACROSS: Final = 0.6  # touching desa in another kecamatan (exact adjacency only)
SAME_PROVINSI: Final = 0.1  # one of the two is coded only to the province

_SAME_UNIT: Final = {
    4: (SAME_DESA, "desa sama"),
    3: (SAME_KECAMATAN, "kecamatan sama"),
    2: (SAME_KABKOTA, "kab/kota sama"),
    1: (SAME_PROVINSI, "provinsi sama"),
}


def _level(code: str) -> int:
    return code.count(".") + 1


def _prefix(code: str, level: int) -> str:
    return ".".join(code.split(".")[:level])


def _common_level(a: str, b: str) -> int:
    level = 0
    for x, y in zip(a.split("."), b.split("."), strict=False):
        if x != y:
            break
        level += 1
    return level


def place_proximity(a: str, b: str, neighbours: Neighbours | None = None) -> tuple[float, str]:
    """How close two region codes are, 0–1, with the reason; 0 means "not the same event"."""
    near = neighbours or SIBLINGS
    common = _common_level(a, b)
    if common == min(_level(a), _level(b)):
        # The same unit, or one lies inside the other (coded less precisely): as close as the coarser one.
        return _SAME_UNIT.get(common, (0.0, ""))
    if common == 3:  # two desa in one kecamatan
        if near.adjacent(a, b):
            return NEIGHBOUR_DESA, ("desa bertetangga" if near.exact else "kecamatan sama, desa lain")
        return SAME_KECAMATAN, "kecamatan sama"
    if _level(a) == 4 and _level(b) == 4 and near.exact and near.adjacent(a, b):
        return NEIGHBOUR_DESA_ACROSS, "desa bertetangga (kecamatan lain)"
    kec_a, kec_b = _prefix(a, 3), _prefix(b, 3)
    if common == 2:
        if near.adjacent(kec_a, kec_b):
            return NEIGHBOUR_KECAMATAN, (
                "kecamatan bertetangga" if near.exact else "kab/kota sama, kecamatan lain"
            )
        return SAME_KABKOTA, "kab/kota sama"
    # Another kab/kota: only units known to touch across the border count.
    if near.exact and _level(a) >= 3 and _level(b) >= 3 and near.adjacent(kec_a, kec_b):
        return SAME_KABKOTA, "kecamatan bertetangga (kab/kota lain)"
    return 0.0, ""


# --- Time ------------------------------------------------------------------------------------------------


def time_closeness(a: datetime, b: datetime, slack_hours: float = 0.0) -> tuple[float, float] | None:
    """(closeness 0–1, hours apart), or None beyond the window. Closeness halves every 12 hours."""
    hours = abs((a - b).total_seconds()) / 3600
    effective = max(0.0, hours - max(0.0, slack_hours))
    if effective > WINDOW_HOURS:
        return None
    return 0.5 ** (effective / HALF_LIFE_HOURS), hours


def _hours_text(hours: float, approximate: bool) -> str:
    mark = "±" if approximate else ""
    if hours < 1:
        minutes = round(hours * 60)
        return "waktu sama" if minutes == 0 and not approximate else f"selisih {mark}{minutes} menit"
    if hours < 48:
        return f"selisih {mark}{round(hours)} jam"
    days = f"{hours / 24:.1f}".replace(".", ",").removesuffix(",0")
    return f"selisih {mark}{days} hari"


# --- Text ------------------------------------------------------------------------------------------------

# Common SMS and note-taking abbreviations, and spelling variants, to their full word.
ABBREVIATIONS: Final[dict[str, str]] = {
    "yg": "yang",
    "dgn": "dengan",
    "dg": "dengan",
    "tdk": "tidak",
    "tak": "tidak",
    "gak": "tidak",
    "ga": "tidak",
    "nggak": "tidak",
    "enggak": "tidak",
    "sdh": "sudah",
    "udh": "sudah",
    "udah": "sudah",
    "blm": "belum",
    "krn": "karena",
    "karna": "karena",
    "utk": "untuk",
    "u": "untuk",
    "sm": "sama",
    "jg": "juga",
    "kec": "kecamatan",
    "kab": "kabupaten",
    "ds": "desa",
    "kel": "kelurahan",
    "jl": "jalan",
    "jln": "jalan",
    "org": "orang",
    "bbrp": "beberapa",
    "byk": "banyak",
    "bnyk": "banyak",
    "skrg": "sekarang",
    "sekrg": "sekarang",
    "kpd": "kepada",
    "pd": "pada",
    "dr": "dari",
    "dlm": "dalam",
    "tsb": "tersebut",
    "spt": "seperti",
    "pol": "polisi",
    "pendkg": "pendukung",
    "pdkg": "pendukung",
    "pndukung": "pendukung",
    "kericuhan": "ricuh",
    "bentrokan": "bentrok",
    "pembakaran": "bakar",
    "dibakar": "bakar",
    "membakar": "bakar",
    "terbakar": "bakar",
    "pengrusakan": "rusak",
    "perusakan": "rusak",
    "dirusak": "rusak",
    "merusak": "rusak",
    "kerusakan": "rusak",
    "pemukulan": "pukul",
    "dipukul": "pukul",
    "memukul": "pukul",
    "dipukuli": "pukul",
    "demonstrasi": "demo",
    "unjuk": "demo",
    "unras": "demo",
    "mengancam": "ancam",
    "diancam": "ancam",
    "ancaman": "ancam",
    "pengancaman": "ancam",
    "membagikan": "bagi",
    "dibagikan": "bagi",
    "pembagian": "bagi",
    "bagi2": "bagi",
    "amplop": "uang",
    "duit": "uang",
    "didepan": "depan",
    "dpn": "depan",
    "no": "nomor",
    "nmr": "nomor",
    "mlm": "malam",
}

# Phrases said in several ways, folded to one word before splitting.
PHRASES: Final[tuple[tuple[re.Pattern[str], str], ...]] = tuple(
    (re.compile(rf"\b{pattern}\b"), word)
    for pattern, word in (
        (r"pasangan\s+calon", "paslon"),
        (r"calon\s+(?:bupati|walikota|wali\s+kota|gubernur)", "paslon"),
        (r"tim\s+(?:sukses|pemenangan|kampanye)", "timses"),
        (r"politik\s+uang", "politikuang"),
        (r"money\s+politics?", "politikuang"),
        (r"unjuk\s+rasa", "demo"),
    )
)

# Words that say nothing about which event it was.
_STOP_TEXT: Final = """
    yang dan di ke dari ini itu ada dengan untuk pada telah sudah akan oleh para juga atau karena dalam
    tersebut sebuah seorang kami kita saya aku mereka ia dia beliau sekitar sekira pukul jam tadi hari
    sedang masih bahwa lalu kemudian namun tetapi tapi sangat lebih hingga sampai saat ketika pun lah
    nya sama bisa dapat agar supaya jika kalau maka serta sebagai secara antara terhadap tentang setelah
    sebelum sejak belum baru lagi hal ya mohon tolong info informasi laporan lapor melaporkan dilaporkan
    terjadi kejadian peristiwa warga masyarakat wib wita wit tgl tanggal pagi siang sore malam kemarin
    desa kelurahan kecamatan kabupaten kota jalan rt rw dusun nomor the a of and in
"""
STOP_WORDS: Final = frozenset(_STOP_TEXT.split())

# "-nya" is dropped from longer words; "-lah" and "-kah" are not ("setelah", "sekolah", "masalah").
_NYA_KEEP: Final = frozenset({"bertanya", "mempunyai", "punya", "hanya", "tanya", "senya", "semuanya"})
_NON_WORD: Final = re.compile(r"[^0-9a-z]+")
_REPEAT: Final = re.compile(r"([a-z])\1{2,}")  # "ricuuuh" -> "ricuh"


def normalise_text(text: str) -> list[str]:
    """Content words of an Indonesian text: lower case, ASCII, abbreviations expanded, particles and stop
    words dropped. Numbers stay (TPS numbers and paslon numbers tell events apart)."""
    folded = unicodedata.normalize("NFKD", text[:MAX_TEXT_CHARS].lower())
    ascii_text = folded.encode("ascii", "ignore").decode()
    ascii_text = _NON_WORD.sub(" ", _REPEAT.sub(r"\1", ascii_text))
    for pattern, replacement in PHRASES:
        ascii_text = pattern.sub(replacement, ascii_text)
    words: list[str] = []
    for raw in ascii_text.split():
        word = ABBREVIATIONS.get(raw, raw)
        if len(word) > 6 and word.endswith("nya") and word not in _NYA_KEEP:
            word = ABBREVIATIONS.get(word[:-3], word[:-3])
        if word.isdigit():
            word = word.lstrip("0") or "0"  # "TPS 05" and "TPS 5"
        if word not in STOP_WORDS and (len(word) > 1 or word.isdigit()):
            words.append(word)
    return words


@dataclass(frozen=True, slots=True)
class TextProfile:
    """A text prepared once for many comparisons: its set of content words and of character 3-grams.
    Sets keep each comparison to two C-level intersections (thousands of pairs per page of the queue)."""

    words: frozenset[str]
    grams: frozenset[str]

    @classmethod
    def of(cls, text: str) -> TextProfile:
        words = normalise_text(text)
        grams: set[str] = set()
        for word in words:
            padded = f" {word} "
            grams.update(padded[i : i + 3] for i in range(len(padded) - 2))
        return cls(frozenset(words), frozenset(grams))


def _cosine(a: frozenset[str], b: frozenset[str]) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / math.sqrt(len(a) * len(b))


def _beyond_chance(raw: float) -> float:
    return max(0.0, min(1.0, (raw - _CHANCE_OVERLAP) / (1 - _CHANCE_OVERLAP)))


def text_similarity(a: TextProfile, b: TextProfile) -> float:
    """0–1: the mean of the word-set cosine and the character 3-gram-set cosine, chance overlap removed."""
    if not a.words or not b.words:
        return 0.0
    return _beyond_chance((_cosine(a.words, b.words) + _cosine(a.grams, b.grams)) / 2)


# --- Scoring ---------------------------------------------------------------------------------------------


def _type_closeness(a: Signal, b: Signal) -> tuple[float, str]:
    if a.event_type == b.event_type:
        return 1.0, "jenis kejadian sama"
    if a.event_family and a.event_family == b.event_family:
        return 0.5, "jenis kejadian serupa"
    return 0.0, "jenis kejadian berbeda"


class Scorer:
    """Scores signals against a pool, keeping each text's profile and each pair of regions' proximity for
    reuse across many targets."""

    def __init__(self, neighbours: Neighbours | None = None, *, min_score: float = MIN_SCORE) -> None:
        self.neighbours: Neighbours = neighbours or SIBLINGS
        self.min_score = min_score
        self._profiles: dict[str, TextProfile] = {}
        self._places: dict[tuple[str, str], tuple[float, str]] = {}

    def profile(self, signal: Signal) -> TextProfile:
        found = self._profiles.get(signal.key)
        if found is None:
            found = self._profiles[signal.key] = TextProfile.of(signal.text)
        return found

    def score(self, target: Signal, other: Signal) -> Match | None:
        """The match of ``other`` against ``target``, or None when it cannot be the same event or scores
        below the threshold."""
        slack = max(target.time_slack_hours, other.time_slack_hours)
        closeness = time_closeness(target.occurred_at, other.occurred_at, slack)
        if closeness is None:
            return None
        pair = (target.region_code, other.region_code)
        found = self._places.get(pair)
        if found is None:  # a page of the queue meets the same few desa again and again
            found = self._places[pair] = place_proximity(*pair, self.neighbours)
        place, place_reason = found
        if place <= 0:
            return None
        time, hours = closeness
        kind, kind_reason = _type_closeness(target, other)
        partial = WEIGHTS["place"] * place + WEIGHTS["time"] * time + WEIGHTS["type"] * kind
        if partial + WEIGHTS["text"] < self.min_score:
            return None  # even identical text could not lift it over the threshold
        mine, theirs = self.profile(target), self.profile(other)
        words = _cosine(mine.words, theirs.words)
        if partial + WEIGHTS["text"] * _beyond_chance((words + 1) / 2) < self.min_score:
            return None  # the 3-grams could not make up for so few shared words
        text = 0.0
        if mine.words and theirs.words:
            text = _beyond_chance((words + _cosine(mine.grams, theirs.grams)) / 2)
        total = round(partial + WEIGHTS["text"] * text, 4)
        if total < self.min_score:
            return None
        parts = [place_reason, _hours_text(hours, slack > 0), _text_reason(text), kind_reason]
        return Match(
            key=other.key,
            group=other.group or other.key,
            score=total,
            reason=", ".join(parts),
            place=place,
            time=round(time, 4),
            text=round(text, 4),
            type=kind,
            hours_apart=round(hours, 2),
        )

    def find(self, target: Signal, pool: Sequence[Signal], *, limit: int = 10) -> list[Match]:
        """The best matches for ``target``, best first, one per group (a report already merged into an
        incident stands for that incident). ``target`` itself and its own incident are left out."""
        best: dict[str, Match] = {}
        own_group = target.group or target.key
        for other in pool:
            if other.key == target.key or (other.group or other.key) == own_group:
                continue
            match = self.score(target, other)
            if match is not None and (match.group not in best or match.score > best[match.group].score):
                best[match.group] = match
        ranked = sorted(best.values(), key=lambda m: (-m.score, m.hours_apart, m.key))
        return ranked[:limit]

    def find_many(
        self, targets: Sequence[Signal], pool: Sequence[Signal], *, limit: int = 10
    ) -> dict[str, list[Match]]:
        """``find`` for many targets against one pool, looking only at the pool's slice within the time
        window of each target (the pool is sorted by time once)."""
        ordered = sorted(pool, key=lambda s: s.occurred_at)
        times = [s.occurred_at for s in ordered]
        max_slack = max((s.time_slack_hours for s in ordered), default=0.0)
        out: dict[str, list[Match]] = {}
        for target in targets:
            reach = timedelta(hours=WINDOW_HOURS + max(max_slack, target.time_slack_hours))
            lo = bisect_left(times, target.occurred_at - reach)
            hi = bisect_right(times, target.occurred_at + reach)
            out[target.key] = self.find(target, ordered[lo:hi], limit=limit)
        return out


def _text_reason(similarity: float) -> str:
    percent = round(similarity * 100)
    return f"teks mirip {percent} %" if percent >= 20 else "teks berbeda"


def find_duplicates(
    target: Signal,
    pool: Sequence[Signal],
    *,
    neighbours: Neighbours | None = None,
    min_score: float = MIN_SCORE,
    limit: int = 10,
) -> list[Match]:
    """Candidate duplicates of ``target`` among ``pool`` (reports and incidents), best first."""
    return Scorer(neighbours, min_score=min_score).find(target, pool, limit=limit)
