"""What ``waspada report`` and ``waspada export`` share: reading a region, a date and a user, and writing
the output file safely (checked before the work, written whole or not at all). Errors name the option and
the value or the file."""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import CommandError

from waspada.accounts.access import actor_for
from waspada.regions.codes import InvalidCode, normalize_code
from waspada.regions.models import Region
from waspada.reporting.period import PeriodError, parse_date

USAGE_ERROR = 2


def region_option(raw: str, option: str = "--region") -> Region:
    try:
        code = normalize_code(raw)
    except InvalidCode as exc:
        raise CommandError(f"{option} {raw}: {exc}", returncode=USAGE_ERROR) from None
    region = Region.objects.filter(code=code).defer("geometry", "display_geometry").first()
    if region is None:
        raise CommandError(
            f"{option} {code}: wilayah tidak ada di gazetir (muat dengan `waspada regions load`)",
            returncode=USAGE_ERROR,
        )
    return region


def date_option(raw: str, option: str) -> dt.date:
    try:
        return parse_date(raw)
    except PeriodError as exc:
        raise CommandError(f"{option}: {exc}", returncode=USAGE_ERROR) from None


def user_option(username: str | None) -> Any:
    if not username:
        return None
    user = get_user_model().objects.filter(username=username, is_active=True).first()
    if user is None or actor_for(user) is None:
        raise CommandError(
            f"--as {username}: pengguna tidak ada, tidak aktif atau tanpa peran", returncode=USAGE_ERROR
        )
    return user


def output_option(raw: str, suffixes: tuple[str, ...] | None = None) -> Path:
    """The output path, refused before any work when it cannot be written."""
    path = Path(raw).expanduser()
    if path.is_dir():
        raise CommandError(f"--output {path}: ini folder, bukan berkas", returncode=USAGE_ERROR)
    if suffixes is not None and path.suffix.lower() not in suffixes:
        raise CommandError(
            f"--output {path}: akhiran berkas harus {' atau '.join(suffixes)}", returncode=USAGE_ERROR
        )
    parent = path.parent if str(path.parent) else Path(".")
    if not parent.is_dir():
        raise CommandError(
            f"--output {path}: folder {parent} tidak ada (atau bukan folder)", returncode=USAGE_ERROR
        )
    if path.exists() and not os.access(path, os.W_OK):
        raise CommandError(f"--output {path}: tidak dapat ditulis (izin ditolak)", returncode=USAGE_ERROR)
    try:  # the honest test (permissions, read-only file systems, root): write a probe beside it
        with tempfile.NamedTemporaryFile(dir=parent, prefix=f".{path.name}.", suffix=".probe"):
            pass
    except OSError as exc:
        raise CommandError(
            f"--output {path}: tidak dapat ditulis ({exc.strerror or exc})", returncode=USAGE_ERROR
        ) from None
    return path


def write_atomically(path: Path, content: bytes) -> None:
    """Write the whole file or nothing: a temporary file beside it, then a rename."""
    try:
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(content)
            os.chmod(tmp, 0o644)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except OSError as exc:
        raise CommandError(f"--output {path}: tidak dapat ditulis ({exc.strerror or exc})") from None
