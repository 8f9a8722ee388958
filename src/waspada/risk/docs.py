"""Render ``docs/risk-index.md`` from the default index configuration, so the docs never fall behind.

Regenerate with::

    python -m waspada.risk.docs > docs/risk-index.md
"""

from __future__ import annotations

import sys

from waspada.risk.config import IndexConfig, Indicator, load_config

REGENERATE_COMMAND = "python -m waspada.risk.docs > docs/risk-index.md"


def _cell(value: object) -> str:
    return str(value).replace("|", "\\|").replace("\n", " ").strip()


def _source(ind: Indicator) -> str:
    src = ind.source.model_dump()
    kind = src.pop("kind")
    details = ", ".join(
        f"{k}={v}" for k, v in src.items() if v is not None and v is not False and v != () and v != []
    )
    return f"`{kind}`" + (f" ({details})" if details else "")


def _normalisation(ind: Indicator) -> str:
    rule = ind.normalisation
    if rule.method == "fixed":
        return f"fixed [{rule.lower:g}, {rule.upper:g}]"
    return rule.method


def render_risk_markdown(config: IndexConfig | None = None) -> str:
    config = config or load_config()
    weights = dict(zip(config.indicator_ids, config.effective_weights(), strict=True))
    lines = [
        "# Indeks kerawanan / Vulnerability index",
        "",
        "<!-- Dibuat otomatis dari src/waspada/risk/default_index.toml; jangan diedit langsung. "
        "Generated from src/waspada/risk/default_index.toml; do not edit by hand. -->",
        "",
        f"Berkas ini dibuat dari konfigurasi bawaan; perbarui dengan `{REGENERATE_COMMAND}`. / "
        f"This file is generated from the default configuration; regenerate it with `{REGENERATE_COMMAND}`.",
        "",
        f"**{config.name.id}** / {config.name.en} — config version `{config.version}`.",
        "",
        "## How the score is computed",
        "",
        f"- Indicator values are gathered per region at level {config.index.input_level} and aggregated to "
        "every level above it as each indicator says (population-weighted mean, maximum or sum).",
        "- Each value is normalised to 0–1 within its level (`minmax`; `percentile`, the share of the "
        "level's regions with a lower value; or a `fixed` scale, clipped), and flipped when lower means "
        "more risk.",
        "- Missing values: `zero`; `median_siblings` (median of the regions with the same parent); "
        "`exclude` (left out, and the other weights re-scaled for that region).",
        "- Score = 100 × Σ weight × value / Σ weight of the included indicators. Effective weight = "
        "dimension share × sub-dimension share × indicator share; the contributions add up to the score.",
        f"- Incidents count 0.5^(age / {config.index.half_life_days:g} days) and are ignored after "
        f"{config.index.window_days} days. An incident coded to a region above the input level counts in "
        "each of its desa.",
        "- Categories are judged on the score rounded half up to 2 decimals.",
        "",
        "## Kategori / Categories",
        "",
        "| kode / code | label (id) | label (en) | skor minimum / minimum score |",
        "|---|---|---|---|",
    ]
    lines += [f"| `{c.code}` | {c.labels.id} | {c.labels.en} | {c.min:g} |" for c in config.categories]
    for dim in config.dimensions:
        lines += ["", f"## {dim.labels.id} / {dim.labels.en} (`{dim.id}`, weight {dim.weight:g})", ""]
        lines += [_cell(dim.description)]
        for sub in dim.subdimensions:
            lines += ["", f"### {sub.labels.id} / {sub.labels.en} (`{sub.id}`, weight {sub.weight:g})", ""]
            for ind in sub.indicators:
                lines += [
                    f"#### `{ind.id}` — {ind.labels.id} / {ind.labels.en}",
                    "",
                    f"- **Measures:** {_cell(ind.measures)}",
                    f"- **Why:** {_cell(ind.why)}",
                    f"- **Data:** {_cell(ind.data)}",
                    f"- **Source:** {_source(ind)}; **direction:** {ind.direction}; "
                    f"**normalisation:** {_normalisation(ind)}; **aggregation:** {ind.aggregation}; "
                    f"**missing:** {ind.missing}",
                    f"- **Weight:** {ind.weight:g} within the sub-dimension = "
                    f"{100 * weights[ind.id]:.1f} % of the score",
                    "",
                ]
    return "\n".join(lines).rstrip() + "\n"


def main() -> None:
    sys.stdout.write(render_risk_markdown())


if __name__ == "__main__":
    main()
