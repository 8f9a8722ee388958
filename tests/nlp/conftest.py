from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from waspada.nlp.places import Gazetteer, national_gazetteer

ARTICLES = Path(__file__).with_name("articles.jsonl")


def load_articles() -> list[dict[str, Any]]:
    return [json.loads(line) for line in ARTICLES.read_text(encoding="utf-8").splitlines() if line.strip()]


@pytest.fixture(scope="session")
def gazetteer() -> Gazetteer:
    return national_gazetteer()
