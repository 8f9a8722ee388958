"""The whole pipeline on the project's own test articles (tests/nlp/articles.jsonl, written by us)."""

from __future__ import annotations

from typing import Any

import pytest

from waspada.nlp.pipeline import OUTPUT_FIELDS, analyse
from waspada.nlp.places import Gazetteer
from waspada.taxonomy import is_event_type

from .conftest import load_articles

ARTICLES = load_articles()
IDS = [a["id"] for a in ARTICLES]


@pytest.mark.parametrize("article", ARTICLES, ids=IDS)
def test_it_labels_each_test_article_as_expected(article: dict[str, Any], gazetteer: Gazetteer) -> None:
    expected = article["expected"]
    result = analyse(article, gazetteer=gazetteer)
    assert result["relevant"] is expected["relevant"], result["evidence"]["relevance"]
    assert result["event_type"] == expected["event_type"], result["evidence"]["type_scores"]
    assert (result["location"] or {}).get("code") == expected["location_code"], result["locations"]
    if expected["relevant"]:
        assert (result["killed"], result["injured"]) == (expected["killed"], expected["injured"])
    if expected["event_date"]:
        assert result["event_date"] == expected["event_date"]


def test_the_fixture_holds_the_hard_negatives_of_the_issue() -> None:
    titles = " ".join(a["title"].lower() for a in ARTICLES if not a["expected"]["relevant"])
    for words in ("rakor", "simulasi sispamkota", "laga", "deklarasi damai"):
        assert words in titles
    assert len(ARTICLES) >= 30


def test_every_output_carries_the_contract_fields_and_valid_codes(gazetteer: Gazetteer) -> None:
    for article in ARTICLES:
        result = analyse(article, gazetteer=gazetteer)
        assert tuple(result) == OUTPUT_FIELDS
        assert 0.0 <= result["relevance_score"] <= 1.0
        assert result["event_type"] is None or is_event_type(result["event_type"])
        for place in [result["location"], *result["locations"]]:
            if place is not None:
                assert place["code"] in gazetteer.places


def test_a_meeting_urging_vigilance_is_not_relevant_and_says_why(gazetteer: Gazetteer) -> None:
    result = analyse(next(a for a in ARTICLES if a["id"] == "a02"), gazetteer=gazetteer)
    assert result["relevant"] is False
    assert any("meeting" in cue for cue in result["evidence"]["negative_cues"])


def test_a_supporter_clash_in_a_kecamatan_gets_that_kecamatan_and_its_evidence(gazetteer: Gazetteer) -> None:
    result = analyse(next(a for a in ARTICLES if a["id"] == "a01"), gazetteer=gazetteer)
    assert result["event_type"] == "supporter_clash"
    assert result["location"] == {"code": "65.03.08", "level": 3, "name": "Sebatik Barat"}
    words = {e["word"] for e in result["evidence"]["relevance"]}
    assert "bentrokan" in words
    supporters = next(a for a in result["actors"] if a["type"] == "paslon_supporters")
    assert supporters["paslon"] == [1, 2]


def test_baca_juga_links_do_not_add_places(gazetteer: Gazetteer) -> None:
    result = analyse(next(a for a in ARTICLES if a["id"] == "a01"), gazetteer=gazetteer)
    assert "65.02" not in {p["code"] for p in result["locations"]}  # "Bupati Malinau" is in a Baca Juga line
