"""The text format of reports sent by SMS, WhatsApp and Telegram: reading them, asking for what is
missing, and the replies. Pure Python, no Django: the caller passes the current time and a gazetteer
lookup, and stores what this module returns. ``docs/message-format.md`` describes the format for users.

A report message starts with the keyword ``LAPOR`` (or ``LAP``, ``LAPORAN``) and gives, separated by
``#``, ``*`` or new lines, ``jenis # lokasi # waktu # keterangan`` (waktu optional), or lines such as
``JENIS: bentrok`` / ``LOKASI: Aji Kuning, Sebatik Tengah`` / ``WAKTU: kemarin 15.00`` / ``KET: …``.
A message with the keyword but without separators is read as free text. When the event type or the
place is missing, unknown or ambiguous, or the time cannot be read, the result is one follow-up
question; the sender's next message answers it (see :func:`answer`). Times are read by
:mod:`waspada.reports.messagetime`.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any, Final, Literal

from waspada import taxonomy
from waspada.regions.codes import InvalidCode, normalize_code
from waspada.regions.timezones import zone_for
from waspada.reports.messagetime import When, find_time, looks_like_time, read_when

__all__ = [
    "Draft",
    "Lookup",
    "Place",
    "ReportFields",
    "Result",
    "When",
    "answer",
    "find_event_type",
    "has_keyword",
    "is_cancel",
    "is_help",
    "locate_text",
    "normalize_sender",
    "parse_message",
    "read_when",
    "success_reply",
]

MAX_TEXT: Final = 10_000  # characters; the report description's own limit
MAX_REPLY: Final = 300  # one or two SMS
MAX_CHOICES: Final = 3
MAX_PLACE: Final = 120  # characters of place text looked up

EXAMPLE: Final = "LAPOR#bentrok#Aji Kuning, Sebatik Tengah#kemarin 15.00#massa saling lempar batu"
HELP_REPLY: Final = (
    "Kirim laporan dengan format LAPOR#jenis#lokasi#waktu#keterangan (waktu boleh dikosongkan). "
    f"Contoh: {EXAMPLE}"
)
NO_KEYWORD_REPLY: Final = f"Pesan ini bukan laporan: awali dengan kata LAPOR. Contoh: {EXAMPLE}"
EMPTY_REPLY: Final = f"Pesan kosong. Kirim laporan seperti ini: {EXAMPLE}"
CANCELLED_REPLY: Final = "Laporan dibatalkan. Kirim LAPOR#jenis#lokasi#waktu#keterangan untuk melapor lagi."
NOTHING_TO_CANCEL_REPLY: Final = "Tidak ada laporan yang menunggu jawaban Anda. " + HELP_REPLY
EXPIRED_REPLY: Final = (
    "Pertanyaan sebelumnya sudah lewat 2 jam, jadi laporan itu tidak dicatat. "
    f"Kirim ulang laporan lengkap, misalnya: {EXAMPLE}"
)
SORRY_REPLY: Final = (
    "Maaf, terjadi gangguan di server. Pesan Anda sudah tersimpan dan akan diperiksa petugas."
)
_CANCEL_HINT: Final = " Balas BATAL untuk membatalkan."
_JENIS_EXAMPLES: Final = "bentrok, ricuh, demo, intimidasi, politik uang, hoaks, bakar, rusak, blokade"
_LOKASI_EXAMPLE: Final = "Aji Kuning, Sebatik Tengah"
_WAKTU_EXAMPLES: Final = "27/11 15.00, kemarin sore, tadi pagi, jam 3 sore"

Missing = Literal["jenis", "lokasi", "waktu"]


# --- Text helpers --------------------------------------------------------------------------------------


def clean_text(text: str) -> str:
    """NFKC, no control characters except new lines and tabs, no zero-width characters."""
    text = unicodedata.normalize("NFKC", text).replace("\r\n", "\n").replace("\r", "\n")
    return "".join(
        ch for ch in text if ch in "\n\t" or unicodedata.category(ch) not in {"Cc", "Cf", "Cs", "Co"}
    )


def _fold(text: str) -> str:
    """Lower case, no accents, words separated by single spaces (for keyword matching)."""
    text = unicodedata.normalize("NFKD", text.casefold())
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).replace("'", "").replace("\u2019", "")
    return " ".join(re.sub(r"[^a-z0-9]+", " ", text).split())


def _quote(text: str, limit: int = 30) -> str:
    text = " ".join(text.split())
    return '"' + (text if len(text) <= limit else text[: limit - 1] + "…") + '"'


def fit(text: str, limit: int = MAX_REPLY) -> str:
    """Cut a reply to ``limit`` characters."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


