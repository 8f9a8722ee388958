"""The indicator framework of the Peta Rawan Konflik: dimensions → sub-dimensions → indicators, from TOML.

Pure Python (pydantic + tomllib), no Django. :func:`load_config` reads and validates a TOML file and
raises :class:`ConfigError` whose message names the key path of every problem, e.g.
``dimensions[kontestasi].subdimensions[persaingan].indicators[selisih_suara].weight``.

Weights are relative: an indicator's effective weight is its dimension's share of all dimension weights
× its sub-dimension's share within the dimension × its own share within the sub-dimension, so the
effective weights of all indicators sum to 1 and a score is 100 × Σ weight × normalised value.
"""

from __future__ import annotations

import hashlib
import json
import math
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from waspada import taxonomy

DEFAULT_CONFIG_PATH = Path(__file__).with_name("default_index.toml")

Identifier = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]{0,47}$")]
Text = Annotated[str, Field(min_length=1, max_length=2000)]
Label = Annotated[str, Field(min_length=1, max_length=120)]
Weight = Annotated[float, Field(gt=0, le=1000)]
Level = Annotated[int, Field(ge=1, le=4)]

Direction = Literal["higher_is_riskier", "lower_is_riskier"]
Aggregation = Literal["population_mean", "max", "sum"]
MissingPolicy = Literal["zero", "median_siblings", "exclude"]


class ConfigError(ValueError):
    """An index configuration we cannot use; the message lists each problem with its key path."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Labels(_Strict):
    id: Label
    en: Label


# --- Sources -----------------------------------------------------------------------------------------


class StaticSource(_Strict):
    """A table by region code imported with ``waspada risk import-static`` at one level."""

    kind: Literal["static"]
    level: Level
    min: float | None = None
    max: float | None = None

    @model_validator(mode="after")
    def _range(self) -> StaticSource:
        if self.min is not None and self.max is not None and self.min >= self.max:
            raise ValueError("min must be below max")
        return self


class IncidentSource(_Strict):
    """Verified incidents (kejadian) in the region or in the region above it, weighted by time decay."""

    kind: Literal["incidents"]
    measure: Literal["events", "severity", "casualties", "presence"] = "severity"
    event_types: tuple[str, ...] = ()
    violent_only: bool = False

    @model_validator(mode="after")
    def _known_types(self) -> IncidentSource:
        unknown = [code for code in self.event_types if not taxonomy.is_event_type(code)]
        if unknown:
            raise ValueError(f"unknown event types {unknown}; see docs/taxonomy.md")
        return self


class ReportSource(_Strict):
    """Field reports not yet verified nor rejected, weighted by time decay."""

    kind: Literal["reports"]
    measure: Literal["events"] = "events"
    event_types: tuple[str, ...] = ()


class NewsSource(_Strict):
    """Conflict findings from news analysis (missing until the news pipeline stores findings)."""

    kind: Literal["news"]
    measure: Literal["articles"] = "articles"


class ElectionSource(_Strict):
    """Facts of the contests covering the region in the latest election held on or before the date."""

    kind: Literal["elections"]
    measure: Literal[
        "margin_pct",
        "mk_eligible",
        "single_candidate",
        "mk_case",
        "turnout_pct",
        "invalid_pct",
        "recap_findings",
    ]


class CalendarSource(_Strict):
    """The election calendar: 1 from voting day until ``window_days`` after it (recap, penetapan, MK)."""

    kind: Literal["calendar"]
    measure: Literal["post_vote_window"] = "post_vote_window"
    window_days: int = Field(default=60, ge=1, le=365)


Source = Annotated[
    StaticSource | IncidentSource | ReportSource | NewsSource | ElectionSource | CalendarSource,
    Field(discriminator="kind"),
]


class Normalisation(_Strict):
    """``minmax`` and ``percentile`` are relative to the regions of the same level; ``fixed`` maps
    [lower, upper] to [0, 1] and clips."""

    method: Literal["minmax", "percentile", "fixed"]
    lower: float | None = None
    upper: float | None = None

    @model_validator(mode="after")
    def _bounds(self) -> Normalisation:
        if self.method == "fixed":
            if self.lower is None or self.upper is None:
                raise ValueError("a fixed scale needs lower and upper")
            if self.lower >= self.upper:
                raise ValueError("lower must be below upper")
        elif self.lower is not None or self.upper is not None:
            raise ValueError(f"lower/upper only apply to the fixed scale, not {self.method}")
        return self


class Indicator(_Strict):
    id: Identifier
    labels: Labels
    measures: Text
    why: Text
    data: Text
    source: Source
    direction: Direction = "higher_is_riskier"
    normalisation: Normalisation
    weight: Weight = 1.0
    aggregation: Aggregation = "population_mean"
    missing: MissingPolicy = "exclude"

    @model_validator(mode="after")
    def _fixed_sum(self) -> Indicator:
        if self.aggregation == "sum" and self.normalisation.method == "fixed":
            raise ValueError(
                "aggregation 'sum' with a fixed scale saturates at parent levels; use minmax or percentile, "
                "or a population_mean / max aggregation"
            )
        return self


class SubDimension(_Strict):
    id: Identifier
    labels: Labels
    weight: Weight = 1.0
    indicators: list[Indicator] = Field(min_length=1)


class Dimension(_Strict):
    id: Identifier
    labels: Labels
    description: Text
    weight: Weight = 1.0
    subdimensions: list[SubDimension] = Field(min_length=1)


class Category(_Strict):
    code: Identifier
    labels: Labels
    min: float = Field(ge=0, le=100)


class IndexSettings(_Strict):
    input_level: Level = 4
    half_life_days: float = Field(default=14.0, gt=0, le=3650)
    window_days: int = Field(default=90, ge=1, le=3650)


class IndexConfig(_Strict):
    name: Labels
    index: IndexSettings = IndexSettings()
    categories: list[Category] = Field(min_length=2)
    dimensions: list[Dimension] = Field(min_length=1)

    @model_validator(mode="after")
    def _consistency(self) -> IndexConfig:
        mins = [c.min for c in self.categories]
        if mins[0] != 0:
            raise ValueError("categories: the first category must start at min = 0")
        if any(b <= a for a, b in zip(mins, mins[1:], strict=False)):
            raise ValueError("categories: min must increase strictly from one category to the next")
        seen: set[str] = set()
        for ident in (
            [d.id for d in self.dimensions]
            + [s.id for d in self.dimensions for s in d.subdimensions]
            + [i.id for i in self.indicators]
        ):
            if ident in seen:
                raise ValueError(f"id {ident!r} is used twice; every id must be unique")
            seen.add(ident)
        for ind in self.indicators:
            if isinstance(ind.source, StaticSource) and ind.source.level > self.index.input_level:
                raise ValueError(
                    f"indicator {ind.id}: static level {ind.source.level} is below the input level "
                    f"{self.index.input_level}"
                )
        return self

    @property
    def indicators(self) -> list[Indicator]:
        return [i for d in self.dimensions for s in d.subdimensions for i in s.indicators]

    @property
    def indicator_ids(self) -> tuple[str, ...]:
        return tuple(i.id for i in self.indicators)

    def indicator(self, ident: str) -> Indicator:
        for ind in self.indicators:
            if ind.id == ident:
                return ind
        raise KeyError(ident)

    def effective_weights(self) -> list[float]:
        """Each indicator's share of the score (sums to 1), in :attr:`indicators` order."""
        weights: list[float] = []
        total_d = sum(d.weight for d in self.dimensions)
        for d in self.dimensions:
            total_s = sum(s.weight for s in d.subdimensions)
            for s in d.subdimensions:
                total_i = sum(i.weight for i in s.indicators)
                weights.extend(
                    (d.weight / total_d) * (s.weight / total_s) * (i.weight / total_i) for i in s.indicators
                )
        return weights

    @cached_property
    def version(self) -> str:
        """A short hash of the validated content: snapshots record which configuration produced them."""
        canonical = json.dumps(self.model_dump(mode="json"), sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:16]

    def category_for(self, score: float) -> Category | None:
        """The category of a score, judged on the score rounded to 2 decimals as published."""
        if score != score:  # NaN: no data
            return None
        rounded = round_score(score)
        found = self.categories[0]
        for cat in self.categories:
            if rounded >= cat.min:
                found = cat
        return found


