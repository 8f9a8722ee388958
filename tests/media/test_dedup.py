"""Exact and near-duplicate detection (pure): content hashes, shingles, MinHash and LSH bands."""

from __future__ import annotations

from waspada.nlp import dedup

from .conftest import CLASH, MEETING

SYNDICATED = (
    "Bentrok pendukung paslon pecah di Sebatik Tengah\n"
    + CLASH.replace("NUNUKAN –", "SEBATIK –").replace("Senin (2/12) sore", "Senin sore")
    + "\nBaca Juga: Harga ikan di Nunukan naik menjelang akhir tahun\nEditor: Redaksi"
)


def test_it_gives_exact_copies_the_same_hash_whatever_their_case_spacing_and_noise_lines() -> None:
    messy = "  " + CLASH.upper().replace(". ", " .  ") + "\nBaca Juga: berita lain\nPenulis: Budi"
    assert dedup.content_hash(messy) == dedup.content_hash(CLASH)
    assert dedup.content_hash(CLASH) != dedup.content_hash(MEETING)
    assert dedup.content_hash("  ... ") == ""


def test_it_estimates_a_syndicated_copy_as_near_duplicate_and_an_unrelated_story_as_not() -> None:
    original, copy, other = (dedup.fingerprint(t) for t in (CLASH, SYNDICATED, MEETING))
    exact = dedup.jaccard(dedup.shingles(CLASH), dedup.shingles(SYNDICATED))
    estimate = dedup.estimate_similarity(original.signature, copy.signature)
    assert exact > 0.7
    assert abs(estimate - exact) < 0.15
    assert estimate >= dedup.NEAR_DUPLICATE
    assert set(original.bands) & set(copy.bands), "a near copy shares at least one LSH band"
    assert dedup.estimate_similarity(original.signature, other.signature) < 0.2
    assert not set(original.bands) & set(other.bands)


def test_it_computes_the_same_signature_in_every_process() -> None:
    first = dedup.MinHasher().signature(dedup.shingles(CLASH))
    again = dedup.MinHasher().signature(dedup.shingles(CLASH))
    assert first == again
    assert len(first) == dedup.NUM_PERM
    assert all(0 <= v < 2**32 for v in first)
    assert dedup.signature_from_bytes(dedup.signature_to_bytes(first)) == first


def test_it_gives_empty_text_no_signature_and_no_bands() -> None:
    fp = dedup.fingerprint("")
    assert fp == dedup.Fingerprint("", (), ())
    assert dedup.estimate_similarity((), (1, 2)) == 0.0


def test_it_treats_a_text_shorter_than_a_shingle_as_one_shingle() -> None:
    assert len(dedup.shingles("Ricuh di Sebatik")) == 1
    assert dedup.shingles("Ricuh di Sebatik") == dedup.shingles("ricuh, di SEBATIK!")