_KEYWORD: Final = re.compile(
    r"^[\s*#_~\"'.>-]*/?(?:laporan|laporkan|lapor|lap)(?:@\w+)?(?![a-z0-9])[\s#*:.,;=_~-]*",
    re.IGNORECASE,
)
_CANCEL: Final = re.compile(r"^[\s*/]*(?:batal|batalkan|cancel|stop)(?:@\w+)?[\s.!*]*$", re.IGNORECASE)
_HELP: Final = re.compile(
    r"^[\s*/]*(?:start|help|bantuan|info|format|menu|\?)(?:@\w+)?[\s.!?*]*$", re.IGNORECASE
)


def has_keyword(text: str) -> bool:
    return _KEYWORD.match(text) is not None


def is_cancel(text: str) -> bool:
    return _CANCEL.match(text) is not None


def is_help(text: str) -> bool:
    return _HELP.match(text) is not None


def normalize_sender(raw: str) -> str:
    """A phone number in one form, ``62`` + the national number ("+62 812-3456", "0812 3456" and
    "628123456" are equal); other numbers keep their digits; alphanumeric senders stay as sent."""
    text = raw.strip()
    text = re.sub(r"^(?:whatsapp|tel|sms):", "", text, flags=re.IGNORECASE)
    compact = re.sub(r"[\s\-().]", "", text)
    if not re.fullmatch(r"\+?\d{5,16}", compact):
        return text
    digits = compact.lstrip("+")
    if compact.startswith("+"):
        return digits
    if digits.startswith("00"):
        return digits[2:]
    if digits.startswith("62"):
        return digits
    if digits.startswith("0"):
        return "62" + digits[1:]
    if digits.startswith("8") and 9 <= len(digits) <= 12:
        return "62" + digits
    return digits


# --- Event type ----------------------------------------------------------------------------------------