def round_score(score: float) -> float:
    """Half up to 2 decimals, as the IKP publishes scores (the same arithmetic as the vectorised path)."""
    return math.floor(score * 100 + 0.5) / 100


# --- Loading -----------------------------------------------------------------------------------------


def _key_path(raw: Any, loc: Sequence[int | str]) -> str:
    """``dimensions[kontestasi].subdimensions[persaingan].indicators[selisih_suara].weight``: list
    positions are shown by the item's id when it has one."""
    parts: list[str] = []
    node: Any = raw
    for step in loc:
        if isinstance(step, int):
            item = node[step] if isinstance(node, list) and 0 <= step < len(node) else None
            ident = item.get("id") or item.get("code") if isinstance(item, dict) else None
            label = ident if isinstance(ident, str) else str(step)
            if parts:
                parts[-1] += f"[{label}]"
            else:
                parts.append(f"[{label}]")
            node = item
        else:
            if node is not None and isinstance(node, dict) and step in node:
                node = node[step]
            elif step in {"static", "incidents", "reports", "news", "elections", "calendar"}:
                continue  # the discriminator's branch name, not a key
            else:
                node = None
            parts.append(str(step))
    return ".".join(parts) or "(root)"


@dataclass(frozen=True)
class Problem:
    path: str
    message: str


def parse_config(raw: dict[str, Any], origin: str = "config") -> IndexConfig:
    try:
        return IndexConfig.model_validate(raw)
    except ValidationError as exc:
        problems = [
            Problem(_key_path(raw, err["loc"]), err["msg"].removeprefix("Value error, "))
            for err in exc.errors()
        ]
        lines = "\n".join(f"  {p.path}: {p.message}" for p in problems)
        raise ConfigError(
            f"{origin}: konfigurasi indeks tidak sah / invalid index config:\n{lines}"
        ) from None


def loads_config(text: str, origin: str = "config") -> IndexConfig:
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{origin}: bukan TOML yang sah / not valid TOML: {exc}") from None
    return parse_config(raw, origin)


def load_config(path: Path | None = None) -> IndexConfig:
    """The configuration at ``path``, or the shipped default (``default_index.toml``)."""
    path = path or DEFAULT_CONFIG_PATH
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"{path}: tidak dapat dibaca / cannot be read: {exc.strerror}") from None
    return loads_config(text, str(path))
