"""Showing a media finding's evidence on the report page: its sentences with the deciding words marked."""

from __future__ import annotations

import re
from typing import Any

from django import template
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


def highlight(sentence: str, words: list[str], discounted: list[str] | None = None) -> SafeString:
    """The sentence, HTML-escaped, with each word (and its suffixed forms: "bentrok" → "bentrokan") in
    ``<mark>``; discounted words get ``class="discounted"``. Matching ignores case."""
    html = str(escape(sentence))
    marks = [(w, "") for w in words] + [(w, "discounted") for w in (discounted or [])]
    marks = [(w, c) for w, c in marks if w and w.strip()]
    if not marks:
        return mark_safe(html)  # noqa: S308 — escaped above
    by_word = {}
    for word, cls in sorted(marks, key=lambda m: -len(m[0])):
        by_word.setdefault(str(escape(word)).lower(), cls)
    pattern = re.compile(
        r"(?<![\w&])("
        + "|".join(r"\s+".join(re.escape(part) for part in w.split()) for w in by_word)
        + r")(\w*)",
        re.IGNORECASE,
    )

    def mark(match: re.Match[str]) -> str:
        key = re.sub(r"\s+", " ", match.group(1)).lower()
        cls = by_word.get(key, "")
        attr = f' class="{cls}"' if cls else ""
        return f"<mark{attr}>{match.group(0)}</mark>"

    return mark_safe(pattern.sub(mark, html))  # noqa: S308 — only escaped text and our own tags


@register.simple_tag
def evidence_sentences(finding: Any) -> list[dict[str, Any]]:
    """The relevance evidence grouped by sentence, strongest first: ``html`` (marked), ``words`` (that
    counted), ``discounted`` (words a cue such as "simulasi" discounted, with the cue), ``types``."""
    rows = (getattr(finding, "evidence", None) or {}).get("relevance") or []
    grouped: dict[str, dict[str, Any]] = {}
    for hit in rows:
        if not isinstance(hit, dict) or not hit.get("sentence"):
            continue
        entry = grouped.setdefault(
            str(hit["sentence"]), {"words": [], "discounted": [], "cues": [], "types": [], "weight": 0.0}
        )
        word = str(hit.get("word") or "")
        if hit.get("discounted_by"):
            entry["discounted"].append(word)
            entry["cues"].append(str(hit["discounted_by"]))
        else:
            entry["words"].append(word)
            entry["weight"] += float(hit.get("weight") or 0.0)
        if hit.get("event_type") and hit["event_type"] not in entry["types"]:
            entry["types"].append(str(hit["event_type"]))
    out = []
    for sentence, entry in grouped.items():
        out.append(
            {
                "html": highlight(sentence, entry["words"], entry["discounted"]),
                "words": sorted(set(entry["words"])),
                "discounted": sorted(set(entry["discounted"])),
                "cues": sorted(set(entry["cues"])),
                "types": entry["types"],
                "weight": round(entry["weight"], 2),
            }
        )
    return sorted(out, key=lambda e: -e["weight"])


@register.filter
def evidence_list(finding: Any, key: str) -> list[str]:
    """A list of plain evidence strings (``location``, ``impact``), or the one ``event_date`` phrase."""
    value = (getattr(finding, "evidence", None) or {}).get(key)
    if isinstance(value, list):
        return [str(v) for v in value if v]
    return [str(value)] if value else []
