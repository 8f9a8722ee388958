"""Behaviour of the one code list (waspada.taxonomy) and its generated docs. No Django needed."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from waspada import taxonomy as tx
from waspada.taxonomy_docs import REGENERATE_COMMAND, render_taxonomy_markdown

DOCS_FILE = Path(__file__).resolve().parents[1] / "docs" / "taxonomy.md"
SNAKE_CASE = re.compile(r"^[a-z][a-z0-9]*(_[a-z0-9]+)*$")

# The official ACLED list, written out here independently of the module: 6 event types, 25 sub-event types.
ACLED_OFFICIAL: dict[str, set[str]] = {
    "Battles": {"Government regains territory", "Non-state actor overtakes territory", "Armed clash"},
    "Protests": {"Excessive force against protesters", "Protest with intervention", "Peaceful protest"},
    "Riots": {"Violent demonstration", "Mob violence"},
    "Explosions/Remote violence": {
        "Chemical weapon",
        "Air/drone strike",
        "Suicide bomb",
        "Shelling/artillery/missile attack",
        "Remote explosive/landmine/IED",
        "Grenade",
    },
    "Violence against civilians": {"Sexual violence", "Attack", "Abduction/forced disappearance"},
    "Strategic developments": {
        "Agreement",
        "Arrests",
        "Change to group/activity",
        "Disrupted weapons use",
        "Headquarters or base established",
        "Looting/property destruction",
        "Non-violent transfer of territory",
        "Other",
    },
}

SNPK_OFFICIAL = {
    "sumber daya",
    "tata kelola pemerintahan",
    "pemilihan dan jabatan",
    "identitas",
    "main hakim sendiri",
    "separatisme",
    "lainnya",
}

# DESIGN.md §2 "Event taxonomy": every concept it requires, and the code that covers it.
REQUIRED_CONCEPTS: dict[str, str] = {
    "peaceful protest": "peaceful_protest",
    "protest with intervention": "protest_with_intervention",
    "riot / anarchic demonstration": "riot",
    "clash between supporter groups": "supporter_clash",
    "violence against civilians": "violence_civilians",
    "violence against election officials": "violence_election_officials",
    "intimidation and threats (voters, witnesses, KPU/Bawaslu staff)": "intimidation",
    "property destruction (KPU/Bawaslu offices, ballot boxes)": "property_destruction",
    "arson": "arson",
    "hate speech / hoax / SARA incitement": "hate_speech_hoax_sara",
    "money politics": "money_politics",
    "rejection of results and electoral disputes (incl. MK filings)": "result_rejection_dispute",
    "mass mobilisation": "mass_mobilisation",
    "blockade": "blockade",
    "security deployment": "security_deployment",
    "peace agreements or declarations": "peace_agreement",
}

ALL_LISTS: dict[str, tuple[tx.CodeEntry, ...]] = {
    "EVENT_TYPES": tx.EVENT_TYPES,
    "THREAT_DOMAINS": tx.THREAT_DOMAINS,
    "ACTOR_TYPES": tx.ACTOR_TYPES,
    "GEO_PRECISION": tx.GEO_PRECISION,
    "TIME_PRECISION": tx.TIME_PRECISION,
    "URGENCY": tx.URGENCY,
    "SOURCE_RELIABILITY": tx.SOURCE_RELIABILITY,
    "IMPACT_FIELDS": tx.IMPACT_FIELDS,
    "CHANNELS": tx.CHANNELS,
    "SNPK_CATEGORIES": tx.SNPK_CATEGORIES,
}


def event(code: str) -> tx.EventType:
    return tx.get_event_type(code)


# --- coverage of the design -----------------------------------------------------------------------


@pytest.mark.parametrize(("concept", "code"), sorted(REQUIRED_CONCEPTS.items()))
def test_every_design_concept_has_an_event_type(concept: str, code: str) -> None:
    assert tx.is_event_type(code), f"DESIGN §2 concept {concept!r} needs event type {code!r}"


def test_intimidation_targets_can_be_told_apart_through_actor_types() -> None:
    targets = {"civilians", "kpu_staff", "bawaslu", "candidate_team"}
    assert targets <= {a.code for a in tx.ACTOR_TYPES}
    assert "pemilih" in event("intimidation").definition_id
    assert "KPU/Bawaslu" in event("intimidation").definition_id


def test_mk_filings_and_ballot_boxes_are_named_in_the_definitions() -> None:
    assert "Mahkamah Konstitusi" in event("result_rejection_dispute").definition_id
    assert "kotak suara" in event("property_destruction").definition_id
    assert "KPU/Bawaslu" in event("arson").definition_id


def test_design_threat_domains_and_channels_and_impacts_are_all_there() -> None:
    assert [d.code for d in tx.THREAT_DOMAINS] == [
        "ideologi",
        "politik",
        "ekonomi",
        "sosial",
        "budaya",
        "hankam",
    ]
    assert {c.code for c in tx.CHANNELS} == {"web", "sms", "telegram", "whatsapp", "api", "import", "media"}
    assert [f.code for f in tx.IMPACT_FIELDS] == ["killed", "injured", "buildings_damaged", "displaced"]
    assert [u.code for u in tx.URGENCY] == ["rendah", "sedang", "tinggi", "darurat"]


def test_actor_types_cover_the_issue_list() -> None:
    expected = {
        "paslon_supporters",
        "kpu_staff",
        "bawaslu",
        "police",
        "military",
        "ormas",
        "adat_group",
        "religious_group",
        "candidate_team",
        "civilians",
        "government",
        "unknown",
    }
    assert {a.code for a in tx.ACTOR_TYPES} == expected


# --- shape of every list --------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(ALL_LISTS))
def test_codes_are_unique_and_labels_non_empty_in_both_languages(name: str) -> None:
    entries = ALL_LISTS[name]
    codes = [e.code for e in entries]
    assert entries, name
    assert len(codes) == len(set(codes)), f"duplicate code in {name}"
    for entry in entries:
        assert entry.label_id.strip() and entry.label_en.strip(), f"{name}.{entry.code} lacks a label"
        assert entry.label("id") == entry.label_id
        assert entry.label("en") == entry.label_en


@pytest.mark.parametrize(
    "name",
    [
        "EVENT_TYPES",
        "THREAT_DOMAINS",
        "ACTOR_TYPES",
        "URGENCY",
        "SOURCE_RELIABILITY",
        "IMPACT_FIELDS",
        "CHANNELS",
    ],
)
def test_codes_are_snake_case(name: str) -> None:
    for entry in ALL_LISTS[name]:
        assert SNAKE_CASE.match(entry.code), f"{name}: {entry.code!r} is not snake_case"


def test_event_types_have_definitions_in_both_languages_and_keywords() -> None:
    for e in tx.EVENT_TYPES:
        assert len(e.definition_id) > 40 and len(e.definition_en) > 40, e.code
        assert e.definition("id") == e.definition_id and e.definition("en-us") == e.definition_en
        assert e.keywords_id, e.code
        assert all(k == k.strip().lower() and k for k in e.keywords_id), e.code


def test_no_keyword_points_at_two_event_types() -> None:
    seen: dict[str, str] = {}
    for e in tx.EVENT_TYPES:
        for keyword in e.keywords_id:
            assert keyword not in seen, f"{keyword!r} is a hint for both {seen[keyword]} and {e.code}"
            seen[keyword] = e.code


def test_event_types_use_valid_domains_and_severities() -> None:
    domains = {d.code for d in tx.THREAT_DOMAINS}
    for e in tx.EVENT_TYPES:
        assert e.default_domain in domains, e.code
        assert e.severity in {1, 2, 3, 4, 5}, e.code
        assert isinstance(e.is_violent, bool)


def test_entries_are_immutable() -> None:
    with pytest.raises(AttributeError):
        event("riot").severity = 1  # type: ignore[misc]


# --- ACLED and SNPK mappings -----------------------------------------------------------------------


def test_official_acled_list_has_6_event_types_and_25_sub_event_types() -> None:
    assert len(ACLED_OFFICIAL) == 6
    assert sum(len(subs) for subs in ACLED_OFFICIAL.values()) == 25
    assert {k: set(v) for k, v in tx.ACLED_SUB_EVENT_TYPES.items()} == ACLED_OFFICIAL


@pytest.mark.parametrize("code", [e.code for e in tx.EVENT_TYPES])
def test_every_event_type_maps_to_a_valid_acled_pair(code: str) -> None:
    e = event(code)
    assert e.acled_event_type in ACLED_OFFICIAL, f"{code}: {e.acled_event_type!r} is not an ACLED event type"
    assert e.acled_sub_event_type in ACLED_OFFICIAL[e.acled_event_type], (
        f"{code}: {e.acled_sub_event_type!r} is not a sub-event type of {e.acled_event_type!r}"
    )
    assert e.acled_disorder_type in {
        "Political violence",
        "Demonstrations",
        "Strategic developments",
        "Political violence; Demonstrations",
    }


@pytest.mark.parametrize("code", [e.code for e in tx.EVENT_TYPES])
def test_every_snpk_category_is_valid(code: str) -> None:
    assert event(code).snpk_category in SNPK_OFFICIAL
    assert {s.code for s in tx.SNPK_CATEGORIES} == SNPK_OFFICIAL


def test_election_events_are_mostly_pemilihan_dan_jabatan() -> None:
    categories = [e.snpk_category for e in tx.EVENT_TYPES]
    assert categories.count("pemilihan dan jabatan") > len(categories) / 2
    assert event("hate_speech_hoax_sara").snpk_category == "identitas"
    assert event("mob_justice").snpk_category == "main hakim sendiri"


def test_peace_agreement_is_a_non_violent_strategic_development() -> None:
    peace = event("peace_agreement")
    assert peace.is_violent is False
    assert (peace.acled_event_type, peace.acled_sub_event_type) == ("Strategic developments", "Agreement")
    assert peace.acled_disorder_type == "Strategic developments"
    assert peace.severity == 1


def test_violence_flags_follow_the_acled_family() -> None:
    for e in tx.EVENT_TYPES:
        if e.acled_event_type in {
            "Riots",
            "Violence against civilians",
            "Battles",
            "Explosions/Remote violence",
        }:
            assert e.is_violent, e.code
    assert event("peaceful_protest").is_violent is False
    assert event("intimidation").is_violent is False
    assert event("arson").is_violent and event("property_destruction").is_violent


def test_violence_against_officials_is_the_most_severe() -> None:
    assert event("violence_election_officials").severity == max(e.severity for e in tx.EVENT_TYPES)
    assert event("violence_election_officials").severity > event("peaceful_protest").severity


# --- lookups and choices ---------------------------------------------------------------------------


def test_unknown_event_type_raises_a_key_error_with_an_indonesian_message() -> None:
    with pytest.raises(tx.UnknownEventType) as info:
        tx.get_event_type("perang_dunia")
    assert isinstance(info.value, KeyError)
    message = str(info.value)
    assert message.startswith("Jenis kejadian tidak dikenal: 'perang_dunia'.")
    assert "Kode yang berlaku:" in message
    for e in tx.EVENT_TYPES:
        assert e.code in message
    assert info.value.code == "perang_dunia"


@pytest.mark.parametrize("bad", ["", "Riot", " riot", None, 3])
def test_lookup_is_exact(bad: object) -> None:
    assert tx.is_event_type(bad) is False
    with pytest.raises(KeyError):
        tx.get_event_type(bad)  # type: ignore[arg-type]


def test_other_lists_raise_indonesian_errors_too() -> None:
    with pytest.raises(tx.UnknownCode, match="Jenis aktor tidak dikenal"):
        tx.get_actor_type("alien")
    with pytest.raises(KeyError, match="Saluran tidak dikenal"):
        tx.get_channel("pigeon")
    assert tx.get_threat_domain("hankam").label_en == "Defence and security"
    assert tx.get_urgency("darurat").rank == 4
    assert tx.get_source_reliability("belum_diketahui").admiralty == "F"


def test_event_type_choices_follow_the_list_in_either_language() -> None:
    choices_id = tx.event_type_choices()
    choices_en = tx.event_type_choices("en")
    assert [c for c, _ in choices_id] == [e.code for e in tx.EVENT_TYPES] == [c for c, _ in choices_en]
    assert ("peace_agreement", "Kesepakatan atau deklarasi damai") in choices_id
    assert ("peace_agreement", "Peace agreement or declaration") in choices_en
    assert tx.event_type_choices("id-ID") == choices_id


def test_every_list_has_a_choices_helper() -> None:
    assert [c for c, _ in tx.threat_domain_choices("en")] == [d.code for d in tx.THREAT_DOMAINS]
    assert len(tx.actor_type_choices()) == len(tx.ACTOR_TYPES)
    assert tx.urgency_choices()[0] == ("rendah", "Rendah")
    assert len(tx.source_reliability_choices()) == len(tx.SOURCE_RELIABILITY)
    assert tx.impact_field_choices("en")[0] == ("killed", "Killed")
    assert tx.channel_choices()[1] == ("sms", "SMS")
    assert len(tx.snpk_category_choices()) == 7
    assert tx.geo_precision_choices() == [
        (1, "Desa/kelurahan"),
        (2, "Kecamatan"),
        (3, "Kabupaten/kota"),
        (4, "Provinsi"),
    ]
    assert [v for v, _ in tx.time_precision_choices("en")] == [1, 2, 3]


def test_unsupported_language_is_refused() -> None:
    with pytest.raises(ValueError, match="Unsupported language"):
        tx.event_type_choices("fr")


# --- precision and other scales --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("level", "expected"),
    [
        ("desa", 1),
        ("Kelurahan", 1),
        ("kecamatan", 2),
        ("distrik", 2),
        ("kabupaten", 3),
        ("KOTA", 3),
        ("provinsi", 3),
        ("province", 3),
    ],
)
def test_acled_geo_precision_by_level_name(level: str, expected: int) -> None:
    assert tx.acled_geo_precision(level) == expected


def test_acled_geo_precision_refuses_unknown_levels() -> None:
    with pytest.raises(ValueError, match="Tingkat wilayah tidak dikenal"):
        tx.acled_geo_precision("negara")


def test_geo_precision_counts_up_from_the_village() -> None:
    assert {g.code: g.value for g in tx.GEO_PRECISION} == {
        "desa": 1,
        "kecamatan": 2,
        "kabupaten": 3,
        "provinsi": 4,
    }
    assert all(1 <= g.acled <= 3 for g in tx.GEO_PRECISION)
    # Region levels count the other way (1 provinsi ... 4 desa).
    assert [tx.geo_precision_for_region_level(level) for level in (1, 2, 3, 4)] == [4, 3, 2, 1]
    with pytest.raises(ValueError):
        tx.geo_precision_for_region_level(5)


def test_time_precision_matches_acled() -> None:
    assert {t.code: t.value for t in tx.TIME_PRECISION} == {"day": 1, "week": 2, "month": 3}


def test_urgency_follows_severity() -> None:
    ranks = [tx.urgency_for_severity(s).rank for s in range(1, 6)]
    assert ranks == sorted(ranks)
    assert tx.urgency_for_severity(1).code == "rendah"
    assert tx.urgency_for_severity(5).code == "darurat"
    assert tx.urgency_for_severity(event("violence_election_officials").severity).code == "darurat"
    with pytest.raises(ValueError):
        tx.urgency_for_severity(0)


def test_source_reliability_default_is_unknown() -> None:
    assert tx.DEFAULT_SOURCE_RELIABILITY == "belum_diketahui"
    assert tx.SOURCE_RELIABILITY[-1].code == tx.DEFAULT_SOURCE_RELIABILITY
    letters = [s.admiralty for s in tx.SOURCE_RELIABILITY]
    assert letters == sorted(letters) and set(letters) <= set("ABCDEF")


def test_only_killed_maps_to_an_acled_column() -> None:
    assert {f.code: f.acled_column for f in tx.IMPACT_FIELDS if f.acled_column} == {"killed": "fatalities"}


def test_message_channels_are_sms_telegram_whatsapp() -> None:
    assert {c.code for c in tx.CHANNELS if c.is_message} == {"sms", "telegram", "whatsapp"}


# --- ACLED actor types ------------------------------------------------------------------------------


def test_actor_types_map_to_acled_inter_codes() -> None:
    assert [t.inter for t in tx.ACLED_INTER_TYPES] == list(range(1, 9))
    by_code = {a.code: a.acled_inter for a in tx.ACTOR_TYPES}
    assert by_code["police"] == by_code["military"] == 1
    assert by_code["civilians"] == by_code["kpu_staff"] == by_code["bawaslu"] == 7
    assert by_code["adat_group"] == 4
    assert all(1 <= inter <= 8 for inter in by_code.values())
    assert [a.code for a in tx.ACTOR_TYPES if a.takes_paslon_number] == [
        "paslon_supporters",
        "candidate_team",
    ]


def test_acled_inter_depends_on_the_role_in_the_event() -> None:
    assert tx.acled_inter_for("paslon_supporters", "peaceful_protest") == 6
    assert tx.acled_inter_for("paslon_supporters", "supporter_clash") == 5
    assert tx.acled_inter_for("paslon_supporters", "intimidation") == 3
    assert tx.acled_inter_for("police", "riot") == 1
    assert tx.acled_inter_for("candidate_team", "violence_civilians", target=True) == 7
    assert tx.acled_inter_for("kpu_staff", "violence_election_officials", target=True) == 7


def test_acled_interaction_codes() -> None:
    assert tx.acled_interaction(7, 1) == 17
    assert tx.acled_interaction(5, 5) == 55
    assert tx.acled_interaction(6) == 60
    with pytest.raises(ValueError):
        tx.acled_interaction(9, 1)


# --- generated docs ---------------------------------------------------------------------------------


def test_docs_list_every_code_of_every_list() -> None:
    text = render_taxonomy_markdown()
    for name, entries in ALL_LISTS.items():
        for entry in entries:
            assert f"`{entry.code}`" in text, f"{name}.{entry.code} missing from the docs"
    for e in tx.EVENT_TYPES:
        assert e.definition_id in text and f"{e.acled_event_type} / {e.acled_sub_event_type}" in text


def test_docs_file_is_up_to_date() -> None:
    hint = f"docs/taxonomy.md is out of date; regenerate it from the project root with: {REGENERATE_COMMAND}"
    assert DOCS_FILE.exists(), hint
    assert DOCS_FILE.read_text(encoding="utf-8") == render_taxonomy_markdown(), hint


def test_docs_module_runs_as_a_script() -> None:
    src = Path(tx.__file__).resolve().parents[1]
    result = subprocess.run(
        [sys.executable, "-m", "waspada.taxonomy_docs"],
        capture_output=True,
        check=True,
        cwd=src,
    )
    assert result.stdout.decode("utf-8") == render_taxonomy_markdown()
