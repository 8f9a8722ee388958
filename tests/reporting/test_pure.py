"""The pure core: periods, the sitrep builder and its recommendations, the map projection, export rows."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from zoneinfo import ZoneInfo

import pytest

from waspada.reporting import exports, mapimage
from waspada.reporting.exports import AdminUnit, ExportRecord
from waspada.reporting.period import PeriodError, parse_date, period_for
from waspada.reporting.sitrep import (
    ActionItem,
    AlertItem,
    FindingStats,
    IncidentItem,
    IndexPoint,
    MapUnit,
    RegionRef,
    SitrepInput,
    Unit,
    build,
)

WITA = "Asia/Makassar"
CATS = [("rendah", "Rendah"), ("sedang", "Sedang"), ("tinggi", "Tinggi")]
DAY = dt.date(2026, 11, 20)
NOW = dt.datetime(2026, 11, 21, 8, tzinfo=ZoneInfo(WITA))
SEBATIK = RegionRef("65.03.01", "Sebatik", 3)
NUNUKAN = RegionRef("65.03.02", "Nunukan", 3)
SQUARE = {
    "type": "Polygon",
    "coordinates": [[[117.0, 4.0], [118.0, 4.0], [118.0, 5.0], [117.0, 5.0], [117.0, 4.0]]],
}


def unit(
    region: RegionRef, score: float | None, cat: str, before: str = "", geometry: dict | None = None
) -> Unit:
    current = IndexPoint(DAY, score, cat, {"riwayat_konflik": 20.0, "ikp_bawaslu": 5.0}) if cat else None
    previous = IndexPoint(DAY - dt.timedelta(days=7), 10.0, before) if before else None
    return Unit(region, current, previous, geometry)


def incident(pk: int, region: RegionRef, **kw: object) -> IncidentItem:
    base = {
        "title": f"Kejadian {pk}",
        "event_type": "riot",
        "event_label": "Kerusuhan",
        "status": "aktif",
        "urgency": "sedang",
        "occurred_at": dt.datetime(2026, 11, 20, 10, tzinfo=ZoneInfo(WITA)),
        "created_at": dt.datetime(2026, 11, 20, 11, tzinfo=ZoneInfo(WITA)),
    }
    base.update(kw)
    return IncidentItem(id=pk, region=region, **base)  # type: ignore[arg-type]


def sitrep_input(**kw: object) -> SitrepInput:
    base: dict[str, object] = {
        "region": RegionRef("65.03", "Nunukan", 2),
        "period": period_for("daily", DAY, WITA),
        "generated_at": NOW,
        "categories": CATS,
        "indicator_labels": {"riwayat_konflik": "Riwayat konflik sosial", "ikp_bawaslu": "IKP Bawaslu"},
        "units": [unit(SEBATIK, 55.0, "tinggi", "sedang", SQUARE), unit(NUNUKAN, 5.0, "rendah")],
    }
    base.update(kw)
    return SitrepInput(**base)  # type: ignore[arg-type]


# --- periods -------------------------------------------------------------------------------------------


def test_a_weekly_period_covers_the_seven_days_ending_on_the_date_in_the_regions_zone() -> None:
    p = period_for("weekly", DAY, WITA)
    assert (p.first_day, p.last_day, p.days) == (dt.date(2026, 11, 14), DAY, 7)
    assert p.start.utcoffset() == dt.timedelta(hours=8)
    assert p.contains(dt.datetime(2026, 11, 20, 15, 59, tzinfo=dt.UTC))  # 23:59 WITA
    assert not p.contains(dt.datetime(2026, 11, 20, 16, 0, tzinfo=dt.UTC))  # 00:00 WITA the next day


@pytest.mark.parametrize("text", ["2026-13-01", "kemarin", "", "20-11-2026"])
def test_it_rejects_a_bad_date_naming_it(text: str) -> None:
    with pytest.raises(PeriodError, match="YYYY-MM-DD"):
        parse_date(text)


def test_it_rejects_an_unknown_period() -> None:
    with pytest.raises(PeriodError, match="daily"):
        period_for("monthly", DAY, WITA)


# --- the builder ---------------------------------------------------------------------------------------


def test_it_ranks_regions_by_score_and_names_what_drives_them() -> None:
    s = build(sitrep_input())
    assert [r.region.code for r in s.top_regions] == ["65.03.01", "65.03.02"]
    top = s.top_regions[0]
    assert (top.category, top.previous_category, top.change) == ("tinggi", "sedang", 1)
    assert [d.label for d in top.drivers] == ["Riwayat konflik sosial", "IKP Bawaslu"]
    assert s.summary.regions_high == 1 and s.summary.regions_rising == 1


def test_it_recommends_vigilance_where_a_region_rose_to_the_highest_category_first() -> None:
    s = build(sitrep_input(incidents=[incident(1, SEBATIK, injured=2)]))
    kinds = [r.kind for r in s.recommendations]
    assert kinds[0] == "rose_to_high"
    assert s.recommendations[0].region == SEBATIK
    assert "casualties_without_action" in kinds


def test_it_recommends_following_up_unacknowledged_alerts_and_overdue_actions() -> None:
    alert = AlertItem(7, "Bentrok", "incident_count", SEBATIK, "terbuka", NOW - dt.timedelta(days=1), None, 0)
    seen = AlertItem(8, "Bentrok", "incident_count", SEBATIK, "diterima", NOW - dt.timedelta(days=1), NOW, 0)
    late = ActionItem(3, "mediasi", "Kesbangpol", "direncanakan", "K-1", SEBATIK, DAY - dt.timedelta(days=2))
    on_time = ActionItem(4, "patroli", "Polres", "berjalan", "K-1", SEBATIK, DAY + dt.timedelta(days=3))
    done = ActionItem(5, "patroli", "Polres", "selesai", "K-1", SEBATIK, DAY - dt.timedelta(days=9))
    s = build(sitrep_input(units=[], alerts=[alert, seen], actions=[late, on_time, done]))
    kinds = [(r.kind, r.facts.get("alert") or r.facts.get("action")) for r in s.recommendations]
    assert kinds == [("unacknowledged_alert", 7), ("overdue_action", 3)]
    assert [a.id for a in s.actions if a.overdue] == [3]
    assert s.summary.actions_overdue == 1 and s.summary.alerts_unacknowledged == 1


def test_many_unacknowledged_alerts_make_one_recommendation_oldest_first() -> None:
    alerts = [
        AlertItem(i, "Bentrok", "incident_count", SEBATIK, "terbuka", NOW - dt.timedelta(hours=i), None, 0)
        for i in range(1, 6)
    ]
    (rec,) = [r for r in build(sitrep_input(units=[], alerts=alerts)).recommendations]
    assert rec.kind == "unacknowledged_alerts"
    assert rec.facts["alerts"] == [5, 4, 3, 2, 1] and rec.facts["since"] == NOW - dt.timedelta(hours=5)


def test_many_overdue_actions_make_one_recommendation() -> None:
    late = [
        ActionItem(i, "patroli", f"Polsek {i % 2}", "berjalan", f"K-{i}", SEBATIK, DAY - dt.timedelta(days=i))
        for i in range(1, 6)
    ]
    (rec,) = build(sitrep_input(units=[], actions=late)).recommendations
    assert rec.kind == "overdue_actions"
    assert rec.facts == {
        "subjects": ["K-5", "K-4", "K-3", "K-2", "K-1"],
        "agencies": ["Polsek 0", "Polsek 1"],
    }


def test_an_action_due_on_the_report_day_is_not_overdue_yet_when_made_that_day() -> None:
    due_today = ActionItem(3, "mediasi", "Kesbangpol", "berjalan", "K-1", SEBATIK, DAY)
    same_day = dt.datetime(2026, 11, 20, 9, tzinfo=ZoneInfo(WITA))
    assert not build(sitrep_input(generated_at=same_day, actions=[due_today])).actions[0].overdue
    assert build(sitrep_input(actions=[due_today])).actions[0].overdue  # made the morning after


def test_it_recommends_routine_monitoring_when_nothing_stands_out() -> None:
    s = build(sitrep_input(units=[unit(NUNUKAN, 5.0, "rendah", "rendah")]))
    assert [r.kind for r in s.recommendations] == ["routine"]


def test_open_recap_errors_become_a_recommendation_naming_the_areas() -> None:
    findings = FindingStats({"error": 4, "info": 2}, 1, (("R1", "x", 4),), ((SEBATIK, 4),))
    s = build(sitrep_input(units=[], findings=findings))
    rec = next(r for r in s.recommendations if r.kind == "recap_errors")
    assert rec.facts == {"errors": 4, "areas": ["Sebatik"]}
    assert s.summary.findings_open == 6


def test_the_map_keeps_units_without_geometry_apart() -> None:
    s = build(sitrep_input())
    assert s.map.drawn == 1
    assert s.map.missing == (NUNUKAN,)


# --- the map -------------------------------------------------------------------------------------------


def test_the_projection_fits_the_box_and_colours_by_category() -> None:
    units = [MapUnit(SEBATIK, "tinggi", 55.0, SQUARE), MapUnit(NUNUKAN, "", None, None)]
    p = mapimage.project(units, [(117.5, 4.5), (100.0, 0.0)], CATS, max_width=400, max_height=300)
    assert p.width <= 400 and p.height <= 300
    assert len(p.shapes) == 1 and p.shapes[0].fill == mapimage.DEFAULT_COLOURS["tinggi"]
    xs = [x for ring in p.shapes[0].rings for x, _y in ring]
    assert min(xs) >= 0 and max(xs) <= p.width
    assert len(p.points) == 1  # the point outside the map is left out
    svg = mapimage.to_svg(p, "Peta <uji>")
    assert svg.count("<path") == 1 and 'data-category="tinggi"' in svg and "&lt;uji&gt;" in svg


def test_a_map_without_any_boundary_is_empty() -> None:
    assert mapimage.project([MapUnit(NUNUKAN, "", None, None)], [], CATS).empty


def test_custom_categories_get_a_green_to_red_ramp() -> None:
    fill = mapimage.colours([("a", "A"), ("b", "B"), ("c", "C"), ("d", "D")])
    assert fill["a"] == mapimage.RAMP[0] and fill["d"] == mapimage.RAMP[-1]


# --- exports -------------------------------------------------------------------------------------------


def record(**kw: object) -> ExportRecord:
    base: dict[str, object] = {
        "number": "K-9",
        "id": 9,
        "title": "Bentrok",
        "event_type": "violence_civilians",
        "threat_domain": "hankam",
        "status": "aktif",
        "occurred_at": dt.datetime(2026, 11, 20, 23, 30, tzinfo=ZoneInfo(WITA)),
        "zone": WITA,
        "time_precision": 1,
        "geo_precision": 1,
        "region_code": "65.03.01.2001",
        "admin": [
            AdminUnit("65", "Kalimantan Utara"),
            AdminUnit("65.03", "Kabupaten Nunukan"),
            AdminUnit("65.03.01", "Sebatik"),
            AdminUnit("65.03.01.2001", "Tanjungkarang"),
        ],
        "lon": 117.891234,
        "lat": 4.061987,
        "point_source": "reported",
        "actors": [{"type": "paslon_supporters", "paslon": 2}, {"type": "kpu_staff"}, {"type": "police"}],
        "killed": 1,
        "injured": 2,
        "buildings_damaged": 0,
        "displaced": 0,
        "urgency": "tinggi",
        "description": "Petugas PPS dipukul.",
        "channels": ["sms", "web"],
        "report_count": 2,
    }
    base.update(kw)
    return ExportRecord(**base)  # type: ignore[arg-type]


def test_the_acled_file_has_the_codebook_columns_in_order() -> None:
    rows = list(csv.reader(io.StringIO(exports.to_acled([record()]).decode())))
    assert tuple(rows[0]) == exports.ACLED_COLUMNS
    assert rows[0][:3] == ["event_id_cnty", "event_date", "year"] and rows[0][-1] == "timestamp"
    row = dict(zip(rows[0], rows[1], strict=True))
    assert row["event_date"] == "2026-11-20"  # the local date, though it is already the 20th's evening in UTC
    assert (row["event_type"], row["sub_event_type"], row["disorder_type"]) == (
        "Violence against civilians",
        "Attack",
        "Political violence",
    )
    assert row["actor1"] == "Supporters of candidate pair 02 (Indonesia)"
    assert (row["inter1"], row["inter2"], row["interaction"]) == ("3", "7", "37")
    assert row["assoc_actor_2"] == "Police (Indonesia)"
    assert row["civilian_targeting"] == "Civilians targeted"
    assert (row["iso"], row["country"], row["admin1"], row["admin3"], row["location"]) == (
        "360",
        "Indonesia",
        "Kalimantan Utara",
        "Sebatik",
        "Tanjungkarang",
    )
    assert (row["latitude"], row["longitude"], row["fatalities"]) == ("4.06", "117.89", "1")
    assert row["source_scale"] == "Local partner"


def test_the_hxl_file_has_a_second_row_of_hashtags() -> None:
    rows = list(csv.reader(io.StringIO(exports.to_hxl([record()]).decode())))
    tags = rows[1]
    assert all(t.startswith("#") for t in tags)
    for tag in (
        "#date+occurred",
        "#adm1+name",
        "#adm1+code",
        "#adm2+name",
        "#event+type+code",
        "#affected+killed",
        "#affected+injured",
        "#geo+lat",
        "#geo+lon",
    ):
        assert tag in tags
    data = dict(zip(tags, rows[2], strict=True))
    assert (data["#adm2+code"], data["#geo+lat"], data["#affected+injured"]) == ("65.03", "4.06", "2")


def test_every_format_rounds_coordinates_to_two_decimals() -> None:
    rec = record()
    for fmt in ("csv", "acled", "hxl", "geojson"):
        text = exports.write(fmt, [rec]).decode("utf-8-sig")
        assert "117.891234" not in text and "4.061987" not in text, fmt
        assert "117.89" in text, fmt
    feature = json.loads(exports.to_geojson([rec]))["features"][0]
    assert feature["geometry"] == {"type": "Point", "coordinates": [117.89, 4.06]}
    assert feature["id"] == "K-9" and "lat" not in feature["properties"]


def test_the_plain_csv_opens_in_excel_and_keeps_simulation_visible() -> None:
    content = exports.to_csv([record(is_simulated=True)])
    assert content.startswith("\ufeff".encode())
    row = next(csv.DictReader(io.StringIO(content.decode("utf-8-sig"))))
    assert row["is_simulated"] == "true" and row["actors"].startswith("Pendukung paslon 02")


def test_the_xlsx_keeps_formula_like_text_as_text() -> None:
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(exports.to_xlsx([record(description="=HYPERLINK(1)")], [("a", "b")])))
    sheet = book["Data"]
    header = [c.value for c in sheet[1]]
    assert tuple(header) == exports.COLUMNS
    assert sheet.cell(row=2, column=header.index("description") + 1).value == "'=HYPERLINK(1)"
    assert book["Keterangan"]["A1"].value == "a"


@pytest.mark.parametrize(
    "text",
    [
        "hubungi 081299887766 segera",
        "hubungi 0812-9988-7766 segera",
        "hubungi +62 812 9988 7766 segera",
        "email budi@contoh.id segera",
    ],
)
def test_it_redacts_phone_numbers_and_emails(text: str) -> None:
    out = exports.redact(text)
    assert out.startswith(("hubungi [disamarkan]", "email [disamarkan]")) and out.endswith("segera")


def test_it_redacts_known_identities_in_any_case() -> None:
    assert exports.redact("Saya BUDI SANTOSO melapor", ["Budi Santoso"]) == "Saya [disamarkan] melapor"
    assert (
        exports.redact("Pukul 12.00 WITA, 60 orang, tahun 2024") == "Pukul 12.00 WITA, 60 orang, tahun 2024"
    )


def test_every_recommendation_kind_has_its_own_words() -> None:
    from waspada.reporting.document import recommendation_text

    alerts = [
        AlertItem(i, "Bentrok", "incident_count", SEBATIK, "terbuka", NOW - dt.timedelta(hours=i), None, 0)
        for i in range(1, 6)
    ]
    late = [
        ActionItem(i, "patroli", "Polsek", "berjalan", f"K-{i}", SEBATIK, DAY - dt.timedelta(days=2))
        for i in (1, 2)
    ]
    findings = FindingStats({"error": 4}, 1, (("R1", "x", 4),), ((SEBATIK, 4),))
    units = [unit(SEBATIK, 55.0, "tinggi", "sedang"), unit(NUNUKAN, 20.0, "sedang", "rendah")]
    s = build(
        sitrep_input(
            units=units,
            alerts=alerts,
            actions=late,
            findings=findings,
            incidents=[incident(1, SEBATIK, killed=1)],
        )
    )
    kinds = {r.kind for r in s.recommendations}
    assert kinds == {
        "rose_to_high",
        "casualties_without_action",
        "unacknowledged_alerts",
        "overdue_action",
        "recap_errors",
        "rose",
    }
    routine = recommendation_text(build(sitrep_input(units=[])).recommendations[0], s)
    texts = [recommendation_text(r, s) for r in s.recommendations]
    assert all(t and t != routine for t in texts)
    assert any("P-5, P-4, P-3, P-2, P-1" in t for t in texts)
    assert any("Sebatik" in t and "Riwayat konflik sosial" in t for t in texts)


def test_a_national_report_lists_a_few_recommendations_of_each_kind_and_counts_the_rest() -> None:
    units = [
        unit(RegionRef(f"65.03.{i:02d}", f"Kec {i}", 3), 50.0 + i, "tinggi", "sedang") for i in range(1, 21)
    ]
    recs = build(sitrep_input(units=units)).recommendations
    assert [r.kind for r in recs] == ["rose_to_high"] * 5 + ["more"]
    assert [r.region.name for r in recs[:5] if r.region] == ["Kec 20", "Kec 19", "Kec 18", "Kec 17", "Kec 16"]
    assert recs[-1].facts == {"of": "rose_to_high", "n": 15}
