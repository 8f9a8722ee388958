"""News analysis: accuracy on the held-out split, throughput, gazetteer build, memory, and two peers.

    .venv/bin/python benchmarks/bench_media.py [--articles 2000] [--chars 3000] [--no-peer] [--leave-one-out]

Accuracy is measured on the corpus's held-out test split (src/waspada/nlp/corpus/held_out_ids.txt; never
trained on) for the trained model, the rules alone, and the naive baseline of issue 4 ("relevant if the
text holds three or more conflict words; location = the first kabupaten/kota name in the text"). The
PyPI package id-location-ner (gazetteer + spaCy PhraseMatcher, given the same national gazetteer as a
CSV) locates the same articles for a side-by-side kab/kota accuracy and throughput. Throughput is for
articles padded to about ``--chars`` characters on one core. Targets (issue 4): relevance F1 >= 0.92,
event-type macro-F1 >= 0.75, kab/kota >= 92 %; >= 500 articles/s; gazetteer build < 5 s; RSS < 600 MB.

The corpus has parts by different writers (part_a-c by one, each later part by another). The held-out
figures are also printed per group, and --leave-one-out trains a model without one later part and scores
it on that whole part: the nearest thing here to news the model has never seen the like of.
"""

from __future__ import annotations

import argparse
import csv
import itertools
import re
import resource
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from waspada.nlp.evaluation import kabkota  # noqa: E402
from waspada.nlp.labelled import load_corpus, split_corpus  # noqa: E402
from waspada.nlp.model import shipped_model  # noqa: E402
from waspada.nlp.pipeline import analyse  # noqa: E402
from waspada.nlp.places import Gazetteer, national_gazetteer  # noqa: E402
from waspada.nlp.training import evaluate  # noqa: E402

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

    def analyse(self, article: dict[str, Any]) -> dict[str, Any]:
        text = f"{article.get('title', '')}\n{article['text']}"
        match = self.pattern.search(text)
        code = self.codes[match.group(1).lower()] if match else None
        return {"relevant": len(_CONFLICT.findall(text)) >= 3, "location": {"code": code} if code else None}


class LocationNerPeer:
    """id-location-ner (gazetteer-only mode) over a CSV of the same national gazetteer."""

    def __init__(self, gazetteer: Gazetteer) -> None:
        from location_ner.extractor import LocationExtractor

        rows = []
        places = gazetteer.places
        for place in places.values():
            if place.level != 4:
                continue
            chain = [place.code.rsplit(".", i)[0] for i in (3, 2, 1)] + [place.code]
            rows.append(
                {f"{lvl}_{kind}": (places[c].name if kind == "name" else c)
                 for lvl, c in zip(("province", "city", "district", "subdistrict"), chain, strict=True)
                 for kind in ("name", "code")}
            )  # fmt: skip
        self._dir = tempfile.TemporaryDirectory()
        path = Path(self._dir.name) / "gazetteer.csv"
        with path.open("w", newline="", encoding="utf-8") as fh:
            writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
            writer.writeheader()
            writer.writerows(rows)
        started = time.perf_counter()
        self.extractor = LocationExtractor.from_csv(str(path))
        self.build_seconds = time.perf_counter() - started

    def kabkota(self, article: dict[str, Any]) -> str | None:
        from location_ner.resolver import resolve_best_location

        text = f"{article.get('title', '')}\n{article['text']}"
        mentions = [m.__dict__ for m in self.extractor.extract(text)]
        resolved = resolve_best_location(mentions)
        return resolved.city_code if resolved else None


def padded_batch(articles: list[dict[str, Any]], chars: int, count: int) -> list[dict[str, Any]]:
    padded = []
    for article in articles:
        text = article["text"]
        while len(text) < chars:
            text += "\n\n" + FILLER
        padded.append({**article, "text": text[: max(chars, len(article["text"]))]})
    return list(itertools.islice(itertools.cycle(padded), count))


def rate(func: Any, batch: list[dict[str, Any]], passes: int = 3) -> float:
    """Articles per second: the best of ``passes`` runs over the batch (the machine's noise only slows)."""
    best = 0.0
    for _ in range(passes):
        started = time.perf_counter()
        for article in batch:
            func(article)
        best = max(best, len(batch) / (time.perf_counter() - started))
    return best


