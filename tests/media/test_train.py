"""`waspada media train` and `media models`: versions in the data directory, held-out metrics, the active model."""

from __future__ import annotations

import json
from collections.abc import Iterator
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from waspada.media import model_store, retrain
from waspada.nlp.labelled import held_out_ids
from waspada.nlp.model import shipped_model

ARTICLE = {
    "id": "x1",
    "title": "Pendukung Paslon Bentrok di Sebatik Barat",
    "text": "NUNUKAN – Bentrokan antarpendukung paslon pecah di Kecamatan Sebatik Barat, Senin (2/12).",
    "published": "2024-12-03",
}


@pytest.fixture
def data_dir(settings: Any, tmp_path: Path) -> Path:
    settings.DATA_DIR = tmp_path
    return tmp_path


def media(*args: str) -> str:
    out = StringIO()
    call_command("media", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def test_it_trains_on_corpus_and_analyst_decisions_but_never_on_the_held_out_split(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    decisions = [
        {"id": 7, "title": "Massa ricuh di KPU", "text": "Massa ricuh dan merusak pagar KPU.", "relevant": True,
         "event_type": "riot"},
        {"id": 8, "title": "Rakor", "text": "Rapat koordinasi mengimbau warga menjaga kondusivitas.",
         "relevant": False, "event_type": None},
    ]  # fmt: skip

    def labels() -> Iterator[dict[str, Any]]:
        yield from decisions

    seen: list[str] = []
    real_train = retrain.train

    def spy(articles: list[dict[str, Any]], **kwargs: Any) -> Any:
        seen.extend(str(a["id"]) for a in articles)
        return real_train(articles, **kwargs)

    monkeypatch.setattr("waspada.media.labels.iter_analyst_labels", labels)
    monkeypatch.setattr(retrain, "train", spy)
    report = json.loads(media("train", "--json", "--force"))

    assert report["analyst_articles"] == 2
    assert {"analyst-7", "analyst-8"} <= set(seen)
    assert not set(seen) & held_out_ids()
    assert report["held_out"]["articles"] == len(held_out_ids())
    assert report["activated"] is True
    stored = Path(report["path"])
    assert stored.parent == data_dir / "models" / "news" and stored.is_file()
    assert model_store.current_version() == report["version"]
    assert json.loads(stored.read_text())["info"]["held_out_metrics"] == report["held_out"]


def test_analyze_uses_the_version_in_use_and_models_lists_it(data_dir: Path, tmp_path: Path) -> None:
    model = shipped_model()
    assert model is not None
    model.version = "v-test"
    model.info = {**model.info, "analyst_articles": 3}
    model_store.store_model(model)
    model.version = shipped_model().version  # type: ignore[union-attr]

    listing = media("models")
    assert "* v-test" in listing and "analis 3" in listing

    source, target = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    source.write_text(json.dumps(ARTICLE) + "\n", encoding="utf-8")
    media("analyze", "--input", str(source), "--output", str(target))
    out = json.loads(target.read_text(encoding="utf-8"))
    assert out["relevant"] is True and out["location"]["code"] == "65.03.08"
    assert out["evidence"]["model"]["version"] == "v-test"


def test_rules_only_analysis_names_no_model(data_dir: Path, tmp_path: Path) -> None:
    source, target = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    source.write_text(json.dumps(ARTICLE) + "\n", encoding="utf-8")
    media("analyze", "--input", str(source), "--output", str(target), "--rules-only")
    assert "model" not in json.loads(target.read_text(encoding="utf-8"))["evidence"]


def test_it_refuses_to_use_a_version_that_does_not_exist(data_dir: Path) -> None:
    with pytest.raises(CommandError, match="tidak-ada"):
        media("models", "use", "tidak-ada")
    assert model_store.current_version() is None
    assert "model bawaan" in media("models")


def test_a_broken_current_model_falls_back_to_the_shipped_one(data_dir: Path) -> None:
    folder = data_dir / "models" / "news"
    folder.mkdir(parents=True)
    (folder / "rusak.json").write_text("{", encoding="utf-8")
    (folder / "current").write_text("rusak\n", encoding="utf-8")
    assert model_store.active_model() is shipped_model()
