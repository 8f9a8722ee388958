"""Open-data exports of incidents and verified reports — pure (no Django): plain records in, file bytes out.

Formats: ``csv`` (UTF-8 with a byte-order mark, for Excel), ``xlsx``, ``geojson``, ``acled`` (the ACLED
codebook's columns, in its order) and ``hxl`` (CSV with a second row of HXL hashtags).

Privacy, whatever the format: records carry no reporter identity (the shell redacts known names and phone
numbers from free text before building them), and coordinates are rounded to :data:`COORD_DECIMALS`
decimals (about 1 km), as public exports should be.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Final
from zoneinfo import ZoneInfo

from waspada import taxonomy

COORD_DECIMALS: Final = 2
FORMATS: Final[dict[str, tuple[str, str]]] = {
    # format: (content type, file suffix)
    "csv": ("text/csv; charset=utf-8", ".csv"),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ".xlsx"),
    "geojson": ("application/geo+json", ".geojson"),
    "acled": ("text/csv; charset=utf-8", "-acled.csv"),
    "hxl": ("text/csv; charset=utf-8", "-hxl.csv"),
}
REDACTED: Final = "[disamarkan]"


@dataclass(frozen=True, slots=True)
class AdminUnit:
    code: str
    name: str


@dataclass(frozen=True, slots=True)
class ExportRecord:
    """One incident (``K-…``) or verified report (``L-…``), as it may leave the system."""

    number: str
    id: int
    title: str
    event_type: str
    threat_domain: str
    status: str
    occurred_at: dt.datetime  # aware
    zone: str  # IANA zone of the region
    time_precision: int
    geo_precision: int
    region_code: str
    admin: Sequence[AdminUnit]  # province, kabupaten/kota, kecamatan, desa (as deep as the region goes)
    lon: float | None  # exact here; rounded on the way out
    lat: float | None
    point_source: str  # "reported", "region_centre" or ""
    actors: Sequence[Mapping[str, Any]]
    killed: int
    injured: int
    buildings_damaged: int
    displaced: int
    urgency: str
    description: str
    channels: Sequence[str] = ()
    report_count: int = 0
    is_simulated: bool = False
    created_at: dt.datetime | None = None
    updated_at: dt.datetime | None = None
    extra: Mapping[str, Any] = field(default_factory=dict)


# --- privacy -------------------------------------------------------------------------------------------

_PHONE = re.compile(r"(?<![\w+])(?:\+?62|0)\s?8[\d\s.\-]{6,14}\d(?!\w)")
_LONG_NUMBER = re.compile(r"(?<![\w.])\+?\d[\d\s.\-]{8,}\d(?![\w.])")
_EMAIL = re.compile(r"[\w.+\-]+@[\w\-]+(?:\.[\w\-]+)+")


def redact(text: str, identities: Iterable[str] = ()) -> str:
    """``text`` without the given identities (reporter names, phone numbers, chat ids), phone numbers,
    long digit strings and email addresses."""
    out = text
    for ident in sorted({i.strip() for i in identities if i and len(i.strip()) >= 3}, key=len, reverse=True):
        out = re.sub(re.escape(ident), REDACTED, out, flags=re.IGNORECASE)
    out = _EMAIL.sub(REDACTED, out)
    out = _PHONE.sub(REDACTED, out)
    return _LONG_NUMBER.sub(REDACTED, out)


def rounded(value: float | None) -> float | None:
    return None if value is None else round(value, COORD_DECIMALS)


# --- the plain table -----------------------------------------------------------------------------------

COLUMNS: Final[tuple[str, ...]] = (
    "number",
    "title",
    "event_type",
    "event_type_label",
    "threat_domain",
    "status",
    "occurred_at",
    "time_precision",
    "region_code",
    "province",
    "kabupaten_kota",
    "kecamatan",
    "desa_kelurahan",
    "geo_precision",
    "lat",
    "lon",
    "point_source",
    "actors",
    "killed",
    "injured",
    "buildings_damaged",
    "displaced",
    "urgency",
    "report_count",
    "channels",
    "is_simulated",
    "description",
    "created_at",
    "updated_at",
)


def _event(code: str) -> taxonomy.EventType | None:
    try:
        return taxonomy.get_event_type(code)
    except KeyError:
        return None


def _admin_name(rec: ExportRecord, level: int) -> str:
    return rec.admin[level - 1].name if len(rec.admin) >= level else ""


def _admin_code(rec: ExportRecord, level: int) -> str:
    return rec.admin[level - 1].code if len(rec.admin) >= level else ""


def _local(moment: dt.datetime | None, zone: str) -> str:
    if moment is None:
        return ""
    return moment.astimezone(ZoneInfo(zone)).isoformat(timespec="minutes")


def actor_text(actor: Mapping[str, Any], lang: str = "id") -> str:
    code = str(actor.get("type", ""))
    try:
        text = taxonomy.get_actor_type(code).label(lang)
    except KeyError:
        text = code
    if actor.get("paslon"):
        number = f"{int(actor['paslon']):02d}"
        text = f"{text} {number}" if text.endswith("paslon") else f"{text} (paslon {number})"
    if actor.get("text"):
        text += f": {actor['text']}"
    return text


def row(rec: ExportRecord) -> dict[str, Any]:
    event = _event(rec.event_type)
    return {
        "number": rec.number,
        "title": rec.title,
        "event_type": rec.event_type,
        "event_type_label": event.label("id") if event else rec.event_type,
        "threat_domain": rec.threat_domain,
        "status": rec.status,
        "occurred_at": _local(rec.occurred_at, rec.zone),
        "time_precision": rec.time_precision,
        "region_code": rec.region_code,
        "province": _admin_name(rec, 1),
        "kabupaten_kota": _admin_name(rec, 2),
        "kecamatan": _admin_name(rec, 3),
        "desa_kelurahan": _admin_name(rec, 4),
        "geo_precision": rec.geo_precision,
        "lat": rounded(rec.lat),
        "lon": rounded(rec.lon),
        "point_source": rec.point_source,
        "actors": "; ".join(actor_text(a) for a in rec.actors),
        "killed": rec.killed,
        "injured": rec.injured,
        "buildings_damaged": rec.buildings_damaged,
        "displaced": rec.displaced,
        "urgency": rec.urgency,
        "report_count": rec.report_count,
        "channels": "; ".join(rec.channels),
        "is_simulated": rec.is_simulated,
        "description": rec.description,
        "created_at": _local(rec.created_at, rec.zone),
        "updated_at": _local(rec.updated_at, rec.zone),
    }


def _csv(
    header: Sequence[str], rows: Iterable[Sequence[Any]], *, bom: bool, extra_header: Sequence[str] = ()
) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    if extra_header:
        writer.writerow(extra_header)
    for values in rows:
        writer.writerow(["" if v is None else _cell(v) for v in values])
    return (("\ufeff" if bom else "") + out.getvalue()).encode("utf-8")


def _pick(values: Mapping[str, Any], columns: Sequence[str]) -> list[Any]:
    return [values[c] for c in columns]


def _cell(value: Any) -> Any:
    if isinstance(value, bool):
        return "true" if value else "false"
    return value


def to_csv(records: Sequence[ExportRecord]) -> bytes:
    return _csv(COLUMNS, (_pick(row(r), COLUMNS) for r in records), bom=True)


def to_xlsx(records: Sequence[ExportRecord], about: Sequence[tuple[str, str]] = ()) -> bytes:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    wb = Workbook(write_only=True)  # streams rows: large exports stay fast and small in memory
    sheet = wb.create_sheet("Data")
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    header = []
    for name in COLUMNS:
        cell = WriteOnlyCell(sheet, value=name)
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    for rec in records:
        values = row(rec)
        sheet.append([_xlsx_cell(values[c]) for c in COLUMNS])
    info = wb.create_sheet("Keterangan")
    for key, value in about:
        info.append([key, value])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _xlsx_cell(value: Any) -> Any:
    # Formula-looking text would be evaluated by spreadsheet programs: keep it text.
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return value


def to_geojson(records: Sequence[ExportRecord]) -> bytes:
    features = []
    for rec in records:
        props = row(rec)
        lon, lat = props.pop("lon"), props.pop("lat")
        geometry = (
            {"type": "Point", "coordinates": [lon, lat]} if lon is not None and lat is not None else None
        )
        features.append({"type": "Feature", "id": rec.number, "geometry": geometry, "properties": props})
    collection = {"type": "FeatureCollection", "features": features}
    return json.dumps(collection, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


# --- ACLED ---------------------------------------------------------------------------------------------

ACLED_COLUMNS: Final[tuple[str, ...]] = (
    "event_id_cnty",
    "event_date",
    "year",
    "time_precision",
    "disorder_type",
    "event_type",
    "sub_event_type",
    "actor1",
    "assoc_actor_1",
    "inter1",
    "actor2",
    "assoc_actor_2",
    "inter2",
    "interaction",
    "civilian_targeting",
    "iso",
    "region",
    "country",
    "admin1",
    "admin2",
    "admin3",
    "location",
    "latitude",
    "longitude",
    "geo_precision",
    "source",
    "source_scale",
    "notes",
    "fatalities",
    "tags",
    "timestamp",
)
ISO_INDONESIA: Final = 360
_ACLED_GEO = {g.value: g.acled for g in taxonomy.GEO_PRECISION}
_CIVILIANS_INTER = 7


def acled_actor_name(actor: Mapping[str, Any]) -> str:
    code = str(actor.get("type", "unknown"))
    try:
        name = taxonomy.get_actor_type(code).label_en
    except KeyError:
        name = "Unidentified actors"
    if actor.get("paslon"):
        number = f"{int(actor['paslon']):02d}"
        pair = f"candidate pair {number}"
        name = name.replace("a candidate pair", pair) if "a candidate pair" in name else f"{name} ({pair})"
    if actor.get("text"):
        name += f" - {actor['text']}"
    return f"{name} (Indonesia)"


def _inter(actor: Mapping[str, Any], event_type: str, *, target: bool) -> int:
    code = str(actor.get("type", "unknown"))
    try:
        return taxonomy.acled_inter_for(code, event_type, target=target)
    except (KeyError, ValueError):
        return taxonomy.acled_inter_for("unknown", event_type, target=target)


def acled_row(rec: ExportRecord) -> dict[str, Any]:
    """One ACLED row. The two sides are the first two actors; Waspada does not record sides, so a third
    and later actors go to ``assoc_actor_2``. With no actor coded, actor1 is the unknown actor type."""
    event = _event(rec.event_type)
    actors = list(rec.actors) or [{"type": "unknown"}]
    known_event = rec.event_type if event else "peaceful_protest"
    inter1 = _inter(actors[0], known_event, target=False)
    inter2 = _inter(actors[1], known_event, target=True) if len(actors) > 1 else None
    acled_event = event.acled_event_type if event else ""
    civilians = acled_event == "Violence against civilians" or (
        inter2 == _CIVILIANS_INTER and bool(event and event.is_violent)
    )
    local = rec.occurred_at.astimezone(ZoneInfo(rec.zone))
    tags = []
    if acled_event in {"Protests", "Riots"}:
        tags.append("crowd size=no report")
    if rec.is_simulated:
        tags.append("simulated data (not a real event)")
    media = "media" in rec.channels
    field_channels = [c for c in rec.channels if c != "media"]
    source = "Waspada"
    if field_channels:
        source += " field reports (" + ", ".join(_channel_en(c) for c in field_channels) + ")"
    if media:
        source += "; news media"
    if field_channels and media:
        scale = "Local partner-Subnational"
    elif media:
        scale = "Subnational"
    else:
        scale = "Local partner"
    location = rec.admin[-1].name if rec.admin else rec.region_code
    return {
        "event_id_cnty": f"IDN-{rec.number}",
        "event_date": local.date().isoformat(),
        "year": local.year,
        "time_precision": rec.time_precision,
        "disorder_type": event.acled_disorder_type if event else "",
        "event_type": acled_event,
        "sub_event_type": event.acled_sub_event_type if event else "",
        "actor1": acled_actor_name(actors[0]),
        "assoc_actor_1": "",
        "inter1": inter1,
        "actor2": acled_actor_name(actors[1]) if len(actors) > 1 else "",
        "assoc_actor_2": "; ".join(acled_actor_name(a) for a in actors[2:]),
        "inter2": inter2 if inter2 is not None else "",
        "interaction": taxonomy.acled_interaction(inter1, inter2),
        "civilian_targeting": "Civilians targeted" if civilians else "",
        "iso": ISO_INDONESIA,
        "region": "Southeast Asia",
        "country": "Indonesia",
        "admin1": _admin_name(rec, 1),
        "admin2": _admin_name(rec, 2),
        "admin3": _admin_name(rec, 3),
        "location": location,
        "latitude": rounded(rec.lat),
        "longitude": rounded(rec.lon),
        "geo_precision": _ACLED_GEO.get(rec.geo_precision, 3),
        "source": source,
        "source_scale": scale,
        "notes": rec.description,
        "fatalities": rec.killed,
        "tags": "; ".join(tags),
        "timestamp": int((rec.updated_at or rec.occurred_at).timestamp()),
    }


def _channel_en(code: str) -> str:
    try:
        return taxonomy.get_channel(code).label_en
    except KeyError:
        return code


def to_acled(records: Sequence[ExportRecord]) -> bytes:
    return _csv(ACLED_COLUMNS, (_pick(acled_row(r), ACLED_COLUMNS) for r in records), bom=False)


# --- HXL -----------------------------------------------------------------------------------------------

HXL_COLUMNS: Final[tuple[tuple[str, str], ...]] = (
    ("number", "#event+id"),
    ("occurred_at", "#date+occurred"),
    ("province", "#adm1+name"),
    ("province_code", "#adm1+code"),
    ("kabupaten_kota", "#adm2+name"),
    ("kabupaten_kota_code", "#adm2+code"),
    ("kecamatan", "#adm3+name"),
    ("kecamatan_code", "#adm3+code"),
    ("desa_kelurahan", "#adm4+name"),
    ("desa_kelurahan_code", "#adm4+code"),
    ("event_type", "#event+type+code"),
    ("event_type_label", "#event+type+name"),
    ("acled_event_type", "#event+type+acled"),
    ("status", "#status"),
    ("killed", "#affected+killed"),
    ("injured", "#affected+injured"),
    ("displaced", "#affected+displaced"),
    ("buildings_damaged", "#impact+buildings+damaged"),
    ("lat", "#geo+lat"),
    ("lon", "#geo+lon"),
    ("geo_precision", "#geo+precision"),
    ("is_simulated", "#meta+simulated"),
    ("description", "#description"),
)


def hxl_row(rec: ExportRecord) -> dict[str, Any]:
    base = row(rec)
    event = _event(rec.event_type)
    return {
        **base,
        "province_code": _admin_code(rec, 1),
        "kabupaten_kota_code": _admin_code(rec, 2),
        "kecamatan_code": _admin_code(rec, 3),
        "desa_kelurahan_code": _admin_code(rec, 4),
        "acled_event_type": event.acled_sub_event_type if event else "",
    }


def to_hxl(records: Sequence[ExportRecord]) -> bytes:
    names = [name for name, _tag in HXL_COLUMNS]
    tags = [tag for _name, tag in HXL_COLUMNS]
    return _csv(names, (_pick(hxl_row(r), names) for r in records), bom=False, extra_header=tags)


def write(fmt: str, records: Sequence[ExportRecord], about: Sequence[tuple[str, str]] = ()) -> bytes:
    if fmt == "csv":
        return to_csv(records)
    if fmt == "xlsx":
        return to_xlsx(records, about)
    if fmt == "geojson":
        return to_geojson(records)
    if fmt == "acled":
        return to_acled(records)
    if fmt == "hxl":
        return to_hxl(records)
    raise ValueError(f"format ekspor {fmt!r} tidak dikenal: {', '.join(FORMATS)}")
