"""The alerts' periodic jobs (listed in ``waspada.core.jobs.JOBS``); each returns a small dict of counts."""

from __future__ import annotations

from waspada.alerts import delivery, evaluation, services


def evaluate() -> dict[str, int]:
    raised, grown = evaluation.evaluate_rules()
    return {"raised": len(raised), "grown": len(grown)}


def escalate() -> dict[str, int]:
    return {"escalated": len(services.escalate_due())}


def deliver() -> dict[str, int]:
    return delivery.sweep()
