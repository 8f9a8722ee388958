"""`waspada media import` (JSONL/CSV, row errors naming file, row and column) and `waspada media sources`."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from waspada.accounts.models import AuditLog
from waspada.media.importing import ImportFileError, Row, RowError, read_rows
from waspada.media.models import Article, ArticleStatus, Source
from waspada.reports.models import Report

from .conftest import CLASH, ENGLISH, MEETING


def run(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("media", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def write_jsonl(path: Path, rows: list[Any]) -> Path:
    path.write_text(
        "\n".join(r if isinstance(r, str) else json.dumps(r) for r in rows) + "\n", encoding="utf-8"
    )
    return path


# --- Reading (pure) ---------------------------------------------------------------------------------------


def test_it_names_file_row_and_column_of_every_bad_jsonl_row(tmp_path: Path) -> None:
    path = write_jsonl(
        tmp_path / "berita.jsonl",
        [
            {"id": "a1", "title": "Bentrok", "text": CLASH, "published": "2024-12-03", "source": "Warta"},
            "bukan json",
            {"title": "tanpa id", "text": "isi"},
            {"id": "a4", "text": "   "},
            {"id": "a5", "text": "isi", "published": "kemarin sore"},
            {"id": "a6", "url": "ftp://x/y", "text": "isi"},
            {"id": "a7", "text": ["bukan", "teks"]},
            [1, 2],
        ],
    )
    rows = list(read_rows(path))
    assert isinstance(rows[0], Row) and rows[0].published is not None and rows[0].source == "Warta"
    errors = [r.message() for r in rows if isinstance(r, RowError)]
    assert errors == [
        f"{path}, baris 2: bukan JSON yang sah (kolom 1: Expecting value)",
        f"{path}, baris 3, kolom id: kolom id atau url harus diisi",
        f"{path}, baris 4, kolom text: kosong",
        f"{path}, baris 5, kolom published: 'kemarin sore' bukan tanggal ISO (mis. 2024-12-02 atau 2024-12-02T09:30:00+08:00)",
        f"{path}, baris 6, kolom url: harus diawali http:// atau https://",
        f"{path}, baris 7, kolom text: harus berupa teks",
        f"{path}, baris 8: baris harus berupa objek JSON ({{...}})",
    ]


def test_it_reads_csv_with_a_header_and_names_bad_rows(tmp_path: Path) -> None:
    path = tmp_path / "berita.csv"
    path.write_text(
        "\ufeffid,url,title,text,published,source\n"
        'c1,https://warta.example/1,Bentrok,"' + CLASH.replace('"', "'") + '",2024-12-03 09:00,Warta\n'
        "c2,,Kosong,,2024-12-03,Warta\n"
        "c3,,Lebih,isi,2024-12-03,Warta,sel-lebih\n",
        encoding="utf-8",
    )
    rows = list(read_rows(path))
    assert isinstance(rows[0], Row) and rows[0].url == "https://warta.example/1" and rows[0].number == 2
    assert [r.message() for r in rows[1:] if isinstance(r, RowError)] == [
        f"{path}, baris 3, kolom text: kosong",
        f"{path}, baris 4: 7 sel, padahal judul kolom hanya 6",
    ]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("a.txt", b"x", "jenis berkas tidak dikenal"),
        ("a.csv", b"judul,isi\nx,y\n", "judul kolom harus memuat text dan id atau url"),
        ("a.csv", b"", "berkas kosong"),
        ("a.jsonl", b'{"id": 1, "text": "\xff\xfe"}', "bukan teks UTF-8"),
    ],
)
def test_it_refuses_a_file_it_cannot_read(tmp_path: Path, name: str, content: bytes, message: str) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(ImportFileError, match=message):
        list(read_rows(path))
    with pytest.raises(ImportFileError, match="tidak ditemukan"):
        list(read_rows(tmp_path / "hilang.jsonl"))


# --- Importing --------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_it_imports_articles_links_copies_skips_other_languages_and_reports_bad_rows(
    tmp_path: Path, media_settings: Any
) -> None:
    path = write_jsonl(
        tmp_path / "berita.jsonl",
        [
            {"id": "b1", "url": "https://warta.example/1", "title": "Bentrok di Aji Kuning", "text": CLASH,
             "published": "2024-12-03T09:00:00+08:00", "source": "Warta"},
            {"id": "b2", "title": "Rapat koordinasi Forkopimda", "text": MEETING, "published": "2024-12-03"},
            {"id": "b3", "title": "Salinan", "text": CLASH + "\nBaca Juga: lain", "source": "Kabar"},
            {"id": "b4", "title": "Vote count", "text": ENGLISH},
            {"id": "b5", "text": ""},
        ],
    )  # fmt: skip
    for expected in (
        "2 artikel baru, 1 salinan (ditautkan), 0 sudah ada",
        "0 artikel baru, 0 salinan (ditautkan), 3 sudah ada",
    ):
        out, err = StringIO(), StringIO()
        with pytest.raises(CommandError) as caught:
            call_command(
                "media",
                "import",
                str(path),
                "--source-name",
                "Impor uji",
                "--province-focus",
                "65",
                stdout=out,
                stderr=err,
            )
        assert caught.value.returncode == 1
        assert f"{expected}, 1 dilewati, 1 baris salah" in out.getvalue()
    first = Article.objects.get(external_id="b1")
    assert first.source_name == "Warta" and first.status == ArticleStatus.ANALYSED
    assert Article.objects.get(external_id="b2").source_name == "Impor uji"
    assert Article.objects.get(external_id="b3").duplicate_of == first
    assert not Article.objects.filter(external_id__in=["b4", "b5"]).exists()
    assert Report.objects.filter(channel="media").count() == 1


@pytest.mark.django_db
def test_the_import_command_prints_row_errors_and_the_summary(tmp_path: Path, media_settings: Any) -> None:
    path = write_jsonl(
        tmp_path / "berita.jsonl",
        [{"id": "x1", "title": "Vote count", "text": ENGLISH}, {"id": "x2", "text": ""}],
    )
    out, err = StringIO(), StringIO()
    with pytest.raises(CommandError, match="1 baris tidak dapat diimpor"):
        call_command("media", "import", str(path), "--no-analyse", stdout=out, stderr=err)
    assert f"{path}, baris 1: dilewati — bukan berbahasa Indonesia (Inggris)" in err.getvalue()
    assert f"{path}, baris 2, kolom text: kosong" in err.getvalue()
    assert "0 artikel baru" in out.getvalue() and "1 dilewati, 1 baris salah" in out.getvalue()
    with pytest.raises(CommandError) as unreadable:
        run("import", str(tmp_path / "hilang.csv"))
    assert unreadable.value.returncode == 2


# --- Sources ----------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_it_adds_lists_and_disables_sources(personas: Any) -> None:
    out, _ = run(
        "sources",
        "add",
        "https://warta.example/rss.xml",
        "--name",
        "Warta",
        "--every",
        "15",
        "--province-focus",
        "65",
    )
    source = Source.objects.get()
    assert out.strip() == f"sumber {source.pk} ditambahkan: Warta (feed) https://warta.example/rss.xml"
    assert (source.poll_minutes, source.province_focus_id, source.enabled) == (15, "65", True)
    run("sources", "add", "https://warta.example/berita/1.html", "--kind", "page")
    listing, _ = run("sources", "list")
    assert "belum diperiksa" in listing and "Warta — https://warta.example/rss.xml" in listing
    run("sources", "disable", str(source.pk), "--reason", "situs tutup")
    source.refresh_from_db()
    assert not source.enabled
    assert AuditLog.objects.filter(action="media.source.disabled", note="situs tutup").exists()
    rows = [json.loads(line) for line in run("sources", "list", "--json")[0].splitlines()]
    assert [r["enabled"] for r in rows] == [False, True]
    assert set(rows[0]) >= {"last_success", "last_error", "consecutive_failures", "items_per_day"}
    run("sources", "enable", "https://warta.example/rss.xml")
    source.refresh_from_db()
    assert source.enabled and source.next_poll_at is None


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["add", "warta.example/rss"], "harus diawali http:// atau https://"),
        (["add", "https://x.example/rss", "--every", "0"], "interval pemeriksaan"),
        (["add", "https://x.example/rss", "--province-focus", "65.03"], "bukan kode provinsi"),
        (["add", "https://x.example/rss", "--province-focus", "11"], "belum dimuat"),
        (["disable", "99"], "sumber 99 tidak ditemukan"),
    ],
)
def test_it_refuses_bad_source_input_with_a_clear_message(args: list[str], message: str) -> None:
    with pytest.raises(CommandError, match=message) as caught:
        run("sources", *args)
    assert caught.value.returncode == 2


@pytest.mark.django_db
def test_it_refuses_a_second_source_with_the_same_address() -> None:
    run("sources", "add", "https://warta.example/rss.xml")
    with pytest.raises(CommandError, match="sudah ada"):
        run("sources", "add", "https://warta.example/rss.xml")


@pytest.mark.django_db
def test_the_items_per_day_count_the_last_week() -> None:
    from datetime import timedelta

    from django.utils import timezone

    from waspada.media.sources import health

    source = Source.objects.create(name="Warta", url="https://warta.example/rss.xml")
    now = timezone.now()
    for i in range(14):
        Article.objects.create(source=source, url=f"https://warta.example/{i}", status=ArticleStatus.ANALYSED,
                               created_at=now - timedelta(days=i))  # fmt: skip
    Article.objects.create(source=source, url="https://warta.example/skip", status=ArticleStatus.SKIPPED)
    [row] = health()
    assert row.items_per_day == 1.0 and row.articles == 14
    assert source.items_per_day() == 1.0
