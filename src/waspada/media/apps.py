from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MediaConfig(AppConfig):
    name = "waspada.media"
    label = "media"
    verbose_name = _("News monitoring")