# Common words per event type, beyond ``EventType.keywords_id``. Entries starting with "~" are word
# roots that may sit inside a longer word ("~bakar" matches dibakar, pembakaran); the others are whole
# words or phrases. The longest match wins, so "demo damai" beats "damai" and "pendemo dipukul" "dipukul".
_EXTRA_WORDS: Final[dict[str, tuple[str, ...]]] = {
    "peaceful_protest": ("demo", "demonstrasi", "pendemo", "berdemo", "unras", "aksi damai", "demo damai"),
    "protest_with_intervention": ("~bubar", "dihalau", "dihadang"),
    "excessive_force_protest": ("gas air mata", "peluru karet", "~represif", "water cannon"),
    "riot": ("~ricuh", "~rusuh", "~anarki", "~anarkhi"),
    "supporter_clash": ("~bentrok", "~tawur", "perkelahian", "berkelahi", "adu jotos", "saling lempar"),
    "mob_justice": ("main hakim", "hakim sendiri", "dihakimi", "~keroyok", "amuk massa"),
    "violence_civilians": (
        "~aniaya",
        "~bacok",
        "~bunuh",
        "~tusuk",
        "dipukul",
        "memukul",
        "pemukulan",
        "diserang",
        "kekerasan",
    ),
    "violence_election_officials": (
        "petugas dipukul",
        "petugas diserang",
        "ppk dipukul",
        "pps dipukul",
        "kekerasan terhadap petugas",
    ),
    "abduction": ("~culik", "~sekap"),
    "intimidation": ("~intimidas", "~ancam", "~teror", "ditekan", "dipaksa"),
    "property_destruction": ("~rusak", "~rampas", "~jarah", "dicuri", "pencurian"),
    "arson": ("~bakar",),
    "hate_speech_hoax_sara": (
        "~hoaks",
        "~hoax",
        "hoak",
        "~fitnah",
        "~hasut",
        "~provoka",
        "sara",
        "isu sara",
        "kabar bohong",
        "berita bohong",
    ),
    "money_politics": (
        "~amplop",
        "~sogok",
        "suap",
        "menyuap",
        "money politic",
        "money politik",
        "bagi uang",
        "bagi bagi uang",
        "beli suara",
        "jual beli suara",
    ),
    "result_rejection_dispute": (
        "~sengketa",
        "~gugat",
        "penolakan hasil",
        "keberatan",
        "mahkamah konstitusi",
        "hitung ulang",
    ),
    "mass_mobilisation": ("~mobilisasi", "~konvoi", "massa berkumpul", "pengumpulan massa"),
    "blockade": ("~blokade", "~blokir", "~palang", "~segel", "tutup jalan", "menutup jalan", "jalan ditutup"),
    "security_deployment": ("pengamanan", "pengerahan aparat", "patroli"),
    "peace_agreement": ("damai", "~deklarasi", "mediasi"),
    "arrest": ("~tangkap", "~ciduk", "ditahan", "penahanan", "diamankan"),
    "other": ("lain", "lain lain"),
}


def _build_words() -> tuple[dict[str, str], list[tuple[str, str, bool]]]:
    exact: dict[str, str] = {}
    words: list[tuple[str, str, bool]] = []
    for event in taxonomy.EVENT_TYPES:
        exact[_fold(event.code)] = event.code
        exact[_fold(event.label_id)] = event.code
        exact[_fold(event.label_en)] = event.code
        for phrase in (*event.keywords_id, *_EXTRA_WORDS.get(event.code, ())):
            root = phrase.startswith("~")
            words.append((_fold(phrase.lstrip("~")), event.code, root))
    return exact, words


_EXACT_JENIS, _JENIS_WORDS = _build_words()


def find_event_type(text: str) -> str | None:
    """The event-type code a sender meant: a taxonomy code, a label, or the longest keyword found."""
    folded = _fold(text)
    if not folded:
        return None
    if folded in _EXACT_JENIS:
        return _EXACT_JENIS[folded]
    padded = f" {folded} "
    best: tuple[int, int, str] | None = None
    for phrase, code, root in _JENIS_WORDS:
        position = padded.find(phrase) if root else padded.find(f" {phrase} ")
        if position < 0:
            continue
        rank = (-len(phrase), position, code)
        if best is None or rank < best:
            best = rank
    return best[2] if best else None


# --- Place ---------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Place:
    """A region the lookup found. ``context`` names what it lies in ("Kec. Sebatik Tengah, Kab. Nunukan");
    ``quality`` is how the name matched: exact, prefix, contains or fuzzy."""

    code: str
    name: str
    level: int
    context: str = ""
    quality: str = "exact"

    @property
    def label(self) -> str:
        return f"{self.name}, {self.context}" if self.context else self.name


#: ``lookup(query, within)``: regions named ``query`` (or, when ``query`` is a dotted code, that region),
#: inside the region code ``within`` when given. The caller limits it to the sender's scope.
Lookup = Callable[[str, str | None], Sequence[Place]]


@dataclass(frozen=True, slots=True)
class Located:
    place: Place | None = None
    choices: tuple[Place, ...] = ()
    matches: int = 0  # how many places matched when there are too many to list


