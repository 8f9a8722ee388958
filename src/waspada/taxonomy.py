"""The one code list of Waspada: event types, threat domains, actors, precision and other scales.

Pure Python, no Django. Reports, news analysis, alerts and exports all import their codes from here,
so a code means the same thing everywhere. Codes are stable identifiers (stored in the database and
sent over the API); labels may be reworded freely. ``docs/taxonomy.md`` is generated from this module
(``python -m waspada.taxonomy_docs > docs/taxonomy.md``) and a test keeps it up to date.

Mapping notes:

* Every event type maps to one ACLED event type / sub-event type pair (ACLED codebook: 6 event types,
  25 sub-event types) and one SNPK conflict category. The mapping is a default for export; an analyst
  may code an individual incident differently.
* ACLED does not record threats, online speech or vote buying. Those event types (``intimidation``,
  ``hate_speech_hoax_sara``, ``money_politics``, ``result_rejection_dispute``) map to the nearest
  neighbour, "Strategic developments" / "Other", so that exports stay complete; filter on the
  sub-event type to drop them from a strict ACLED file.
* Intimidation is one event type whatever its target (voters, witnesses, KPU/Bawaslu staff, candidates):
  the target is recorded as the second actor (``civilians``, ``kpu_staff``, ``bawaslu``,
  ``candidate_team``), which keeps the list short for field reporters and still lets analysts count
  intimidation of election staff separately.
* ``is_violent`` means physical force against people or property, or taking away someone's freedom
  (SNPK's definition of violence; ACLED's political violence plus property destruction).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Final, TypeVar

LANGUAGES: Final = ("id", "en")


def _normalise_lang(lang: str) -> str:
    """Accept "id", "en" and Django-style variants such as "en-us" or "id_ID"."""
    base = lang.strip().lower().replace("_", "-").split("-")[0]
    if base not in LANGUAGES:
        raise ValueError(f"Unsupported language {lang!r}; use one of {', '.join(LANGUAGES)}")
    return base


@dataclass(frozen=True, slots=True)
class CodeEntry:
    """A code with its Indonesian and English labels; the base of every list in this module."""

    code: str
    label_id: str
    label_en: str

    def label(self, lang: str = "id") -> str:
        return self.label_id if _normalise_lang(lang) == "id" else self.label_en


_E = TypeVar("_E", bound=CodeEntry)


class UnknownCode(KeyError):
    """A code that is not in one of the lists; the message is in Bahasa Indonesia."""

    def __init__(self, code: object, list_name_id: str, valid: Iterable[str]) -> None:
        self.code = code
        self.valid = tuple(valid)
        self.message = f"{list_name_id} tidak dikenal: {code!r}. Kode yang berlaku: {', '.join(self.valid)}."
        super().__init__(self.message)

    def __str__(self) -> str:
        return self.message


class UnknownEventType(UnknownCode):
    """Raised by :func:`get_event_type` for a code that is not an event type."""

    def __init__(self, code: object) -> None:
        super().__init__(code, "Jenis kejadian", (e.code for e in EVENT_TYPES))


def choices(entries: Iterable[CodeEntry], lang: str = "id") -> list[tuple[str, str]]:
    """(code, label) pairs for a Django ``choices=`` argument, in list order."""
    lang = _normalise_lang(lang)
    return [(e.code, e.label(lang)) for e in entries]


def _index(entries: Sequence[_E]) -> dict[str, _E]:
    index = {e.code: e for e in entries}
    if len(index) != len(entries):
        raise ValueError("duplicate codes in a taxonomy list")
    return index


def _lookup(index: dict[str, _E], code: object, list_name_id: str) -> _E:
    if isinstance(code, str) and code in index:
        return index[code]
    raise UnknownCode(code, list_name_id, index)


# --------------------------------------------------------------------------------------------------
# External code lists: ACLED and SNPK
# --------------------------------------------------------------------------------------------------

#: ACLED event types and their sub-event types, in the codebook's hierarchy order.
ACLED_SUB_EVENT_TYPES: Final[dict[str, tuple[str, ...]]] = {
    "Battles": ("Government regains territory", "Non-state actor overtakes territory", "Armed clash"),
    "Protests": ("Excessive force against protesters", "Protest with intervention", "Peaceful protest"),
    "Riots": ("Violent demonstration", "Mob violence"),
    "Explosions/Remote violence": (
        "Chemical weapon",
        "Air/drone strike",
        "Suicide bomb",
        "Shelling/artillery/missile attack",
        "Remote explosive/landmine/IED",
        "Grenade",
    ),
    "Violence against civilians": ("Sexual violence", "Attack", "Abduction/forced disappearance"),
    "Strategic developments": (
        "Agreement",
        "Arrests",
        "Change to group/activity",
        "Disrupted weapons use",
        "Headquarters or base established",
        "Looting/property destruction",
        "Non-violent transfer of territory",
        "Other",
    ),
}

#: ACLED ``disorder_type`` for the sub-event types that differ from their event type's usual one.
_DISORDER_EXCEPTIONS: Final = {
    "Excessive force against protesters": "Political violence; Demonstrations",
    "Protest with intervention": "Demonstrations",
    "Peaceful protest": "Demonstrations",
    "Violent demonstration": "Demonstrations",
    "Mob violence": "Political violence",
}
_DISORDER_BY_EVENT_TYPE: Final = {
    "Battles": "Political violence",
    "Explosions/Remote violence": "Political violence",
    "Violence against civilians": "Political violence",
    "Strategic developments": "Strategic developments",
}

#: ACLED ``disorder_type`` of each sub-event type.
ACLED_DISORDER_TYPES: Final[dict[str, str]] = {
    sub: _DISORDER_EXCEPTIONS.get(sub) or _DISORDER_BY_EVENT_TYPE[event_type]
    for event_type, subs in ACLED_SUB_EVENT_TYPES.items()
    for sub in subs
}


@dataclass(frozen=True, slots=True)
class AcledInterType:
    """An ACLED actor type ("inter" code 1–8)."""

    inter: int
    label_en: str
    label_id: str


ACLED_INTER_TYPES: Final = (
    AcledInterType(1, "State forces", "Aparat negara"),
    AcledInterType(2, "Rebel groups", "Kelompok pemberontak"),
    AcledInterType(3, "Political militias", "Milisi politik"),
    AcledInterType(4, "Identity militias", "Milisi identitas (komunal, etnis, klan)"),
    AcledInterType(5, "Rioters", "Perusuh"),
    AcledInterType(6, "Protesters", "Pengunjuk rasa"),
    AcledInterType(7, "Civilians", "Warga sipil"),
    AcledInterType(8, "External/other forces", "Pihak luar/lainnya"),
)


@dataclass(frozen=True, slots=True)
class SnpkCategory(CodeEntry):
    """An SNPK conflict category; the code is the category name as SNPK writes it, in lower case."""


SNPK_CATEGORIES: Final = (
    SnpkCategory("sumber daya", "Sumber daya", "Resources"),
    SnpkCategory("tata kelola pemerintahan", "Tata kelola pemerintahan", "Governance"),
    SnpkCategory("pemilihan dan jabatan", "Pemilihan dan jabatan", "Elections and appointments"),
    SnpkCategory("identitas", "Identitas", "Identity"),
    SnpkCategory("main hakim sendiri", "Main hakim sendiri", "Vigilantism (popular justice)"),
    SnpkCategory("separatisme", "Separatisme", "Separatism"),
    SnpkCategory("lainnya", "Lainnya", "Other (outside the six conflict categories)"),
)


def snpk_category_choices(lang: str = "id") -> list[tuple[str, str]]:
    return choices(SNPK_CATEGORIES, lang)


# --------------------------------------------------------------------------------------------------
# Threat domains (ATHG across ipoleksosbudhankam)
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ThreatDomain(CodeEntry):
    """One domain of ipoleksosbudhankam, the fields in which ATHG threats are assessed."""


THREAT_DOMAINS: Final = (
    ThreatDomain("ideologi", "Ideologi", "Ideology"),
    ThreatDomain("politik", "Politik", "Politics"),
    ThreatDomain("ekonomi", "Ekonomi", "Economy"),
    ThreatDomain("sosial", "Sosial", "Social"),
    ThreatDomain("budaya", "Budaya", "Culture"),
    ThreatDomain("hankam", "Pertahanan dan keamanan", "Defence and security"),
)
_THREAT_DOMAINS_BY_CODE: Final = _index(THREAT_DOMAINS)


def threat_domain_choices(lang: str = "id") -> list[tuple[str, str]]:
    return choices(THREAT_DOMAINS, lang)


def get_threat_domain(code: str) -> ThreatDomain:
    return _lookup(_THREAT_DOMAINS_BY_CODE, code, "Bidang ancaman")


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


# --------------------------------------------------------------------------------------------------
# Actor types
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ActorType(CodeEntry):
    """A kind of actor. ``acled_inter`` is the ACLED actor type when the actor acts outside a
    demonstration; see :func:`acled_inter_for` for the type within a given event.
    ``takes_paslon_number`` says whether the actor is tied to one numbered candidate pair."""

    acled_inter: int
    takes_paslon_number: bool


ACTOR_TYPES: Final = (
    ActorType("paslon_supporters", "Pendukung paslon", "Supporters of a candidate pair", 3, True),
    ActorType("candidate_team", "Tim pemenangan / tim kampanye paslon", "Candidate campaign team", 3, True),
    ActorType(
        "kpu_staff", "Petugas KPU/PPK/PPS/KPPS", "Election commission staff (KPU/PPK/PPS/KPPS)", 7, False
    ),
    ActorType(
        "bawaslu", "Bawaslu / Panwascam / pengawas TPS", "Election supervisory body (Bawaslu)", 7, False
    ),
    ActorType("police", "Polri", "Police", 1, False),
    ActorType("military", "TNI", "Military", 1, False),
    ActorType("government", "Pemerintah daerah / pejabat", "Government officials", 1, False),
    ActorType("ormas", "Organisasi kemasyarakatan (ormas)", "Mass organisation (ormas)", 3, False),
    ActorType("adat_group", "Kelompok adat", "Customary (adat) community group", 4, False),
    ActorType("religious_group", "Kelompok keagamaan", "Religious group", 4, False),
    ActorType("civilians", "Warga / pemilih", "Civilians / voters", 7, False),
    ActorType("unknown", "Tidak diketahui", "Unknown", 3, False),
)
_ACTOR_TYPES_BY_CODE: Final = _index(ACTOR_TYPES)
_STATE_INTER: Final = 1


def actor_type_choices(lang: str = "id") -> list[tuple[str, str]]:
    return choices(ACTOR_TYPES, lang)


def get_actor_type(code: str) -> ActorType:
    return _lookup(_ACTOR_TYPES_BY_CODE, code, "Jenis aktor")


def acled_inter_for(actor_code: str, event_type_code: str, *, target: bool = False) -> int:
    """The ACLED "inter" code of an actor in an event, following ACLED's role-based actor typing.

    State actors (police, military, government) stay state forces (1). Other actors are protesters (6)
    in a protest event and rioters (5) in a riot event; the victim (``target=True``) of violence against
    civilians is a civilian (7). Otherwise the actor type's default applies ("unknown" follows ACLED's
    "Unidentified Armed Group", a political militia).
    """
    actor = get_actor_type(actor_code)
    event = get_event_type(event_type_code)
    if actor.acled_inter == _STATE_INTER:
        return _STATE_INTER
    if target and event.acled_event_type == _VAC:
        return 7
    if event.acled_event_type == _PROTESTS:
        return 6
    if event.acled_event_type == _RIOTS:
        return 5
    return actor.acled_inter


def acled_interaction(inter1: int, inter2: int | None = None) -> int:
    """ACLED's numeric interaction code: the two inter codes, lower first (17 = state forces–civilians);
    a sole actor gives ``inter1 * 10`` (60 = protesters alone)."""
    valid = {t.inter for t in ACLED_INTER_TYPES}
    for value in (inter1, inter2):
        if value is not None and value not in valid:
            raise ValueError(f"Invalid ACLED inter code {value!r}; expected 1-8")
    if inter2 is None:
        return inter1 * 10
    low, high = sorted((inter1, inter2))
    return low * 10 + high


# --------------------------------------------------------------------------------------------------
# Precision scales
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class GeoPrecision(CodeEntry):
    """How precisely the place of an event is known; ``value`` is stored (1 = desa … 4 = provinsi)."""

    value: int
    acled: int


GEO_PRECISION: Final = (
    GeoPrecision("desa", "Desa/kelurahan", "Village", 1, 1),
    GeoPrecision("kecamatan", "Kecamatan", "Subdistrict", 2, 2),
    GeoPrecision("kabupaten", "Kabupaten/kota", "Regency/city", 3, 3),
    GeoPrecision("provinsi", "Provinsi", "Province", 4, 3),
)

_GEO_ALIASES: Final = {
    "desa": "desa",
    "kelurahan": "desa",
    "village": "desa",
    "kecamatan": "kecamatan",
    "distrik": "kecamatan",
    "district": "kecamatan",
    "subdistrict": "kecamatan",
    "kabupaten": "kabupaten",
    "kota": "kabupaten",
    "kabupaten/kota": "kabupaten",
    "regency": "kabupaten",
    "city": "kabupaten",
    "provinsi": "provinsi",
    "province": "provinsi",
}
_GEO_BY_CODE: Final = _index(GEO_PRECISION)


def geo_precision_choices(lang: str = "id") -> list[tuple[int, str]]:
    """(value, label) pairs: geo precision is stored as its integer value."""
    lang = _normalise_lang(lang)
    return [(g.value, g.label(lang)) for g in GEO_PRECISION]


def acled_geo_precision(level_name: str) -> int:
    """ACLED ``geo_precision`` (1–3) for a level name: desa 1, kecamatan 2, kabupaten/kota and provinsi 3.

    Accepts Indonesian and English names in any case ("Kelurahan", "kota", "district", "province")."""
    key = level_name.strip().lower() if isinstance(level_name, str) else ""
    if key not in _GEO_ALIASES:
        raise ValueError(
            f"Tingkat wilayah tidak dikenal: {level_name!r}. Gunakan desa, kelurahan, kecamatan, kabupaten, "
            "kota atau provinsi."
        )
    return _GEO_BY_CODE[_GEO_ALIASES[key]].acled


def geo_precision_for_region_level(level: int) -> int:
    """Geo precision value of a place known to a region of the given level (1 provinsi … 4 desa).

    The region hierarchy counts down from the province; geo precision counts up from the village."""
    if level not in (1, 2, 3, 4):
        raise ValueError(f"Invalid region level {level!r}; expected 1 (provinsi) to 4 (desa)")
    return 5 - level


@dataclass(frozen=True, slots=True)
class TimePrecision(CodeEntry):
    """How precisely the date of an event is known; ``value`` equals ACLED's ``time_precision``."""

    value: int


