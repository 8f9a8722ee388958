"""Writing the audit log. Call ``record`` inside the same transaction as the change it describes."""

from __future__ import annotations

from typing import Any

from waspada.accounts.models import AuditLog


def record(
    actor: Any,
    action: str,
    obj: Any = None,
    *,
    object_type: str = "",
    object_id: str = "",
    region_code: str = "",
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    note: str = "",
) -> AuditLog:
    """One audit row. ``actor`` is a user, or None for the system; ``obj`` a model instance (optional)."""
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
        region_code = region_code or str(getattr(obj, "region_id", "") or "")
    user = actor if getattr(actor, "is_authenticated", False) else None
    return AuditLog.objects.create(
        actor=user,
        actor_label=user.get_username() if user is not None else "system",
        action=action,
        object_type=object_type,
        object_id=object_id,
        region_code=region_code,
        before=before,
        after=after,
        note=note,
    )
