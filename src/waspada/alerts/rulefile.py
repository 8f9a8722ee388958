"""Alert rules and notification channels from a TOML file (``waspada alerts import-rules FILE.toml``), as an
alternative to the admin pages. Every entry is validated before anything is stored; errors name the file,
the entry and the field. Entries are matched by name, so importing the same file twice changes nothing.

::

    [[rule]]
    name = "Bentrok berulang"
    kind = "incident_count"          # see waspada.alerts.rules for the kinds and their params
    scope = "65"                     # region code; "" or "nasional" = the whole country
    level = 3                        # group situations per kecamatan
    cooldown_minutes = 360
    ack_timeout_minutes = 30
    recipient_roles = ["koordinator", "analis"]
    params = { count = 3, hours = 24, event_types = ["supporter_clash", "riot"] }

    [[channel]]
    name = "Posko Kesbangpol"
    kind = "webhook"
    scope = "65"
    config = { url = "https://posko.example/hook", secret = "${POSKO_SECRET}" }

A string ``"${NAME}"`` in a channel's config is replaced by the environment variable ``NAME`` (so tokens and
secrets need not be written in the file).
"""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from waspada.alerts.schemas import CHANNEL_CONFIG, RULE_PARAMS, validation_message

RoleName = Literal["pelapor", "analis", "koordinator", "pimpinan", "admin"]
CODE = re.compile(r"^\d{2}(\.\d{2}(\.\d{2}(\.\d{4})?)?)?$")
ENV_REF = re.compile(r"^\$\{([A-Z][A-Z0-9_]*)\}$")


class RuleFileError(ValueError):
    """The file cannot be used; the message names the file, the entry and the field."""


class _Entry(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=120)
    scope: str = Field("", max_length=13)

    @field_validator("scope")
    @classmethod
    def _scope(cls, value: str) -> str:
        value = value.strip()
        if value.lower() == "nasional":
            return ""
        if value and not CODE.match(value):
            raise ValueError(f"kode wilayah tidak sah: {value!r} (contoh: 65, 65.03, 65.03.01)")
        return value


class RuleIn(_Entry):
    kind: str
    params: dict[str, Any] = Field(default_factory=dict)
    level: int | None = Field(None, ge=1, le=4)
    cooldown_minutes: int = Field(360, ge=0, le=60 * 24 * 365)
    ack_timeout_minutes: int = Field(30, ge=0, le=60 * 24 * 30)
    recipient_roles: list[RoleName] = Field(default_factory=list)
    enabled: bool = True

    @field_validator("kind")
    @classmethod
    def _kind(cls, value: str) -> str:
        if value not in RULE_PARAMS:
            raise ValueError(f"jenis aturan tidak dikenal: {value!r} (ada: {', '.join(RULE_PARAMS)})")
        return value


class ChannelIn(_Entry):
    kind: str
    config: dict[str, Any] = Field(default_factory=dict)
    roles: list[RoleName] = Field(default_factory=list)
    enabled: bool = True

    @field_validator("kind")
    @classmethod
    def _kind(cls, value: str) -> str:
        if value not in CHANNEL_CONFIG:
            raise ValueError(f"jenis kanal tidak dikenal: {value!r} (ada: {', '.join(CHANNEL_CONFIG)})")
        return value


@dataclass(frozen=True, slots=True)
class RuleFile:
    rules: list[RuleIn]
    channels: list[ChannelIn]
    source: str = "berkas"


def _expand(value: Any, where: str) -> Any:
    if isinstance(value, str) and (m := ENV_REF.match(value)):
        if m.group(1) not in os.environ:
            raise RuleFileError(f"{where}: variabel lingkungan {m.group(1)} belum diatur")
        return os.environ[m.group(1)]
    if isinstance(value, dict):
        return {k: _expand(v, where) for k, v in value.items()}
    if isinstance(value, list):
        return [_expand(v, where) for v in value]
    return value


def parse(text: str, source: str = "berkas") -> RuleFile:
    """Validate the whole file; the first problem found is raised as :class:`RuleFileError`."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise RuleFileError(f"{source}: bukan TOML yang sah: {exc}") from None
    unknown = sorted(set(data) - {"rule", "channel"})
    if unknown:
        raise RuleFileError(
            f"{source}: bagian tidak dikenal: {', '.join(unknown)} (yang ada: [[rule]], [[channel]])"
        )
    rules: list[RuleIn] = []
    channels: list[ChannelIn] = []
    for table, model, out in (("rule", RuleIn, rules), ("channel", ChannelIn, channels)):
        entries = data.get(table, [])
        if not isinstance(entries, list):
            raise RuleFileError(f"{source}: tulis [[{table}]], bukan [{table}]")
        seen: set[str] = set()
        for n, raw in enumerate(entries, start=1):
            label = raw.get("name") if isinstance(raw, dict) else None
            where = f"{source}: [[{table}]] ke-{n}" + (f" ({label})" if label else "")
            try:
                entry = model.model_validate(raw)
                if isinstance(entry, RuleIn):
                    entry.params = (
                        RULE_PARAMS[entry.kind].model_validate(entry.params).model_dump(mode="json")
                    )
                elif isinstance(entry, ChannelIn):
                    config = _expand(entry.config, where)
                    entry.config = (
                        CHANNEL_CONFIG[entry.kind]
                        .model_validate(config)
                        .model_dump(mode="json", exclude_defaults=True)
                    )
            except ValidationError as exc:
                raise RuleFileError(f"{where}: {validation_message(exc)}") from None
            if entry.name in seen:
                raise RuleFileError(f"{where}: nama {entry.name!r} dipakai dua kali")
            seen.add(entry.name)
            out.append(entry)  # type: ignore[arg-type]
    return RuleFile(rules, channels, source)


def read(path: Path) -> RuleFile:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise RuleFileError(f"{path}: berkas tidak ditemukan") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise RuleFileError(f"{path}: tidak dapat dibaca: {exc}") from None
    return parse(text, str(path))