_QUALITY_ORDER: Final = ("exact", "prefix", "contains", "fuzzy")
_CODE_ONLY: Final = re.compile(r"^(?:kode(?:\s+wilayah)?\s*:?\s*)?(\d[\d. ]*\d)$", re.IGNORECASE)
_DOTTED_CODE: Final = re.compile(r"(?<![\d.])\d{2}\.\d{2}(?:\.\d{2}(?:\.\d{4})?)?(?![\d.])")
_PART_SPLIT: Final = re.compile(
    r"\s*(?:[,;/|()]|\s-\s|\s+(?=(?:desa|ds|kel|kelurahan|kec|kecamatan|kab|kabupaten|prov|provinsi)\b\.?\s))\s*",
    re.IGNORECASE,
)
_ABBREVIATIONS: Final = (
    (re.compile(r"\bds\b\.?\s*", re.IGNORECASE), "Desa "),
    (re.compile(r"\bsp\b\.?\s*", re.IGNORECASE), "Simpang "),
    (re.compile(r"\bkp(?:g)?\b\.?\s*", re.IGNORECASE), "Kampung "),
    (re.compile(r"\bsg\b\.?\s*", re.IGNORECASE), "Sungai "),
)
_LEADING_FILLER: Final = re.compile(
    r"^(?:(?:di|ke|dari|daerah|sekitar|dekat|wilayah|lokasi|tempat|kejadian)\b\.?\s*)+", re.IGNORECASE
)


def _code_in(text: str) -> str | None:
    whole = _CODE_ONLY.match(text.strip())
    raw = whole.group(1).replace(" ", "") if whole else None
    if raw is None:
        dotted = _DOTTED_CODE.search(text)
        raw = dotted.group(0) if dotted else None
    if raw is None:
        return None
    try:
        return normalize_code(raw)
    except InvalidCode:
        return None


def _within(inner: str, outer: str) -> bool:
    return inner == outer or inner.startswith(outer + ".")


def _related(a: Place, b: Place) -> bool:
    return _within(a.code, b.code) or _within(b.code, a.code)


def _best_quality(places: Sequence[Place]) -> list[Place]:
    for quality in _QUALITY_ORDER:
        kept = [p for p in places if p.quality == quality]
        if kept:
            return kept
    return list(places)


def _parts(text: str) -> list[str]:
    for pattern, replacement in _ABBREVIATIONS:
        text = pattern.sub(replacement, text)
    parts = [_LEADING_FILLER.sub("", p).strip(" .:-") for p in _PART_SPLIT.split(text)]
    return [p for p in parts if p]


def _unique(places: Sequence[Place]) -> list[Place]:
    seen: dict[str, Place] = {}
    for place in places:
        seen.setdefault(place.code, place)
    return list(seen.values())


def _decide(candidates: Sequence[Place]) -> Located:
    """One place from a part's candidates: the one containing all others, else the deepest if alone."""
    candidates = _unique(candidates)
    if len(candidates) == 1:
        return Located(candidates[0])
    for place in sorted(candidates, key=lambda p: p.level):
        if all(_within(other.code, place.code) for other in candidates):
            return Located(place)
    deepest = max(p.level for p in candidates)
    tied = [p for p in candidates if p.level == deepest]
    if len(tied) == 1:
        return Located(tied[0])
    if len(tied) <= MAX_CHOICES:
        return Located(choices=tuple(tied))
    return Located(matches=len(tied))


