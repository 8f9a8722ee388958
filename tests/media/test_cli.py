"""`waspada media analyze`: the JSONL contract, bad lines named by line number, never a traceback."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from waspada.nlp.pipeline import OUTPUT_FIELDS

ARTICLES = Path(__file__).resolve().parents[1] / "nlp" / "articles.jsonl"


def run(*args: str) -> str:
    err = StringIO()
    call_command("media", *args, stdout=StringIO(), stderr=err)
    return err.getvalue()


def read_jsonl(path: Path) -> list[dict[str, object]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_it_writes_one_line_with_exactly_the_contract_fields_per_article(tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    run("analyze", "--input", str(ARTICLES), "--output", str(out))
    rows = read_jsonl(out)
    inputs = read_jsonl(ARTICLES)
    assert [r["id"] for r in rows] == [a["id"] for a in inputs]
    assert all(tuple(r) == OUTPUT_FIELDS for r in rows)
    clash = next(r for r in rows if r["id"] == "a01")
    assert clash["relevant"] is True and clash["event_type"] == "supporter_clash"
    assert clash["location"] == {"code": "65.03.08", "level": 3, "name": "Sebatik Barat"}


def test_it_reports_bad_lines_by_number_and_analyses_the_rest(tmp_path: Path) -> None:
    source = tmp_path / "in.jsonl"
    source.write_text(
        '{"id": 1, "title": "Ricuh", "text": "Pendukung paslon ricuh di Kecamatan Sebatik."}\n'
        "ini bukan json\n"
        '{"id": 3, "title": "tanpa teks"}\n'
        "\n"
        "[1, 2]\n"
        '{"id": 6, "text": "Rapat koordinasi mengimbau warga menjaga kondusivitas.", "published": "2024-12-03"}\n',
        encoding="utf-8",
    )
    out = tmp_path / "out.jsonl"
    err = run("analyze", "--input", str(source), "--output", str(out))
    assert f"{source}, baris 2: bukan JSON yang sah" in err
    assert f"{source}, baris 3: kolom 'text' tidak ada atau kosong" in err
    assert f"{source}, baris 5: baris harus berupa objek JSON" in err
    assert "2 artikel dianalisis, 3 baris dilewati" in err
    assert [r["id"] for r in read_jsonl(out)] == [1, 6]


def test_a_missing_input_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="berkas masukan tidak ditemukan"):
        run("analyze", "--input", str(tmp_path / "nope.jsonl"), "--output", str(tmp_path / "out.jsonl"))


def test_an_input_with_no_usable_line_fails_and_leaves_no_output(tmp_path: Path) -> None:
    source = tmp_path / "in.jsonl"
    source.write_text("{}\n", encoding="utf-8")
    with pytest.raises(CommandError, match="tidak ada baris artikel yang sah"):
        run("analyze", "--input", str(source), "--output", str(tmp_path / "out.jsonl"))


def test_a_non_province_focus_is_refused(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="bukan kode provinsi"):
        run(
            "analyze",
            "--input",
            str(ARTICLES),
            "--output",
            str(tmp_path / "o.jsonl"),
            "--province-focus",
            "65.03",
        )


def test_the_waspada_command_never_prints_a_traceback(tmp_path: Path) -> None:
    source = tmp_path / "in.jsonl"
    source.write_bytes(b'{"id": 1, "text": "\xff\xfe bukan utf-8"}\n')
    env = {**os.environ, "WASPADA_DATA_DIR": str(tmp_path / "data")}
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "waspada.cli",
            "media",
            "analyze",
            "--input",
            str(source),
            "--output",
            str(tmp_path / "o"),
        ],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert done.returncode == 1
    assert "bukan teks UTF-8" in done.stderr
    assert "Traceback" not in done.stderr
