"""Every indicator is documented — what it measures, why, where its data comes from — in
docs/risk-index.md, generated from the configuration; the README names the commands and settings."""

from __future__ import annotations

from pathlib import Path

from waspada.risk.config import load_config
from waspada.risk.docs import render_risk_markdown
from waspada.risk.export import BASE_COLUMNS

ROOT = Path(__file__).resolve().parents[2]


def test_every_indicator_says_what_it_measures_why_and_where_its_data_comes_from() -> None:
    for ind in load_config().indicators:
        texts = {"measures": ind.measures, "why": ind.why, "data": ind.data}
        for name, text in texts.items():
            assert len(text.split()) >= 4, f"{ind.id}.{name} is too short to explain anything: {text!r}"
        assert len(set(texts.values())) == 3, f"{ind.id}: measures, why and data repeat each other"
        assert ind.labels.id.strip() and ind.labels.en.strip() and ind.labels.id != ind.id


def test_the_docs_list_each_indicator_once_in_the_summary_and_once_in_full() -> None:
    text = render_risk_markdown()
    config = load_config()
    summary = text.split("## Daftar indikator", 1)[1].split("\n## ", 1)[0]
    for ind in config.indicators:
        assert summary.count(f"| `{ind.id}` ") == 1
        assert text.count(f"#### `{ind.id}` — ") == 1
        full = text.split(f"#### `{ind.id}` — ", 1)[1].split("####", 1)[0]
        for part in ("**Measures:**", "**Why:**", "**Data:**", "**Source:**", "**Weight:**"):
            assert part in full, f"{ind.id}: {part} missing"
    weights = [
        float(line.rsplit("|", 2)[1].strip(" %")) for line in summary.splitlines() if line.startswith("| `")
    ]
    assert abs(sum(weights) - 100) < 0.5


def test_the_docs_name_the_outputs_with_their_export_columns() -> None:
    text = render_risk_markdown()
    for column in BASE_COLUMNS:
        assert f"`{column}`" in text
    for thing in (
        "/peta-rawan/",
        "/api/risk/scores",
        "waspada risk export",
        "WASPADA_RISK_CONFIG",
        "risk.recompute",
    ):
        assert thing in text


def test_the_readme_points_to_the_index_docs_and_its_commands() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "docs/risk-index.md" in readme and "docs/risk-forecast.md" in readme
    for command in (
        "waspada risk compute",
        "waspada risk export",
        "waspada risk backtest",
        "waspada risk snapshot",
    ):
        assert command in readme
    assert "`WASPADA_RISK_CONFIG`" in readme
