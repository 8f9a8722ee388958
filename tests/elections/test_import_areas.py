"""Area-level results (the long format of pilkada2024_kecamatan_sirekap.csv.gz with its candidates file)
stored as result records per tier, with contest and candidate matching, versions, findings and errors."""

from __future__ import annotations

import gzip
import io
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from waspada.elections.import_areas import import_area_table, same_names
from waspada.elections.integrity.candidates import parse_candidates_csv, read_candidates_csv
from waspada.elections.integrity.tiers import parse_area_long_csv, read_area_long_csv
from waspada.elections.models import Candidate, Contest, Election, RecapFinding, ResultRecord

pytestmark = pytest.mark.django_db

LONG = "pilkada2024_kecamatan_sirekap.csv.gz"
CANDIDATES = "pilkada2024_candidates.csv"
HEADER = (
    "race_type,race_code,level,area_code,parent_code,area_name,candidate_id,nomor_urut,votes,"
    "tps_counted,tps_total,progress_pct,psu,source_file,sirekap_ts"
)
#: Tana Tidung's regent race: the kab total (twice, as Sirekap publishes it) and two kecamatan.
TANA_TIDUNG = [
    "pkwkk,6504,kab,6504,65,TANA TIDUNG,1001107,1,300,10,10,100.0,Reguler,pkwkk/65/65.json,2024-11-28 10:15:04",
    "pkwkk,6504,kab,6504,65,TANA TIDUNG,1001108,2,200,10,10,100.0,Reguler,pkwkk/65/65.json,2024-11-28 10:15:04",
    "pkwkk,6504,kab,6504,65,TANA TIDUNG,1001107,1,300,10,10,100.0,Reguler,pkwkk/65/6504.json,2024-11-28 00:45:00",
    "pkwkk,6504,kab,6504,65,TANA TIDUNG,1001108,2,200,10,10,100.0,Reguler,pkwkk/65/6504.json,2024-11-28 00:45:00",
    "pkwkk,6504,kec,650401,6504,,1001107,1,180,6,6,100.0,Reguler,pkwkk/65/6504.json,2024-11-28 00:45:00",
    "pkwkk,6504,kec,650401,6504,,1001108,2,120,6,6,100.0,Reguler,pkwkk/65/6504.json,2024-11-28 00:45:00",
    "pkwkk,6504,kec,650402,6504,,1001107,1,120,4,4,100.0,Reguler,pkwkk/65/6504.json,2024-11-28 00:45:00",
    "pkwkk,6504,kec,650402,6504,,1001108,2,80,4,4,100.0,Reguler,pkwkk/65/6504.json,2024-11-28 00:45:00",
]
NAMES = (
    "race_type,race_code,race_area_name,candidate_id,nomor_urut,candidate_name\n"
    'pkwkk,6504,TANA TIDUNG,1001107,1,"SAID AGIL, S.T., M.T - HENDRIK, S.H., M.H"\n'
    'pkwkk,6504,TANA TIDUNG,1001108,2,"IBRAHIM ALI, A.Md - SABRI, S.Pd"\n'
    'pkwkk,6502,MALINAU,1001102,1,"WEMPI W. MAWA, S.E., M.H. - JAKARIA, S.E., M.Si."\n'
    "pkwkk,6502,MALINAU,1001103,2,KOLOM KOSONG - \n"
)


@pytest.fixture
def pilkada(db: Any) -> Election:
    from waspada.demo import load

    load.load_population()
    load.load_contests()
    return Election.objects.get(code="pilkada-2024")


def table(lines: list[str], name: str = "wilayah.csv") -> Any:
    return parse_area_long_csv(("\n".join([HEADER, *lines]) + "\n").encode(), source=name)


def names() -> Any:
    return parse_candidates_csv(NAMES.encode(), source="calon.csv")


