"""The body of ``waspada risk export --level N --format csv|xlsx|geojson --output FILE``.

Exports the stored snapshot (the latest, or the latest on or before ``--at``) — the same rows and columns as
the ranking page's export links. ``--as USER`` applies that user's region scope and needs their role to
allow exporting; ``--within CODE`` keeps the regions under one region (inside the scope).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import CommandError
from django.http import Http404

from waspada.accounts.access import Action, actor_for
from waspada.regions.codes import InvalidCode, normalize_code
from waspada.risk import export, exporting, queries
from waspada.risk.config import IndexConfig
from waspada.risk.ranking import sort_rows


def _scope(username: str | None) -> str | None:
    if not username:
        return None
    user = get_user_model().objects.filter(username=username).first()
    if user is None:
        raise CommandError(f"--as {username}: pengguna tidak ditemukan")
    actor = actor_for(user)
    if actor is None or not actor.can(Action.EXPORT_DATA) or not actor.can(Action.VIEW_MAP):
        raise CommandError(f"--as {username}: peran pengguna ini tidak boleh mengekspor indeks")
    return actor.scope


def run_export(config: IndexConfig, options: dict[str, Any]) -> str:
    scope = _scope(options.get("as_user"))
    parent = None
    if options.get("within"):
        try:
            code = normalize_code(options["within"])
        except InvalidCode as exc:
            raise CommandError(f"--within: {exc}") from None
        try:
            parent = queries.region_in_scope(scope, code)
        except Http404:
            raise CommandError(f"--within {code}: wilayah tidak dikenal atau di luar cakupan") from None
    ranking = queries.ranking(
        scope, options["level"], config, parent=parent, at=options.get("at"), with_contributions=True
    )
    if ranking.key is None:
        when = f" sampai {options['at']}" if options.get("at") else ""
        raise CommandError(f"belum ada snapshot indeks{when}; jalankan dulu `waspada risk snapshot`")
    rows = sort_rows(ranking.rows)
    fmt: str = options["format"]
    output: Path = options["output"]
    head = exporting.header(config)
    try:
        if fmt == "xlsx":
            with output.open("wb") as fh:
                export.write_xlsx(
                    fh,
                    head,
                    exporting.records(ranking, rows, config),
                    title=f"tingkat{ranking.level}",
                    notes=exporting.notes(ranking, config, scope),
                )
        else:
            if fmt == "csv":
                chunks = export.csv_chunks(head, exporting.records(ranking, rows, config))
            else:
                chunks = export.geojson_chunks(
                    head,
                    exporting.records(ranking, rows, config),
                    exporting.Geometries([r.code for r in rows], simplified=bool(options.get("simplified"))),
                    metadata=exporting.metadata(ranking, config, scope),
                )
            with output.open("w", encoding="utf-8", newline="") as fh:
                for chunk in chunks:
                    fh.write(chunk)
    except OSError as exc:
        raise CommandError(f"{output}: tidak dapat ditulis ({exc.strerror})") from None
    return (
        f"{len(rows)} wilayah tingkat {ranking.level}, snapshot {ranking.key.date} "
        f"(config {ranking.key.config_version}) → {output}"
    )