def locate_text(text: str, lookup: Lookup) -> Located:
    """The region a sender's place text names: a Kemendagri code (dotted or undotted), or desa,
    kecamatan and kabupaten names in any order and case, with cues such as "Aji Kuning, Sebatik Tengah"
    or "Ds. Aji Kuning Kec. Sebatik Tengah" deciding between places of the same name."""
    text = " ".join(clean_text(text).split())[:MAX_PLACE]
    code = _code_in(text)
    if code is not None:
        found = list(lookup(code, None))
        return Located(found[0]) if found else Located()
    parts = _parts(text)
    if not parts:
        return Located()
    cands = [_best_quality(lookup(p, None)) for p in parts]
    if not any(cands) and len(parts) == 1:
        split = _split_unmarked(parts[0], lookup)
        if split is not None:
            parts, cands = split
    if not any(cands):
        return Located()
    # Search each part again inside the places the other parts name: a common desa name may have more
    # matches than one search returns.
    for i, part in enumerate(parts):
        for j, other in enumerate(cands):
            if j == i:
                continue
            for outer in [p for p in other if p.level < 4][:MAX_CHOICES]:
                cands[i] = _unique([*cands[i], *_best_quality(lookup(part, outer.code))])
    nonempty = [c for c in cands if c]
    filtered: list[list[Place]] = []
    for i, own in enumerate(nonempty):
        others = [c for j, c in enumerate(nonempty) if j != i]
        kept = [p for p in own if all(any(_related(p, o) for o in other) for other in others)]
        filtered.append(kept or own)
    target = max(range(len(filtered)), key=lambda i: (max(p.level for p in filtered[i]), -i))
    return _decide(filtered[target])


def _split_unmarked(text: str, lookup: Lookup) -> tuple[list[str], list[list[Place]]] | None:
    """ "Aji Kuning Sebatik Tengah": a place followed by the larger unit it lies in, without a comma."""
    tokens = text.split()
    for cut in range(len(tokens) - 1, 0, -1):
        inner, outer = " ".join(tokens[:cut]), " ".join(tokens[cut:])
        outers = [p for p in _best_quality(lookup(outer, None)) if p.quality == "exact" and p.level < 4]
        for place in outers[:MAX_CHOICES]:
            inners = _best_quality(lookup(inner, place.code))
            if inners and inners[0].quality in ("exact", "prefix"):
                return [inner, outer], [inners, outers]
    return None


# --- Draft, results and replies ------------------------------------------------------------------------


@dataclass
class Draft:
    """What is known so far about a report; stored as JSON while a follow-up question is open."""

    jenis: str = ""
    jenis_text: str = ""
    lokasi: str = ""
    lokasi_label: str = ""
    lokasi_text: str = ""
    waktu_text: str = ""
    keterangan: str = ""
    choices: list[dict[str, str]] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Draft:
        known = {k: v for k, v in data.items() if k in cls.__dataclass_fields__}
        return cls(**known)


@dataclass(frozen=True, slots=True)
class ReportFields:
    event_type: str
    region: str
    place_label: str
    occurred_at: datetime
    time_precision: int
    has_clock: bool
    zone: str
    description: str


@dataclass(frozen=True, slots=True)
class Result:
    """``report``: ``fields`` are complete; ``question``: ask ``missing`` with ``reply``; ``invalid``:
    not a readable report (``problem`` says why); ``help``: a request for the format."""

    kind: Literal["report", "question", "invalid", "help"]
    reply: str = ""
    problem: str = ""
    draft: Draft | None = None
    missing: Missing | None = None
    fields: ReportFields | None = None


def success_reply(number: str, fields: ReportFields, *, trusted: bool) -> str:
    label = taxonomy.get_event_type(fields.event_type).label_id
    when = fields.occurred_at.strftime("%d/%m/%Y %H.%M " + fields.zone if fields.has_clock else "%d/%m/%Y")
    tail = "" if trusted else " Laporan akan diperiksa petugas."
    head = f"Terima kasih, laporan Anda tercatat dengan nomor {number}: "
    body = f"{label}, {fields.place_label}, {when}."
    room = MAX_REPLY - len(head) - len(tail)
    return head + fit(body, room) + tail


def rejected_reply(message: str) -> str:
    return fit(f"Laporan belum dapat dicatat: {message} Contoh: {EXAMPLE}")


