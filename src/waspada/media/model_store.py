"""Versioned news models in the data directory, and which one is in use.

``waspada media train`` writes ``<data dir>/models/news/<version>.json`` (the model with its held-out
metrics) and points ``current`` at it; :func:`active_model` returns that model, or the one shipped with
Waspada when none has been trained here. Loading a model never runs code (JSON, no pickle).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings

from waspada.nlp.model import ModelError, NewsModel, load_model, shipped_model

__all__ = ["StoredModel", "active_model", "list_models", "models_dir", "store_model", "use_model"]


def models_dir() -> Path:
    return Path(settings.DATA_DIR) / "models" / "news"


@dataclass(frozen=True, slots=True)
class StoredModel:
    version: str
    path: Path
    info: dict[str, Any]
    current: bool


def _pointer() -> Path:
    return models_dir() / "current"


def store_model(model: NewsModel, *, activate: bool = True) -> Path:
    path = models_dir() / f"{model.version}.json"
    model.save(path)
    if activate:
        use_model(model.version)
    return path


def use_model(version: str) -> Path:
    """Make a stored version the one in use; :class:`ModelError` when it does not exist or is unusable."""
    path = models_dir() / f"{version}.json"
    load_model(path)  # refuses a missing or broken file before it becomes current
    tmp = _pointer().with_name("current.tmp")
    tmp.write_text(version + "\n", encoding="utf-8")
    tmp.replace(_pointer())
    return path


def current_version() -> str | None:
    try:
        return _pointer().read_text(encoding="utf-8").strip() or None
    except OSError:
        return None


def active_model() -> NewsModel | None:
    """The model in use here: the current stored version, else the shipped model."""
    version = current_version()
    if version:
        path = models_dir() / f"{version}.json"
        try:
            return _cached(str(path), path.stat().st_mtime)
        except (OSError, ModelError):
            pass  # a removed or broken file falls back to the shipped model
    return shipped_model()


_CACHE: dict[tuple[str, float], NewsModel] = {}


def _cached(path: str, mtime: float) -> NewsModel:
    key = (path, mtime)
    if key not in _CACHE:
        _CACHE.clear()
        _CACHE[key] = load_model(Path(path))
    return _CACHE[key]


def list_models() -> list[StoredModel]:
    current = current_version()
    found: list[StoredModel] = []
    for path in sorted(models_dir().glob("*.json")):
        try:
            info = json.loads(path.read_text(encoding="utf-8")).get("info", {})
        except (OSError, ValueError):
            info = {"error": "unreadable"}
        found.append(StoredModel(path.stem, path, info, path.stem == current))
    return found