TIME_PRECISION: Final = (
    TimePrecision("day", "Tanggal pasti", "Exact day", 1),
    TimePrecision("week", "Dalam minggu yang sama", "Within a week", 2),
    TimePrecision("month", "Dalam bulan yang sama", "Within a month", 3),
)


def time_precision_choices(lang: str = "id") -> list[tuple[int, str]]:
    """(value, label) pairs: time precision is stored as its integer value, as in ACLED."""
    lang = _normalise_lang(lang)
    return [(t.value, t.label(lang)) for t in TIME_PRECISION]


# --------------------------------------------------------------------------------------------------
# Urgency, source reliability, impact, channels
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Urgency(CodeEntry):
    """How fast a report needs attention; ``rank`` orders the levels (1 = lowest)."""

    rank: int


URGENCY: Final = (
    Urgency("rendah", "Rendah", "Low", 1),
    Urgency("sedang", "Sedang", "Medium", 2),
    Urgency("tinggi", "Tinggi", "High", 3),
    Urgency("darurat", "Darurat", "Emergency", 4),
)
_URGENCY_BY_CODE: Final = _index(URGENCY)
_URGENCY_BY_SEVERITY: Final = {1: "rendah", 2: "rendah", 3: "sedang", 4: "tinggi", 5: "darurat"}


