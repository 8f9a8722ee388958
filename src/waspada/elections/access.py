"""Who may change election results and findings — one place for pages, API and commands.

* Reading results and findings: ``Action.VIEW_AGGREGATES`` in scope (:mod:`waspada.elections.queries`).
* Reviewing a finding (acknowledge, dismiss, reopen, with a note): ``Action.ACKNOWLEDGE_ALERTS`` — Analis,
  Koordinator and Admin — in the scope covering the finding's region; Pimpinan reads only.
* Importing result files: ``Action.REVIEW_REPORTS`` (Analis, Koordinator, Admin, who import data); every
  TPS or race must lie in the importer's scope.

A finding outside the user's scope does not exist for them (404); a role without the action gets 403.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404

from waspada.accounts.access import Action, actor_for, covers, may, scope_q
from waspada.elections.results import RecapFinding

MAX_ID = 2**63 - 1


def get_finding_for(user: Any, pk: Any) -> RecapFinding:
    """The finding when the user may read it (any role with aggregates, in scope); otherwise 404."""
    if not may(user, Action.VIEW_AGGREGATES):
        raise Http404("finding not found")
    try:
        if not 0 < int(pk) < MAX_ID:
            raise ValueError(pk)
        return (
            RecapFinding.objects.filter(scope_q(user, "region_code"))
            .select_related("election", "contest", "reviewed_by")
            .get(pk=int(pk))
        )
    except (RecapFinding.DoesNotExist, TypeError, ValueError, OverflowError):
        raise Http404("finding not found") from None


def can_review_finding(user: Any, finding: RecapFinding) -> bool:
    return may(user, Action.ACKNOWLEDGE_ALERTS, finding.region_code or None) and (
        bool(finding.region_code) or _national(user)
    )


def can_review_findings(user: Any) -> bool:
    """Whether the role reviews findings at all (to show the buttons)."""
    return may(user, Action.ACKNOWLEDGE_ALERTS)


def can_import_results(user: Any) -> bool:
    return may(user, Action.REVIEW_REPORTS)


def import_scope(user: Any) -> Any:
    """A test of region codes for an import by ``user``: True when the region lies in their scope
    (``""`` — a national race — only for national users)."""
    actor = actor_for(user)

    def allowed(code: str) -> bool:
        if actor is None:
            return False
        if not code:
            return actor.scope is None
        return covers(actor.scope, code)

    return allowed


def _national(user: Any) -> bool:
    actor = actor_for(user)
    return actor is not None and actor.scope is None
