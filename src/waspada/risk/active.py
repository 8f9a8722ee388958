"""The index configuration in force: ``WASPADA_RISK_CONFIG`` (a TOML file), else the shipped default.

The worker, the pages, the API and the CLI (unless given ``--config``) all use this one configuration, so
the snapshots they store carry one configuration version. Re-read when the file changes.
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

from waspada.risk.config import DEFAULT_CONFIG_PATH, IndexConfig, load_config

ENV_VAR = "WASPADA_RISK_CONFIG"


def config_path() -> Path:
    raw = os.environ.get("WASPADA_RISK_CONFIG", "").strip()
    return Path(raw).expanduser() if raw else DEFAULT_CONFIG_PATH


@lru_cache(maxsize=4)
def _load(path: Path, mtime_ns: int) -> IndexConfig:
    return load_config(path)


def active_config() -> IndexConfig:
    """The configuration in force; raises :class:`~waspada.risk.config.ConfigError` naming the file."""
    path = config_path()
    try:
        mtime = path.stat().st_mtime_ns
    except OSError:
        mtime = -1  # load_config names the file in its error
    return _load(path, mtime)
