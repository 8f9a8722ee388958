"""Render ``docs/taxonomy.md`` from :mod:`waspada.taxonomy`, so the docs can never fall behind the code.

Regenerate with::

    python -m waspada.taxonomy_docs > docs/taxonomy.md
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Sequence

from waspada import taxonomy as tx

REGENERATE_COMMAND = "python -m waspada.taxonomy_docs > docs/taxonomy.md"


def _cell(value: object) -> str:
    """One Markdown table cell: booleans as ya/tidak, pipes escaped, no line breaks."""
    if isinstance(value, bool):
        text = "ya / yes" if value else "tidak / no"
    elif value is None:
        text = "—"
    else:
        text = str(value)
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ").strip()


def _code(value: object) -> str:
    return f"`{value}`"


def _table(header: Sequence[str], rows: Iterable[Sequence[object]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines.extend("| " + " | ".join(_cell(v) for v in row) + " |" for row in rows)
    return lines


def _section(title: str, intro: str, table: list[str]) -> list[str]:
    return ["", f"## {title}", "", intro, "", *table]


def _event_types() -> list[str]:
    header = (
        "Kode / code",
        "Label (id)",
        "Label (en)",
        "Definisi",
        "Definition",
        "ACLED event type / sub-event type (disorder type)",
        "SNPK",
        "Kekerasan / violent",
        "Bidang / domain",
        "Bobot / severity",
        "Kata kunci / keywords",
    )
    rows = (
        (
            _code(e.code),
            e.label_id,
            e.label_en,
            e.definition_id,
            e.definition_en,
            f"{e.acled_event_type} / {e.acled_sub_event_type} ({e.acled_disorder_type})",
            e.snpk_category,
            e.is_violent,
            _code(e.default_domain),
            e.severity,
            ", ".join(e.keywords_id),
        )
        for e in tx.EVENT_TYPES
    )
    intro = (
        "Satu daftar kode untuk laporan, analisis berita, peringatan dan ekspor. Bobot 1–5 menentukan "
        "urgensi bawaan dan bobot risiko. / One code list for reports, news analysis, alerts and exports. "
        "Severity 1–5 sets the default urgency and the risk weight. Intimidation is one code whatever its "
        "target; the target (voters, witnesses, KPU/Bawaslu staff) is recorded as an actor. Threats, online "
        "speech, vote buying and result disputes are not coded by ACLED itself; they map to "
        "Strategic developments / Other."
    )
    return _section("Jenis kejadian / Event types", intro, _table(header, rows))


def _threat_domains() -> list[str]:
    rows = ((_code(d.code), d.label_id, d.label_en) for d in tx.THREAT_DOMAINS)
    intro = "Bidang ATHG (ipoleksosbudhankam). / ATHG threat domains."
    return _section(
        "Bidang ancaman / Threat domains", intro, _table(("Kode / code", "Label (id)", "Label (en)"), rows)
    )


def _actor_types() -> list[str]:
    inter_names = {t.inter: t.label_en for t in tx.ACLED_INTER_TYPES}
    rows = (
        (
            _code(a.code),
            a.label_id,
            a.label_en,
            f"{a.acled_inter} ({inter_names[a.acled_inter]})",
            a.takes_paslon_number,
        )
        for a in tx.ACTOR_TYPES
    )
    header = ("Kode / code", "Label (id)", "Label (en)", "ACLED inter (bawaan / default)", "Nomor paslon")
    intro = (
        "Kode ACLED bawaan berlaku di luar unjuk rasa; dalam unjuk rasa aktor non-negara menjadi "
        "pengunjuk rasa (6), dalam kerusuhan perusuh (5), dan korban kekerasan terhadap warga menjadi "
        "warga sipil (7). / The default ACLED inter code applies outside demonstrations; in a protest a "
        "non-state actor is coded 6, in a riot 5, and the victim of violence against civilians 7."
    )
    return _section("Jenis aktor / Actor types", intro, _table(header, rows))


def _acled_inter_types() -> list[str]:
    rows = ((t.inter, t.label_id, t.label_en) for t in tx.ACLED_INTER_TYPES)
    intro = "Rujukan kode jenis aktor ACLED. / ACLED actor type (inter) codes, for reference."
    return _section(
        "Kode aktor ACLED / ACLED inter codes", intro, _table(("Inter", "Label (id)", "Label (en)"), rows)
    )


def _geo_precision() -> list[str]:
    rows = ((_code(g.code), g.value, g.label_id, g.label_en, g.acled) for g in tx.GEO_PRECISION)
    header = ("Kode / code", "Nilai / value", "Label (id)", "Label (en)", "ACLED geo_precision")
    intro = "Seberapa tepat lokasi kejadian diketahui. / How precisely the place is known."
    return _section("Ketepatan lokasi / Geo precision", intro, _table(header, rows))


def _time_precision() -> list[str]:
    rows = ((_code(t.code), t.value, t.label_id, t.label_en) for t in tx.TIME_PRECISION)
    header = ("Kode / code", "Nilai / value (= ACLED time_precision)", "Label (id)", "Label (en)")
    intro = "Seberapa tepat waktu kejadian diketahui. / How precisely the date is known."
    return _section("Ketepatan waktu / Time precision", intro, _table(header, rows))


def _urgency() -> list[str]:
    by_urgency: dict[str, list[str]] = {u.code: [] for u in tx.URGENCY}
    for severity in range(1, 6):
        by_urgency[tx.urgency_for_severity(severity).code].append(str(severity))
    rows = (
        (_code(u.code), u.rank, u.label_id, u.label_en, ", ".join(by_urgency[u.code]) or None)
        for u in tx.URGENCY
    )
    header = (
        "Kode / code",
        "Peringkat / rank",
        "Label (id)",
        "Label (en)",
        "Bawaan untuk bobot / default for severity",
    )
    intro = "Tingkat urgensi laporan. / Urgency of a report."
    return _section("Urgensi / Urgency", intro, _table(header, rows))


def _source_reliability() -> list[str]:
    rows = (
        (_code(s.code), s.label_id, s.label_en, s.admiralty, s.description_id, s.description_en)
        for s in tx.SOURCE_RELIABILITY
    )
    header = ("Kode / code", "Label (id)", "Label (en)", "Admiralty", "Keterangan", "Description")
    intro = (
        f"Dinilai dari sumbernya, bukan isinya; bawaan `{tx.DEFAULT_SOURCE_RELIABILITY}`. / Judged on the "
        f"source, not the content; the default is `{tx.DEFAULT_SOURCE_RELIABILITY}`."
    )
    return _section("Keandalan sumber / Source reliability", intro, _table(header, rows))


def _impact_fields() -> list[str]:
    rows = ((_code(f.code), f.label_id, f.label_en, f.acled_column) for f in tx.IMPACT_FIELDS)
    intro = "Jumlah korban dan kerusakan. / Counted consequences of an incident."
    return _section(
        "Dampak / Impact",
        intro,
        _table(("Kode / code", "Label (id)", "Label (en)", "Kolom ACLED / column"), rows),
    )


def _channels() -> list[str]:
    rows = ((_code(c.code), c.label_id, c.label_en, c.is_message) for c in tx.CHANNELS)
    intro = "Jalur masuk laporan. / How a report reached Waspada."
    return _section(
        "Saluran / Channels",
        intro,
        _table(("Kode / code", "Label (id)", "Label (en)", "Pesan teks / message"), rows),
    )


def _snpk_categories() -> list[str]:
    rows = ((_code(s.code), s.label_id, s.label_en) for s in tx.SNPK_CATEGORIES)
    intro = "Kategori konflik SNPK untuk ekspor. / SNPK conflict categories, for export."
    return _section(
        "Kategori SNPK / SNPK categories", intro, _table(("Kode / code", "Label (id)", "Label (en)"), rows)
    )


def render_taxonomy_markdown() -> str:
    """The whole of ``docs/taxonomy.md``."""
    lines = [
        "# Taksonomi Waspada / Waspada taxonomy",
        "",
        "<!-- Dibuat otomatis dari src/waspada/taxonomy.py; jangan diedit langsung. "
        "Generated from src/waspada/taxonomy.py; do not edit by hand. -->",
        "",
        f"Berkas ini dibuat dari kode; perbarui dengan `{REGENERATE_COMMAND}`. / This file is generated "
        f"from the code; regenerate it with `{REGENERATE_COMMAND}`.",
    ]
    for part in (
        _event_types,
        _threat_domains,
        _actor_types,
        _acled_inter_types,
        _geo_precision,
        _time_precision,
        _urgency,
        _source_reliability,
        _impact_fields,
        _channels,
        _snpk_categories,
    ):
        lines.extend(part())
    return "\n".join(lines) + "\n"


def main() -> int:
    # Bytes, so the file is UTF-8 with LF line endings whatever the platform's locale.
    sys.stdout.buffer.write(render_taxonomy_markdown().encode("utf-8"))
    sys.stdout.buffer.flush()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
