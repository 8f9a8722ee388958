"""Feeds, article pages, text decoding and the language check (pure, no network)."""

from __future__ import annotations

import pytest

from waspada.media.extract import (
    Candidate,
    FeedProblem,
    Skip,
    check_candidate,
    extract_article,
    html_to_text,
    parse_feed,
)
from waspada.media.fetching import FetchFailed, decode_text
from waspada.media.language import guess_language

from .conftest import CLASH, ENGLISH, MEETING, page, rss

BASE = "http://berita.example"


def test_it_reads_rss_entries_with_absolute_links_dates_and_plain_text() -> None:
    feed = rss(
        [("/a", "Bentrok di Aji Kuning", "&lt;p&gt;Dua &lt;b&gt;kelompok&lt;/b&gt; bentrok&lt;/p&gt;")], BASE
    )
    entries, note = parse_feed(feed, url=BASE + "/rss.xml")
    assert note == ""
    [entry] = entries
    assert entry.url == BASE + "/a"
    assert entry.title == "Bentrok di Aji Kuning"
    assert entry.text == "Dua kelompok bentrok"
    assert entry.published is not None and entry.published.isoformat() == "2024-12-03T01:00:00+00:00"


def test_it_resolves_relative_links_against_the_feed_address() -> None:
    feed = b'<?xml version="1.0"?><rss version="2.0"><channel><item><title>x</title><link>/b/c</link></item></channel></rss>'
    entries, _ = parse_feed(feed, url="http://berita.example/feed/rss.xml")
    assert [e.url for e in entries] == ["http://berita.example/b/c"]


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (b"<rss><channel><item><title>Rusak", "feed rusak"),
        (b"<html><body><p>Bukan feed</p></body></html>", "bukan feed RSS/Atom"),
        (b"\x00\x01\x02 binary", "feed rusak"),
    ],
)
def test_it_refuses_a_broken_feed_with_its_reason(body: bytes, reason: str) -> None:
    with pytest.raises(FeedProblem, match=reason):
        parse_feed(body, url=BASE + "/rss.xml")


def test_it_reads_an_empty_feed_as_no_entries() -> None:
    empty = b'<?xml version="1.0"?><rss version="2.0"><channel><title>Kosong</title></channel></rss>'
    assert parse_feed(empty, url=BASE) == ([], "")


def test_it_extracts_the_article_text_and_date_from_a_page_without_its_navigation() -> None:
    article = extract_article(page("Bentrok di Aji Kuning", CLASH).decode(), url=BASE + "/a")
    assert article is not None
    assert article.title == "Bentrok di Aji Kuning"
    assert article.text.startswith("NUNUKAN – Dua kelompok")
    assert "Beranda" not in article.text
    assert article.published is not None and article.published.isoformat() == "2024-12-03T09:00:00+08:00"


def test_it_skips_a_page_with_no_article_text() -> None:
    shell = "<html><body><nav><a href='/'>Beranda</a> <a href='/login'>Masuk</a></nav></body></html>"
    found = extract_article(shell, url=BASE)
    text = found.text if found else ""
    result = check_candidate(BASE, "", text, None)
    assert isinstance(result, Skip)
    assert "tidak ada teks artikel" in result.reason


def test_it_skips_an_english_article_and_keeps_an_indonesian_one() -> None:
    skipped = check_candidate(BASE + "/en", "Vote count on schedule", ENGLISH, None)
    assert isinstance(skipped, Skip) and skipped.reason == "bukan berbahasa Indonesia (Inggris)"
    kept = check_candidate(BASE + "/id", "Rapat koordinasi", MEETING, None)
    assert isinstance(kept, Candidate) and kept.language == "id"


def test_it_tells_indonesian_from_english_and_leaves_short_texts_undetermined() -> None:
    assert guess_language(CLASH) == "id"
    assert guess_language(ENGLISH) == "en"
    assert guess_language("Ricuh di Sebatik") == "und"
    assert guess_language("1234 5678 " * 30) == "und"


def test_it_turns_html_fragments_into_lines_without_scripts() -> None:
    assert html_to_text("<p>Satu</p><script>alert(1)</script><p>Dua&nbsp;tiga</p>") == "Satu\nDua tiga"
    assert html_to_text("teks biasa") == "teks biasa"


def test_it_decodes_the_declared_charset_and_falls_back_to_utf8() -> None:
    latin = "Pemilu di Kecamatan Sebatik – aman".encode("cp1252")
    assert decode_text(latin, "windows-1252").text == "Pemilu di Kecamatan Sebatik – aman"
    assert decode_text(b'<meta charset="iso-8859-1"><p>caf\xe9</p>').text.endswith("café</p>")
    assert decode_text(b"bentrok", "no-such-charset").charset == "utf-8"


def test_it_replaces_a_few_bad_bytes_but_refuses_mostly_undecodable_text() -> None:
    few = ("Warga berkumpul di balai desa. " * 20).encode() + b"\xff"
    assert decode_text(few, "utf-8").replaced == 1
    garbage = bytes(range(128, 256)) * 40
    with pytest.raises(FetchFailed, match="pengodean teks tidak sah") as caught:
        decode_text(garbage, "utf-8")
    assert caught.value.code == "encoding"
