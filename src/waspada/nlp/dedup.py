"""Exact and near-duplicate detection of news articles: content hashes, word shingles and MinHash with
locality-sensitive hashing (LSH) bands.

Pure Python and numpy, no Django. A syndicated story reappears on other sites with another headline, a
different byline, "Baca Juga" links and a trimmed last paragraph; its body text keeps most of its
five-word runs (shingles). MinHash estimates the Jaccard similarity of two shingle sets from two short
signatures; LSH cuts each signature into bands so that a database can find candidates by equality on
a band hash (an indexed integer column) instead of comparing every pair.

* ``content_hash`` — SHA-256 of the normalised body: equal for exact copies (case, punctuation,
  whitespace and "Baca Juga" lines aside).
* ``MinHasher.signature`` — ``NUM_PERM`` 32-bit minima of multiply-add-shift hashes, deterministic across
  processes and machines (fixed seed, CRC-32 shingle hashes; never Python's salted ``hash``).
* ``band_keys`` — ``BANDS`` signed 64-bit keys; with 32 bands of 4 rows two texts of Jaccard
  similarity 0.3 share a band with probability 0.23, 0.5 with 0.87, 0.6 with 0.99, 0.7 with 0.9999.
* ``estimate_similarity`` — the share of equal signature positions; a candidate is a near-duplicate
  when it reaches ``NEAR_DUPLICATE`` (0.6: a copy with a new headline, its own "Baca Juga" lines and
  one paragraph of five dropped still reaches it; two reports of one event in different words share
  almost no five-word runs).
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Final

import numpy as np
import numpy.typing as npt

__all__ = [
    "BANDS",
    "NEAR_DUPLICATE",
    "NUM_PERM",
    "SHINGLE_WORDS",
    "MinHasher",
    "Fingerprint",
    "band_keys",
    "content_hash",
    "estimate_similarity",
    "fingerprint",
    "jaccard",
    "normalise",
    "shingles",
    "signature_from_bytes",
    "signature_to_bytes",
]

NUM_PERM: Final = 128
BANDS: Final = 32
SHINGLE_WORDS: Final = 5
NEAR_DUPLICATE: Final = 0.6
_SEED: Final = 20241127  # Pilkada 2024 voting day; changing it invalidates every stored signature

_NOISE_LINE: Final = re.compile(
    r"^\s*(?:baca\s+(?:juga|selengkapnya)|simak|lihat\s+juga|editor|penulis|pewarta|reporter|sumber)\b.*$",
    re.IGNORECASE | re.MULTILINE,
)
_NON_WORD: Final = re.compile(r"[^0-9a-z]+")


def normalise(text: str) -> str:
    """Lower case ASCII words separated by single spaces; "Baca Juga"/byline lines and accents dropped."""
    text = _NOISE_LINE.sub(" ", text).lower()
    if not text.isascii():
        text = unicodedata.normalize("NFKD", text)
        text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return _NON_WORD.sub(" ", text).strip()


def content_hash(text: str) -> str:
    """SHA-256 (hex) of the normalised text: the same for copies that differ only in case, punctuation,
    spacing or noise lines. Empty text hashes to the empty string (nothing to compare)."""
    norm = normalise(text)
    return hashlib.sha256(norm.encode()).hexdigest() if norm else ""


def _hash32(value: str) -> int:
    return zlib.crc32(value.encode())  # stable everywhere, in C, spread well enough for MinHash


def shingles(text: str, k: int = SHINGLE_WORDS) -> set[int]:
    """32-bit hashes of every run of ``k`` consecutive words of the normalised text (a shorter text is one
    shingle). Empty text gives an empty set."""
    words = normalise(text).split()
    if not words:
        return set()
    if len(words) <= k:
        return {_hash32(" ".join(words))}
    return {_hash32(" ".join(words[i : i + k])) for i in range(len(words) - k + 1)}


def jaccard(a: set[int], b: set[int]) -> float:
    """The exact Jaccard similarity of two shingle sets (for tests and the benchmark's baseline)."""
    if not a and not b:
        return 0.0
    return len(a & b) / len(a | b)


class MinHasher:
    """``num_perm`` multiply-add-shift hash functions ``((a·x + b) mod 2⁶⁴) >> 32`` (a odd; a universal
    family for 32-bit keys, Dietzfelbinger) drawn once from a fixed seed: no modulo, so numpy is fast."""

    def __init__(self, num_perm: int = NUM_PERM, seed: int = _SEED) -> None:
        rng = np.random.default_rng(seed)
        self.num_perm = num_perm
        top = np.iinfo(np.uint64).max
        self._a: npt.NDArray[np.uint64] = rng.integers(1, top, size=num_perm, dtype=np.uint64, endpoint=True)
        self._a |= np.uint64(1)  # odd multipliers
        self._b: npt.NDArray[np.uint64] = rng.integers(0, top, size=num_perm, dtype=np.uint64, endpoint=True)

    def signature(self, hashes: Iterable[int]) -> tuple[int, ...]:
        """The MinHash signature of a shingle-hash set; the empty set gives the empty tuple."""
        values = np.fromiter(hashes, dtype=np.uint64)
        if values.size == 0:
            return ()
        with np.errstate(over="ignore"):  # wrapping modulo 2⁶⁴ is the point
            permuted = np.multiply.outer(values, self._a)
            permuted += self._b
            permuted >>= np.uint64(32)
        return tuple(int(v) for v in permuted.min(axis=0))


_DEFAULT: MinHasher | None = None


def _default_hasher() -> MinHasher:
    global _DEFAULT
    if _DEFAULT is None:
        _DEFAULT = MinHasher()
    return _DEFAULT


def band_keys(signature: Sequence[int], bands: int = BANDS) -> list[int]:
    """One signed 64-bit key per band (band number included, so one indexed column holds every band).
    Empty for an empty signature."""
    if not signature:
        return []
    if len(signature) % bands:
        raise ValueError(f"a signature of {len(signature)} values cannot be cut into {bands} bands")
    rows = len(signature) // bands
    keys: list[int] = []
    for band in range(bands):
        chunk = signature[band * rows : (band + 1) * rows]
        raw = band.to_bytes(2, "little") + b"".join(v.to_bytes(4, "little") for v in chunk)
        digest = hashlib.blake2b(raw, digest_size=8).digest()
        keys.append(int.from_bytes(digest, "little", signed=True))
    return keys


def estimate_similarity(a: Sequence[int], b: Sequence[int]) -> float:
    """The estimated Jaccard similarity: the share of equal positions of two signatures of one length."""
    if not a or not b or len(a) != len(b):
        return 0.0
    return sum(x == y for x, y in zip(a, b, strict=True)) / len(a)


def signature_to_bytes(signature: Sequence[int]) -> bytes:
    return b"".join(v.to_bytes(4, "little") for v in signature)


def signature_from_bytes(raw: bytes) -> tuple[int, ...]:
    if len(raw) % 4:
        raise ValueError("a stored signature must be a multiple of four bytes")
    return tuple(int.from_bytes(raw[i : i + 4], "little") for i in range(0, len(raw), 4))


@dataclass(frozen=True, slots=True)
class Fingerprint:
    """What is stored for one article to find its copies later."""

    content_hash: str
    signature: tuple[int, ...]
    bands: tuple[int, ...]


def fingerprint(text: str, hasher: MinHasher | None = None) -> Fingerprint:
    """Content hash, MinHash signature and LSH band keys of one article's body text."""
    signature = (hasher or _default_hasher()).signature(shingles(text))
    return Fingerprint(content_hash(text), signature, tuple(band_keys(signature)))
