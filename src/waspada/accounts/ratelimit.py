"""Login throttling: after too many failures for one username or one address, refuse for a while.

Counters live in the cache (the file cache shared by all server processes, or Redis when configured).
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.cache import cache


def _key(kind: str, value: str) -> str:
    digest = hashlib.sha256(value.strip().lower().encode()).hexdigest()[:32]
    return f"login-fail:{kind}:{digest}"


def _keys(username: str, address: str) -> list[str]:
    return [_key("user", username), _key("addr", address)]


def is_locked(username: str, address: str) -> bool:
    # One address may carry a whole office behind NAT, so it gets a larger allowance than one username.
    limit = settings.LOGIN_MAX_FAILURES
    user_key, addr_key = _keys(username, address)
    return (cache.get(user_key) or 0) >= limit or (cache.get(addr_key) or 0) >= 4 * limit


def note_failure(username: str, address: str) -> None:
    for k in _keys(username, address):
        if not cache.add(k, 1, timeout=settings.LOGIN_LOCKOUT_SECONDS):
            try:
                cache.incr(k)
            except ValueError:  # expired between add and incr
                cache.set(k, 1, timeout=settings.LOGIN_LOCKOUT_SECONDS)


def clear(username: str) -> None:
    """After a successful login; the address counter keeps running so guessing across accounts stays slow."""
    cache.delete(_key("user", username))
