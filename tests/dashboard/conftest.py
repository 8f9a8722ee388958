"""Fixtures of the dashboard tests; the world they build is described in ``_world.py``."""

from __future__ import annotations

from ._world import world

__all__ = ["world"]