def _ask(draft: Draft, missing: Missing, reply: str, problem: str) -> Result:
    return Result("question", fit(reply + _CANCEL_HINT), problem, draft, missing)


def _ask_jenis(draft: Draft) -> Result:
    if draft.jenis_text:
        lead = f"Jenis kejadian {_quote(draft.jenis_text)} tidak dikenali."
        problem = "jenis kejadian tidak dikenali"
    else:
        lead, problem = "Jenis kejadian belum ada.", "jenis kejadian tidak ada"
    return _ask(draft, "jenis", f"{lead} Balas dengan jenisnya, misalnya: {_JENIS_EXAMPLES}.", problem)


def _ask_lokasi(draft: Draft, located: Located | None) -> Result:
    example = f"Balas dengan nama desa dan kecamatannya, misalnya: {_LOKASI_EXAMPLE}."
    if located is not None and located.choices:
        draft.choices = [
            {"code": p.code, "name": p.name, "label": p.label, "context": p.context} for p in located.choices
        ]
        options = " ".join(
            f"{n}) {fit(p.context or p.name, 60)}" for n, p in enumerate(located.choices, start=1)
        )
        n = len(located.choices)
        reply = (
            f"Ada {n} tempat bernama {_quote(draft.lokasi_text, 40)}: {options}. "
            f"Balas dengan nomornya (1-{n}) atau nama kecamatannya."
        )
        return _ask(draft, "lokasi", reply, "lokasi ambigu")
    draft.choices = []
    if located is not None and located.matches:
        reply = f"Lokasi {_quote(draft.lokasi_text)} cocok dengan {located.matches} tempat. {example}"
        return _ask(draft, "lokasi", reply, "lokasi ambigu")
    if draft.lokasi_text:
        reply = f"Lokasi {_quote(draft.lokasi_text)} tidak ditemukan. {example}"
        return _ask(draft, "lokasi", reply, "lokasi tidak ditemukan")
    return _ask(draft, "lokasi", f"Lokasi kejadian belum ada. {example}", "lokasi tidak ada")


def _resolve(draft: Draft, now: datetime, lookup: Lookup) -> Result:
    """Check the fields in order, ask for the first one missing, or return the complete report."""
    if not draft.jenis:
        code = find_event_type(draft.jenis_text) if draft.jenis_text else None
        if code is None:
            return _ask_jenis(draft)
        draft.jenis = code
    if not draft.lokasi:
        located = locate_text(draft.lokasi_text, lookup) if draft.lokasi_text else None
        if located is None or located.place is None:
            return _ask_lokasi(draft, located)
        draft.lokasi, draft.lokasi_label, draft.choices = located.place.code, located.place.label, []
    when = read_when(draft.waktu_text, now, zone_for(draft.lokasi))
    if isinstance(when, str):
        reply = f"{when} Balas dengan waktu kejadian, misalnya: {_WAKTU_EXAMPLES}."
        return _ask(draft, "waktu", reply, when)
    description = (
        draft.keterangan.strip() or draft.jenis_text or taxonomy.get_event_type(draft.jenis).label_id
    )
    fields = ReportFields(
        event_type=draft.jenis,
        region=draft.lokasi,
        place_label=draft.lokasi_label,
        occurred_at=when.at,
        time_precision=when.precision,
        has_clock=when.has_clock,
        zone=when.zone,
        description=description[:MAX_TEXT],
    )
    return Result("report", draft=draft, fields=fields)


# --- Reading a message ---------------------------------------------------------------------------------

