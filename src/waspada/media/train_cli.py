"""The ``waspada media train`` and ``waspada media models`` subcommands (called by the media command)."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import CommandError, OutputWrapper

from waspada.nlp.model import ModelError

from .model_store import current_version, list_models, use_model

ROWS = (
    ("relevance F1", "relevance_f1"),
    ("relevance precision", "relevance_precision"),
    ("relevance recall", "relevance_recall"),
    ("event-type macro-F1", "event_macro_f1"),
    ("kab/kota accuracy", "kabkota_accuracy"),
)


def train(out: OutputWrapper, *, force: bool, corpus_only: bool, as_json: bool) -> None:
    from .retrain import retrain

    result = retrain(extra=[] if corpus_only else None, force=force)
    if as_json:
        out.write(
            json.dumps(
                {
                    "version": result.model.version,
                    "path": result.path,
                    "activated": result.activated,
                    "corpus_articles": result.corpus_articles,
                    "analyst_articles": result.analyst_articles,
                    "held_out": result.metrics,
                    "previous": result.previous_metrics,
                    "rules_only": result.rules_metrics,
                },
                ensure_ascii=False,
            )
        )
        return
    out.write(
        f"Model {result.model.version} dilatih dari {result.corpus_articles} artikel korpus "
        f"dan {result.analyst_articles} keputusan analis."
    )
    out.write(f"Uji pada {result.metrics['articles']} artikel yang tidak pernah dilatih (held-out):")
    header = f"  {'':24}{'model baru':>12}{'model aktif':>13}{'aturan saja':>13}"
    out.write(header)
    for label, key in ROWS:
        old = result.previous_metrics[key] if result.previous_metrics else None
        cells = f"{result.metrics[key]:>12.3f}" + (f"{old:>13.3f}" if old is not None else f"{'-':>13}")
        out.write(f"  {label:24}{cells}{result.rules_metrics[key]:>13.3f}")
    out.write(f"Disimpan: {result.path}")
    if result.activated:
        out.write("Model baru kini dipakai untuk analisis berita.")
    else:
        out.write(
            "Model baru TIDAK dipakai: skornya lebih rendah daripada model aktif. "
            f"Pakai tetap dengan `waspada media models use {result.model.version}` atau `train --force`."
        )


def models(out: OutputWrapper, options: dict[str, Any]) -> None:
    if options.get("models_action") == "use":
        try:
            use_model(options["version"])
        except ModelError as exc:
            raise CommandError(f"model {options['version']}: {exc}") from None
        out.write(f"Model {options['version']} kini dipakai.")
        return
    stored = list_models()
    if not stored:
        out.write("Belum ada model yang dilatih di sini; analisis memakai model bawaan Waspada.")
        return
    for item in stored:
        metrics = item.info.get("held_out_metrics") or {}
        mark = "*" if item.current else " "
        out.write(
            f"{mark} {item.version}  relevansi F1 {metrics.get('relevance_f1', 0):.3f}  "
            f"jenis macro-F1 {metrics.get('event_macro_f1', 0):.3f}  "
            f"kab/kota {metrics.get('kabkota_accuracy', 0):.3f}  "
            f"analis {item.info.get('analyst_articles', 0)}"
        )
    if current_version() is None:
        out.write("(model bawaan Waspada yang dipakai)")