def urgency_choices(lang: str = "id") -> list[tuple[str, str]]:
    return choices(URGENCY, lang)


def get_urgency(code: str) -> Urgency:
    return _lookup(_URGENCY_BY_CODE, code, "Tingkat urgensi")


def urgency_for_severity(severity: int) -> Urgency:
    """Default urgency of a new report from its event type's severity (1–2 rendah … 5 darurat)."""
    if severity not in _URGENCY_BY_SEVERITY:
        raise ValueError(f"Invalid severity {severity!r}; expected 1-5")
    return _URGENCY_BY_CODE[_URGENCY_BY_SEVERITY[severity]]


@dataclass(frozen=True, slots=True)
class SourceReliability(CodeEntry):
    """How far the source of a report can be trusted, judged on the source and not on the content.

    A simple four-level scale for field use; ``admiralty`` gives the nearest letter of the NATO
    Admiralty (A–F) source-reliability scale for analysts who use it."""

    admiralty: str
    description_id: str
    description_en: str


SOURCE_RELIABILITY: Final = (
    SourceReliability(
        "terpercaya",
        "Terpercaya",
        "Reliable",
        "B",
        "Anggota FKDM atau Tim Kewaspadaan Dini terdaftar, instansi resmi, atau media dengan rekam jejak baik.",
        "A registered FKDM or early-warning team member, an official body, or a media outlet with a good record.",
    ),
    SourceReliability(
        "cukup",
        "Cukup terpercaya",
        "Fairly reliable",
        "C",
        "Sumber dikenal yang laporannya kadang benar, tetapi belum bisa dipastikan tanpa konfirmasi.",
        "A known source whose reports are sometimes right but cannot be relied on without confirmation.",
    ),
    SourceReliability(
        "diragukan",
        "Diragukan",
        "Doubtful",
        "D",
        "Sumber yang pernah menyampaikan laporan keliru atau hoaks.",
        "A source that has passed on false reports or hoaxes before.",
    ),
    SourceReliability(
        "belum_diketahui",
        "Belum diketahui",
        "Not yet known",
        "F",
        "Pengirim anonim atau belum terdaftar; keandalannya belum bisa dinilai. Nilai bawaan.",
        "An anonymous or unregistered sender whose reliability cannot yet be judged. The default.",
    ),
)
_SOURCE_RELIABILITY_BY_CODE: Final = _index(SOURCE_RELIABILITY)
DEFAULT_SOURCE_RELIABILITY: Final = "belum_diketahui"


