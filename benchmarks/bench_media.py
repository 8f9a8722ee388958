"""News analysis: throughput, gazetteer build time, peak memory, and the naive baseline side by side.

    .venv/bin/python benchmarks/bench_media.py [--articles 2000] [--chars 3000]

The test articles are the project's own (tests/nlp/articles.jsonl, labelled), padded with neutral
paragraphs to about ``--chars`` characters for the throughput figure. The naive baseline of issue 4:
relevant if the text holds three or more conflict words; location = the first kabupaten/kota name in the
text. Targets (issue 4): ≥ 500 articles/s on one core for ~3,000-character articles; gazetteer build < 5 s;
peak RSS < 600 MB with the national gazetteer.
"""

from __future__ import annotations

import argparse
import itertools
import json
import re
import resource
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from waspada.nlp.pipeline import analyse  # noqa: E402
from waspada.nlp.places import Gazetteer, national_gazetteer  # noqa: E402

ARTICLES = ROOT / "tests" / "nlp" / "articles.jsonl"
CONFLICT_WORDS = (
    "ricuh", "kericuhan", "bentrok", "bentrokan", "dibakar", "pembakaran", "massa", "tewas", "rusuh",
    "kerusuhan", "anarkis", "dirusak", "perusakan", "luka", "dianiaya", "tawuran", "demo", "blokade",
    "intimidasi", "provokasi", "mengamuk", "serang",
)  # fmt: skip
_CONFLICT = re.compile(r"\b(" + "|".join(CONFLICT_WORDS) + r")\b", re.I)
FILLER = (
    "Sementara itu, aktivitas warga di pusat kota berjalan seperti biasa. Pedagang di pasar tradisional "
    "membuka lapak sejak pagi dan angkutan umum beroperasi normal. Sejumlah sekolah tetap menggelar "
    "kegiatan belajar mengajar, sedangkan kantor pemerintahan melayani masyarakat sesuai jadwal. "
)


class NaiveBaseline:
    """Three conflict words make an article relevant; the first kabupaten/kota name is its place."""

    def __init__(self, gazetteer: Gazetteer) -> None:
        names: dict[str, str] = {}
        for place in gazetteer.places.values():
            if place.level == 2:
                bare = re.sub(r"^(Kabupaten|Kota)( Administrasi)?\s+", "", place.name)
                names.setdefault(bare.lower(), place.code)
        self.codes = names
        self.pattern = re.compile(
            r"\b(" + "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True)) + r")\b", re.I
        )

    def analyse(self, article: dict[str, Any]) -> tuple[bool, str | None]:
        text = f"{article.get('title', '')}\n{article['text']}"
        relevant = len(_CONFLICT.findall(text)) >= 3
        match = self.pattern.search(text)
        return relevant, self.codes[match.group(1).lower()] if match else None


def f1(pairs: list[tuple[bool, bool]]) -> float:
    tp = sum(1 for p, g in pairs if p and g)
    fp = sum(1 for p, g in pairs if p and not g)
    fn = sum(1 for p, g in pairs if g and not p)
    return 2 * tp / (2 * tp + fp + fn) if tp else 0.0


def kab(code: str | None) -> str | None:
    return code[:5] if code and len(code) >= 5 else None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--chars", type=int, default=3000)
    args = parser.parse_args()

    t0 = time.perf_counter()
    gazetteer = national_gazetteer()
    build = time.perf_counter() - t0
    naive = NaiveBaseline(gazetteer)
    labelled = [
        json.loads(line) for line in ARTICLES.read_text(encoding="utf-8").splitlines() if line.strip()
    ]

    ours_rel, base_rel, ours_kab, base_kab = [], [], [], []
    for article in labelled:
        expected = article["expected"]
        result = analyse(article, gazetteer=gazetteer)
        b_rel, b_code = naive.analyse(article)
        ours_rel.append((bool(result["relevant"]), bool(expected["relevant"])))
        base_rel.append((b_rel, bool(expected["relevant"])))
        if expected["relevant"] and expected["location_code"]:
            gold = kab(expected["location_code"])
            ours_kab.append(kab((result["location"] or {}).get("code")) == gold)
            base_kab.append(kab(b_code) == gold)

    padded = []
    for article in labelled:
        text = article["text"]
        while len(text) < args.chars:
            text += "\n\n" + FILLER
        padded.append({**article, "text": text[: max(args.chars, len(article["text"]))]})
    batch = list(itertools.islice(itertools.cycle(padded), args.articles))
    mean_chars = sum(len(a["text"]) for a in batch) / len(batch)

    t0 = time.perf_counter()
    for article in batch:
        analyse(article, gazetteer=gazetteer)
    ours_rate = len(batch) / (time.perf_counter() - t0)
    t0 = time.perf_counter()
    for article in batch:
        naive.analyse(article)
    base_rate = len(batch) / (time.perf_counter() - t0)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    print(f"gazetteer: {len(gazetteer):,} units, build {build:.2f} s (target < 5 s)")
    print(f"throughput: {ours_rate:,.0f} articles/s of {mean_chars:,.0f} chars on one core (target >= 500)")
    print(f"peak RSS: {peak_mb:,.0f} MB (target < 600 MB)")
    print(f"\nlabelled test articles: {len(labelled)} ({sum(g for _, g in ours_rel)} relevant)")
    print(f"{'':24}{'waspada rules':>16}{'naive baseline':>16}{'ratio':>8}")
    rows = [
        ("relevance F1", f1(ours_rel), f1(base_rel)),
        ("kab/kota accuracy", sum(ours_kab) / len(ours_kab), sum(base_kab) / len(base_kab)),
        ("articles/s", ours_rate, base_rate),
    ]
    for name, ours, base in rows:
        ratio = f"{ours / base:.2f}" if base else "-"
        print(f"{name:24}{ours:>16.3f}{base:>16.3f}{ratio:>8}")
    print(
        "\nNote: these are the project's own articles (the rules were written alongside them); the held-out"
    )
    print("split and the external real-news evaluation come with the trained model.")


if __name__ == "__main__":
    main()
