"""Alert rule evaluation. Pure: plain data in, plain data out; no Django.

A *situation* is what one alert stands for; each has a ``group_key``. One situation raises one alert:
while its alert is open, new evidence joins that alert; within the rule's cooldown nothing new is raised;
and a situation whose evidence is all in an earlier alert is the same situation, not a new one.

Rule kinds (``RuleSpec.kind``) and their parameters (validated by :mod:`waspada.alerts.schemas`):

``incident_count``  ``count`` incidents (of ``event_types``, any when empty) within ``hours`` in a region
``casualties``      an incident with at least ``min_casualties`` killed + injured (one alert per incident)
``urgent_report``   reports of ``urgencies`` from trusted reporters within ``hours``
``category_rise``   a region's index category rose to at least ``to`` between the last two snapshots
``close_contest``   a contest within the Pasal 158 threshold (``max_ratio``) or with an MK filing
``recap_finding``   at least ``min_count`` findings of ``min_severity`` found within ``hours``
``news_spike``      media reports within ``hours`` far above the region's own baseline of ``baseline_days``
``overdue_action``  response actions past their due date by more than ``grace_days``
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date, datetime, timedelta

from waspada.alerts.facts import (
    ActionFact,
    ContestFact,
    Facts,
    FindingFact,
    IncidentFact,
    Outcome,
    Recent,
    ReportFact,
    RuleSpec,
    Situation,
    ancestor,
    covers,
    level_of,
)

CATEGORY_ORDER: dict[str, int] = {"rendah": 0, "sedang": 1, "tinggi": 2}
SEVERITY_RANK: dict[str, int] = {"info": 0, "warning": 1, "error": 2}
MEDIA_CHANNEL = "media"

# The level a kind groups at when the rule names none (None = the fact's own region).
DEFAULT_LEVEL: dict[str, int | None] = {
    "incident_count": None,
    "casualties": None,
    "urgent_report": 3,
    "category_rise": None,
    "close_contest": None,
    "recap_finding": 3,
    "news_spike": 2,
    "overdue_action": 2,
}


def _group_region(rule: RuleSpec, code: str) -> str:
    level = rule.level if rule.level else DEFAULT_LEVEL.get(rule.kind)
    return ancestor(code, level) if level else code


def _int(params: Mapping[str, object], name: str, default: int) -> int:
    value = params.get(name, default)
    try:
        return int(value) if isinstance(value, int | float | str) else default
    except ValueError:
        return default


def _float(params: Mapping[str, object], name: str, default: float) -> float:
    value = params.get(name, default)
    try:
        return float(value) if isinstance(value, int | float | str) else default
    except ValueError:
        return default


def _strings(params: Mapping[str, object], name: str, default: Iterable[str] = ()) -> frozenset[str]:
    value = params.get(name)
    if isinstance(value, list | tuple | set | frozenset):
        return frozenset(str(v) for v in value)
    return frozenset(default)


def _grouped(rule: RuleSpec, items: Iterable[tuple[str, int]]) -> dict[str, list[int]]:
    by_region: dict[str, list[int]] = defaultdict(list)
    for code, ident in items:
        by_region[_group_region(rule, code)].append(ident)
    return by_region


# --- the kinds ---------------------------------------------------------------------------------------------


def incident_count(rule: RuleSpec, incidents: Sequence[IncidentFact], now: datetime) -> list[Situation]:
    """N verified incidents of the given types within T hours in one region (grouped at ``rule.level``)."""
    threshold = _int(rule.params, "count", 3)
    hours = _int(rule.params, "hours", 24)
    types = _strings(rule.params, "event_types")
    since = now - timedelta(hours=hours)
    scope = rule.scope_code
    by_region = _grouped(
        rule,
        (
            (inc.region_code, inc.id)
            for inc in incidents
            if since <= inc.verified_at <= now
            and (not types or inc.event_type in types)
            and covers(scope, inc.region_code)
        ),
    )
    return [
        Situation(
            rule.id,
            region,
            f"r{rule.id}:count:{region}",
            tuple(sorted(ids)),
            f"{len(ids)} kejadian dalam {hours} jam terakhir",
        )
        for region, ids in sorted(by_region.items())
        if len(ids) >= threshold
    ]


def casualties(rule: RuleSpec, incidents: Sequence[IncidentFact], now: datetime) -> list[Situation]:
    """Any incident with deaths or injuries: one situation per incident."""
    minimum = max(1, _int(rule.params, "min_casualties", 1))
    since = now - timedelta(hours=_int(rule.params, "hours", 72))
    return [
        Situation(
            rule.id,
            inc.region_code,
            f"r{rule.id}:casualties:{inc.id}",
            (inc.id,),
            f"{inc.killed} meninggal, {inc.injured} luka-luka",
        )
        for inc in incidents
        if since <= inc.verified_at <= now
        and inc.killed + inc.injured >= minimum
        and covers(rule.scope_code, inc.region_code)
    ]


def urgent_report(rule: RuleSpec, reports: Sequence[ReportFact], now: datetime) -> list[Situation]:
    """Reports marked urgent by trusted reporters; the reports of one region (at the rule's level) within
    the window make one situation."""
    urgencies = _strings(rule.params, "urgencies", ("darurat",))
    since = now - timedelta(hours=_int(rule.params, "hours", 24))
    by_region = _grouped(
        rule,
        (
            (r.region_code, r.id)
            for r in reports
            if r.trusted
            and r.urgency in urgencies
            and since <= r.created_at <= now
            and covers(rule.scope_code, r.region_code)
        ),
    )
    return [
        Situation(
            rule.id,
            region,
            f"r{rule.id}:urgent:{region}",
            tuple(sorted(ids)),
            f"{len(ids)} laporan mendesak dari pelapor terpercaya",
            "reports",
        )
        for region, ids in sorted(by_region.items())
    ]


def category_rise(
    rule: RuleSpec, previous: Mapping[str, str], current: Mapping[str, str], date_label: str
) -> list[Situation]:
    """Regions whose index category rose (to at least ``params['to']``, default tinggi) between two snapshots.
    The key holds the snapshot date: the same rise is one situation however often it is evaluated."""
    floor = CATEGORY_ORDER.get(str(rule.params.get("to", "tinggi")), 2)
    out = []
    for code, cat in sorted(current.items()):
        if not covers(rule.scope_code, code) or (rule.level and level_of(code) != rule.level):
            continue
        now_rank = CATEGORY_ORDER.get(cat, -1)
        before = previous.get(code)
        if before is None or now_rank < floor or now_rank <= CATEGORY_ORDER.get(before, -1):
            continue
        out.append(
            Situation(
                rule.id,
                code,
                f"r{rule.id}:category:{code}:{cat}:{date_label}",
                (),
                f"kategori kerawanan naik dari {before} ke {cat} ({date_label})",
                "category",
                {"from": before, "to": cat, "date": date_label},
            )
        )
    return out


def close_contest(rule: RuleSpec, contests: Sequence[ContestFact]) -> list[Situation]:
    """A contest whose closest loser is within the Pasal 158 threshold (margin / threshold ≤ ``max_ratio``),
    and, when ``include_mk_filings``, a contest with a case at the MK. One situation each, per contest."""
    max_ratio = _float(rule.params, "max_ratio", 1.0)
    with_mk = bool(rule.params.get("include_mk_filings", True))
    out = []
    for c in contests:
        if not covers(rule.scope_code, c.region_code):
            continue
        if c.ratio is not None and c.ratio <= max_ratio:
            text = c.summary or f"selisih dalam ambang Pasal 158 (rasio {c.ratio:.2f})"
            out.append(
                Situation(
                    rule.id,
                    c.region_code,
                    f"r{rule.id}:pasal158:{c.id}",
                    (c.id,),
                    f"{c.label}: {text}",
                    "contests",
                )
            )
        if with_mk and c.mk_case:
            out.append(
                Situation(
                    rule.id,
                    c.region_code,
                    f"r{rule.id}:mk:{c.id}",
                    (c.id,),
                    f"{c.label}: permohonan ke MK ({c.mk_case})",
                    "contests",
                )
            )
    return out


def recap_finding(rule: RuleSpec, findings: Sequence[FindingFact], now: datetime) -> list[Situation]:
    """At least ``min_count`` recapitulation findings of ``min_severity`` (default ``error``) found within
    ``hours`` in one region and one election (grouped at the rule's level, kecamatan by default)."""
    floor = SEVERITY_RANK.get(str(rule.params.get("min_severity", "error")), 2)
    minimum = max(1, _int(rule.params, "min_count", 1))
    since = now - timedelta(hours=_int(rule.params, "hours", 72))
    only = _strings(rule.params, "rules")
    groups: dict[tuple[int, str], list[int]] = defaultdict(list)
    for f in findings:
        if (
            SEVERITY_RANK.get(f.severity, -1) >= floor
            and since <= f.found_at <= now
            and (not only or f.rule in only)
            and f.region_code
            and covers(rule.scope_code, f.region_code)
        ):
            groups[(f.election_id, _group_region(rule, f.region_code))].append(f.id)
    return [
        Situation(
            rule.id,
            region,
            f"r{rule.id}:finding:{election}:{region}",
            tuple(sorted(ids)),
            f"{len(ids)} temuan rekapitulasi berat",
            "findings",
            {"election": election},
        )
        for (election, region), ids in sorted(groups.items())
        if len(ids) >= minimum
    ]


def news_spike(rule: RuleSpec, reports: Sequence[ReportFact], now: datetime) -> list[Situation]:
    """Media reports in the last ``hours`` far above the region's own baseline: at least ``min_count`` and
    at least ``factor`` times what the previous ``baseline_days`` lead one to expect in such a window."""
    hours = _int(rule.params, "hours", 24)
    days = max(1, _int(rule.params, "baseline_days", 28))
    factor = _float(rule.params, "factor", 3.0)
    minimum = max(1, _int(rule.params, "min_count", 5))
    window_start = now - timedelta(hours=hours)
    baseline_start = window_start - timedelta(days=days)
    current: dict[str, list[int]] = defaultdict(list)
    baseline: dict[str, int] = defaultdict(int)
    for r in reports:
        if r.channel != MEDIA_CHANNEL or not covers(rule.scope_code, r.region_code):
            continue
        if window_start <= r.created_at <= now:
            current[_group_region(rule, r.region_code)].append(r.id)
        elif baseline_start <= r.created_at < window_start:
            baseline[_group_region(rule, r.region_code)] += 1
    scale = hours / (days * 24)
    out = []
    for region, ids in sorted(current.items()):
        expected = baseline.get(region, 0) * scale
        if len(ids) >= minimum and len(ids) >= factor * expected:
            out.append(
                Situation(
                    rule.id,
                    region,
                    f"r{rule.id}:news:{region}",
                    tuple(sorted(ids)),
                    f"{len(ids)} berita dalam {hours} jam; biasanya sekitar {expected:.1f}",
                    "reports",
                    {"count": len(ids), "expected": round(expected, 2)},
                )
            )
    return out


def overdue_action(rule: RuleSpec, actions: Sequence[ActionFact], today: date) -> list[Situation]:
    """Unfinished response actions more than ``grace_days`` past their due date, per region."""
    limit = today - timedelta(days=max(0, _int(rule.params, "grace_days", 0)))
    by_region = _grouped(
        rule,
        (
            (a.region_code, a.id)
            for a in actions
            if a.due_date < limit and covers(rule.scope_code, a.region_code)
        ),
    )
    return [
        Situation(
            rule.id,
            region,
            f"r{rule.id}:overdue:{region}",
            tuple(sorted(ids)),
            f"{len(ids)} tindak lanjut melewati tenggat",
            "actions",
        )
        for region, ids in sorted(by_region.items())
    ]


# --- one situation, one alert ------------------------------------------------------------------------------


def suppress(
    situations: Iterable[Situation], recent: Sequence[Recent], cooldown: timedelta, now: datetime
) -> Outcome:
    """Split situations into new ones and ones that grow an open alert; drop the rest.

    A situation with an open alert of its key never raises a second one (new evidence joins it); one whose
    key was raised within the cooldown waits; one whose evidence is all in earlier alerts of its key (or,
    without evidence ids, whose key was ever raised) is the same situation again."""
    prior: dict[str, list[Recent]] = defaultdict(list)
    for r in recent:
        prior[r.group_key].append(r)
    new: list[Situation] = []
    grown: list[Situation] = []
    seen: set[str] = set()
    for s in situations:
        if s.group_key in seen:
            continue
        seen.add(s.group_key)
        earlier = prior.get(s.group_key, [])
        ids = set(s.evidence)
        open_alerts = [r for r in earlier if r.open]
        if open_alerts:
            if ids - set().union(*(r.evidence for r in open_alerts)):
                grown.append(s)
            continue
        if any(now - r.created_at < cooldown for r in earlier):
            continue
        if earlier and ids <= set().union(*(r.evidence for r in earlier)):
            continue
        new.append(s)
    return Outcome(new, grown)


KindFn = Callable[[RuleSpec, Facts, datetime], list[Situation]]

KINDS: dict[str, KindFn] = {
    "incident_count": lambda rule, f, now: incident_count(rule, f.incidents, now),
    "casualties": lambda rule, f, now: casualties(rule, f.incidents, now),
    "urgent_report": lambda rule, f, now: urgent_report(rule, f.reports, now),
    "category_rise": lambda rule, f, now: category_rise(
        rule, f.category_previous, f.category_current, f.category_date
    ),
    "close_contest": lambda rule, f, now: close_contest(rule, f.contests),
    "recap_finding": lambda rule, f, now: recap_finding(rule, f.findings, now),
    "news_spike": lambda rule, f, now: news_spike(rule, f.reports, now),
    "overdue_action": lambda rule, f, now: overdue_action(rule, f.actions, f.today or now.date()),
}


def situations(rule: RuleSpec, facts: Facts, now: datetime) -> list[Situation]:
    """Every situation the rule sees in the facts, before suppression (unknown kinds see nothing)."""
    kind = KINDS.get(rule.kind)
    return kind(rule, facts, now) if kind else []


def evaluate(
    rules: Sequence[RuleSpec], facts: Facts, recent: Mapping[int, Sequence[Recent]], now: datetime
) -> Outcome:
    """Every rule over the facts, minus the situations already alerted."""
    new: list[Situation] = []
    grown: list[Situation] = []
    for rule in rules:
        found = situations(rule, facts, now)
        outcome = suppress(found, recent.get(rule.id, ()), timedelta(minutes=rule.cooldown_minutes), now)
        new.extend(outcome.new)
        grown.extend(outcome.grown)
    return Outcome(new, grown)


__all__ = [
    "CATEGORY_ORDER",
    "KINDS",
    "ActionFact",
    "ContestFact",
    "Facts",
    "FindingFact",
    "IncidentFact",
    "Outcome",
    "Recent",
    "ReportFact",
    "RuleSpec",
    "Situation",
    "ancestor",
    "covers",
    "evaluate",
    "level_of",
    "situations",
    "suppress",
]
