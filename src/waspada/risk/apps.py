from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RiskConfig(AppConfig):
    name = "waspada.risk"
    label = "risk"
    verbose_name = _("Vulnerability index")

    def ready(self) -> None:
        from waspada.risk import checks, signals  # noqa: F401 - checks register themselves

        signals.connect()
