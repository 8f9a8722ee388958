"""Tolerant lookup of regions by name: "Kab. Bulungan", "kec sebatik barat", "Tj. Selor", "Patal 2".

Names are compared through a key made by :func:`normalize_name`; the administrative prefix that the
gazetteer writes into kabupaten/kota names ("Kabupaten Bulungan", "Kota Tarakan") is left out of the key,
so the bare name matches as well as the prefixed one, and a prefix typed in a query becomes a hint that
favours regions of that kind.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from collections.abc import Container, Iterable, Iterator
from dataclasses import dataclass
from typing import Final

from .codes import normalize_code

__all__ = ["NameIndex", "NameMatch", "normalize_name", "split_prefix"]

_ROMAN: Final = ("i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x")
_ROMAN_TEENS: Final = ("xi", "xii", "xiii", "xiv", "xv", "xvi", "xvii", "xviii", "xix", "xx")
_TOKEN_VARIANTS: Final[dict[str, str]] = {
    "sei": "sungai",
    "tj": "tanjung",
    "tg": "tanjung",
    **{roman: str(number) for number, roman in enumerate(_ROMAN + _ROMAN_TEENS, start=1)},
}
_APOSTROPHES: Final = dict.fromkeys(map(ord, "'\u2018\u2019\u02bc`\u00b4"), None)
_NOT_WORD: Final = re.compile(r"[\W_]+")

_PREFIX: Final = re.compile(
    r"""^\s*(?:
        (?P<provinsi>provinsi|prov\.?)
      | (?P<kabupaten>(?:kabupaten|kab\.?)(?:\s+(?:administrasi|adm\.?))?)
      | (?P<kota>kota(?:\s+(?:administrasi|adm\.?))?)
      | (?P<kecamatan>kecamatan|kec\.?|distrik)
      | (?P<desa>desa)
      | (?P<kelurahan>kelurahan|kel\.?)
    )(?:\s+|(?<=\.)\s*)(?P<rest>\S.*?)\s*$""",
    re.IGNORECASE | re.VERBOSE | re.DOTALL,
)
_PREFIX_KINDS: Final = ("provinsi", "kabupaten", "kota", "kecamatan", "desa", "kelurahan")
_LEVEL_OF_KIND: Final[dict[str, int]] = {
    "provinsi": 1,
    "kabupaten": 2,
    "kota": 2,
    "kecamatan": 3,
    "desa": 4,
    "kelurahan": 4,
}

# Scores are kept in hundredths so that equal scores compare equal.
_EXACT, _PREFIX_MATCH, _CONTAINS, _FUZZY = 90, 70, 50, 30
_KIND_BONUS, _OTHER_LEVEL_PENALTY = 10, 5
_FUZZY_MIN_LENGTH = 5


def normalize_name(name: str) -> str:
    """Key for comparing names: lower case, no accents or punctuation, common variants made equal.

    "Sei"/"Sungai" become "sungai", "Tj."/"Tg" become "tanjung", Roman numerals I-XX written as their own
    word become Arabic numbers ("Patal II" -> "patal 2"). Apostrophes are dropped ("Ma'rang" -> "marang");
    other punctuation separates words.
    """
    text = name
    if not text.isascii():
        text = unicodedata.normalize("NFKD", text)
        text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = _NOT_WORD.sub(" ", text.casefold().translate(_APOSTROPHES))
    tokens = []
    for token in text.split():
        token = _TOKEN_VARIANTS.get(token, token)
        if token.isdigit() and token.isascii() and token[0] == "0" and len(token) > 1:
            token = str(int(token))
        tokens.append(token)
    return " ".join(tokens)


def split_prefix(name: str) -> tuple[str | None, str]:
    """Split a leading administrative prefix off a name: ("kabupaten", "Bulungan") for "Kab. Bulungan".

    The first item is the kind the prefix names (provinsi, kabupaten, kota, kecamatan, desa, kelurahan) or
    None when there is no prefix; the second is the rest of the name, stripped of surrounding spaces.
    """
    match = _PREFIX.match(name)
    if match is None:
        return None, name.strip()
    kind = next(kind for kind in _PREFIX_KINDS if match.group(kind) is not None)
    return kind, match.group("rest")


@dataclass(frozen=True, slots=True)
class NameMatch:
    """One search result. ``score`` is in 0-1; ``reason`` is exact, prefix, contains or fuzzy."""

    code: str
    name: str
    level: int
    kind: str
    score: float
    reason: str


class NameIndex:
    """An in-memory index of region names; build it once with :meth:`build` and search it many times."""

    def __init__(self) -> None:
        self._codes: list[str] = []
        self._names: list[str] = []
        self._levels: list[int] = []
        self._kinds: list[str] = []
        self._exact: dict[str, list[int]] = {}
        self._sorted_keys: list[str] = []
        self._key_ids: list[list[int]] = []
        self._tokens: dict[str, list[int]] = {}
        self._token_sets: dict[str, frozenset[int]] = {}
        self._alphabet = ""

    @classmethod
    def build(cls, units: Iterable[tuple[str, str, int, str]]) -> NameIndex:
        """Index (code, name, level, kind) rows, e.g. from the gazetteer. Codes must be unique."""
        index = cls()
        # Ids follow (level, code) so that a smaller id is the preferred one among equal scores.
        rows = sorted(units, key=lambda row: (row[2], row[0]))
        seen: set[str] = set()
        chars: set[str] = set()
        for uid, (code, name, level, kind) in enumerate(rows):
            if code in seen:
                raise ValueError(f"Kode wilayah {code} muncul lebih dari sekali dalam daftar nama.")
            seen.add(code)
            index._codes.append(code)
            index._names.append(name)
            index._levels.append(level)
            index._kinds.append(kind)
            key = _key_of(name, level)
            if not key:
                continue
            index._exact.setdefault(key, []).append(uid)
            chars.update(key)
            for token in set(key.split()):
                index._tokens.setdefault(token, []).append(uid)
        index._sorted_keys = sorted(index._exact)
        index._key_ids = [index._exact[key] for key in index._sorted_keys]
        index._alphabet = "".join(sorted(chars))
        return index

    def __len__(self) -> int:
        return len(self._codes)

    def search(
        self, query: str, *, level: int | None = None, within: str | None = None, limit: int = 10
    ) -> list[NameMatch]:
        """Best matches for a name, best first.

        Exact key matches rank above prefix matches, then names containing every word of the query; only
        when none of those exist, names one typo away (queries of 5 characters or more). A prefix in the
        query ("Kota Tarakan") favours that kind. Equal scores prefer the higher level (kabupaten before
        kecamatan before desa), then the smaller code. ``level`` keeps one level only; ``within`` keeps the
        subtree of that region code (dotted or undotted; :class:`InvalidCode` when malformed).
        """
        if limit <= 0:
            return []
        variants = _query_variants(query)
        if not variants:
            return []
        scope = normalize_code(within) if within else None
        best: dict[int, tuple[int, str]] = {}
        tiers = (
            (_EXACT, "exact", self._exact_ids),
            (_PREFIX_MATCH, "prefix", self._prefix_ids),
            (_CONTAINS, "contains", self._containing_ids),
            (_FUZZY, "fuzzy", self._fuzzy_ids),
        )
        for base, reason, candidates in tiers:
            for key, hint in variants:
                for uid in candidates(key):
                    if level is not None and self._levels[uid] != level:
                        continue
                    if scope is not None and not _in_scope(self._codes[uid], scope):
                        continue
                    score = base + self._hint_adjustment(uid, hint)
                    previous = best.get(uid)
                    if previous is None or previous[0] < score:
                        best[uid] = (score, reason)
            # A lower tier can never outrank a higher one, so stop once the list is full; typo matches are
            # only a rescue for a query that matched nothing better.
            if len(best) >= limit or (best and base == _CONTAINS):
                break
        ranked = sorted(best.items(), key=lambda item: (-item[1][0], item[0]))[:limit]
        return [
            NameMatch(
                code=self._codes[uid],
                name=self._names[uid],
                level=self._levels[uid],
                kind=self._kinds[uid],
                score=min(score, 100) / 100,
                reason=reason,
            )
            for uid, (score, reason) in ranked
        ]

    def _hint_adjustment(self, uid: int, hint: str | None) -> int:
        if hint is None:
            return 0
        if self._kinds[uid] == hint:
            return _KIND_BONUS
        if self._levels[uid] == _LEVEL_OF_KIND[hint]:
            return 0
        return -_OTHER_LEVEL_PENALTY

    def _exact_ids(self, key: str) -> Iterable[int]:
        return self._exact.get(key, ())

    def _prefix_ids(self, key: str) -> Iterator[int]:
        start = bisect.bisect_right(self._sorted_keys, key)
        stop = bisect.bisect_left(self._sorted_keys, key + "\U0010ffff", lo=start)
        for position in range(start, stop):
            yield from self._key_ids[position]

    def _containing_ids(self, key: str) -> Iterable[int]:
        tokens = set(key.split())
        if not tokens or any(token not in self._tokens for token in tokens):
            return ()
        rarest, *others = sorted(tokens, key=lambda token: len(self._tokens[token]))
        if not others:
            return self._tokens[rarest]
        other_sets = [self._token_set(token) for token in others]
        return [uid for uid in self._tokens[rarest] if all(uid in ids for ids in other_sets)]

    def _token_set(self, token: str) -> frozenset[int]:
        cached = self._token_sets.get(token)
        if cached is None:
            cached = self._token_sets[token] = frozenset(self._tokens[token])
        return cached

    def _fuzzy_ids(self, key: str) -> Iterator[int]:
        if len(key) < _FUZZY_MIN_LENGTH:
            return
        for variant in sorted(_keys_one_edit_away(key, self._alphabet, self._exact)):
            if len(variant) >= _FUZZY_MIN_LENGTH:
                yield from self._exact[variant]


def _key_of(name: str, level: int) -> str:
    """Index key of a gazetteer name; provinces and kabupaten/kota lose their administrative prefix."""
    if level <= 2:
        kind, rest = split_prefix(name)
        if kind is not None and _LEVEL_OF_KIND[kind] == level:
            return normalize_name(rest)
    return normalize_name(name)


def _query_variants(query: str) -> list[tuple[str, str | None]]:
    """The keys to look up for a query: without its prefix (with the kind hint), then as typed."""
    variants: list[tuple[str, str | None]] = []
    hint, rest = split_prefix(query)
    if hint is not None:
        stripped = normalize_name(rest)
        if stripped:
            variants.append((stripped, hint))
    whole = normalize_name(query)
    if whole and all(whole != key for key, _ in variants):
        variants.append((whole, None))
    return variants


def _in_scope(code: str, scope: str) -> bool:
    return code == scope or (code.startswith(scope) and code[len(scope) : len(scope) + 1] == ".")


def _keys_one_edit_away(word: str, alphabet: str, keys: Container[str]) -> set[str]:
    """Keys one deletion, insertion, substitution or swap of neighbours away from ``word``.

    Each candidate is checked as soon as it is made; about twice as fast as building the set of every
    variant first.
    """
    found: set[str] = set()
    length = len(word)
    for cut in range(length + 1):
        left, right = word[:cut], word[cut:]
        for ch in alphabet:
            if (candidate := left + ch + right) in keys:
                found.add(candidate)
        if cut == length:
            break
        tail = word[cut + 1 :]
        if (candidate := left + tail) in keys:
            found.add(candidate)
        for ch in alphabet:
            if (candidate := left + ch + tail) in keys:
                found.add(candidate)
        if cut < length - 1 and (candidate := left + word[cut + 1] + word[cut] + word[cut + 2 :]) in keys:
            found.add(candidate)
    found.discard(word)
    return found
