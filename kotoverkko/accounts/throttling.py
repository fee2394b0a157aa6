"""Sign-in throttling: lock an account's sign-in after repeated failures.

Counts live in the shared cache under a hash of the e-mail address, so no address is stored
or logged. The count is per account, not per client address, because app servers behind a
load balancer may all see the balancer's address.
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.cache import cache


def _key(email: str) -> str:
    digest = hashlib.sha256(email.strip().lower().encode()).hexdigest()
    return f"signin-failures:{digest}"


def is_locked(email: str) -> bool:
    return cache.get(_key(email), 0) >= settings.SIGNIN_FAILURE_LIMIT


def record_failure(email: str) -> int:
    key = _key(email)
    cache.add(key, 0, timeout=settings.SIGNIN_LOCKOUT_SECONDS)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=settings.SIGNIN_LOCKOUT_SECONDS)
        count = 1
    # Each failure restarts the window, so a steady stream of guesses stays locked.
    cache.touch(key, timeout=settings.SIGNIN_LOCKOUT_SECONDS)
    return count


def reset(email: str) -> None:
    cache.delete(_key(email))


def lockout_minutes() -> int:
    return max(1, settings.SIGNIN_LOCKOUT_SECONDS // 60)
