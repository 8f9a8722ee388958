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

from waspada.taxonomy._base import (
    LANGUAGES,
    CodeEntry,
    UnknownCode,
    choices,
)
from waspada.taxonomy.codelists import (
    ACLED_DISORDER_TYPES,
    ACLED_INTER_TYPES,
    ACLED_SUB_EVENT_TYPES,
    SNPK_CATEGORIES,
    THREAT_DOMAINS,
    AcledInterType,
    SnpkCategory,
    ThreatDomain,
    get_threat_domain,
    snpk_category_choices,
    threat_domain_choices,
)
from waspada.taxonomy.events import (
    EVENT_TYPES,
    EventType,
    UnknownEventType,
    event_type_choices,
    get_event_type,
    is_event_type,
)
from waspada.taxonomy.scales import (
    ACTOR_TYPES,
    CHANNELS,
    DEFAULT_SOURCE_RELIABILITY,
    GEO_PRECISION,
    IMPACT_FIELDS,
    SOURCE_RELIABILITY,
    TIME_PRECISION,
    URGENCY,
    ActorType,
    Channel,
    GeoPrecision,
    ImpactField,
    SourceReliability,
    TimePrecision,
    Urgency,
    acled_geo_precision,
    acled_inter_for,
    acled_interaction,
    actor_type_choices,
    channel_choices,
    geo_precision_choices,
    geo_precision_for_region_level,
    get_actor_type,
    get_channel,
    get_source_reliability,
    get_urgency,
    impact_field_choices,
    source_reliability_choices,
    time_precision_choices,
    urgency_choices,
    urgency_for_severity,
)

__all__ = [
    "ACLED_DISORDER_TYPES",
    "ACLED_INTER_TYPES",
    "ACLED_SUB_EVENT_TYPES",
    "ACTOR_TYPES",
    "AcledInterType",
    "ActorType",
    "CHANNELS",
    "Channel",
    "CodeEntry",
    "DEFAULT_SOURCE_RELIABILITY",
    "EVENT_TYPES",
    "EventType",
    "GEO_PRECISION",
    "GeoPrecision",
    "IMPACT_FIELDS",
    "ImpactField",
    "LANGUAGES",
    "SNPK_CATEGORIES",
    "SOURCE_RELIABILITY",
    "SnpkCategory",
    "SourceReliability",
    "THREAT_DOMAINS",
    "TIME_PRECISION",
    "ThreatDomain",
    "TimePrecision",
    "URGENCY",
    "UnknownCode",
    "UnknownEventType",
    "Urgency",
    "acled_geo_precision",
    "acled_inter_for",
    "acled_interaction",
    "actor_type_choices",
    "channel_choices",
    "choices",
    "event_type_choices",
    "geo_precision_choices",
    "geo_precision_for_region_level",
    "get_actor_type",
    "get_channel",
    "get_event_type",
    "get_source_reliability",
    "get_threat_domain",
    "get_urgency",
    "impact_field_choices",
    "is_event_type",
    "snpk_category_choices",
    "source_reliability_choices",
    "threat_domain_choices",
    "time_precision_choices",
    "urgency_choices",
    "urgency_for_severity",
]
