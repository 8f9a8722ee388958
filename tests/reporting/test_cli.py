"""``waspada report sitrep`` and ``waspada export``: files written, and clear errors naming the option, the
value or the file (never a traceback)."""

from __future__ import annotations

import csv
import io
import os
import re
import sys
from pathlib import Path
from typing import Any

import pytest
from django.db import connections
from pypdf import PdfReader

from waspada.cli import main

from ._world import REPORTER_NAME, REPORTER_PHONE, World


@pytest.fixture
def cli(db: Any, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> Any:
    """Run ``waspada ARGS`` in this process, inside the test's transaction; returns (status, out, err)."""
    monkeypatch.setattr(connections, "close_all", lambda: None)
    monkeypatch.setenv("WASPADA_DATA_DIR", os.environ.get("WASPADA_DATA_DIR", ""))

    def run(*args: str) -> tuple[int, str, str]:
        capsys.readouterr()
        status = 0
        try:
            main(list(args))
        except SystemExit as exc:
            if isinstance(exc.code, str):
                sys.stderr.write(exc.code)
                status = 1
            else:
                status = exc.code or 0
        out, err = capsys.readouterr()
        assert "Traceback" not in out + err
        return status, out, err

    return run


def test_report_sitrep_writes_a_pdf(world: World, cli: Any, tmp_path: Path) -> None:
    target = tmp_path / "laporan.pdf"
    status, out, _err = cli(
        "report",
        "sitrep",
        "--date",
        "2026-11-20",
        "--period",
        "weekly",
        "--region",
        "6503",
        "--output",
        str(target),
    )
    assert status == 0
    assert str(target) in out and "65.03" in out
    reader = PdfReader(target)
    assert len(reader.pages) >= 1
    text = re.sub(r"\s+", " ", " ".join(p.extract_text() for p in reader.pages))
    assert "Bentrok pendukung di Tanjungkarang" in text
    assert REPORTER_NAME not in text and REPORTER_PHONE not in text


def test_report_sitrep_writes_html(world: World, cli: Any, tmp_path: Path) -> None:
    target = tmp_path / "laporan.html"
    status, _out, _err = cli(
        "report", "sitrep", "--date", "2026-11-20", "--region", "65", "--output", str(target)
    )
    assert status == 0
    assert 'data-section="recommendations"' in target.read_text(encoding="utf-8")


def test_report_sitrep_as_a_user_keeps_to_their_scope(world: World, cli: Any, tmp_path: Path) -> None:
    status, _out, err = cli(
        "report", "sitrep", "--region", "65", "--as", "analis.nunukan", "--output", str(tmp_path / "x.pdf")
    )
    assert status == 2 and "--as analis.nunukan" in err and "65" in err
    assert not (tmp_path / "x.pdf").exists()


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--date", "2026-13-01", "--region", "65"], "--date: tanggal '2026-13-01' tidak sah"),
        (["--date", "kemarin", "--region", "65"], "YYYY-MM-DD"),
        (["--region", "65.99"], "--region 65.99: wilayah tidak ada di gazetir"),
        (["--region", "6x"], "--region 6x: Kode wilayah"),
        (["--region", "65", "--as", "tidak.ada"], "--as tidak.ada"),
    ],
)
def test_report_sitrep_names_bad_input(
    world: World, cli: Any, tmp_path: Path, args: list[str], expected: str
) -> None:
    target = tmp_path / "x.pdf"
    status, _out, err = cli("report", "sitrep", *args, "--output", str(target))
    assert status == 2
    assert expected in err
    assert not target.exists()


def test_report_sitrep_names_an_output_it_cannot_write(world: World, cli: Any, tmp_path: Path) -> None:
    a_file = tmp_path / "berkas.txt"
    a_file.write_text("x")
    cases = [
        (tmp_path / "tidak-ada" / "laporan.pdf", "tidak ada"),
        (a_file / "laporan.pdf", "tidak ada"),  # the "folder" is a file
        (tmp_path, "folder"),  # a folder, not a file
        (tmp_path / "laporan.docx", ".pdf atau .html"),
        (Path("/proc/waspada-uji/laporan.pdf"), "tidak"),
    ]
    for target, why in cases:
        status, _out, err = cli("report", "sitrep", "--region", "65", "--output", str(target))
        assert status == 2, target
        assert f"--output {target}" in err and why in err, err


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "geojson", "acled", "hxl"])
def test_export_writes_every_format(world: World, cli: Any, tmp_path: Path, fmt: str) -> None:
    target = tmp_path / f"kejadian.{fmt}"
    status, out, _err = cli("export", "incidents", "--format", fmt, "--region", "65", "--output", str(target))
    assert status == 0 and "3 baris" in out
    content = target.read_bytes()
    if fmt != "xlsx":
        assert REPORTER_NAME.encode() not in content and REPORTER_PHONE.encode() not in content


def test_export_applies_since_and_the_user_s_scope(world: World, cli: Any, tmp_path: Path) -> None:
    target = tmp_path / "k.csv"
    status, out, _err = cli(
        "export",
        "incidents",
        "--format",
        "csv",
        "--since",
        "2026-11-20",
        "--as",
        "analis.nunukan",
        "--output",
        str(target),
    )
    assert status == 0 and "1 baris" in out
    rows = list(csv.DictReader(io.StringIO(target.read_text(encoding="utf-8-sig"))))
    assert [r["region_code"] for r in rows] == ["65.03.01.2001"]


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--format", "csv", "--region", "65.99"], "--region 65.99"),
        (["--format", "csv", "--since", "2026-02-30"], "--since"),
        (["--format", "csv", "--region", "65.71", "--as", "analis.nunukan"], "Wilayah 65.71 tidak ditemukan"),
        (["--format", "csv", "--as", "pelapor"], "tidak dapat mengekspor"),
    ],
)
def test_export_names_bad_input(
    world: World, cli: Any, tmp_path: Path, personas: dict[str, Any], args: list[str], expected: str
) -> None:
    target = tmp_path / "x.csv"
    status, _out, err = cli("export", "incidents", *args, "--output", str(target))
    assert status == 2 and expected in err
    assert not target.exists()


def test_export_refuses_an_unknown_format_and_an_unwritable_path(
    world: World, cli: Any, tmp_path: Path
) -> None:
    status, _out, err = cli("export", "incidents", "--format", "pdf", "--output", str(tmp_path / "x.pdf"))
    assert status == 2 and "--format" in err
    target = tmp_path / "nope" / "x.csv"
    status, _out, err = cli("export", "incidents", "--format", "csv", "--output", str(target))
    assert status == 2 and f"--output {target}" in err
