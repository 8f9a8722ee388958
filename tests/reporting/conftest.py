"""Fixtures of the reporting tests; the world they build is described in ``_world.py``."""

from __future__ import annotations

from ._world import media_root, world

__all__ = ["media_root", "world"]
