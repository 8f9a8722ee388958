"""One fast regular expression for many literal phrases, matched as whole words.

``re`` tries the branches of ``\\b(?:bentrok|bentrokan|…)\\b`` one after another at every position of the
text, so an alternation of a hundred phrases costs a hundred tries per character. :func:`phrase_pattern`
writes the same alternation as a character trie (``\\b(?:ben(?:trok(?:an)?)|…)\\b``): at each position only
the branch of the next character is tried. A longer phrase still wins over a shorter one that starts at the
same place, exactly as with the longest-first alternation.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any, Final

__all__ = ["phrase_pattern", "trie_alternation"]

_END: Final = ""


def trie_alternation(phrases: Iterable[str]) -> str:
    """A regular expression (no anchors) matching any of ``phrases``, the longest first at a position."""
    root: dict[str, Any] = {}
    for phrase in phrases:
        if not phrase:
            continue
        node = root
        for char in phrase:
            node = node.setdefault(char, {})
        node[_END] = {}
    return _node_pattern(root)


def _node_pattern(node: dict[str, Any]) -> str:
    branches = [re.escape(char) + _node_pattern(child) for char, child in sorted(node.items()) if char]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    if _END in node:  # a phrase may end here: try the longer ones first, then stop
        return body + "?" if len(branches) == 1 and len(branches[0]) == 1 else f"(?:{body})?"
    return body


def phrase_pattern(phrases: Iterable[str], *, group: bool = False) -> re.Pattern[str]:
    """``\b(?:p1|p2|…)\b`` over ``phrases`` as a trie; ``group`` captures the phrase as group 1."""
    body = trie_alternation(phrases)
    return re.compile(r"\b(" + body + r")\b" if group else r"\b(?:" + body + r")\b")