def source_reliability_choices(lang: str = "id") -> list[tuple[str, str]]:
    return choices(SOURCE_RELIABILITY, lang)


def get_source_reliability(code: str) -> SourceReliability:
    return _lookup(_SOURCE_RELIABILITY_BY_CODE, code, "Keandalan sumber")


@dataclass(frozen=True, slots=True)
class ImpactField(CodeEntry):
    """A counted consequence of an incident; ``acled_column`` names the ACLED column, if any."""

    acled_column: str | None


IMPACT_FIELDS: Final = (
    ImpactField("killed", "Tewas", "Killed", "fatalities"),
    ImpactField("injured", "Luka-luka", "Injured", None),
    ImpactField("buildings_damaged", "Bangunan rusak", "Buildings damaged", None),
    ImpactField("displaced", "Mengungsi", "Displaced", None),
)


def impact_field_choices(lang: str = "id") -> list[tuple[str, str]]:
    return choices(IMPACT_FIELDS, lang)


@dataclass(frozen=True, slots=True)
class Channel(CodeEntry):
    """How a report reached Waspada; ``is_message`` marks text-message channels that get a reply."""

    is_message: bool


CHANNELS: Final = (
    Channel("web", "Formulir web", "Web form", False),
    Channel("sms", "SMS", "SMS", True),
    Channel("telegram", "Telegram", "Telegram", True),
    Channel("whatsapp", "WhatsApp", "WhatsApp", True),
    Channel("api", "API", "API", False),
    Channel("import", "Impor berkas (CSV/XLSX)", "File import (CSV/XLSX)", False),
    Channel("media", "Pemantauan media", "Media monitoring", False),
)
_CHANNELS_BY_CODE: Final = _index(CHANNELS)


def channel_choices(lang: str = "id") -> list[tuple[str, str]]:
    return choices(CHANNELS, lang)


def get_channel(code: str) -> Channel:
    return _lookup(_CHANNELS_BY_CODE, code, "Saluran")
