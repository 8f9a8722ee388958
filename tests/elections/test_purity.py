"""The integrity package is pure: importing it (and every module of it) loads no Django."""

from __future__ import annotations

import subprocess
import sys


def test_the_integrity_package_imports_without_django() -> None:
    code = (
        "import sys, pkgutil, importlib, waspada.elections.integrity as p\n"
        "for m in pkgutil.iter_modules(p.__path__): importlib.import_module(f'{p.__name__}.{m.name}')\n"
        "print(sorted(m for m in sys.modules if m == 'django' or m.startswith('django.')))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"
