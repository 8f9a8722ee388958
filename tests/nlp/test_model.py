"""The trained news model: storage, refusal of broken files, and the issue's targets on the held-out split."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from waspada.nlp.evaluation import kabkota, score
from waspada.nlp.labelled import choose_test_ids, held_out_ids, load_corpus, split_corpus, stratum
from waspada.nlp.model import ModelError, load_model, shipped_model
from waspada.nlp.pipeline import analyse, featurize
from waspada.nlp.places import Gazetteer
from waspada.nlp.training import evaluate, train
from waspada.regions.gazetteer import iter_units
from waspada.taxonomy import EVENT_TYPES

CORPUS = load_corpus()
TRAIN, HELD_OUT = split_corpus(CORPUS)


def test_the_corpus_holds_at_least_400_articles_covering_every_event_type() -> None:
    assert len(CORPUS) >= 400
    relevant_types = {a["labels"]["event_type"] for a in CORPUS if a["labels"]["relevant"]}
    expected = {et.code for et in EVENT_TYPES} - {"peace_agreement", "security_deployment"}
    assert expected <= relevant_types
    negatives = {a["labels"].get("hard_negative") for a in CORPUS if not a["labels"]["relevant"]}
    assert {
        "rakor_imbauan",
        "simulasi",
        "peace_declaration",
        "sports",
        "crime",
        "disaster",
        "logistics",
    } <= negatives


def test_every_labelled_place_is_a_gazetteer_code() -> None:
    codes = {u.code for u in iter_units()}
    for article in CORPUS:
        labels = article["labels"]
        for key in ("location_code", "kabkota_code"):
            assert labels.get(key) is None or labels[key] in codes, (article["id"], key, labels[key])


def test_the_held_out_split_is_fixed_stratified_and_disjoint_from_training() -> None:
    held = held_out_ids()
    assert held and {a["id"] for a in HELD_OUT} == held
    assert not held & {a["id"] for a in TRAIN}
    assert {stratum(a) for a in HELD_OUT} == {stratum(a) for a in CORPUS}


def test_choosing_a_split_is_deterministic_and_takes_every_label() -> None:
    sample = [{"id": f"x{i}", "labels": {"relevant": i % 2 == 0, "event_type": "riot"}} for i in range(20)]
    first, second = choose_test_ids(sample), choose_test_ids(list(reversed(sample)))
    assert first == second and len(first) == 4
    assert {int(i[1:]) % 2 for i in first} == {0, 1}


def test_the_shipped_model_was_trained_without_the_held_out_split() -> None:
    model = shipped_model()
    assert model is not None
    assert model.info["corpus_articles"] == len(TRAIN)
    assert model.info["training_articles"] == len(TRAIN)


def test_the_shipped_model_meets_the_issue_targets_on_the_held_out_split(gazetteer: Gazetteer) -> None:
    scores = evaluate(shipped_model(), HELD_OUT, gazetteer)
    assert scores.relevance_f1 >= 0.92, scores.as_dict()
    assert scores.event_macro_f1 >= 0.75, scores.as_dict()
    assert scores.kabkota_accuracy >= 0.92, scores.as_dict()


def test_the_model_beats_the_rules_alone_on_the_held_out_split(gazetteer: Gazetteer) -> None:
    model = evaluate(shipped_model(), HELD_OUT, gazetteer)
    rules = evaluate(None, HELD_OUT, gazetteer)
    assert model.relevance_f1 + model.event_macro_f1 > rules.relevance_f1 + rules.event_macro_f1


def test_a_model_round_trips_through_its_json_file(tmp_path: Path) -> None:
    model = shipped_model()
    assert model is not None
    path = tmp_path / "m.json"
    model.save(path)
    again = load_model(path)
    feats = featurize(HELD_OUT[0])
    assert again.predict(feats) == model.predict(feats)


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        ("not json", "not a JSON model file"),
        ('{"format": "other"}', "unknown model format"),
        ('{"format": "waspada-news-model/1", "rule_features": []}', "other rule features"),
    ],
)
def test_it_refuses_a_broken_model_file(tmp_path: Path, content: str, reason: str) -> None:
    path = tmp_path / "m.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ModelError, match=reason):
        load_model(path)


def test_it_refuses_a_model_whose_arrays_do_not_fit(tmp_path: Path) -> None:
    model = shipped_model()
    assert model is not None
    doc = model.to_json()
    doc["vocabulary"] = doc["vocabulary"][:-1]
    path = tmp_path / "m.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    with pytest.raises(ModelError, match="expected"):
        load_model(path)


def test_the_output_names_the_model_and_the_words_that_decided(gazetteer: Gazetteer) -> None:
    article = next(a for a in HELD_OUT if a["labels"]["relevant"])
    out = analyse(article, gazetteer=gazetteer)
    evidence = out["evidence"]["model"]
    assert evidence["version"] == shipped_model().version  # type: ignore[union-attr]
    assert evidence["relevance_features"] and all(f["weight"] > 0 for f in evidence["relevance_features"])


def test_rules_only_ignores_the_model(gazetteer: Gazetteer) -> None:
    out = analyse(HELD_OUT[0], gazetteer=gazetteer, rules_only=True)
    assert "model" not in out["evidence"]


def test_training_learns_from_what_it_is_given() -> None:
    small = [a for a in TRAIN if a["labels"]["relevant"]][:30] + [
        a for a in TRAIN if not a["labels"]["relevant"]
    ][:30]
    result = train(small, version="t1")
    assert result.model.version == "t1"
    assert result.model.info["training_articles"] == 60
    hits = [result.model.predict(featurize(a)).relevance >= 0.5 for a in small]
    assert sum(h == a["labels"]["relevant"] for h, a in zip(hits, small, strict=True)) >= 54


def test_training_refuses_a_single_class() -> None:
    with pytest.raises(ValueError, match="both relevant and not relevant"):
        train([a for a in TRAIN if a["labels"]["relevant"]][:10])


def test_scores_count_relevance_types_and_places() -> None:
    pairs = [
        ({"relevant": True, "event_type": "riot", "kabkota_code": "65.03"},
         {"relevant": True, "event_type": "riot", "location": {"code": "65.03.08"}}),
        ({"relevant": True, "event_type": "arson", "kabkota_code": "65.01"},
         {"relevant": True, "event_type": "riot", "location": {"code": "65"}}),
        ({"relevant": False}, {"relevant": True, "event_type": "riot", "location": None}),
        ({"relevant": True, "event_type": "riot", "kabkota_code": None}, {"relevant": False, "location": None}),
    ]  # fmt: skip
    scores = score(pairs)
    assert scores.relevance_precision == pytest.approx(2 / 3)
    assert scores.relevance_recall == pytest.approx(2 / 3)
    assert scores.kabkota_accuracy == 0.5 and scores.kabkota_articles == 2
    assert scores.per_type_f1 == {"arson": 0.0, "riot": pytest.approx(0.5)}
    assert kabkota("65") is None and kabkota("65.03.08.2001") == "65.03"
