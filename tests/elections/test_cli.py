"""The CLI contract: ``waspada elections check --tps-csv FILE [--election-type …] --output FINDINGS.jsonl``
prints counts per rule, writes one JSON finding per line, exits 0 when the file was read and 2 with a
message naming the file (never a traceback) when it was not."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from .conftest import tps


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("elections", *args, stdout=out)
    return out.getvalue()


def test_check_prints_counts_per_rule_and_writes_jsonl(
    write_csv: Callable[..., Path], tmp_path: Path
) -> None:
    path = write_csv([tps(1), tps(2, paslon1=68), tps(3, dpt="x", paslon1=60, paslon2=121)])
    output = tmp_path / "temuan.jsonl"
    text = run("check", "--tps-csv", str(path), "--election-type", "pemilu", "--output", str(output))
    assert "R1 " in text and "R10 " in text and "reserve: 2%" in text and "max_dpt: 300" in text
    lines = [json.loads(line) for line in output.read_text(encoding="utf-8").splitlines()]
    assert {line["rule"] for line in lines} == {"R1", "R10"}
    for line in lines:
        assert list(line) == ["rule", "severity", "tps_code", "values", "message", "suggested"]
    r10 = next(line for line in lines if line["rule"] == "R10")
    assert r10["values"] == {"file": str(path), "row": 4, "column": "dpt", "value": "x"}


def test_check_json_summary_and_pilkada_defaults(write_csv: Callable[..., Path]) -> None:
    path = write_csv([tps(1, dpt=450, dpt_l=225, dpt_p=225)])
    summary = json.loads(run("check", "--tps-csv", str(path), "--json"))
    assert (
        summary["election_type"] == "pilkada" and summary["reserve"] == "2,5%" and summary["max_dpt"] == 600
    )
    assert summary["counts"] == {} and summary["tps"] == 1
    summary = json.loads(run("check", "--tps-csv", str(path), "--json", "--election-type", "pemilu"))
    assert summary["counts"] == {"R8": 1}
    summary = json.loads(run("check", "--tps-csv", str(path), "--json", "--max-dpt", "400"))
    assert summary["counts"] == {"R8": 1}


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("", "berkas kosong"),
        ("tps_code;dpt;paslon1\n1;2;3\n", "pemisah kolom salah"),
        ("tps_code,dpt\n6501011001001,3\n", "kolom wajib tidak ada"),
    ],
)
def test_unreadable_input_is_an_error_naming_the_file(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "rusak.csv"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(CommandError) as exc:
        run("check", "--tps-csv", str(path), "--output", str(tmp_path / "out.jsonl"))
    assert str(exc.value).startswith(f"{path}: ") and message in str(exc.value)
    assert exc.value.returncode == 2


def test_an_unwritable_output_is_an_error_naming_it(write_csv: Callable[..., Path], tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="tidak dapat ditulis"):
        run(
            "check",
            "--tps-csv",
            str(write_csv([tps(1)])),
            "--output",
            str(tmp_path / "no" / "dir" / "x.jsonl"),
        )


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "waspada.settings"}
    return subprocess.run(
        [sys.executable, "-m", "waspada.cli", *args], capture_output=True, text=True, env=env, check=False
    )


def test_the_command_line_exits_0_with_findings_and_2_without_a_traceback(
    write_csv: Callable[..., Path], tmp_path: Path
) -> None:
    good = write_csv([tps(1, paslon1=68)])
    done = cli("elections", "check", "--tps-csv", str(good), "--output", str(tmp_path / "f.jsonl"))
    assert done.returncode == 0, done.stderr
    assert "R1" in done.stdout
    missing = cli(
        "elections", "check", "--tps-csv", str(tmp_path / "nope.csv"), "--output", str(tmp_path / "g.jsonl")
    )
    assert missing.returncode == 2
    assert "nope.csv: berkas tidak ditemukan" in missing.stderr and "Traceback" not in missing.stderr


def test_compare_two_tps_files(write_csv: Callable[..., Path], tmp_path: Path) -> None:
    a = write_csv([tps(1), tps(2)], name="sirekap.csv")
    b = write_csv([tps(1), tps(2, paslon1=68)], name="rekap.csv")
    out = tmp_path / "beda.jsonl"
    summary: dict[str, Any] = json.loads(
        run(
            "compare",
            "--a",
            str(a),
            "--b",
            str(b),
            "--labels",
            "Sirekap,Rekap",
            "--json",
            "--output",
            str(out),
        )
    )
    assert summary["counts"] == {"SOURCE_DIFF": 1}
    (line,) = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    assert line["tps_code"] == "6501011001002" and line["values"]["kolom_berbeda"] == ["paslon1"]


def test_compare_needs_two_files_or_the_paired_file() -> None:
    with pytest.raises(CommandError, match="--a FILE --b FILE"):
        run("compare")


def test_compare_kawalpemilu_2019(elections_dir: Path) -> None:
    summary = json.loads(
        run(
            "compare",
            "--kawalpemilu-2019",
            str(elections_dir / "kaltara_pilpres2019_tps_kawalpemilu.csv"),
            "--json",
        )
    )
    assert summary["counts"]["SOURCE_DIFF"] >= 130 and summary["labels"] == "KPU vs KawalPemilu"


def test_tiers_on_the_pilkada_long_file_find_nothing(elections_dir: Path) -> None:
    summary = json.loads(
        run("tiers", "--long", str(elections_dir / "pilkada2024_kecamatan_sirekap.csv.gz"), "--json")
    )
    assert summary["counts"] == {} and summary["comparisons kab<kec failed"] == 0


def test_check_on_the_real_kaltara_file(elections_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "kaltara.jsonl"
    summary = json.loads(
        run(
            "check",
            "--tps-csv",
            str(elections_dir / "kaltara_pilpres2024_tps_sirekap.csv"),
            "--election-type",
            "pemilu",
            "--output",
            str(out),
            "--json",
        )
    )
    assert summary["counts"]["R1"] == 47 and summary["counts"]["R7"] == 15
    assert sum(summary["counts"].values()) == len(out.read_text(encoding="utf-8").splitlines())
