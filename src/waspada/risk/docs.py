"""Render ``docs/risk-index.md`` from the default index configuration, so the docs never fall behind.

Regenerate with::

    python -m waspada.risk.docs > docs/risk-index.md
"""

from __future__ import annotations

import sys

from waspada.risk.config import IndexConfig, Indicator, load_config
from waspada.risk.export import BASE_COLUMNS

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
    lines += [
        "",
        "## Daftar indikator / Indicators at a glance",
        "",
        "| indikator / indicator | dimensi / dimension | sumber / source | arah / direction | bobot / weight |",
        "|---|---|---|---|---|",
    ]
    for dim in config.dimensions:
        for sub in dim.subdimensions:
            for ind in sub.indicators:
                lines.append(
                    f"| `{ind.id}` {_cell(ind.labels.id)} | {_cell(dim.labels.id)} | `{ind.source.kind}` | "
                    f"{'↓ lower is riskier' if ind.direction == 'lower_is_riskier' else '↑ higher is riskier'} | "
                    f"{100 * weights[ind.id]:.1f} % |"
                )
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
    lines += _outputs(config)
    return "\n".join(lines).rstrip() + "\n"


def _outputs(config: IndexConfig) -> list[str]:
    first = config.indicator_ids[0] if config.indicator_ids else "id"
    return [
        "",
        "## Di mana indeks tampil, dan bagaimana tetap terbaru / Where the index shows, and how it stays current",
        "",
        "- **Static tables:** `waspada risk import-static FILE.csv|xlsx` with columns `indicator,code,value[,source]`;"
        " each row is checked (unknown code, duplicate, out of range, wrong level) and named by row and column.",
        "- **Snapshots:** one per region and date under a configuration version (`waspada risk snapshot`). The"
        " worker job `risk.recompute` (`waspada.risk.jobs:recompute_if_due`) stores today's snapshot when it"
        " is missing and again after a verified incident or a stored recap finding changes, and once a day the"
        " kecamatan forecast with its backtest; one worker computes at a time (a lease on one row), and re-runs"
        " replace the day's rows.",
        "- **Configuration:** `WASPADA_RISK_CONFIG` names the TOML file in force (default: the shipped one above);"
        " the worker, pages, API and CLI use it, so their snapshots share one version.",
        "- **Region page** `/wilayah/<code>/`: score and category, the trend against the previous snapshot, the"
        " three largest contributions, the score split by dimension and indicator, the score history (inline"
        " SVG with a data table), the 14-day forecast with its backtest verdict, recent incidents.",
        "- **Ranking** `/peta-rawan/?tingkat=1-4&wilayah=CODE&kategori=&q=&urut=rank|score|delta|name|code"
        "&arah=asc|desc`: rank, score, category, trend, top 3 indicators (and the forecast at level 3), in the"
        " viewer's region scope.",
        "- **Exports** (`/peta-rawan/ekspor.csv|xlsx|geojson` with the same parameters, or `waspada risk export"
        " --level N --format csv|xlsx|geojson --output FILE [--within CODE] [--as USER]`): columns "
        + ", ".join(f"`{c}`" for c in BASE_COLUMNS)
        + f", then `points_<indicator>` for every indicator (e.g. `points_{first}`) — the points add up to the"
        " score. GeoJSON features carry the imported boundary, or `null` geometry where none was imported.",
        "- **API** (`Authorization: Bearer …`): `GET /api/risk/scores?level=&parent=&category=&sort=&at=`,"
        " `/api/risk/regions/{code}` (explanation), `/api/risk/regions/{code}/history`, `/api/risk/forecast`"
        " (with the backtest verdict), `/api/risk/snapshots`, `/api/risk/backtests`.",
    ]


def main() -> None:
    sys.stdout.write(render_risk_markdown())


if __name__ == "__main__":
    main()
