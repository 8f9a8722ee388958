"""The pure parts behind the pages: the history chart's geometry and the ranking's ranks, trend, filters
and sorting."""

from __future__ import annotations

import datetime as dt

import pytest

from waspada.risk.chart import HistoryPoint, history_chart
from waspada.risk.ranking import RankRow, apply_trend, assign_ranks, filter_rows, sort_rows

BANDS = [("rendah", 0.0), ("sedang", 13.47), ("tinggi", 49.33)]
D = dt.date(2024, 12, 1)


def point(day: int, score: float | None, version: str = "v1") -> HistoryPoint:
    return HistoryPoint(D + dt.timedelta(days=day), score, "sedang" if score else "", version)


def test_the_chart_draws_one_mark_per_scored_snapshot_and_breaks_the_line_at_a_gap() -> None:
    chart = history_chart([point(0, 10.0), point(1, None), point(2, 60.0), point(3, 40.0)], BANDS)
    assert chart is not None
    assert len(chart.marks) == 3
    assert chart.path.count("M") == 2 and chart.path.count("L") == 1
    assert chart.marks[0].x == chart.left and chart.marks[-1].x == chart.right
    # higher scores are higher up (smaller y), 0 sits on the bottom axis and 100 on the top
    assert chart.marks[1].y < chart.marks[2].y < chart.marks[0].y
    assert chart.y_ticks[0].pos == chart.bottom and chart.y_ticks[-1].pos == chart.top


def test_the_chart_shades_each_category_band_up_to_the_next_cut_off() -> None:
    chart = history_chart([point(0, 20.0), point(10, 30.0)], BANDS)
    assert chart is not None
    assert [b.category for b in chart.bands] == ["rendah", "sedang", "tinggi"]
    tinggi = chart.bands[-1]
    assert tinggi.y == chart.top and tinggi.y + tinggi.height == pytest.approx(
        chart.top + 0.5067 * chart.plot_height, abs=0.2
    )
    assert sum(b.height for b in chart.bands) == pytest.approx(chart.plot_height, abs=0.5)


def test_a_single_snapshot_is_one_centred_mark_and_one_date() -> None:
    chart = history_chart([point(0, 42.0)], BANDS)
    assert chart is not None
    assert len(chart.marks) == 1 and chart.marks[0].x == pytest.approx(
        (chart.left + chart.right) / 2, abs=0.1
    )
    assert [t.label for t in chart.x_ticks] == ["2024-12-01"]


def test_the_chart_marks_where_the_configuration_changed_and_orders_points_by_date() -> None:
    chart = history_chart([point(4, 30.0, "v2"), point(0, 10.0), point(2, 20.0)], BANDS)
    assert chart is not None
    assert [m.point.date.day for m in chart.marks] == [1, 3, 5]
    assert len(chart.version_changes) == 1
    assert chart.marks[1].x < chart.version_changes[0] < chart.marks[2].x


def test_no_history_no_chart() -> None:
    assert history_chart([], BANDS) is None


def rows() -> list[RankRow]:
    return [
        RankRow("65.01", "Malinau", 2, "65", 30.004, "sedang"),
        RankRow("65.02", "Bulungan", 2, "65", 55.0, "tinggi"),
        RankRow("65.03", "Nunukan", 2, "65", 30.0, "sedang"),
        RankRow("65.04", "Tana Tidung", 2, "65", None, ""),
        RankRow("65.71", "Kota Tarakan", 2, "65", 10.0, "rendah"),
    ]


def test_ranks_are_competition_ranks_of_the_published_score_and_unscored_regions_have_none() -> None:
    table = rows()
    assign_ranks(table)
    assert {r.code: r.rank for r in table} == {"65.02": 1, "65.01": 2, "65.03": 2, "65.71": 4, "65.04": None}


def test_the_trend_compares_with_the_previous_snapshot_and_names_category_moves() -> None:
    table = rows()
    apply_trend(table, {"65.02": (40.0, "sedang"), "65.71": (20.0, "sedang")}, ["rendah", "sedang", "tinggi"])
    by = {r.code: r for r in table}
    assert by["65.02"].delta == pytest.approx(15.0) and by["65.02"].category_change == 1
    assert by["65.71"].delta == pytest.approx(-10.0) and by["65.71"].category_change == -1
    assert by["65.01"].delta is None and by["65.01"].category_change == 0


def test_filters_keep_ranks_and_match_name_code_and_category() -> None:
    table = rows()
    assign_ranks(table)
    assert [r.code for r in filter_rows(table, category="sedang")] == ["65.01", "65.03"]
    assert [r.code for r in filter_rows(table, text="nunu")] == ["65.03"]
    assert [r.code for r in filter_rows(table, text="65.7")] == ["65.71"]
    assert [r.code for r in filter_rows(table, category="none")] == ["65.04"]
    assert filter_rows(table, text="nunu")[0].rank == 2


def test_sorting_puts_missing_values_last_in_either_direction() -> None:
    table = rows()
    assign_ranks(table)
    assert [r.code for r in sort_rows(table)] == ["65.02", "65.01", "65.03", "65.71", "65.04"]
    assert [r.code for r in sort_rows(table, "score", descending=False)][-1] == "65.04"
    assert [r.code for r in sort_rows(table, "rank", descending=True)] == [
        "65.71",
        "65.01",
        "65.03",
        "65.02",
        "65.04",
    ]
    assert [r.name for r in sort_rows(table, "name")][:2] == ["Bulungan", "Kota Tarakan"]
    with pytest.raises(ValueError, match="unknown sort key"):
        sort_rows(table, "populasi")
