"""Rate limits: anonymous clients per (hashed) address, tokens per token, in fixed windows.

Limits are "requests/seconds" strings read from settings with defaults, so operators can tune
them without a code change: API_ANON_RATE (default 120/60) and API_TOKEN_RATE (default 1200/60).
"""

from __future__ import annotations

import threading
import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from django.utils.crypto import salted_hmac
from ninja.throttling import BaseThrottle

from .models import ApiToken

DEFAULT_ANON_RATE = "120/60"
DEFAULT_TOKEN_RATE = "1200/60"  # noqa: S105 (a rate, not a secret)


def parse_rate(rate: str) -> tuple[int, int]:
    count, _sep, seconds = rate.partition("/")
    return int(count), int(seconds or 60)


def client_address(request: HttpRequest) -> str:
    """The client's address; behind the TLS proxy, the last one the proxy appended."""
    address = request.META.get("REMOTE_ADDR", "")
    if getattr(settings, "SECURE_PROXY_SSL_HEADER", None):
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        address = next((part for part in reversed(forwarded) if part), address)
    return address


class ClientRateThrottle(BaseThrottle):
    """One counter per client and window in the cache; the address itself is never stored."""

    def __init__(self) -> None:
        self._local = threading.local()

    def allow_request(self, request: HttpRequest) -> bool:
        token = request.auth if isinstance(getattr(request, "auth", None), ApiToken) else None
        if token is not None:
            limit, seconds = parse_rate(getattr(settings, "API_TOKEN_RATE", DEFAULT_TOKEN_RATE))
            ident = f"token:{token.pk}"
        else:
            limit, seconds = parse_rate(getattr(settings, "API_ANON_RATE", DEFAULT_ANON_RATE))
            digest = salted_hmac("kotoverkko.api.rate", client_address(request), algorithm="sha256")
            ident = f"anon:{digest.hexdigest()[:32]}"
        now = time.time()
        window = int(now // seconds)
        key = f"api:rate:{ident}:{window}"
        cache.add(key, 0, timeout=seconds + 1)
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, timeout=seconds + 1)
            count = 1
        self._local.wait = (window + 1) * seconds - now
        return count <= limit

    def wait(self) -> float | None:
        return getattr(self._local, "wait", None)
