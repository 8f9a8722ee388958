"""Mark the index dirty when a verified incident or a stored recapitulation finding changes.

Incidents are verified events (a report becomes one when an analyst verifies it), so any saved or deleted
incident can move the index; recap findings feed the result-integrity dimension. The mark is written after
the change commits and never fails it. Bulk writes send no signal: ``recompute_if_due`` also compares
the last change times with its last run.
"""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_delete, post_save

from waspada.elections.results import RecapFinding
from waspada.reports.models import Incident
from waspada.risk.dirty import mark_dirty_after_commit


def _incident_changed(sender: Any, instance: Incident, **kwargs: Any) -> None:
    mark_dirty_after_commit(f"kejadian {instance.pk} ({instance.region_id})")


def _finding_changed(sender: Any, instance: RecapFinding, **kwargs: Any) -> None:
    mark_dirty_after_commit(f"temuan rekap {instance.rule} {instance.area_code}")


def connect() -> None:
    for name, signal in (("save", post_save), ("delete", post_delete)):
        signal.connect(_incident_changed, sender=Incident, dispatch_uid=f"risk-dirty-incident-{name}")
        signal.connect(_finding_changed, sender=RecapFinding, dispatch_uid=f"risk-dirty-finding-{name}")
