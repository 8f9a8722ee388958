"""The index configuration: the shipped default is valid and documented; bad configs name the key path."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

import pytest

from waspada.risk.config import DEFAULT_CONFIG_PATH, ConfigError, load_config, loads_config, parse_config
from waspada.risk.docs import REGENERATE_COMMAND, render_risk_markdown

DOCS_FILE = Path(__file__).resolve().parents[2] / "docs" / "risk-index.md"


def raw_default() -> dict[str, Any]:
    return tomllib.loads(DEFAULT_CONFIG_PATH.read_text(encoding="utf-8"))


def test_the_default_config_is_valid_and_weights_sum_to_one() -> None:
    config = load_config()
    assert [d.id for d in config.dimensions] == [
        "konteks_sospol",
        "penyelenggaraan",
        "kontestasi",
        "partisipasi",
        "dinamika",
    ]
    assert sum(config.effective_weights()) == pytest.approx(1.0)
    assert [c.min for c in config.categories] == [0, 13.47, 49.33]
    kinds = {i.source.kind for i in config.indicators}
    assert kinds == {"static", "incidents", "reports", "news", "elections", "calendar"}


def test_the_version_changes_with_the_content() -> None:
    raw = raw_default()
    first = parse_config(raw).version
    raw["dimensions"][0]["weight"] = 5
    assert parse_config(raw).version != first


def test_an_invalid_weight_names_its_key_path() -> None:
    raw = raw_default()
    raw["dimensions"][2]["subdimensions"][0]["indicators"][0]["weight"] = -1
    path = r"dimensions\[kontestasi\]\.subdimensions\[persaingan\]\.indicators\[selisih_suara\]\.weight"
    with pytest.raises(ConfigError, match=path):
        parse_config(raw)


def test_a_fixed_scale_without_bounds_is_refused() -> None:
    raw = raw_default()
    raw["dimensions"][0]["subdimensions"][0]["indicators"][0]["normalisation"] = {"method": "fixed"}
    with pytest.raises(
        ConfigError, match=r"indicators\[riwayat_konflik\]\.normalisation: a fixed scale needs"
    ):
        parse_config(raw)


def test_unknown_event_types_and_sources_are_refused() -> None:
    raw = raw_default()
    ind = raw["dimensions"][4]["subdimensions"][1]["indicators"][0]
    ind["source"]["event_types"] = ["demo_besar"]
    with pytest.raises(ConfigError, match=r"indicators\[unjuk_rasa_terkini\]\.source.*demo_besar"):
        parse_config(raw)
    ind["source"] = {"kind": "twitter"}
    with pytest.raises(ConfigError, match=r"indicators\[unjuk_rasa_terkini\]\.source"):
        parse_config(raw)


def test_duplicate_ids_unknown_keys_and_bad_categories_are_refused() -> None:
    raw = raw_default()
    raw["dimensions"][1]["id"] = "konteks_sospol"
    with pytest.raises(ConfigError, match="used twice"):
        parse_config(raw)
    raw = raw_default()
    raw["dimensions"][0]["subdimensions"][0]["indicators"][0]["wieght"] = 2
    with pytest.raises(ConfigError, match=r"indicators\[riwayat_konflik\]\.wieght"):
        parse_config(raw)
    raw = raw_default()
    raw["categories"][2]["min"] = 10
    with pytest.raises(ConfigError, match="increase strictly"):
        parse_config(raw)


def test_bad_toml_and_a_missing_file_give_clear_errors(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="not valid TOML"):
        loads_config("name = ", "x.toml")
    with pytest.raises(ConfigError, match="cannot be read"):
        load_config(tmp_path / "missing.toml")


def test_the_risk_docs_are_current() -> None:
    hint = f"docs/risk-index.md is out of date; regenerate it with: {REGENERATE_COMMAND}"
    text = DOCS_FILE.read_text(encoding="utf-8")
    assert text == render_risk_markdown(), hint
    for ind in load_config().indicators:
        assert f"`{ind.id}`" in text


def test_the_docs_module_prints_the_docs() -> None:
    out = subprocess.run([sys.executable, "-m", "waspada.risk.docs"], capture_output=True, check=True)
    assert out.stdout.decode("utf-8") == render_risk_markdown()