def test_the_real_kaltara_counts_are_stored_at_every_tier_into_the_scenario_contests(
    pilkada: Election, elections_dir: Path
) -> None:
    result = import_area_table(
        read_area_long_csv(elections_dir / LONG),
        pilkada,
        candidates=read_candidates_csv(elections_dir / CANDIDATES),
        area="65",
    )
    # governor: 1 provinsi + 5 kab/kota + 55 kecamatan; five regent/mayor races: 5 kab/kota + 55 kecamatan
    assert (result.rows, result.races, result.areas, result.created) == (351, 6, 121, 121)
    assert (result.contests_matched, result.contests_created) == (6, 0)
    assert (result.candidates_matched, result.candidates_created) == (14, 0)
    assert result.errors == [] and result.findings == 0  # the clean control: tier sums hold everywhere
    ktt = Contest.objects.get(region_id="65.04", office="bupati")
    kec = ResultRecord.objects.get(contest=ktt, area_code="65.04.01")
    assert (kec.tier, kec.votes, kec.region_id, kec.source) == (
        "kecamatan",
        {"1": 3216, "2": 3250},
        "65.04.01",
        "sirekap",
    )
    assert kec.extra["tps_counted"] == 16 and kec.extra["progress_pct"] == 94.12
    kab = ResultRecord.objects.get(contest=ktt, tier="kabkota")
    assert kab.votes == {"1": 8230, "2": 8607}
    governor = Contest.objects.get(region_id="65", office="gubernur")
    assert ResultRecord.objects.get(contest=governor, tier="provinsi").votes == {
        "1": 39460,
        "2": 189593,
        "3": 92994,
    }
    # Malinau's candidates had no ballot numbers: matched by name and by the empty-box flag
    malinau = {c.names: c.ballot_no for c in Candidate.objects.filter(contest__region_id="65.02")}
    assert malinau == {"Wempi W. Mawa – Jakaria": 1, "Kolom kosong (kotak kosong)": 2}


def test_reimporting_the_real_file_changes_nothing(pilkada: Election, elections_dir: Path) -> None:
    args = (read_area_long_csv(elections_dir / LONG), pilkada)
    import_area_table(*args, candidates=read_candidates_csv(elections_dir / CANDIDATES), area="65")
    before = list(ResultRecord.objects.values_list("pk", "version").order_by("pk"))
    again = import_area_table(*args, candidates=read_candidates_csv(elections_dir / CANDIDATES), area="65")
    assert (again.unchanged, again.created, again.new_versions) == (121, 0, 0)
    assert list(ResultRecord.objects.values_list("pk", "version").order_by("pk")) == before


def test_races_outside_the_gazetteer_are_refused_once_each_and_kaltara_is_stored(
    pilkada: Election, elections_dir: Path
) -> None:
    result = import_area_table(
        read_area_long_csv(elections_dir / LONG),
        pilkada,
        candidates=read_candidates_csv(elections_dir / CANDIDATES),
    )
    assert result.rows == 43620 and result.races == 534
    assert len(result.errors) == 528  # one per race whose region the test gazetteer (Kaltara) lacks
    assert all("tidak ada di basis data" in e.reason and e.column == "race_code" for e in result.errors)
    assert ResultRecord.objects.count() == 121
    assert not RecapFinding.objects.exclude(kind="import").exists()


def test_a_changed_kecamatan_vote_is_a_new_version_and_an_r9_finding(pilkada: Election) -> None:
    import_area_table(table(TANA_TIDUNG), pilkada, candidates=names())
    changed = [line.replace(",1,180,", ",1,181,") for line in TANA_TIDUNG]
    result = import_area_table(table(changed), pilkada, candidates=names())

    assert (result.new_versions, result.unchanged) == (1, 2)
    versions = ResultRecord.objects.filter(area_code="65.04.01").order_by("version")
    assert [(r.version, r.is_current, r.votes["1"]) for r in versions] == [(1, False, 180), (2, True, 181)]
    (r9,) = RecapFinding.objects.filter(rule="R9")
    assert (r9.kind, r9.area_code, r9.region_code, r9.severity) == ("tiers", "65.04", "65.04", "error")
    assert r9.values["selisih"] == -1 and r9.values["tingkat_bawah"] == "kec"
    assert r9.contest == Contest.objects.get(region_id="65.04")

    import_area_table(table(TANA_TIDUNG), pilkada, candidates=names())
    assert not RecapFinding.objects.filter(rule="R9").exists()


def test_disagreeing_copies_are_a_finding_and_the_newest_copy_is_stored(pilkada: Election) -> None:
    lines = list(TANA_TIDUNG)
    lines[2] = lines[2].replace(",1,300,", ",1,310,")  # the kab file's own total, older snapshot
    result = import_area_table(table(lines), pilkada, candidates=names())
    (diff,) = RecapFinding.objects.filter(rule="SOURCE_DIFF")
    assert diff.kind == "import" and diff.area_code == "65.04"
    assert {c["votes"] for c in diff.values["copies"]} == {300, 310}
    kab = ResultRecord.objects.get(tier="kabkota")
    assert kab.votes == {"1": 300, "2": 200} and kab.extra["source_file"] == "pkwkk/65/65.json"
    assert result.counts["SOURCE_DIFF"] == 1


