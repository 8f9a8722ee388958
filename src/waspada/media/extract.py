"""From fetched bytes to article candidates: RSS/Atom entries (feedparser) and the main text of an article
page (trafilatura). Pure Python, no Django; nothing here touches the network (feedparser is only ever
given bytes, never a URL).

A candidate that cannot be used is a ``Skip`` with its reason in Indonesian, recorded on the source's poll.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Final

from waspada.media.language import guess_language

__all__ = [
    "MIN_ARTICLE_CHARS",
    "Candidate",
    "FeedEntry",
    "FeedProblem",
    "PageArticle",
    "Skip",
    "check_candidate",
    "extract_article",
    "html_to_text",
    "parse_feed",
]

MIN_ARTICLE_CHARS: Final = 200  # shorter "articles" are teasers, menus or paywalls
MAX_TEXT_CHARS: Final = 100_000


class FeedProblem(Exception):
    """The body is not a usable RSS/Atom feed; the message says why (in Indonesian)."""


@dataclass(frozen=True, slots=True)
class FeedEntry:
    url: str
    title: str
    text: str  # the entry's own text (content, else summary), HTML removed; often only a teaser
    published: datetime | None


@dataclass(frozen=True, slots=True)
class PageArticle:
    title: str
    text: str
    published: datetime | None


@dataclass(frozen=True, slots=True)
class Candidate:
    """An article ready to be stored: ``url`` may be empty for imported rows."""

    url: str
    title: str
    text: str
    published: datetime | None
    language: str


@dataclass(frozen=True, slots=True)
class Skip:
    url: str
    reason: str


def _struct_to_datetime(value: Any) -> datetime | None:
    if not value:
        return None
    try:
        return datetime.fromtimestamp(calendar.timegm(value), tz=UTC)
    except (TypeError, ValueError, OverflowError):
        return None


def parse_feed(body: bytes, *, url: str, content_type: str = "") -> tuple[list[FeedEntry], str]:
    """The entries of an RSS/Atom feed, and a note when the feed was malformed but still readable.

    Raises ``FeedProblem`` for a body that holds no usable entry (broken XML, an HTML page, an empty
    feed). Entries without a link are left out; relative links are resolved against ``url``."""
    import feedparser

    headers = {"content-location": url, "content-type": content_type or "application/xml"}
    parsed = feedparser.parse(body, response_headers=headers, sanitize_html=True)
    problem = parsed.get("bozo_exception") if parsed.get("bozo") else None
    entries: list[FeedEntry] = []
    for item in parsed.entries:
        link = str(item.get("link") or "").strip()
        if not link.startswith(("http://", "https://")):
            continue
        contents = [str(c.get("value") or "") for c in item.get("content") or []]
        html = max(contents, key=len) if contents else str(item.get("summary") or "")
        entries.append(
            FeedEntry(
                url=link,
                title=html_to_text(str(item.get("title") or ""))[:500],
                text=html_to_text(html),
                published=_struct_to_datetime(item.get("published_parsed") or item.get("updated_parsed")),
            )
        )
    if not entries:
        if problem is not None:
            raise FeedProblem(f"feed rusak (XML tidak sah): {problem}")
        if not parsed.get("version"):
            raise FeedProblem("bukan feed RSS/Atom")
        if parsed.entries:
            raise FeedProblem("feed tanpa tautan artikel")
        return [], ""
    note = f"feed tidak sah ({problem}); {len(entries)} item tetap dibaca" if problem is not None else ""
    return entries, note


_BLOCK: Final = frozenset(
    {"p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "blockquote", "section"}
)
_SPACES: Final = re.compile(r"[ \t\u00a0]+")
_BLANK_LINES: Final = re.compile(r"\n\s*\n+")


def html_to_text(fragment: str) -> str:
    """Text of an HTML fragment, one line per block; scripts and styles dropped. Plain text passes."""
    if "<" not in fragment and "&" not in fragment:
        return _tidy(fragment)
    import lxml.html

    try:
        root = lxml.html.fragment_fromstring(fragment, create_parent="div")
    except Exception:  # lxml raises several types (ParserError, ValueError) on junk
        return _tidy(re.sub(r"<[^>]+>", " ", fragment))
    for bad in root.xpath("//script|//style"):
        bad.drop_tree()
    for element in root.iter():
        if isinstance(element.tag, str) and element.tag.lower() in _BLOCK:
            element.tail = "\n" + (element.tail or "")
    return _tidy(str(root.text_content()))


def _tidy(text: str) -> str:
    lines = [_SPACES.sub(" ", line).strip() for line in text.splitlines()]
    return _BLANK_LINES.sub("\n", "\n".join(line for line in lines if line)).strip()


def _parse_date(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


_PUBLISHED_META: Final = re.compile(
    r"""<meta[^>]+(?:property|name|itemprop)=["'](?:article:published_time|datePublished|pubdate)["'][^>]*"""
    r"""content=["']([^"']+)["']""",
    re.IGNORECASE,
)


def extract_article(html: str, *, url: str) -> PageArticle | None:
    """The main text, title and date of an article page, or None when trafilatura finds no article."""
    import trafilatura

    doc = trafilatura.bare_extraction(
        html,
        url=url,
        with_metadata=True,
        include_comments=False,
        include_tables=False,
        include_images=False,
        deduplicate=False,  # True keeps a process-wide cache and drops text seen before
    )
    if doc is None:
        return None
    title = _tidy(str(getattr(doc, "title", "") or ""))[:500]
    text = str(getattr(doc, "text", "") or "")
    first, _, rest = text.partition("\n")
    if title and first.strip() == title:  # the headline repeated as the first line
        text = rest
    text = _tidy(text)
    if not text:
        return None
    meta = _PUBLISHED_META.search(html[:50_000])
    published = _parse_date(meta.group(1)) if meta else None
    return PageArticle(
        title=title,
        text=text[:MAX_TEXT_CHARS],
        published=published or _parse_date(getattr(doc, "date", None)),
    )


def check_candidate(
    url: str,
    title: str,
    text: str,
    published: datetime | None,
    *,
    min_chars: int = MIN_ARTICLE_CHARS,
    allow_undetermined: bool = False,
) -> Candidate | Skip:
    """An article to store, or why not: too short to be an article, or not Indonesian. Imported rows
    (``allow_undetermined``) may be too short for the language to be told; fetched pages may not."""
    text = text.strip()
    if len(text) < max(1, min_chars):
        if not text:
            return Skip(url, "tidak ada teks artikel di halaman")
        return Skip(url, f"tidak ada teks artikel (hanya {len(text)} karakter)")
    language = guess_language(f"{title}\n{text}")
    if language != "id" and not (allow_undetermined and language == "und"):
        named = {"en": "Inggris", "nl": "Belanda", "de": "Jerman", "fr": "Prancis"}.get(language)
        return Skip(url, f"bukan berbahasa Indonesia ({named or 'bahasa tidak dikenali'})")
    return Candidate(
        url=url, title=title.strip(), text=text[:MAX_TEXT_CHARS], published=published, language="id"
    )
