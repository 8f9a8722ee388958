"""Near-duplicate detection of news articles: MinHash + LSH bands (what ``waspada.media.ingest`` does with an
indexed band column) against the naive baseline that compares every new article's shingles with every
stored article's (exact Jaccard), on the same synthetic corpus in the same run.

The corpus: ``ARTICLES`` distinct ~400-word articles drawn from a shared Indonesian news vocabulary, and
``COPIES`` syndicated copies, each with a new headline, "Baca Juga" lines and a few words changed, every
other one also without its last paragraph (of five). Printed: fingerprint time per article, look-up time per
article for both methods and their ratio, the copies each method finds, and how often MinHash+LSH agrees
with the exact Jaccard decision (≥ ``NEAR_DUPLICATE``).

    .venv/bin/python benchmarks/bench_dedup.py
"""

from __future__ import annotations

import random
import time
from collections import defaultdict

from waspada.nlp import dedup

ARTICLES = 3_000
COPIES = 300
BASELINE_SAMPLE = 100  # the naive method is timed on this many new articles and extrapolated

WORDS = (  # noqa: SIM905
    "warga pendukung paslon kecamatan desa kabupaten polisi aparat massa kantor kpu bawaslu rapat pleno "
    "rekapitulasi suara tps saksi petugas ketua camat bupati gubernur jalan pasar balai kota kelurahan "
    "bentrok ricuh damai aman kondusif imbau laporan dugaan politik uang amplop baliho spanduk orasi "
    "tuntut hitung ulang kotak segel logistik gudang truk sepeda motor pagi siang sore malam kemarin "
    "hari senin selasa rabu kamis jumat sabtu minggu dua tiga empat puluhan ratusan orang luka tewas "
    "dibakar dirusak dilempar batu kayu palang blokade bandara pelabuhan kapal perbatasan adat tokoh agama"
).split()


def article(rng: random.Random) -> list[str]:
    return [" ".join(rng.choice(WORDS) for _ in range(rng.randint(60, 90))) + "." for _ in range(5)]


def syndicate(paragraphs: list[str], rng: random.Random, *, trim: bool) -> str:
    kept = paragraphs[:-1] if trim else paragraphs
    words = " ".join(kept).split()
    for _ in range(5):
        words[rng.randrange(len(words))] = rng.choice(WORDS)
    return "Judul lain untuk berita yang sama\n" + " ".join(words) + "\nBaca Juga: berita lain di kota\n"


def main() -> None:
    rng = random.Random(11)
    originals = ["\n".join(article(rng)) for _ in range(ARTICLES)]
    sources = rng.sample(range(ARTICLES), COPIES)
    copies = [syndicate(originals[i].split("\n"), rng, trim=n % 2 == 1) for n, i in enumerate(sources)]

    started = time.perf_counter()
    prints = [dedup.fingerprint(t) for t in originals]
    fingerprint_s = (time.perf_counter() - started) / ARTICLES
    index: dict[int, list[int]] = defaultdict(list)
    for i, fp in enumerate(prints):
        for key in fp.bands:
            index[key].append(i)

    # MinHash + LSH: the band look-up (an indexed column in the database), then signature comparison.
    started = time.perf_counter()
    found: list[int | None] = []
    for text in copies:
        fp = dedup.fingerprint(text)
        candidates = {i for key in fp.bands for i in index.get(key, ())}
        scored = [(dedup.estimate_similarity(fp.signature, prints[i].signature), i) for i in candidates]
        best = max(scored, default=(0.0, None))
        found.append(best[1] if best[0] >= dedup.NEAR_DUPLICATE else None)
    lsh_s = (time.perf_counter() - started) / COPIES

    # Baseline: exact Jaccard of the new article's shingles against every stored article's.
    stored = [dedup.shingles(t) for t in originals]
    started = time.perf_counter()
    exact: list[int | None] = []
    for text in copies[:BASELINE_SAMPLE]:
        mine = dedup.shingles(text)
        best_j, best_i = max((dedup.jaccard(mine, other), i) for i, other in enumerate(stored))
        exact.append(best_i if best_j >= dedup.NEAR_DUPLICATE else None)
    naive_s = (time.perf_counter() - started) / BASELINE_SAMPLE

    sample = BASELINE_SAMPLE
    exact_hits = sum(e == t for e, t in zip(exact, sources[:sample], strict=True))
    lsh_hits = sum(f == s for f, s in zip(found, sources, strict=True))
    wrong = sum(f is not None and f != s for f, s in zip(found, sources, strict=True))
    agree = sum(f == e for f, e in zip(found[:sample], exact, strict=True))
    print(f"corpus: {ARTICLES} stored articles, {COPIES} syndicated copies looked up (half trimmed)")
    print(
        f"fingerprint (hash + {dedup.NUM_PERM}-permutation MinHash + {dedup.BANDS} bands): "
        f"{fingerprint_s * 1000:.2f} ms/article"
    )
    print(f"MinHash+LSH look-up:        {lsh_s * 1000:8.2f} ms/article (fingerprint included)")
    print(f"naive exact Jaccard (all):  {naive_s * 1000:8.2f} ms/article (on {sample} copies)")
    print(f"ratio naive / LSH: {naive_s / lsh_s:.0f}x, and the naive cost grows with the archive")
    print(
        f"copies found: LSH {lsh_hits}/{COPIES} ({lsh_hits / COPIES:.0%}), a wrong first copy {wrong} times; "
        f"exact Jaccard ≥ {dedup.NEAR_DUPLICATE}: {exact_hits}/{sample}; LSH agrees with exact on "
        f"{agree}/{sample}"
    )


if __name__ == "__main__":
    main()
