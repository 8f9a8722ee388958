"""Kemendagri region codes: parsing, levels and the hierarchy between them.

A region code has one to four segments: province (2 digits), kabupaten/kota (2), kecamatan (2) and
desa/kelurahan (4), written dotted (``65.03.12.2001``). KPU and Sirekap write the same code without dots
(``6503122001``); a TPS code is the undotted desa code followed by a 3-digit TPS number.
"""

from __future__ import annotations

import re

__all__ = [
    "InvalidCode",
    "ancestors",
    "is_within",
    "level_of",
    "normalize_code",
    "parent_of",
    "split_tps_code",
]

#: Digits per segment, from province down to desa/kelurahan.
SEGMENT_WIDTHS = (2, 2, 2, 4)
#: Length of an undotted code at each level (index 0 = province).
_UNDOTTED_LENGTHS = {2: 1, 4: 2, 6: 3, 10: 4}
_DIGITS = re.compile(r"[0-9]+")
_TPS_LENGTH = 13
_EXAMPLES = "65, 65.03, 65.03.12 atau 65.03.12.2001 (boleh tanpa titik, misalnya 6503122001)"


class InvalidCode(ValueError):
    """A text that is not a Kemendagri region code (or TPS code); the message is in Bahasa Indonesia."""


def _reject(raw: object, why: str) -> InvalidCode:
    return InvalidCode(f"Kode wilayah {str(raw)!r} tidak valid: {why}. Contoh yang benar: {_EXAMPLES}.")


def _segments_of_undotted(raw: str, digits: str) -> list[str]:
    level = _UNDOTTED_LENGTHS.get(len(digits))
    if level is None:
        if len(digits) == _TPS_LENGTH:
            raise _reject(raw, "ini tampaknya kode TPS (13 angka), bukan kode wilayah")
        raise _reject(raw, f"panjangnya {len(digits)} angka, seharusnya 2, 4, 6 atau 10 angka")
    segments: list[str] = []
    start = 0
    for width in SEGMENT_WIDTHS[:level]:
        segments.append(digits[start : start + width])
        start += width
    return segments


def normalize_code(code: str) -> str:
    """Return the dotted form of a region code written dotted or undotted, ignoring surrounding spaces.

    >>> normalize_code(" 6503122001 ")
    '65.03.12.2001'

    Raises :class:`InvalidCode` when the text is not a well-formed code. Only the form is checked: whether
    the region exists is a question for the gazetteer.
    """
    if not isinstance(code, str):
        raise _reject(code, "harus berupa teks")
    text = code.strip()
    if not text:
        raise InvalidCode("Kode wilayah kosong. Contoh yang benar: " + _EXAMPLES + ".")
    if "." in text:
        segments = text.split(".")
        if len(segments) > len(SEGMENT_WIDTHS):
            raise _reject(code, "terlalu banyak bagian; paling banyak empat (provinsi.kab.kec.desa)")
        for position, (segment, width) in enumerate(zip(segments, SEGMENT_WIDTHS, strict=False)):
            if not _DIGITS.fullmatch(segment):
                raise _reject(code, f"bagian ke-{position + 1} ({segment!r}) harus berupa angka")
            if len(segment) != width:
                raise _reject(code, f"bagian ke-{position + 1} ({segment!r}) harus {width} angka")
    else:
        if not _DIGITS.fullmatch(text):
            raise _reject(code, "hanya boleh berisi angka dan titik")
        segments = _segments_of_undotted(code, text)
    for position, segment in enumerate(segments):
        if int(segment) == 0:
            raise _reject(code, f"bagian ke-{position + 1} tidak boleh nol semua")
    return ".".join(segments)


def level_of(code: str) -> int:
    """Level of a region code: 1 provinsi, 2 kabupaten/kota, 3 kecamatan, 4 desa/kelurahan."""
    return normalize_code(code).count(".") + 1


def parent_of(code: str) -> str | None:
    """Dotted code of the region directly above, or None for a province."""
    dotted = normalize_code(code)
    cut = dotted.rfind(".")
    return dotted[:cut] if cut >= 0 else None


def ancestors(code: str) -> list[str]:
    """Codes of every region above this one, province first; the code itself is not included.

    >>> ancestors("65.03.12.2001")
    ['65', '65.03', '65.03.12']
    """
    segments = normalize_code(code).split(".")
    return [".".join(segments[:end]) for end in range(1, len(segments))]


def is_within(code: str, scope: str) -> bool:
    """True when ``code`` is the region ``scope`` itself or lies anywhere below it."""
    inner = normalize_code(code)
    outer = normalize_code(scope)
    return inner == outer or inner.startswith(outer + ".")


def split_tps_code(code: str) -> tuple[str, int]:
    """Split a 13-digit TPS code (undotted desa code + 3-digit TPS number) into (dotted desa code, number).

    >>> split_tps_code("6503122001004")
    ('65.03.12.2001', 4)
    """
    if not isinstance(code, str):
        raise InvalidCode(f"Kode TPS {str(code)!r} tidak valid: harus berupa teks.")
    text = code.strip()
    if len(text) != _TPS_LENGTH or not text.isascii() or not text.isdigit():
        raise InvalidCode(
            f"Kode TPS {code!r} tidak valid: harus 13 angka, yaitu 10 angka kode desa/kelurahan "
            "diikuti 3 angka nomor TPS (misalnya 6503122001004)."
        )
    number = int(text[10:])
    if number == 0:
        raise InvalidCode(f"Kode TPS {code!r} tidak valid: nomor TPS (3 angka terakhir) tidak boleh 000.")
    return normalize_code(text[:10]), number
