"""The interface is in Bahasa Indonesia: every string has a translation and the compiled catalogue is current."""

from __future__ import annotations

import gettext
import re
from pathlib import Path

import polib
import pytest

import waspada

LOCALE = Path(waspada.__file__).resolve().parent / "locale" / "id" / "LC_MESSAGES"
PLACEHOLDER = re.compile(r"%\([a-z_]+\)[sd]|%[sd]|\{[a-z_]+\}")


@pytest.fixture(scope="module")
def catalogue() -> polib.POFile:
    return polib.pofile(str(LOCALE / "django.po"))


def test_every_interface_string_has_an_indonesian_translation(catalogue: polib.POFile) -> None:
    missing = [e.msgid for e in catalogue.untranslated_entries()]
    fuzzy = [e.msgid for e in catalogue.fuzzy_entries()]
    assert not missing and not fuzzy, (
        f"translate in django.po (then `make messages`): {(missing + fuzzy)[:10]}"
    )


def test_translations_keep_their_placeholders(catalogue: polib.POFile) -> None:
    wrong = []
    for entry in catalogue.translated_entries():
        # Indonesian has one plural form, used for every count: it must carry the plural's placeholders,
        # as msgfmt --check-format requires.
        wanted = set(PLACEHOLDER.findall(entry.msgid_plural or entry.msgid))
        texts = list(entry.msgstr_plural.values()) if entry.msgid_plural else [entry.msgstr]
        wrong += [entry.msgid for text in texts if set(PLACEHOLDER.findall(text)) != wanted]
    assert not wrong, f"placeholders differ: {wrong[:10]}"


def test_the_compiled_catalogue_matches_the_source(catalogue: polib.POFile) -> None:
    with (LOCALE / "django.mo").open("rb") as fh:
        compiled = gettext.GNUTranslations(fh)
    stale = [
        e.msgid
        for e in catalogue.translated_entries()
        if not e.msgid_plural and not e.msgctxt and compiled.gettext(e.msgid) != e.msgstr
    ]
    assert not stale, f"django.mo is stale, run `make messages`: {stale[:10]}"
