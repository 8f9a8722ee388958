"""Train the news model that ships with Waspada (src/waspada/nlp/trained/news.json) from the corpus.

    .venv/bin/python scripts/train_shipped_model.py [--choose-test-split | --extend-test-split PART ...]

Trains on the corpus's training split only and stores the held-out metrics in the model. The fixed test
split (src/waspada/nlp/corpus/held_out_ids.txt) is written only with --choose-test-split, once, before any
training; afterwards it never changes, so the test articles are never trained on. A new corpus part
(a new file such as part_d.jsonl) gets its own stratified test share with --extend-test-split, in the same
run that first trains on it: the ids chosen are added to the list, the earlier ones stay.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from waspada.nlp.labelled import (  # noqa: E402
    CORPUS_DIR,
    HELD_OUT_IDS,
    choose_test_ids,
    held_out_ids,
    load_corpus,
    split_corpus,
)
from waspada.nlp.model import SHIPPED_MODEL  # noqa: E402
from waspada.nlp.places import national_gazetteer  # noqa: E402
from waspada.nlp.training import evaluate, train  # noqa: E402


def load_part(path: Path) -> list[dict[str, object]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--choose-test-split", action="store_true")
    parser.add_argument("--extend-test-split", nargs="+", metavar="PART", default=[])
    parser.add_argument("--version", default=None)
    args = parser.parse_args()
    corpus = load_corpus()
    if args.choose_test_split:
        if HELD_OUT_IDS.exists():
            print(f"{HELD_OUT_IDS} exists already: the held-out split never changes", file=sys.stderr)
            return 1
        HELD_OUT_IDS.write_text("\n".join(choose_test_ids(corpus)) + "\n", encoding="utf-8")
    if args.extend_test_split:
        held = held_out_ids()
        for name in args.extend_test_split:
            part = load_part(CORPUS_DIR / name)
            if any(a["id"] in held for a in part):
                print(f"{name} has a test share already: the held-out split never changes", file=sys.stderr)
                return 1
            held |= set(choose_test_ids(part))
        HELD_OUT_IDS.write_text("\n".join(sorted(held)) + "\n", encoding="utf-8")
    training, held_out = split_corpus(corpus)
    if not held_out:
        print("no held-out split: run once with --choose-test-split", file=sys.stderr)
        return 1
    result = train(training, version=args.version)
    gazetteer = national_gazetteer()
    metrics = evaluate(result.model, held_out, gazetteer)
    rules = evaluate(None, held_out, gazetteer)
    result.model.info.update({"held_out_metrics": metrics.as_dict(), "corpus_articles": len(training)})
    result.model.save(SHIPPED_MODEL)
    print(json.dumps({"model": metrics.as_dict(), "rules_only": rules.as_dict()}, indent=1))
    for error in metrics.errors:
        print("held-out error:", error)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
