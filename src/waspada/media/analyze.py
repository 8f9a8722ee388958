"""Read articles from JSONL, analyse them, write one JSON line each: the ``waspada media analyze`` contract.

Pure Python (no Django) so that the command, the tests and the benchmark share it.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any, TextIO

from waspada.nlp.model import NewsModel
from waspada.nlp.pipeline import OUTPUT_FIELDS, analyse
from waspada.nlp.places import Gazetteer

__all__ = ["BadLine", "analyse_lines", "read_articles"]


@dataclass(frozen=True, slots=True)
class BadLine:
    line: int
    reason: str

    def message(self, path: str) -> str:
        return f"{path}, baris {self.line}: {self.reason} — baris dilewati"


def _check(obj: object) -> str | None:
    if not isinstance(obj, dict):
        return "baris harus berupa objek JSON ({...})"
    if "id" not in obj or obj["id"] is None or isinstance(obj["id"], (dict, list, bool)):
        return "kolom 'id' tidak ada atau bukan teks/angka"
    text = obj.get("text")
    if not isinstance(text, str) or not text.strip():
        return "kolom 'text' tidak ada atau kosong"
    for name in ("title", "published", "url"):
        if obj.get(name) is not None and not isinstance(obj[name], str):
            return f"kolom '{name}' harus berupa teks"
    return None


def read_articles(lines: Iterable[str]) -> Iterator[dict[str, Any] | BadLine]:
    """Each non-blank line as an article dict, or a :class:`BadLine` naming the line and the reason."""
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            yield BadLine(number, f"bukan JSON yang sah (kolom {exc.colno}: {exc.msg})")
            continue
        problem = _check(obj)
        if problem is not None:
            yield BadLine(number, problem)
            continue
        yield obj


def analyse_lines(
    lines: Iterable[str],
    out: TextIO,
    *,
    gazetteer: Gazetteer | None = None,
    province_focus: str | None = None,
    model: NewsModel | None = None,
    rules_only: bool = False,
    on_bad: Callable[[BadLine], None] = lambda bad: None,
) -> tuple[int, int]:
    """Analyse every good line into ``out``; returns (written, skipped)."""
    written = skipped = 0
    for item in read_articles(lines):
        if isinstance(item, BadLine):
            skipped += 1
            on_bad(item)
            continue
        result = analyse(
            item, gazetteer=gazetteer, province_focus=province_focus, model=model, rules_only=rules_only
        )
        out.write(json.dumps({k: result[k] for k in OUTPUT_FIELDS}, ensure_ascii=False) + "\n")
        written += 1
    return written, skipped
