"""The Kaltara demo scenario.

Part one is fact: the Pilkada 2024 contests of Kalimantan Utara with their candidates and official totals,
written here as figures from the sourced compilation in the project's shared data
(``shared/data/kaltara/pilkada2024.json``; every figure there carries its source address). Figures that
were not found there are left empty, never guessed.

Part two is SIMULATION: a handful of reports and incidents written by the Waspada team to show the
workflow. They did not happen; every one is stored with ``is_simulated=True`` and labelled in the UI.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from waspada.elections.calendar import PILKADA_2024, Stage

ELECTION = {
    "code": "pilkada-2024",
    "name": "Pilkada Serentak 2024",
    "kind": "pilkada",
    "voting_date": date(2024, 11, 27),
}

#: The Pilkada 2024 calendar (tahapan) with the risk weight of each stage (reference notes §3); an admin
#: edits the loaded rows, and a reload resets them to these facts.
STAGES: tuple[Stage, ...] = PILKADA_2024

# Kemendagri 2025 administrative population (Dukcapil), as quoted in the sourced compilation.
POPULATION = {
    "65": 770_627,
    "65.01": 170_239,
    "65.02": 87_582,
    "65.03": 227_460,
    "65.04": 30_036,
    "65.71": 255_310,
}


@dataclass(frozen=True)
class CandidateFact:
    ballot_no: int | None
    names: str
    acronym: str = ""
    votes: int | None = None
    parties: str = ""
    is_empty_box: bool = False
    is_winner: bool = False


@dataclass(frozen=True)
class ContestFact:
    region: str
    office: str
    candidates: tuple[CandidateFact, ...]
    single_candidate: bool = False
    dpt: int | None = None
    tps_count: int | None = None
    valid_votes: int | None = None
    invalid_votes: int | None = None
    determined_on: date | None = None
    determination: str = ""
    mk_case: str = ""
    mk_outcome: str = ""
    notes: str = ""


EMPTY_BOX = "Kolom kosong (kotak kosong)"

CONTESTS: tuple[ContestFact, ...] = (
    ContestFact(
        region="65",
        office="gubernur",
        dpt=518_612,
        tps_count=1_364,
        valid_votes=331_493,
        invalid_votes=21_447,
        determined_on=date(2025, 1, 9),
        determination="Rapat pleno KPU Provinsi Kalimantan Utara, Tanjung Selor",
        candidates=(
            CandidateFact(1, "Andi Sulaiman – Adri Patton", "SULTON", 40_228, "PDI-P, PAN"),
            CandidateFact(
                2,
                "Zainal Arifin Paliwang – Ingkong Ala",
                "ZIAP",
                194_021,
                "Gerindra dan koalisi KIM Plus",
                is_winner=True,
            ),
            CandidateFact(3, "Yansen Tipa Padan – Suratno", "YESS", 97_244, "Demokrat, PKB, PPP"),
        ),
        notes="Tidak ada perkara di MK.",
    ),
    ContestFact(
        region="65.01",
        office="bupati",
        valid_votes=73_890,
        determination="Keputusan KPU Bulungan Nomor 767 Tahun 2024 (4 Desember 2024)",
        candidates=(
            CandidateFact(1, "Syarwani – Kilat", "SiAP", 50_293, is_winner=True),
            CandidateFact(2, "Datu Iman Suramenggala – Cheito Karno", "DIA KEREN", 23_597),
        ),
        notes="Tidak ada perkara di MK. DPT Pilkada 2024 tidak ditemukan di sumber.",
    ),
    ContestFact(
        region="65.02",
        office="bupati",
        single_candidate=True,
        candidates=(
            CandidateFact(None, "Wempi W. Mawa – Jakaria", "WIRA", is_winner=True),
            CandidateFact(None, EMPTY_BOX, is_empty_box=True),
        ),
        notes="Calon tunggal melawan kotak kosong. Perolehan suara resmi KPU Malinau tidak ditemukan di sumber.",
    ),
    ContestFact(
        region="65.03",
        office="bupati",
        dpt=153_210,
        tps_count=504,
        valid_votes=107_299,
        invalid_votes=2_464,
        determined_on=date(2025, 2, 5),
        determination="SK KPU Nunukan tentang hasil (6 Desember 2024); penetapan 5 Februari 2025",
        mk_case="Perkara 156/PHPU.BUP-XXIII/2025 (GAAS)",
        mk_outcome="Dicabut; ketetapan MK 4 Februari 2025",
        candidates=(
            CandidateFact(1, "H. Andi M. Akbar – Serfianus", "GAAS", 40_106),
            CandidateFact(2, "H. Basri – H. Hanafiah", "BAHAGIA", 23_361),
            CandidateFact(3, "H. Irwan Sabri – Hermanus", "IRAMA", 43_832, is_winner=True),
        ),
    ),
    ContestFact(
        region="65.04",
        office="bupati",
        dpt=19_522,
        tps_count=49,
        valid_votes=17_529,
        mk_case="Perkara 210/PHPU.BUP-XXIII/2025 (Said Agil – Hendrik)",
        mk_outcome="Tidak dapat diterima, 5 Februari 2025 (ambang Pasal 158 UU 10/2016)",
        candidates=(
            CandidateFact(1, "Said Agil – Hendrik", "SAH", 8_547),
            CandidateFact(2, "Ibrahim Ali – Sabri", "BAIS", 8_982, is_winner=True),
        ),
        notes="Selisih 435 suara menurut perolehan resmi (439 menurut sebagian pemberitaan).",
    ),
    ContestFact(
        region="65.71",
        office="walikota",
        single_candidate=True,
        dpt=172_962,
        tps_count=316,
        valid_votes=102_991,
        invalid_votes=2_900,
        determined_on=date(2025, 2, 6),
        determination="Keputusan KPU Tarakan Nomor 5 Tahun 2025",
        mk_case="Perkara 146/PHPU.WAKO-XXIII/2025 (Lembaga Analisis HAM Indonesia)",
        mk_outcome="Tidak dapat diterima (obscuur libel), 5 Februari 2025",
        candidates=(
            CandidateFact(1, "dr. H. Khairul – Ibnu Saud Is", "KHARISMA", 59_204, is_winner=True),
            CandidateFact(2, EMPTY_BOX, votes=43_787, is_empty_box=True),
        ),
    ),
)


@dataclass(frozen=True)
class SimulatedReport:
    key: str  # stable id so reloading the demo never duplicates
    region: str
    event_type: str
    occurred_at: str  # ISO 8601 with the WITA offset
    description: str
    channel: str
    urgency: str = "sedang"
    status: str = "baru"
    incident: str | None = None
    actors: tuple[dict[str, object], ...] = ()
    injured: int = 0
    buildings_damaged: int = 0


@dataclass(frozen=True)
class SimulatedIncident:
    key: str
    title: str
    region: str
    event_type: str
    occurred_at: str
    description: str
    status: str = "aktif"
    urgency: str = "sedang"
    injured: int = 0
    buildings_damaged: int = 0
    actors: tuple[dict[str, object], ...] = field(default_factory=tuple)


SIMULATION_NOTE = "[SIMULASI] "

INCIDENTS: tuple[SimulatedIncident, ...] = (
    SimulatedIncident(
        "sim-k1",
        "Aksi damai pendukung kotak kosong di depan kantor Bawaslu",
        "65.71.02.1002",
        "peaceful_protest",
        "2026-11-20T10:00:00+08:00",
        "Sekitar enam puluh orang berorasi dan membawa poster menuntut penanganan laporan politik uang. "
        "Aksi berlangsung tertib dan bubar pukul 12.00 WITA.",
        status="selesai",
        urgency="rendah",
        actors=({"type": "civilians", "text": "relawan kotak kosong"},),
    ),
    SimulatedIncident(
        "sim-k2",
        "Saling dorong pendukung di luar rapat pleno rekapitulasi kecamatan",
        "65.04.01.2001",
        "supporter_clash",
        "2026-11-24T15:30:00+08:00",
        "Dua kelompok pendukung paslon saling dorong di halaman kantor kecamatan saat pleno rekapitulasi. "
        "Dua orang luka ringan; aparat memisahkan massa dan pleno dilanjutkan.",
        status="ditangani",
        urgency="tinggi",
        injured=2,
        actors=(
            {"type": "paslon_supporters", "paslon": 1},
            {"type": "paslon_supporters", "paslon": 2},
            {"type": "police"},
        ),
    ),
)

REPORTS: tuple[SimulatedReport, ...] = (
    SimulatedReport(
        "sim-l1",
        "65.71.02.1002",
        "peaceful_protest",
        "2026-11-20T10:15:00+08:00",
        "Massa kotak kosong kumpul di depan kantor Bawaslu, bawa spanduk tolak politik uang. Situasi aman.",
        "sms",
        urgency="rendah",
        status="terverifikasi",
        incident="sim-k1",
    ),
    SimulatedReport(
        "sim-l2",
        "65.71.02.1002",
        "peaceful_protest",
        "2026-11-20T10:40:00+08:00",
        "Demo damai di Bawaslu Tarakan, sekitar 60 orang, polisi berjaga.",
        "telegram",
        urgency="rendah",
        status="digabung",
        incident="sim-k1",
    ),
    SimulatedReport(
        "sim-l3",
        "65.04.01.2001",
        "supporter_clash",
        "2026-11-24T15:40:00+08:00",
        "Ribut di halaman kantor camat Sesayap waktu pleno, pendukung 01 dan 02 saling dorong, ada yang luka.",
        "web",
        urgency="tinggi",
        status="terverifikasi",
        incident="sim-k2",
        injured=2,
    ),
    SimulatedReport(
        "sim-l4",
        "65.03.12.2003",
        "intimidation",
        "2026-11-25T19:00:00+08:00",
        "Saksi salah satu paslon di Aji Kuning mengaku didatangi orang tak dikenal dan diminta tidak hadir "
        "di pleno kecamatan.",
        "whatsapp",
        urgency="tinggi",
    ),
    SimulatedReport(
        "sim-l5",
        "65.01.05.1002",
        "hate_speech_hoax_sara",
        "2026-11-26T08:30:00+08:00",
        "Beredar pesan berantai yang menuduh petugas PPK Tanjung Selor mengubah hasil suara. Perlu klarifikasi.",
        "api",
        status="perlu_klarifikasi",
    ),
    SimulatedReport(
        "sim-l6",
        "65.02.02.2002",
        "money_politics",
        "2026-11-26T21:00:00+08:00",
        "Warga melaporkan pembagian amplop menjelang pleno ulang di Malinau Kota.",
        "import",
    ),
)


# --------------------------------------------------------------------------------------------------
# Part three (SIMULATION): reports from every intake channel, waiting in the review queue. They go through
# the real intake code (see ``load.load_channels``); times are a local clock time a few days before the load
# (``days_ago`` 0 = today, or yesterday when that hour has not come yet), so they are always recent.
# --------------------------------------------------------------------------------------------------

CHANNELS_NOTE = (
    "Antrean tinjauan berisi laporan simulasi dari setiap saluran: formulir web, SMS, Telegram, WhatsApp, "
    "API, impor berkas, dan pemantauan media (berita dari dua media lokal fiktif yang dilayani di 127.0.0.1 "
    "dan dipantau sekali saat demo dimuat)."
)


@dataclass(frozen=True)
class SimulatedIntake:
    """A report that arrives through one intake channel. ``key`` is its client id, or the gateway's message
    id (Telegram: a numeric update id), so reloading never duplicates. Web and API reports are submitted by
    ``account``; message reports by ``sender`` (a made-up number or chat id) as the raw ``text`` in the
    message format (``{when}`` is filled with the local time), which the gateway reads: ``region`` is the
    place it must find there."""

    key: str
    channel: str
    region: str
    event_type: str
    days_ago: int
    clock: str  # local time of the region (WIB/WITA/WIT), "HH:MM"
    description: str
    account: str = ""
    sender: str = ""
    text: str = ""
    urgency: str | None = None
    injured: int = 0
    actors: tuple[dict[str, object], ...] = ()
    status: str = "baru"
    status_reason: str = ""


INTAKE: tuple[SimulatedIntake, ...] = (
    SimulatedIntake(
        "sim-web-1",
        "web",
        "65.03.01.2003",  # Sungai Manurung, Kec. Sebatik
        "intimidation",
        0,
        "20:00",
        "[SIMULASI] Dua orang tak dikenal mendatangi rumah ketua RT dan meminta warga tidak ikut menyaksikan "
        "penghitungan ulang di kantor kecamatan. Warga resah dan minta patroli malam.",
        account="pelapor",
        urgency="tinggi",
        actors=({"type": "unknown"}, {"type": "civilians"}),
    ),
    SimulatedIntake(
        "sim-web-2",
        "web",
        "65.03.01.2004",  # Padaidi, Kec. Sebatik
        "peaceful_protest",
        1,
        "10:00",
        "[SIMULASI] Sekitar 30 warga berkumpul di balai desa menanyakan nama-nama yang tidak ada di DPT. "
        "Kepala desa menjelaskan, warga bubar dengan tertib sebelum zuhur.",
        account="pelapor",
        urgency="rendah",
        actors=({"type": "civilians"}, {"type": "government", "text": "kepala desa"}),
    ),
    SimulatedIntake(
        "sim-api-1",
        "api",
        "65.04.02.2001",  # Sesayap, Kec. Sesayap Hilir, Tana Tidung
        "mass_mobilisation",
        0,
        "09:30",
        "[SIMULASI] Sistem pemantauan mitra mencatat ajakan berkumpul di depan kantor KPU Tana Tidung besok "
        "pagi untuk mengawal sidang sengketa. Diperkirakan beberapa ratus orang datang dari tiga kecamatan.",
        account="koordinator",
        urgency="sedang",
        actors=({"type": "paslon_supporters", "paslon": 1},),
        status="perlu_klarifikasi",
        status_reason="[SIMULASI] Menunggu konfirmasi Polres Tana Tidung soal pemberitahuan keramaian.",
    ),
    SimulatedIntake(
        "sim-api-2",
        "api",
        "65.71.03.1005",  # Mamburungan, Kec. Tarakan Timur
        "security_deployment",
        0,
        "13:00",
        "[SIMULASI] Satu peleton Brimob disiagakan di sekitar gudang logistik KPU Tarakan menjelang pleno. "
        "Situasi aman, arus lalu lintas dialihkan sementara.",
        account="koordinator",
        urgency="rendah",
        actors=({"type": "police"},),
    ),
    SimulatedIntake(
        "sim-sms-1",
        "sms",
        "65.03.12.2003",  # Aji Kuning, Kec. Sebatik Tengah
        "supporter_clash",
        0,
        "16:00",
        "[SIMULASI] Pendukung 01 dan 03 saling lempar batu dekat pasar, 2 orang luka, sudah dilerai polisi.",
        sender="+620000000101",
        text="LAPOR#bentrok#Aji Kuning, Sebatik Tengah#{when}#[SIMULASI] Pendukung 01 dan 03 saling lempar "
        "batu dekat pasar, 2 orang luka, sudah dilerai polisi.",
    ),
    SimulatedIntake(
        "sim-sms-2",
        "sms",
        "65.03.05.2041",  # Long Bawan, Kec. Krayan
        "blockade",
        0,
        "07:30",
        "[SIMULASI] Jalan ke bandara ditutup warga pakai kayu, mereka minta kotak suara TPS 3 dibuka ulang.",
        sender="+620000000102",
        text="LAPOR#blokade#Long Bawan, Krayan#{when}#[SIMULASI] Jalan ke bandara ditutup warga pakai kayu, "
        "mereka minta kotak suara TPS 3 dibuka ulang.",
    ),
    SimulatedIntake(
        "990000001",
        "telegram",
        "65.01.01.2006",  # Pejalin, Kec. Tanjung Palas
        "property_destruction",
        1,
        "22:00",
        "[SIMULASI] Baliho paslon 2 di simpang desa dirobek dan dibakar orang tak dikenal.",
        sender="900000001",
        text="LAPOR#rusak#Pejalin, Tanjung Palas#{when}#[SIMULASI] Baliho paslon 2 di simpang desa dirobek "
        "dan dibakar orang tak dikenal.",
    ),
    SimulatedIntake(
        "sim-wa-1",
        "whatsapp",
        "65.03.02.1002",  # Nunukan Barat, Kec. Nunukan
        "money_politics",
        1,
        "20:00",
        "[SIMULASI] Ada pembagian amplop Rp100 ribu ke warga di gang masjid oleh orang yang mengaku tim sukses.",
        sender="+620000000103",
        text="LAPOR#politik uang#Nunukan Barat#{when}#[SIMULASI] Ada pembagian amplop Rp100 ribu ke warga di "
        "gang masjid oleh orang yang mengaku tim sukses.",
    ),
)

#: The file the demo imports through the real importer, as the demo analyst (scope Kaltara). Row 3 names
#: its kelurahan instead of giving the code; row 4 writes the code without dots.
IMPORT_FILENAME = "simulasi-rekap-fkdm-kaltara.csv"
IMPORT_ACCOUNT = "analis"
IMPORT_ROWS: tuple[dict[str, object], ...] = (
    {
        "id_klien": "sim-impor-1",
        "kode_wilayah": "65.03.08.2002",  # Binalawan, Kec. Sebatik Barat
        "jenis": "Intimidasi dan ancaman",
        "days_ago": 2,
        "clock": "19:00",
        "keterangan": "[SIMULASI] Ketua KPPS TPS 02 mengaku ditelepon berulang kali oleh nomor tak dikenal dan "
        "diminta mengubah catatan kejadian khusus. Sudah dilaporkan ke Panwascam.",
        "urgensi": "tinggi",
        "aktor": "otk; petugas kpps",
        "nama_pelapor": "Anggota FKDM Sebatik Barat (simulasi)",
        "telepon_pelapor": "+620000000104",
    },
    {
        "id_klien": "sim-impor-2",
        "wilayah": "Sebengkok",  # Kel. Sebengkok, Kec. Tarakan Tengah
        "jenis": "hate_speech_hoax_sara",
        "days_ago": 2,
        "clock": "08:00",
        "keterangan": "[SIMULASI] Poster berisi ujaran SARA terhadap pendukung salah satu paslon ditempel di "
        "beberapa tiang listrik sekitar pasar. Sudah dicopot warga bersama Babinsa.",
        "urgensi": "sedang",
        "aktor": "tidak diketahui; tni (Babinsa)",
    },
    {
        "id_klien": "sim-impor-3",
        "kode_wilayah": "6502022005",  # Malinau Hilir, Kec. Malinau Kota
        "jenis": "Kesepakatan atau deklarasi damai",
        "days_ago": 3,
        "clock": "10:00",
        "keterangan": "[SIMULASI] Tokoh adat, tokoh agama dan tim kedua paslon menandatangani deklarasi damai "
        "di balai adat, disaksikan Forkopimda Malinau.",
        "urgensi": "rendah",
        "aktor": "kelompok adat; tokoh agama; tim pemenangan 1; tim pemenangan 2",
    },
)
