"""Shared machinery of the code lists: labelled entries, lookups, choices."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Final, TypeVar

LANGUAGES: Final = ("id", "en")


def _normalise_lang(lang: str) -> str:
    """Accept "id", "en" and Django-style variants such as "en-us" or "id_ID"."""
    base = lang.strip().lower().replace("_", "-").split("-")[0]
    if base not in LANGUAGES:
        raise ValueError(f"Unsupported language {lang!r}; use one of {', '.join(LANGUAGES)}")
    return base


@dataclass(frozen=True, slots=True)
class CodeEntry:
    """A code with its Indonesian and English labels; the base of every list in this module."""

    code: str
    label_id: str
    label_en: str

    def label(self, lang: str = "id") -> str:
        return self.label_id if _normalise_lang(lang) == "id" else self.label_en


_E = TypeVar("_E", bound=CodeEntry)


class UnknownCode(KeyError):
    """A code that is not in one of the lists; the message is in Bahasa Indonesia."""

    def __init__(self, code: object, list_name_id: str, valid: Iterable[str]) -> None:
        self.code = code
        self.valid = tuple(valid)
        self.message = f"{list_name_id} tidak dikenal: {code!r}. Kode yang berlaku: {', '.join(self.valid)}."
        super().__init__(self.message)

    def __str__(self) -> str:
        return self.message


def choices(entries: Iterable[CodeEntry], lang: str = "id") -> list[tuple[str, str]]:
    """(code, label) pairs for a Django ``choices=`` argument, in list order."""
    lang = _normalise_lang(lang)
    return [(e.code, e.label(lang)) for e in entries]


def _index(entries: Sequence[_E]) -> dict[str, _E]:
    index = {e.code: e for e in entries}
    if len(index) != len(entries):
        raise ValueError("duplicate codes in a taxonomy list")
    return index


def _lookup(index: dict[str, _E], code: object, list_name_id: str) -> _E:
    if isinstance(code, str) and code in index:
        return index[code]
    raise UnknownCode(code, list_name_id, index)
