"""The event types: what a report or an incident can be about, with ACLED and SNPK mappings."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from waspada.taxonomy._base import (
    CodeEntry,
    UnknownCode,
    _index,
    _normalise_lang,
    choices,
)
from waspada.taxonomy.codelists import (
    ACLED_DISORDER_TYPES,
)


class UnknownEventType(UnknownCode):
    """Raised by :func:`get_event_type` for a code that is not an event type."""

    def __init__(self, code: object) -> None:
        super().__init__(code, "Jenis kejadian", (e.code for e in EVENT_TYPES))


# --------------------------------------------------------------------------------------------------
# Event types
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class EventType(CodeEntry):
    """One kind of event a report or an incident can be about.

    ``severity`` (1 = lowest, 5 = highest) sets the default urgency of a new report and weighs the event
    in risk indicators; ``keywords_id`` are words a reporter may use, as hints for the message parser.
    """

    definition_id: str
    definition_en: str
    acled_event_type: str
    acled_sub_event_type: str
    snpk_category: str
    is_violent: bool
    default_domain: str
    severity: int
    keywords_id: tuple[str, ...]

    @property
    def acled_disorder_type(self) -> str:
        return ACLED_DISORDER_TYPES[self.acled_sub_event_type]

    def definition(self, lang: str = "id") -> str:
        return self.definition_id if _normalise_lang(lang) == "id" else self.definition_en


_PROTESTS = "Protests"
_RIOTS = "Riots"
_VAC = "Violence against civilians"
_STRATEGIC = "Strategic developments"
_ELECTION = "pemilihan dan jabatan"

EVENT_TYPES: Final[tuple[EventType, ...]] = (
    EventType(
        code="peaceful_protest",
        label_id="Unjuk rasa damai",
        label_en="Peaceful protest",
        definition_id="Unjuk rasa, orasi atau long march terkait pilkada yang berlangsung tanpa kekerasan dan "
        "tidak dibubarkan, misalnya di depan kantor KPU, Bawaslu atau DPRD.",
        definition_en="A demonstration, rally or march about the election that stays non-violent and is not "
        "dispersed, e.g. in front of a KPU, Bawaslu or DPRD office.",
        acled_event_type=_PROTESTS,
        acled_sub_event_type="Peaceful protest",
        snpk_category=_ELECTION,
        is_violent=False,
        default_domain="politik",
        severity=1,
        keywords_id=("demo", "unjuk rasa", "aksi damai", "orasi", "long march"),
    ),
    EventType(
        code="protest_with_intervention",
        label_id="Unjuk rasa dihalangi atau dibubarkan",
        label_en="Protest with intervention",
        definition_id="Unjuk rasa damai yang dihalangi, dibubarkan atau pesertanya ditangkap oleh aparat atau "
        "kelompok lain, tanpa kekerasan berat terhadap peserta.",
        definition_en="A peaceful protest that is blocked or dispersed, or whose participants are arrested, by "
        "the authorities or another group, without serious force against the participants.",
        acled_event_type=_PROTESTS,
        acled_sub_event_type="Protest with intervention",
        snpk_category=_ELECTION,
        is_violent=False,
        default_domain="politik",
        severity=2,
        keywords_id=("dibubarkan", "pembubaran", "dihalau", "dihadang"),
    ),
    EventType(
        code="excessive_force_protest",
        label_id="Kekerasan berlebihan terhadap pengunjuk rasa",
        label_en="Excessive force against protesters",
        definition_id="Aparat atau kelompok lain memakai kekerasan berat (pemukulan, gas air mata, peluru "
        "karet, tembakan) terhadap pengunjuk rasa yang tidak melakukan kekerasan.",
        definition_en="Security forces or another group use serious force (beatings, tear gas, rubber bullets, "
        "live fire) against protesters who were not violent.",
        acled_event_type=_PROTESTS,
        acled_sub_event_type="Excessive force against protesters",
        snpk_category=_ELECTION,
        is_violent=True,
        default_domain="hankam",
        severity=4,
        keywords_id=("represif", "gas air mata", "peluru karet", "pendemo dipukul"),
    ),
    EventType(
        code="riot",
        label_id="Kerusuhan / unjuk rasa anarkis",
        label_en="Riot / violent demonstration",
        definition_id="Unjuk rasa yang berubah menjadi kekerasan: massa melempar batu, menyerang aparat atau "
        "petugas, atau merusak fasilitas, misalnya massa yang ricuh di lokasi rekapitulasi.",
        definition_en="A demonstration that turns violent: the crowd throws stones, attacks police or officials, "
        "or damages property, e.g. a crowd that becomes unruly at a recapitulation venue.",
        acled_event_type=_RIOTS,
        acled_sub_event_type="Violent demonstration",
        snpk_category=_ELECTION,
        is_violent=True,
        default_domain="hankam",
        severity=4,
        keywords_id=("ricuh", "kericuhan", "rusuh", "kerusuhan", "anarkis"),
    ),
    EventType(
        code="supporter_clash",
        label_id="Bentrokan antarpendukung",
        label_en="Clash between supporter groups",
        definition_id="Perkelahian atau saling serang antara pendukung paslon yang berbeda, atau antara "
        "pendukung dan kelompok lain, yang tidak berawal dari unjuk rasa. Catat nomor paslon pada aktor.",
        definition_en="A fight between supporters of different candidate pairs, or between supporters and "
        "another group, that did not start as a demonstration. Record the paslon numbers on the actors.",
        acled_event_type=_RIOTS,
        acled_sub_event_type="Mob violence",
        snpk_category=_ELECTION,
        is_violent=True,
        default_domain="hankam",
        severity=4,
        keywords_id=("bentrok", "bentrokan", "tawuran", "saling serang"),
    ),
    EventType(
        code="mob_justice",
        label_id="Main hakim sendiri",
        label_en="Mob justice (vigilantism)",
        definition_id="Warga atau massa menghukum sendiri orang yang dituduh melanggar, misalnya memukuli orang "
        "yang diduga membagikan uang atau mencoblos lebih dari sekali.",
        definition_en="Residents or a crowd punish someone accused of wrongdoing themselves, e.g. beating a "
        "person suspected of handing out money or of voting more than once.",
        acled_event_type=_RIOTS,
        acled_sub_event_type="Mob violence",
        snpk_category="main hakim sendiri",
        is_violent=True,
        default_domain="hankam",
        severity=4,
        keywords_id=("main hakim sendiri", "dihakimi massa", "amuk massa", "dikeroyok"),
    ),
    EventType(
        code="violence_civilians",
        label_id="Kekerasan terhadap warga",
        label_en="Violence against civilians",
        definition_id="Serangan fisik (pemukulan, penganiayaan, pembacokan, pembunuhan) terhadap warga, "
        "pemilih, saksi atau tim paslon yang tidak bersenjata. Serangan terhadap petugas pemilihan punya "
        "kode sendiri.",
        definition_en="A physical attack (beating, assault, stabbing, killing) on unarmed residents, voters, "
        "witnesses or campaign team members. Attacks on election officials have their own code.",
        acled_event_type=_VAC,
        acled_sub_event_type="Attack",
        snpk_category=_ELECTION,
        is_violent=True,
        default_domain="hankam",
        severity=4,
        keywords_id=("penganiayaan", "dianiaya", "pembacokan", "penyerangan", "pembunuhan"),
    ),
    EventType(
        code="violence_election_officials",
        label_id="Kekerasan terhadap penyelenggara pemilihan",
        label_en="Violence against election officials",
        definition_id="Serangan fisik terhadap petugas KPU, PPK, PPS, KPPS, Bawaslu, Panwascam atau pengawas "
        "TPS, termasuk saat mereka membawa logistik atau kotak suara.",
        definition_en="A physical attack on staff of KPU, PPK, PPS, KPPS, Bawaslu, Panwascam or polling-station "
        "supervisors, including while they carry ballots or ballot boxes.",
        acled_event_type=_VAC,
        acled_sub_event_type="Attack",
        snpk_category=_ELECTION,
        is_violent=True,
        default_domain="hankam",
        severity=5,
        keywords_id=("petugas dianiaya", "kpps dipukul", "serang petugas", "pengawas dianiaya"),
    ),
    EventType(
        code="abduction",
        label_id="Penculikan atau penyekapan",
        label_en="Abduction or illegal detention",
        definition_id="Pemilih, saksi, petugas atau kandidat dibawa paksa, disekap atau dihilangkan di luar "
        "proses hukum. Penangkapan resmi oleh polisi dicatat sebagai penangkapan.",
        definition_en="A voter, witness, official or candidate is taken by force, held or made to disappear "
        "outside any legal process. A lawful police arrest is coded as an arrest.",
        acled_event_type=_VAC,
        acled_sub_event_type="Abduction/forced disappearance",
        snpk_category=_ELECTION,
        is_violent=True,
        default_domain="hankam",
        severity=4,
        keywords_id=("penculikan", "diculik", "disekap", "penyekapan"),
    ),
    EventType(
        code="intimidation",
        label_id="Intimidasi dan ancaman",
        label_en="Intimidation and threats",
        definition_id="Ancaman, teror atau tekanan tanpa kekerasan fisik terhadap pemilih, saksi, petugas "
        "KPU/Bawaslu atau kandidat, langsung, lewat pesan atau media sosial. Catat sasarannya sebagai aktor.",
        definition_en="Threats, terror or pressure without physical violence against voters, witnesses, "
        "KPU/Bawaslu staff or candidates, in person, by message or online. Record the target as an actor.",
        acled_event_type=_STRATEGIC,
        acled_sub_event_type="Other",
        snpk_category=_ELECTION,
        is_violent=False,
        default_domain="politik",
        severity=3,
        keywords_id=("intimidasi", "ancaman", "diancam", "teror", "dipaksa memilih"),
    ),
    EventType(
        code="property_destruction",
        label_id="Perusakan atau perampasan barang",
        label_en="Property destruction or seizure",
        definition_id="Merusak, merampas atau mencuri barang tanpa menyerang orang: kotak suara, surat suara, "
        "formulir hasil, kantor KPU/Bawaslu, alat peraga kampanye, rumah atau kendaraan. Pembakaran punya "
        "kode sendiri.",
        definition_en="Damaging, seizing or stealing property without attacking people: ballot boxes, ballots, "
        "result forms, KPU/Bawaslu offices, campaign banners, homes or vehicles. Arson has its own code.",
        acled_event_type=_STRATEGIC,
        acled_sub_event_type="Looting/property destruction",
        snpk_category=_ELECTION,
        is_violent=True,
        default_domain="hankam",
        severity=3,
        keywords_id=("perusakan", "dirusak", "dirampas", "kotak suara rusak", "baliho dirusak"),
    ),
    EventType(
        code="arson",
        label_id="Pembakaran",
        label_en="Arson",
        definition_id="Sengaja membakar kantor KPU/Bawaslu, kotak atau surat suara, posko pemenangan, rumah "
        "atau kendaraan yang terkait pilkada.",
        definition_en="Deliberately setting fire to KPU/Bawaslu offices, ballot boxes or ballots, campaign "
        "posts, homes or vehicles linked to the election.",
        acled_event_type=_RIOTS,
        acled_sub_event_type="Mob violence",
        snpk_category=_ELECTION,
        is_violent=True,
        default_domain="hankam",
        severity=4,
        keywords_id=("pembakaran", "dibakar", "membakar"),
    ),
    EventType(
        code="hate_speech_hoax_sara",
        label_id="Ujaran kebencian, hoaks dan hasutan SARA",
        label_en="Hate speech, hoaxes and identity-based incitement",
        definition_id="Menyebarkan kabar bohong, fitnah, ujaran kebencian atau hasutan berbasis suku, agama, "
        "ras dan antargolongan (SARA) yang dapat memicu konflik, di media sosial, selebaran atau ceramah.",
        definition_en="Spreading false news, slander, hate speech or incitement along ethnic, religious, racial "
        "or group lines (SARA) that could spark conflict, online, in leaflets or in speeches.",
        acled_event_type=_STRATEGIC,
        acled_sub_event_type="Other",
        snpk_category="identitas",
        is_violent=False,
        default_domain="sosial",
        severity=3,
        keywords_id=("hoaks", "ujaran kebencian", "sara", "provokasi", "fitnah"),
    ),
    EventType(
        code="money_politics",
        label_id="Politik uang",
        label_en="Money politics (vote buying)",
        definition_id="Memberi atau menjanjikan uang, sembako atau barang lain untuk memengaruhi pilihan "
        "pemilih atau sikap penyelenggara, termasuk 'serangan fajar' menjelang pemungutan suara.",
        definition_en="Giving or promising money, food parcels or other goods to sway voters or election "
        "officials, including 'dawn attacks' just before voting.",
        acled_event_type=_STRATEGIC,
        acled_sub_event_type="Other",
        snpk_category=_ELECTION,
        is_violent=False,
        default_domain="politik",
        severity=2,
        keywords_id=("politik uang", "serangan fajar", "bagi-bagi uang", "amplop", "sembako"),
    ),
    EventType(
        code="result_rejection_dispute",
        label_id="Penolakan hasil dan sengketa pemilihan",
        label_en="Rejection of results and electoral disputes",
        definition_id="Penolakan terbuka atas hasil penghitungan atau rekapitulasi (misalnya saksi menolak "
        "menandatangani formulir), keberatan resmi, laporan ke Bawaslu, atau permohonan sengketa hasil ke "
        "Mahkamah Konstitusi. Penolakan lewat unjuk rasa dicatat dengan kode unjuk rasa.",
        definition_en="Open rejection of the count or recapitulation (e.g. witnesses refusing to sign the "
        "result form), formal objections, complaints to Bawaslu, or a results dispute filed at the "
        "Constitutional Court (MK). Rejection voiced in a demonstration takes a protest code.",
        acled_event_type=_STRATEGIC,
        acled_sub_event_type="Other",
        snpk_category=_ELECTION,
        is_violent=False,
        default_domain="politik",
        severity=3,
        keywords_id=("tolak hasil", "menolak hasil", "sengketa", "gugatan", "keberatan saksi"),
    ),
    EventType(
        code="mass_mobilisation",
        label_id="Pengerahan massa",
        label_en="Mass mobilisation",
        definition_id="Pengumpulan atau pengiriman massa dalam jumlah besar (konvoi, rombongan dari luar "
        "daerah, massa berjaga di sekitar kantor KPU atau lokasi rekapitulasi) yang belum menjadi unjuk "
        "rasa atau kekerasan.",
        definition_en="Gathering or bringing in large crowds (convoys, groups from other areas, crowds keeping "
        "watch around a KPU office or recapitulation venue) that has not become a protest or violence.",
        acled_event_type=_STRATEGIC,
        acled_sub_event_type="Change to group/activity",
        snpk_category=_ELECTION,
        is_violent=False,
        default_domain="politik",
        severity=3,
        keywords_id=("pengerahan massa", "mobilisasi massa", "konvoi", "massa berdatangan"),
    ),
    EventType(
        code="blockade",
        label_id="Blokade atau pemalangan",
        label_en="Blockade",
        definition_id="Warga atau massa menutup jalan, sungai, dermaga atau akses ke kantor penyelenggara, "
        "atau menyegel kantor, sehingga distribusi logistik atau tahapan pemilihan terhambat.",
        definition_en="Residents or a crowd block roads, rivers, jetties or access to election offices, or seal "
        "an office, so that election logistics or stages are held up.",
        acled_event_type=_PROTESTS,
        acled_sub_event_type="Peaceful protest",
        snpk_category=_ELECTION,
        is_violent=False,
        default_domain="hankam",
        severity=3,
        keywords_id=("blokade", "blokir jalan", "pemalangan", "palang", "segel kantor"),
    ),
    EventType(
        code="security_deployment",
        label_id="Pengerahan aparat keamanan",
        label_en="Security deployment",
        definition_id="Penebalan atau pengiriman personel Polri/TNI, peningkatan status siaga, atau pengamanan "
        "khusus di suatu wilayah karena ada potensi gangguan pilkada.",
        definition_en="Extra police or military personnel sent to an area, a raised alert status, or special "
        "security measures because an election disturbance is possible.",
        acled_event_type=_STRATEGIC,
        acled_sub_event_type="Change to group/activity",
        snpk_category=_ELECTION,
        is_violent=False,
        default_domain="hankam",
        severity=2,
        keywords_id=("penebalan personel", "pasukan", "brimob", "siaga", "bko"),
    ),
    EventType(
        code="peace_agreement",
        label_id="Kesepakatan atau deklarasi damai",
        label_en="Peace agreement or declaration",
        definition_id="Deklarasi pilkada damai, kesepakatan damai antarpendukung, islah, atau mediasi yang "
        "berhasil antara pihak yang berselisih. Ini perkembangan positif, bukan kekerasan.",
        definition_en="A peaceful-election declaration, a peace agreement between supporter groups, "
        "reconciliation, or successful mediation between parties in dispute. A positive development, not "
        "violence.",
        acled_event_type=_STRATEGIC,
        acled_sub_event_type="Agreement",
        snpk_category=_ELECTION,
        is_violent=False,
        default_domain="politik",
        severity=1,
        keywords_id=("deklarasi damai", "kesepakatan damai", "ikrar damai", "islah", "rekonsiliasi"),
    ),
    EventType(
        code="arrest",
        label_id="Penangkapan",
        label_en="Arrest",
        definition_id="Polisi menangkap atau menahan orang terkait pilkada, misalnya terduga pelaku politik "
        "uang, perusakan, kekerasan atau penyebaran hoaks.",
        definition_en="Police arrest or detain people in connection with the election, e.g. suspects of vote "
        "buying, destruction, violence or spreading hoaxes.",
        acled_event_type=_STRATEGIC,
        acled_sub_event_type="Arrests",
        snpk_category=_ELECTION,
        is_violent=False,
        default_domain="hankam",
        severity=2,
        keywords_id=("ditangkap", "penangkapan", "ditahan", "tersangka"),
    ),
    EventType(
        code="other",
        label_id="Lainnya",
        label_en="Other",
        definition_id="Kejadian terkait pilkada yang dapat menimbulkan ketegangan tetapi tidak cocok dengan "
        "kode lain. Jelaskan dalam uraian laporan.",
        definition_en="An election-related event that could raise tension but fits no other code. Describe it "
        "in the report text.",
        acled_event_type=_STRATEGIC,
        acled_sub_event_type="Other",
        snpk_category="lainnya",
        is_violent=False,
        default_domain="politik",
        severity=1,
        keywords_id=("lainnya", "lain-lain"),
    ),
)
_EVENT_TYPES_BY_CODE: Final = _index(EVENT_TYPES)


def get_event_type(code: str) -> EventType:
    """The event type with this exact code; :class:`UnknownEventType` (a ``KeyError``) otherwise."""
    if isinstance(code, str) and code in _EVENT_TYPES_BY_CODE:
        return _EVENT_TYPES_BY_CODE[code]
    raise UnknownEventType(code)


def is_event_type(code: object) -> bool:
    return isinstance(code, str) and code in _EVENT_TYPES_BY_CODE


def event_type_choices(lang: str = "id") -> list[tuple[str, str]]:
    return choices(EVENT_TYPES, lang)