_KEYS: Final = {
    "jenis": ("jenis", "jns", "kejadian", "peristiwa", "jenis kejadian"),
    "lokasi": ("lokasi", "lok", "tempat", "desa", "alamat", "wilayah", "lokasi kejadian"),
    "waktu": ("waktu", "wkt", "tgl", "tanggal", "jam", "pukul", "kapan", "hari"),
    "keterangan": ("ket", "keterangan", "uraian", "deskripsi", "kronologi", "isi", "info"),
}
_KEY_OF: Final = {alias: key for key, aliases in _KEYS.items() for alias in aliases}
_KEYED: Final = re.compile(
    r"^\s*(" + "|".join(sorted(map(re.escape, _KEY_OF), key=len, reverse=True)) + r")\s*[:=]\s*(.*)$",
    re.IGNORECASE | re.DOTALL,
)
_SEPARATORS: Final = re.compile(r"[#*\n]+")
_LOCATION_ANCHOR: Final = re.compile(
    r"\b(?:di|desa|ds|kelurahan|kel|kecamatan|kec|kampung|dusun)\b\.?\s+(.+?)(?=$|[.;!?\n]|\s(?:pada|tadi|kemarin|semalam|jam|pukul|pkl|sekitar|oleh|dan|yang|saat|ketika|sejak|karena|hari|tgl|tanggal)\b)",
    re.IGNORECASE,
)


def parse_message(text: str, *, now: datetime, lookup: Lookup) -> Result:
    """Read one message that starts a report. ``now`` is when it was sent (aware)."""
    text = clean_text(text)
    if len(text) > MAX_TEXT:
        reply = (
            f"Pesan terlalu panjang ({len(text)} karakter, batasnya {MAX_TEXT}). "
            f"Kirim laporan yang lebih singkat, misalnya: {EXAMPLE}"
        )
        return Result("invalid", fit(reply), f"pesan terlalu panjang ({len(text)} karakter)")
    if not text.strip():
        return Result("invalid", EMPTY_REPLY, "pesan kosong")
    if is_help(text):
        return Result("help", HELP_REPLY, "permintaan bantuan")
    keyword = _KEYWORD.match(text)
    if keyword is None:
        return Result("invalid", fit(NO_KEYWORD_REPLY), "tanpa kata kunci LAPOR")
    body = text[keyword.end() :].strip()
    if not body:
        return Result("invalid", fit(f"Laporan masih kosong. Contoh: {EXAMPLE}"), "laporan kosong")
    structured = _SEPARATORS.search(text, keyword.start(), keyword.end()) is not None
    return _resolve(_draft_of(body, lookup, structured=structured), now, lookup)


def _draft_of(body: str, lookup: Lookup, *, structured: bool) -> Draft:
    segments = [s.strip() for s in _SEPARATORS.split(body) if s.strip()]
    draft = Draft()
    keyed: dict[str, list[str]] = {}
    loose: list[str] = []
    last_key = ""
    for segment in segments:
        m = _KEYED.match(segment)
        if m is not None:
            last_key = _KEY_OF[m.group(1).casefold()]
            keyed.setdefault(last_key, []).append(m.group(2).strip())
        elif last_key == "keterangan":
            keyed["keterangan"].append(segment)
        else:
            loose.append(segment)
    if not keyed and len(loose) == 1 and not structured and _SEPARATORS.search(body) is None:
        return _free_text(loose[0], lookup)
    remaining = [k for k in ("jenis", "lokasi", "waktu", "keterangan") if k not in keyed]
    swapped = len(loose) >= 2 and find_event_type(loose[0]) is None and find_event_type(loose[1]) is not None
    if remaining[:2] == ["jenis", "lokasi"] and swapped:
        loose[0], loose[1] = loose[1], loose[0]  # "lokasi # jenis": forgive the order
    values: dict[str, list[str]] = {k: list(v) for k, v in keyed.items()}
    for segment in loose:
        while remaining and remaining[0] == "waktu" and not looks_like_time(segment):
            remaining.pop(0)
        key = remaining[0] if remaining else "keterangan"
        values.setdefault(key, []).append(segment)
        if key != "keterangan":
            remaining.pop(0)
    draft.jenis_text = " ".join(values.get("jenis", []))[:200]
    draft.lokasi_text = ", ".join(values.get("lokasi", []))[:200]
    draft.waktu_text = " ".join(values.get("waktu", []))[:100]
    place_only = not draft.lokasi_text and find_event_type(draft.jenis_text) is None
    if draft.jenis_text and place_only and locate_text(draft.jenis_text, lookup) != Located():
        draft.jenis_text, draft.lokasi_text = "", draft.jenis_text  # "LAPOR##Aji Kuning": a place, no type
    draft.keterangan = "\n".join(values.get("keterangan", []))
    if not draft.waktu_text and draft.keterangan:
        draft.waktu_text = find_time(draft.keterangan)  # "...#tadi malam massa saling lempar batu"
    if not draft.keterangan:
        draft.keterangan = " # ".join(segments)
    return draft