def leave_one_out(gazetteer: Gazetteer) -> None:
    """Train without each later part (its training articles too) and score on the whole part."""
    from waspada.nlp.training import train

    corpus = load_corpus()
    training, _ = split_corpus(corpus)
    print("\nleave one writer out (trained without the part, scored on all of it):")
    for part in sorted({str(a["id"])[:1] for a in corpus} - set("ABC")):
        model = train([a for a in training if str(a["id"])[:1] != part]).model
        s = evaluate(model, [a for a in corpus if str(a["id"])[:1] == part], gazetteer)
        print(
            f"  part {part.lower()}: {s.articles:>4} articles  relevance F1 {s.relevance_f1:.3f}  "
            f"event-type macro-F1 {s.event_macro_f1:.3f}  kab/kota {s.kabkota_accuracy:.3f}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--chars", type=int, default=3000)
    parser.add_argument("--no-peer", action="store_true", help="skip id-location-ner")
    parser.add_argument("--leave-one-out", action="store_true", help="train without each later part")
    args = parser.parse_args()

    t0 = time.perf_counter()
    gazetteer = national_gazetteer()
    build = time.perf_counter() - t0
    model = shipped_model()
    naive = NaiveBaseline(gazetteer)
    _, held_out = split_corpus(load_corpus())
    relevant = [a for a in held_out if a["labels"]["relevant"]]

    ours = evaluate(model, held_out, gazetteer)
    rules = evaluate(None, held_out, gazetteer)
    from waspada.nlp.evaluation import score

    base = score((a["labels"], {"id": a["id"], **naive.analyse(a)}) for a in held_out)

    batch = padded_batch(held_out, args.chars, args.articles)
    mean_chars = sum(len(a["text"]) for a in batch) / len(batch)
    ours_rate = rate(lambda a: analyse(a, gazetteer=gazetteer, model=model), batch)
    base_rate = rate(naive.analyse, batch)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    print(f"model: {model.version if model else 'none (rules only)'}")
    print(f"gazetteer: {len(gazetteer):,} units, build {build:.2f} s (target < 5 s)")
    print(
        f"throughput: {ours_rate:,.0f} articles/s of {mean_chars:,.0f} chars on one core, best of 3 passes "
        "(target >= 500)"
    )
    print(f"peak RSS: {peak_mb:,.0f} MB with the national gazetteer (target < 600 MB)")
    print(f"\nheld-out test split: {len(held_out)} articles ({len(relevant)} relevant)")
    print(f"{'':26}{'waspada model':>15}{'rules only':>12}{'naive':>9}{'model/naive':>13}")
    rows = [
        ("relevance F1", ours.relevance_f1, rules.relevance_f1, base.relevance_f1),
        ("event-type macro-F1", ours.event_macro_f1, rules.event_macro_f1, None),
        ("kab/kota accuracy", ours.kabkota_accuracy, rules.kabkota_accuracy, base.kabkota_accuracy),
        ("articles/s", ours_rate, None, base_rate),
    ]
    for name, a, b, c in rows:
        cells = [f"{a:>15.3f}", f"{b:>12.3f}" if b is not None else f"{'-':>12}"]
        cells.append(f"{c:>9.3f}" if c is not None else f"{'-':>9}")
        cells.append(f"{a / c:>13.2f}" if c else f"{'-':>13}")
        print(f"{name:26}" + "".join(cells))
    print("targets: relevance F1 >= 0.92, event-type macro-F1 >= 0.75, kab/kota >= 0.92")
    print("\nheld-out split by writer:")
    for label, parts in (("part a-c (first writer)", "ABC"), ("later parts (other writers)", "DEFGH")):
        group = [a for a in held_out if str(a["id"])[:1] in parts]
        if group:
            s = evaluate(model, group, gazetteer)
            print(
                f"  {label:28} {len(group):>4} articles  relevance F1 {s.relevance_f1:.3f}  "
                f"event-type macro-F1 {s.event_macro_f1:.3f}  kab/kota {s.kabkota_accuracy:.3f}"
            )
    if args.leave_one_out:
        leave_one_out(gazetteer)

    if args.no_peer:
        return
    try:
        peer = LocationNerPeer(gazetteer)
    except ImportError:
        print("\nid-location-ner is not installed (pip install -e '.[dev]'): peer comparison skipped")
        return
    with_place = [a for a in relevant if a["labels"].get("kabkota_code")]
    peer_right = sum(peer.kabkota(a) == a["labels"]["kabkota_code"] for a in with_place)
    ours_right = sum(
        kabkota((analyse(a, gazetteer=gazetteer, model=model)["location"] or {}).get("code"))
        == a["labels"]["kabkota_code"]
        for a in with_place
    )
    place_batch = batch[: min(len(batch), 300)]
    peer_rate = rate(peer.kabkota, place_batch)
    ours_place_rate = rate(lambda a: gazetteer.resolve(f"{a.get('title', '')}\n\n{a['text']}"), place_batch)
    n = len(with_place)
    print(f"\nside by side on the {n} relevant held-out articles that name a kab/kota:")
    print(f"{'':26}{'waspada':>12}{'id-location-ner':>17}{'ratio':>8}")
    print(
        f"{'kab/kota accuracy':26}{ours_right / n:>12.3f}{peer_right / n:>17.3f}{(ours_right / max(peer_right, 1)):>8.2f}"
    )
    print(
        f"{'place resolution art/s':26}{ours_place_rate:>12.0f}{peer_rate:>17.0f}{ours_place_rate / peer_rate:>8.2f}"
    )
    print(
        f"{'gazetteer build s':26}{build:>12.2f}{peer.build_seconds:>17.2f}{build / peer.build_seconds:>8.2f}"
    )


if __name__ == "__main__":
    main()
