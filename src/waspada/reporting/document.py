"""The words of a situation report: turns the plain :class:`~waspada.reporting.sitrep.Sitrep` into titled
sections of paragraphs, facts, tables and numbered items, in the active language (Bahasa Indonesia by
default). The HTML template and the PDF renderer both draw this one structure, so they say the same.

Call inside ``translation.override(lang)``: labels come from the model choices and the catalogue.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

from waspada.alerts.models import ActionKind, ActionStatus, AlertStatus
from waspada.regions.timezones import zone_label
from waspada.reporting.mapimage import NO_INDEX, colours
from waspada.reporting.sitrep import Recommendation, RegionRef, Sitrep
from waspada.reports.models import IncidentStatus

MAX_INCIDENT_ROWS = 60
MAX_ALERT_ROWS = 40
MAX_ACTION_ROWS = 40


@dataclass
class Table:
    columns: list[str]
    rows: list[list[str]]
    caption: str = ""
    empty: str = ""
    widths: list[float] = field(default_factory=list)  # relative column widths (PDF)
    more: str = ""  # "… and N more" under a cut table


@dataclass
class Section:
    key: str
    title: str
    paragraphs: list[str] = field(default_factory=list)
    facts: list[tuple[str, str]] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    items: list[str] = field(default_factory=list)


@dataclass
class Document:
    kind_title: str
    title: str
    region: str
    period: str
    zone: str
    generated: str
    notice: str
    sections: list[Section]
    legend: list[tuple[str, str]]  # (colour, label)
    map_title: str
    map_missing: str
    footer: str


def _choice(choices: Any, code: str) -> str:
    try:
        return str(choices(code).label)
    except ValueError:
        return code


def region_label(r: RegionRef) -> str:
    return f"{r.name} ({r.code})"


def _num(value: float | None, digits: int = 1) -> str:
    return "–" if value is None else formats.number_format(value, digits)


def local_time(moment: dt.datetime, zone: str) -> str:
    local = moment.astimezone(ZoneInfo(zone))
    return f"{formats.date_format(local, 'j M Y H.i')}"


def period_text(sitrep: Sitrep) -> str:
    p = sitrep.period
    if p.days == 1:
        return formats.date_format(p.last_day, "l, j F Y")
    if p.first_day.year != p.last_day.year:
        return f"{formats.date_format(p.first_day, 'j F Y')} – {formats.date_format(p.last_day, 'j F Y')}"
    if p.first_day.month != p.last_day.month:
        return f"{formats.date_format(p.first_day, 'j F')} – {formats.date_format(p.last_day, 'j F Y')}"
    return f"{p.first_day.day}–{formats.date_format(p.last_day, 'j F Y')}"


def kind_title(kind: str) -> str:
    return _("Daily situation report") if kind == "daily" else _("Weekly situation report")


def recommendation_text(rec: Recommendation, sitrep: Sitrep) -> str:
    f = rec.facts
    where = rec.region.name if rec.region else ""
    zone = sitrep.period.zone
    if rec.kind == "rose_to_high":
        text = _(
            "Raise vigilance in %(region)s: its index rose from %(before)s to %(after)s (score %(score)s)."
        ) % {
            "region": where,
            "before": sitrep.category_label(f["previous_category"]),
            "after": sitrep.category_label(f["category"]),
            "score": _num(f["score"]),
        }
        if f["drivers"]:
            text += " " + _("Main drivers: %(drivers)s.") % {"drivers": ", ".join(f["drivers"])}
        return text
    if rec.kind == "casualties_without_action":
        return _(
            "Plan a response action for incident K-%(id)s in %(region)s (%(killed)s killed, %(injured)s "
            "injured): none is recorded yet."
        ) % {"id": f["incident"], "region": where, "killed": f["killed"], "injured": f["injured"]}
    if rec.kind == "unacknowledged_alert":
        return _(
            "Make sure alert P-%(id)s (%(rule)s, %(region)s) is received: nobody has acknowledged it since "
            "%(since)s."
        ) % {"id": f["alert"], "rule": f["rule"], "region": where, "since": local_time(f["since"], zone)}
    if rec.kind == "unacknowledged_alerts":
        return _(
            "Make sure the %(n)s unacknowledged alerts are received (%(ids)s); the oldest has waited since "
            "%(since)s."
        ) % {
            "n": len(f["alerts"]),
            "ids": ", ".join(f"P-{i}" for i in f["alerts"]),
            "since": local_time(f["since"], zone),
        }
    if rec.kind == "overdue_actions":
        return _(
            "Ask for progress on %(n)s response actions past their due date (%(subjects)s): %(agencies)s."
        ) % {
            "n": len(f["subjects"]),
            "subjects": ", ".join(f["subjects"]),
            "agencies": ", ".join(f["agencies"]),
        }
    if rec.kind == "overdue_action":
        return _(
            "Ask %(agency)s for progress on %(kind)s for %(subject)s in %(region)s: it was due on %(due)s."
        ) % {
            "agency": f["agency"],
            "kind": _choice(ActionKind, f["kind"]).lower(),
            "subject": f["subject"],
            "region": where,
            "due": formats.date_format(f["due_date"], "j F Y"),
        }
    if rec.kind == "high_with_incidents":
        return ngettext(
            "Coordinate with the security forces in %(region)s: it is in the highest category and had "
            "%(n)s incident in this period.",
            "Coordinate with the security forces in %(region)s: it is in the highest category and had "
            "%(n)s incidents in this period.",
            f["incidents"],
        ) % {"region": where, "n": f["incidents"]}
    if rec.kind == "recap_errors":
        text = ngettext(
            "Clarify %(n)s open recapitulation error with the KPU and Bawaslu before the next plenary.",
            "Clarify %(n)s open recapitulation errors with the KPU and Bawaslu before the next plenary.",
            f["errors"],
        ) % {"n": f["errors"]}
        if f["areas"]:
            text += " " + _("Most of them in: %(areas)s.") % {"areas": ", ".join(f["areas"])}
        return text
    if rec.kind == "rose":
        return _("Monitor %(region)s more closely: its index rose from %(before)s to %(after)s.") % {
            "region": where,
            "before": sitrep.category_label(f["previous_category"]),
            "after": sitrep.category_label(f["category"]),
        }
    if rec.kind == "more":
        return ngettext(
            "… and %(n)s more like the one above (see the tables of this report).",
            "… and %(n)s more like the ones above (see the tables of this report).",
            f["n"],
        ) % {"n": f["n"]}
    return _("No particular recommendation: continue routine monitoring.")


def _summary(s: Sitrep) -> Section:
    m = s.summary
    facts = [
        (_("New incidents"), str(m.incidents)),
        (_("Killed / injured"), f"{m.killed} / {m.injured}"),
        (_("Buildings damaged / displaced"), f"{m.buildings_damaged} / {m.displaced}"),
        (_("Field reports received (verified)"), f"{m.reports_received} ({m.reports_verified})"),
        (_("Alerts in the period / still open"), f"{m.alerts_in_period} / {m.alerts_open}"),
        (_("Alerts not acknowledged"), str(m.alerts_unacknowledged)),
        (_("Response actions open / overdue"), f"{m.actions_open} / {m.actions_overdue}"),
        (
            _("Regions in category %(category)s / rising") % {"category": s.category_label(s.high_category)},
            f"{m.regions_high} / {m.regions_rising}",
        ),
        (_("Recapitulation findings open / new"), f"{m.findings_open} / {m.findings_new}"),
    ]
    first = s.recommendations[0] if s.recommendations else None
    paragraphs = []
    if first is not None and first.kind != "routine":
        paragraphs.append(_("First recommendation: %(text)s") % {"text": recommendation_text(first, s)})
    return Section("summary", _("Summary"), paragraphs=paragraphs, facts=facts)


def _map(s: Sitrep) -> Section:
    paragraphs = []
    if not s.map.drawn:
        paragraphs.append(
            _(
                "No boundaries have been imported for these regions, so no map can be drawn. Import them with "
                "`waspada regions import-boundaries`."
            )
        )
    if not s.has_index:
        paragraphs.append(
            _("The vulnerability index has not been computed for this period (`waspada risk snapshot`).")
        )
    if s.map.points:
        paragraphs.append(
            _(
                "Dots mark the incidents of the period (at the centre of their region when no coordinates were given)."
            )
        )
    return Section("map", _("Vulnerability map"), paragraphs=paragraphs)


def _risk(s: Sitrep) -> Section:
    rows = []
    for r in s.top_regions:
        change = ""
        if r.change > 0:
            change = _("rose from %(category)s") % {"category": s.category_label(r.previous_category)}
        elif r.change < 0:
            change = _("fell from %(category)s") % {"category": s.category_label(r.previous_category)}
        if r.delta is not None:
            change = (change + " " if change else "") + f"({r.delta:+.1f})"
        drivers = "; ".join(f"{d.label} ({_num(d.points)})" for d in r.drivers) or "–"
        rows.append(
            [region_label(r.region), _num(r.score), s.category_label(r.category), change or "–", drivers]
        )
    table = Table(
        [
            _("Region"),
            _("Score"),
            _("Category"),
            pgettext("sitrep table heading", "Change"),
            _("Main drivers (points)"),
        ],
        rows,
        empty=_("No index snapshot covers these regions yet."),
        widths=[3.2, 1.1, 1.3, 2.0, 5.4],
    )
    para = [
        _("The index runs from 0 to 100; each driver shows how many points an indicator adds to the score.")
    ]
    return Section("risk", _("Regions at highest risk"), paragraphs=para, tables=[table])


def _incidents(s: Sitrep) -> Section:
    zone = s.period.zone
    rows = [
        [
            f"K-{i.id}",
            local_time(i.occurred_at, zone),
            region_label(i.region),
            i.event_label,
            i.title,
            f"{i.killed} / {i.injured}",
            _choice(IncidentStatus, i.status),
        ]
        for i in s.incidents[:MAX_INCIDENT_ROWS]
    ]
    more = ""
    if len(s.incidents) > MAX_INCIDENT_ROWS:
        more = _("… and %(n)s more (see the incident export).") % {"n": len(s.incidents) - MAX_INCIDENT_ROWS}
    table = Table(
        [
            _("No."),
            _("Occurred at"),
            _("Region"),
            _("Event type"),
            _("Title"),
            _("Killed / injured"),
            _("Status"),
        ],
        rows,
        empty=_("No incident was recorded in this period."),
        widths=[1.0, 2.0, 2.6, 2.4, 4.0, 1.3, 1.4],
        more=more,
    )
    return Section("incidents", _("New incidents"), tables=[table])


def _alerts(s: Sitrep) -> Section:
    zone = s.period.zone
    alerts = Table(
        [_("No."), _("Raised at"), _("Rule"), _("Region"), _("Status"), _("Escalation")],
        [
            [
                f"P-{a.id}",
                local_time(a.created_at, zone),
                a.rule_name,
                region_label(a.region),
                _choice(AlertStatus, a.status),
                str(a.escalation_level),
            ]
            for a in s.alerts[:MAX_ALERT_ROWS]
        ],
        caption=_("Alerts raised in the period or still open"),
        empty=_("No alert in this period."),
        widths=[0.9, 1.9, 3.6, 3.0, 1.5, 1.6],
    )
    actions = Table(
        [_("For"), _("Action"), _("Agency"), _("Due"), _("Status"), _("Outcome")],
        [
            [
                a.subject,
                _choice(ActionKind, a.kind),
                a.agency,
                (formats.date_format(a.due_date, "j M Y") if a.due_date else "–")
                + (" — " + _("overdue") if a.overdue else ""),
                _choice(ActionStatus, a.status),
                a.outcome or "–",
            ]
            for a in s.actions[:MAX_ACTION_ROWS]
        ],
        caption=_("Response actions (tindak lanjut)"),
        empty=_("No open response action."),
        widths=[0.9, 2.4, 2.8, 2.0, 1.9, 3.0],
    )
    return Section("alerts", _("Alerts and response actions"), tables=[alerts, actions])


def _findings(s: Sitrep) -> Section:
    f = s.findings
    facts = [
        (_("Open findings"), str(f.open_total)),
        (
            _("errors / warnings / notes"),
            f"{f.open_by_severity.get('error', 0)} / {f.open_by_severity.get('warning', 0)} / "
            f"{f.open_by_severity.get('info', 0)}",
        ),
        (_("Found in this period"), str(f.new_in_period)),
    ]
    tables = [
        Table(
            [_("Rule"), _("What it checks"), _("Open")],
            [[rule, title, str(n)] for rule, title, n in f.by_rule],
            caption=_("Open findings by rule"),
            empty=_("No recapitulation finding in this region."),
            widths=[1.4, 8.0, 1.2],
        )
    ]
    if f.top_areas:
        tables.append(
            Table(
                [_("Area"), _("Open errors")],
                [[region_label(area), str(n)] for area, n in f.top_areas],
                caption=_("Areas with the most open errors"),
                widths=[8.0, 2.0],
            )
        )
    return Section("findings", _("Recapitulation findings"), facts=facts, tables=tables)


def build_document(s: Sitrep) -> Document:
    zone = s.period.zone
    sections = [_summary(s), _map(s), _risk(s), _incidents(s), _alerts(s), _findings(s)]
    sections.append(
        Section(
            "recommendations",
            _("Recommendations"),
            items=[recommendation_text(r, s) for r in s.recommendations],
        )
    )
    for n, section in enumerate(sections, start=1):
        section.title = f"{n}. {section.title}"
    fill = colours(s.categories)
    legend = [(fill[code], label) for code, label in s.categories] + [(NO_INDEX, _("no index"))]
    missing = ""
    if s.map.missing and s.map.drawn:
        names = ", ".join(r.name for r in s.map.missing[:12])
        extra = len(s.map.missing) - 12
        missing = _("Without boundary (not drawn): %(names)s") % {"names": names}
        if extra > 0:
            missing += " " + _("and %(n)s more") % {"n": extra}
    notice = ""
    if s.has_simulated:
        notice = _("This report contains SIMULATED incidents (demo or training data), marked [SIMULASI].")
    return Document(
        kind_title=kind_title(s.period.kind),
        title=f"{kind_title(s.period.kind)} — {s.region.name}",
        region=region_label(s.region),
        period=period_text(s),
        zone=zone_label(s.region.code),
        generated=local_time(s.generated_at, zone),
        notice=notice,
        sections=sections,
        legend=legend,
        map_title=_("Vulnerability index of the units of %(region)s") % {"region": s.region.name},
        map_missing=missing,
        footer=_("Waspada · situation report %(region)s · %(period)s")
        % {"region": s.region.name, "period": period_text(s)},
    )