def test_bad_rows_name_file_row_and_column_and_the_rest_is_stored(pilkada: Election) -> None:
    lines = list(TANA_TIDUNG)
    lines[4] = lines[4].replace(",1,180,", ",1,abc,")
    lines[6] = lines[6].replace(",kec,650402,", ",kelurahan,650402,")
    lines.append("pkwkk,6504,kec,650403,6504,,9999999,,5,1,1,100.0,Reguler,x.json,2024-11-28 00:45:00")
    result = import_area_table(table(lines), pilkada, candidates=names())
    messages = [e.message for e in result.errors]
    assert "wilayah.csv baris 6, kolom votes: 'abc' bukan bilangan bulat" in messages
    assert any(
        m.startswith("wilayah.csv baris 8, kolom level: tingkat 'kelurahan' tidak dikenal") for m in messages
    )
    assert any(
        m.startswith("wilayah.csv baris 10, kolom nomor_urut: nomor urut calon 9999999") for m in messages
    )
    assert ResultRecord.objects.get(area_code="65.04.01").votes == {"1": None, "2": 120}
    assert ResultRecord.objects.filter(area_code="65.04.02").get().votes == {"2": 80}
    assert RecapFinding.objects.filter(rule="R10", kind="import").count() == 3


def test_a_missing_contest_is_created_with_the_candidates_of_the_file(pilkada: Election) -> None:
    Contest.objects.filter(region_id="65.04").delete()
    result = import_area_table(table(TANA_TIDUNG), pilkada, candidates=names())
    contest = Contest.objects.get(region_id="65.04", election=pilkada)
    assert (result.contests_created, result.candidates_created) == (1, 2)
    assert contest.office == "bupati" and not contest.single_candidate
    assert [(c.ballot_no, c.names) for c in contest.candidates.order_by("ballot_no")] == [
        (1, "SAID AGIL, S.T., M.T - HENDRIK, S.H., M.H"),
        (2, "IBRAHIM ALI, A.Md - SABRI, S.Pd"),
    ]


def test_a_contest_is_not_created_when_creation_is_off(pilkada: Election) -> None:
    Contest.objects.filter(region_id="65.04").delete()
    result = import_area_table(table(TANA_TIDUNG), pilkada, candidates=names(), create_contests=False)
    assert ResultRecord.objects.count() == 0
    (error,) = result.errors
    assert error.row == 2 and error.column == "race_code" and "tidak ada di pilkada-2024" in error.reason


def test_names_match_across_spellings_but_not_across_pairs() -> None:
    assert same_names(
        "Zainal Arifin Paliwang – Ingkong Ala", "Dr. H. ZAINAL A PALIWANG, S.H., M.Hum. - INGKONG ALA, S.E."
    )
    assert same_names(
        "Yansen Tipa Padan – Suratno", "Dr. YANSEN TP, M.Si. - Mayjen TNI (Purn.) H. SURATNO, S.I.P."
    )
    assert not same_names("Syarwani – Kilat", "Dr. DT. IMAN SURAMENGGALA, S.Hut., M.Sc. - CHEITO KARNO")


def test_the_cli_imports_a_gzipped_file_and_reports_the_summary(
    pilkada: Election, tmp_path: Path, personas: dict[str, Any]
) -> None:
    path = tmp_path / "wilayah.csv.gz"
    path.write_bytes(gzip.compress(("\n".join([HEADER, *TANA_TIDUNG]) + "\n").encode()))
    calon = tmp_path / "calon.csv"
    calon.write_text(NAMES, encoding="utf-8")
    out = io.StringIO()
    call_command(
        "elections", "import-areas", "--long", str(path), "--candidates", str(calon),
        "--election", "pilkada-2024", "--as", "admin", stdout=out, stderr=io.StringIO(),
    )  # fmt: skip
    text = out.getvalue()
    assert "areas: 3" in text and "new: 3" in text and "contests_matched: 1" in text
    record = ResultRecord.objects.get(area_code="65.04")
    assert record.imported_by is not None and record.file_name == "wilayah.csv.gz"


def test_an_unusable_file_is_exit_status_2_and_stores_nothing(pilkada: Election, tmp_path: Path) -> None:
    path = tmp_path / "salah.csv"
    path.write_text("kode,suara\n6504,3\n", encoding="utf-8")
    with pytest.raises(CommandError, match="salah.csv.*format tidak dikenal") as caught:
        call_command("elections", "import-areas", "--long", str(path), "--election", "pilkada-2024")
    assert caught.value.returncode == 2
    with pytest.raises(CommandError, match="tidak ditemukan"):
        call_command(
            "elections", "import-areas", "--long", str(tmp_path / "x.csv"), "--election", "pilkada-2024"
        )
    assert ResultRecord.objects.count() == 0
