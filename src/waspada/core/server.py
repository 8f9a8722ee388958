"""The production server: gunicorn with threaded workers, serving the Django application and its static
files (whitenoise). Used by ``waspada serve`` and ``waspada demo``."""

from __future__ import annotations

import os
from typing import Any

from gunicorn.app.base import BaseApplication


class WaspadaServer(BaseApplication):  # type: ignore[misc]
    def __init__(self, options: dict[str, Any]) -> None:
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            if key in self.cfg.settings and value is not None:
                self.cfg.set(key, value)

    def load(self) -> Any:
        from waspada.wsgi import application

        return application


def default_workers() -> int:
    return max(2, min(4, (os.cpu_count() or 1) + 1))


def serve(host: str, port: int, *, workers: int | None = None, threads: int = 4) -> None:
    options = {
        "bind": f"{host}:{port}",
        "workers": workers or default_workers(),
        "worker_class": "gthread",
        "threads": threads,
        "timeout": 60,
        "graceful_timeout": 20,
        "accesslog": "-",
        # Path only, never the query string: searches may hold names.
        "access_log_format": '%(h)s "%(m)s %(U)s" %(s)s %(B)s %(M)sms',
        "errorlog": "-",
        "proc_name": "waspada",
        "forwarded_allow_ips": os.environ.get("WASPADA_FORWARDED_ALLOW_IPS", "127.0.0.1"),
    }
    WaspadaServer(options).run()
