"""Reading the documented TPS CSV format: whole-file errors name the file; cell and row errors name the
file, the row (header = row 1) and the column, and the rest of the file is still checked."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from waspada.elections.integrity import TpsCsvError, check_tps, parse_tps_csv, read_tps_csv
from waspada.elections.integrity.findings import Finding

from .conftest import columns_for, csv_text, tps


def parse(text: str, source: str = "uji.csv"):  # type: ignore[no-untyped-def]
    return parse_tps_csv(text.encode("utf-8"), source=source)


def test_it_reads_a_clean_file_into_typed_columns() -> None:
    table = parse(csv_text([tps(1), tps(2)]))
    assert table.frame.height == 2
    assert table.candidates == ("paslon1", "paslon2", "paslon3")
    assert table.frame["dpt"].dtype.is_integer()
    assert table.frame["_row"].to_list() == [2, 3]
    assert table.errors == []


def test_it_accepts_any_number_of_paslon_columns_in_ballot_order() -> None:
    row = tps(
        1, paslon1=20, paslon2=30, suara_sah=198, **{f"paslon{i}": 10 for i in range(3, 12)}, paslon12=58
    )
    table = parse(csv_text([row], n_paslon=12))
    assert table.candidates[:3] == ("paslon1", "paslon2", "paslon3")
    assert table.candidates[-2:] == ("paslon11", "paslon12")


def test_a_missing_column_is_an_error_naming_file_and_column() -> None:
    cols = [c for c in columns_for(3) if c != "suara_sah"]
    with pytest.raises(TpsCsvError) as exc:
        parse(csv_text([tps(1)], columns=cols), source="rekap.csv")
    assert str(exc.value).startswith("rekap.csv: kolom wajib tidak ada: suara_sah")


def test_a_gap_in_the_paslon_columns_is_an_error() -> None:
    cols = [c if c != "paslon2" else "paslon4" for c in columns_for(3)]
    with pytest.raises(TpsCsvError, match="tidak ada paslon2"):
        parse(csv_text([tps(1)], columns=cols))


def test_a_non_numeric_cell_is_a_row_finding_with_file_row_and_column() -> None:
    table = parse(csv_text([tps(1), tps(2, dpt="2x0")]), source="rekap.csv")
    (error,) = table.errors
    assert (error.file, error.row, error.column, error.value) == ("rekap.csv", 3, "dpt", "2x0")
    assert error.message == "rekap.csv baris 3, kolom dpt: '2x0' bukan bilangan bulat"
    assert table.frame["dpt"].to_list() == [250, None]  # the cell is left empty, the row is kept
    finding = error.to_finding()
    assert finding.rule == "R10" and finding.tps_code == "6501011001002"
    assert finding.values == {"file": "rekap.csv", "row": 3, "column": "dpt", "value": "2x0"}


def test_a_decimal_number_is_not_an_integer() -> None:
    (error,) = parse(csv_text([tps(1, paslon1="63.0")])).errors
    assert error.column == "paslon1" and "bukan bilangan bulat" in error.reason


def test_a_negative_number_is_a_row_finding_and_the_cell_is_left_empty() -> None:
    table = parse(csv_text([tps(1), tps(2, paslon2=-118)]), source="rekap.csv")
    (error,) = table.errors
    assert (error.row, error.column) == (3, "paslon2")
    assert "negatif" in error.message and error.message.startswith("rekap.csv baris 3, kolom paslon2")
    assert table.frame["paslon2"].to_list() == [118, None]


def test_an_empty_file_is_an_error_naming_the_file() -> None:
    with pytest.raises(TpsCsvError, match=r"^kosong\.csv: berkas kosong"):
        parse("", source="kosong.csv")


def test_a_header_without_rows_is_an_error() -> None:
    with pytest.raises(TpsCsvError, match="tidak ada baris data"):
        parse(",".join(columns_for(3)) + "\n")


@pytest.mark.parametrize(("sep", "name"), [(";", "titik koma"), ("\t", "tab"), ("|", "garis tegak")])
def test_a_wrong_delimiter_is_an_error_that_names_it(sep: str, name: str) -> None:
    text = csv_text([tps(1)]).replace(",", sep)
    with pytest.raises(TpsCsvError) as exc:
        parse(text, source="excel.csv")
    assert str(exc.value).startswith("excel.csv: pemisah kolom salah") and name in str(exc.value)


def test_rows_with_too_many_or_too_few_fields_are_left_out_with_their_row_number() -> None:
    good = csv_text([tps(1), tps(2), tps(3)]).splitlines()
    lines = [good[0], good[1], good[2] + ",99", good[3].rsplit(",", 2)[0]]
    table = parse("\n".join(lines) + "\n")
    assert [(e.row, e.column) for e in table.errors] == [(3, None), (4, None)]
    assert "26 kolom, seharusnya 25" in table.errors[0].reason
    assert "23 kolom, seharusnya 25" in table.errors[1].reason
    assert table.frame["tps_code"].to_list() == ["6501011001001"]


def test_blank_lines_are_skipped_and_row_numbers_stay_true() -> None:
    good = csv_text([tps(1), tps(2, dpt="x")]).splitlines()
    table = parse("\n".join([good[0], good[1], "", good[2]]) + "\n")
    assert [(e.row, e.column) for e in table.errors] == [(4, "dpt")]


def test_quoted_names_with_commas_and_line_breaks_are_read() -> None:
    text = csv_text(
        [tps(1, desa_name='"LUBUK PAKAM I, II"'), tps(2, desa_name='"DUA\nBARIS"'), tps(3, dpt="?")]
    )
    table = parse(text)
    assert table.frame["desa_name"].to_list()[:2] == ["LUBUK PAKAM I, II", "DUA\nBARIS"]
    assert [(e.row, e.column) for e in table.errors] == [(5, "dpt")]


def test_crlf_line_ends_a_bom_and_padded_numbers_are_accepted() -> None:
    text = "\ufeff" + csv_text([tps(1, dpt=" 250 ")]).replace("\n", "\r\n")
    table = parse(text)
    assert table.errors == [] and table.frame["dpt"].to_list() == [250]


def test_a_repeated_tps_code_is_reported_and_only_the_first_row_kept() -> None:
    table = parse(csv_text([tps(1), tps(1, dpt=251, dpt_l=127)]))
    (error,) = table.errors
    assert error.row == 3 and "sudah ada di baris 2" in error.reason
    assert table.frame["dpt"].to_list() == [250]


def test_a_malformed_tps_code_drops_the_row() -> None:
    table = parse(csv_text([tps(1), tps(2, tps_code="65010110010")]))
    (error,) = table.errors
    assert error.column == "tps_code" and "13 angka" in error.reason
    assert table.frame.height == 1


def test_region_codes_that_contradict_the_tps_code_are_repaired_and_reported() -> None:
    table = parse(csv_text([tps(1, kec_code="650199", desa_code="")]))
    (error,) = table.errors
    assert error.column == "kec_code"
    assert table.frame.row(0, named=True)["kec_code"] == "650101"
    assert table.frame.row(0, named=True)["desa_code"] == "6501011001"  # empty → filled from tps_code


def test_unknown_columns_are_ignored_and_listed() -> None:
    cols = [*columns_for(3), "catatan"]
    table = parse(csv_text([tps(1, catatan="ok")], columns=cols))
    assert table.ignored_columns == ("catatan",)
    assert "catatan" not in table.frame.columns


def test_it_reads_gzip_files(tmp_path: Path) -> None:
    path = tmp_path / "tps.csv.gz"
    path.write_bytes(gzip.compress(csv_text([tps(1)]).encode()))
    assert read_tps_csv(path).frame.height == 1


def test_a_missing_file_is_an_error_naming_it(tmp_path: Path) -> None:
    with pytest.raises(TpsCsvError, match=r"tidak-ada\.csv: berkas tidak ditemukan"):
        read_tps_csv(tmp_path / "tidak-ada.csv")


def test_a_binary_file_is_not_a_csv(tmp_path: Path) -> None:
    path = tmp_path / "foto.csv"
    path.write_bytes(bytes(range(256)) * 4)
    with pytest.raises(TpsCsvError, match="bukan berkas teks CSV"):
        read_tps_csv(path)


def test_row_errors_come_first_in_the_report_and_the_other_rows_are_still_checked() -> None:
    table = parse(csv_text([tps(1, paslon1="x"), tps(2, paslon1=64)]))
    report = check_tps(table)
    rules = [(f.rule, f.tps_code) for f in report.findings]
    assert rules[0] == ("R10", "6501011001001")
    assert ("R1", "6501011001002") in rules  # 64 + 118 + 17 ≠ 198
    assert not any(f.rule == "R1" and f.tps_code == "6501011001001" for f in report.findings)
    assert all(isinstance(f, Finding) for f in report.findings)
