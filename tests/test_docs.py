"""The README is part of the product: every setting and every `waspada` command must be documented."""

from __future__ import annotations

import re
from pathlib import Path

import waspada

ROOT = Path(__file__).resolve().parents[1]
SRC = Path(waspada.__file__).resolve().parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def environment_variables() -> set[str]:
    names: set[str] = set()
    for path in SRC.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        names.update(re.findall(r"\"((?:WASPADA|DATABASE|REDIS)_[A-Z_]+)\"", text))
    return names


def waspada_commands() -> set[str]:
    return {p.stem for p in SRC.glob("*/management/commands/*.py") if not p.stem.startswith("_")}


def test_it_finds_the_settings_it_checks() -> None:
    assert {"WASPADA_DATA_DIR", "DATABASE_URL", "WASPADA_SECRET_KEY"} <= environment_variables()


def test_every_environment_variable_is_documented_in_the_readme() -> None:
    missing = sorted(name for name in environment_variables() if f"`{name}`" not in README)
    assert not missing, f"document these settings in README.md: {missing}"


def test_every_waspada_command_is_documented_in_the_readme() -> None:
    missing = sorted(cmd for cmd in waspada_commands() if f"waspada {cmd}" not in README)
    assert not missing, f"document these commands in README.md: {missing}"


def test_the_readme_shows_the_two_commands() -> None:
    assert "make demo" in README and "make test" in README
