"""A system check: the index configuration in force (``WASPADA_RISK_CONFIG``) must load, so a typo in a
deployment stops ``waspada serve`` and the worker at start instead of failing the pages later."""

from __future__ import annotations

from typing import Any

from django.core.checks import CheckMessage, Error, register

from waspada.risk.active import active_config
from waspada.risk.config import ConfigError


@register()
def risk_config_loads(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    try:
        active_config()
    except ConfigError as exc:
        return [Error(str(exc), hint="Fix the file or unset WASPADA_RISK_CONFIG.", id="waspada.risk.E001")]
    return []