def _free_text(text: str, lookup: Lookup) -> Draft:
    """A report written as a sentence: "bentrok di Aji Kuning Sebatik Tengah tadi malam ..."."""
    draft = Draft(keterangan=text)
    code = find_event_type(text)
    if code is not None:
        draft.jenis, draft.jenis_text = code, text[:200]
    spans = [m.group(1) for m in _LOCATION_ANCHOR.finditer(text)]
    anchored = bool(spans)
    words = text.split()
    if not anchored and len(words) <= 8:
        spans = [" ".join(words[start:]) for start in range(len(words))]  # "bentrok Aji Kuning"
    for span in spans:
        draft.lokasi_text = _longest_place(span, lookup, exact=not anchored)
        if draft.lokasi_text:
            break
    draft.waktu_text = find_time(text)
    return draft


def _longest_place(span: str, lookup: Lookup, *, exact: bool) -> str:
    """The longest start of ``span`` that names a place (only exact name matches when ``exact``)."""
    words = [w for w in span.strip(" ,").split()[:8] if len(w) <= 40]
    for end in range(len(words), 0, -1):
        candidate = " ".join(words[:end]).strip(" ,")
        found = locate_text(candidate, lookup) if candidate else Located()
        places = [found.place] if found.place else list(found.choices)
        if found.matches or (places and (not exact or all(p.quality == "exact" for p in places))):
            return candidate
    return ""


def answer(draft: Draft, missing: Missing, text: str, *, now: datetime, lookup: Lookup) -> Result:
    """Apply the sender's answer to a follow-up question and check the draft again."""
    text = " ".join(clean_text(text).split())[:200]
    if not text:
        return Result("invalid", EMPTY_REPLY, "jawaban kosong", draft, missing)
    if missing == "jenis":
        draft.jenis, draft.jenis_text = "", text
    elif missing == "waktu":
        draft.waktu_text = text
    else:
        choice = re.fullmatch(r"(?:no\.?|nomor|pilih(?:an)?)?\s*(\d{1,2})\.?", text, re.IGNORECASE)
        if choice is not None and draft.choices:
            number = int(choice.group(1))
            if not 1 <= number <= len(draft.choices):
                reply = f"Pilihan {number} tidak ada; balas dengan nomor 1-{len(draft.choices)}."
                return _ask(draft, "lokasi", reply, "pilihan lokasi tidak ada")
            picked = draft.choices[number - 1]
            draft.lokasi, draft.lokasi_label, draft.choices = picked["code"], picked["label"], []
        else:
            draft.lokasi, draft.lokasi_text = "", _answer_place(draft, text)
    return _resolve(draft, now, lookup)


def _answer_place(draft: Draft, text: str) -> str:
    """A kecamatan named in answer to a choice question narrows the place asked about."""
    if draft.choices and draft.lokasi_text and not _PART_SPLIT.search(text):
        folded = _fold(text)
        if any(folded and folded in _fold(c.get("context", "")) for c in draft.choices):
            return f"{draft.lokasi_text}, {text}"
    return text
