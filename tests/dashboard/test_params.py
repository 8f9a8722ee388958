"""The map's query parameters: defaults, and a clear error naming the parameter for anything unusable."""

from __future__ import annotations

import datetime as dt

import pytest

from waspada.dashboard import params
from waspada.dashboard.params import BadParam

TODAY = dt.date(2026, 11, 28)


def getter(**values: str | list[str]):  # type: ignore[no-untyped-def]
    return lambda name: [values[name]] if isinstance(values.get(name), str) else values.get(name, [])


def markers(**values: str | list[str]) -> params.MarkerQuery:
    return params.parse_markers(
        getter(**values),
        TODAY,
        event_types={"riot", "intimidation"},
        statuses={"aktif"},
        channels={"sms", "web"},
    )


def test_it_shows_the_children_by_default_and_any_deeper_level_on_request() -> None:
    assert params.parse_level(getter(), 1) == 2
    assert params.parse_level(getter(tingkat="4"), 1) == 4
    assert params.parse_level(getter(), 0) == 1
    assert params.parse_level(getter(tingkat="2"), 4) == 4  # a desa has nothing below: its map stays empty


@pytest.mark.parametrize("value", ["0", "5", "x", "-1", "2.0", "1"])
def test_it_rejects_a_level_that_is_not_below_the_region(value: str) -> None:
    with pytest.raises(BadParam) as err:
        params.parse_level(getter(tingkat=value), 1)
    assert err.value.field == "tingkat"


def test_it_rejects_a_parameter_given_twice() -> None:
    with pytest.raises(BadParam, match="sekali"):
        params.parse_level(getter(tingkat=["2", "3"]), 1)


@pytest.mark.parametrize("value", ["2026-13-01", "28-11-2026", "kemarin", "2026-2-3", "1900-01-01"])
def test_it_rejects_a_bad_date(value: str) -> None:
    with pytest.raises(BadParam) as err:
        markers(tanggal=value)
    assert err.value.field == "tanggal" and "TTTT-BB-HH" in err.value.message


def test_the_window_counts_back_from_the_day_and_zero_means_everything() -> None:
    q = markers(tanggal="2026-11-20", hari="7")
    assert (q.day, q.first_day) == (dt.date(2026, 11, 20), dt.date(2026, 11, 14))
    assert markers(hari="0").first_day is None
    assert markers().window_days == params.DEFAULT_WINDOW and markers().day == TODAY


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("hari", "-3"),
        ("hari", "99999"),
        ("hari", "tujuh"),
        ("jenis", "banjir"),
        ("status", "hilang"),
        ("kanal", "merpati"),
        ("lapisan", "cuaca"),
    ],
)
def test_it_rejects_unknown_filter_values_naming_the_parameter(name: str, value: str) -> None:
    with pytest.raises(BadParam) as err:
        markers(**{name: value})
    assert err.value.field == name


def test_filters_take_repeated_or_comma_separated_values_once_each() -> None:
    q = markers(jenis=["riot", "intimidation,riot"], kanal="sms", lapisan="kejadian,peringatan")
    assert q.event_types == ("riot", "intimidation")
    assert q.channels == ("sms",)
    assert q.layers == ("kejadian", "peringatan")
    assert markers().layers == ("kejadian",)


def test_codes_are_dotted_kemendagri_codes_or_the_whole_country() -> None:
    assert all(params.is_code(c) for c in ["65", "65.03", "65.03.01", "65.03.01.2001", "nasional"])
    assert not any(params.is_code(c) for c in ["6", "65.3", "650301", "65.03.01.20011", "../65", ""])
    assert [params.level_of(c) for c in ["nasional", "65", "65.03.01.2001"]] == [0, 1, 4]
