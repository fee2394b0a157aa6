"""Spam protection of public consultation comments, without third-party services.

Five independent checks, each cheap: a honeypot field people never see, a signed form
timestamp (a form posted too fast, or too long after it was shown, is refused), a rate limit per
keyed hash of the client address (the address itself is never stored), a limit on links, and
limits on the length. The comment form runs them before the service stores anything.
"""

from __future__ import annotations

import re
import time

from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.http import HttpRequest
from django.utils.crypto import salted_hmac

SIGNING_SALT = "kotoverkko.planning.consultation.form"
MIN_FILL_SECONDS = 3  # a person needs longer than this to read the form and write anything
MAX_FORM_AGE_SECONDS = 6 * 60 * 60  # a form left open longer is shown again, fresh
COMMENTS_PER_HOUR = 5  # per client address and consultation
MAX_LINKS = 2
MIN_LENGTH = 3
MAX_LENGTH = 5000
LINK_PATTERN = re.compile(r"(https?://|www\.)", re.IGNORECASE)


def form_token(consultation_id: int, *, now: float | None = None) -> str:
    """A signed value holding the consultation and when the form was shown."""
    issued = int(now if now is not None else time.time())
    return signing.dumps({"c": consultation_id, "t": issued}, salt=SIGNING_SALT, compress=True)


def token_problem(token: str, consultation_id: int, *, now: float | None = None) -> str:
    """ "" when the token is good; else "invalid", "too_fast" or "expired"."""
    try:
        payload = signing.loads(token or "", salt=SIGNING_SALT)
    except signing.BadSignature:
        return "invalid"
    if not isinstance(payload, dict) or payload.get("c") != consultation_id:
        return "invalid"
    age = (now if now is not None else time.time()) - int(payload.get("t", 0))
    if age < MIN_FILL_SECONDS:
        return "too_fast"
    if age > MAX_FORM_AGE_SECONDS:
        return "expired"
    return ""


def link_count(text: str) -> int:
    return len(LINK_PATTERN.findall(text or ""))


def client_key(request: HttpRequest, consultation_id: int) -> str:
    """A keyed hash of the client address (behind the TLS proxy: the last forwarded address)."""
    address = request.META.get("REMOTE_ADDR", "")
    if getattr(settings, "SECURE_PROXY_SSL_HEADER", None):
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        address = next((part for part in reversed(forwarded) if part), address)
    digest = salted_hmac("kotoverkko.planning.consultation", address, algorithm="sha256").hexdigest()
    return f"planning:consultation:{consultation_id}:{digest}"


def rate_limit_reached(request: HttpRequest, consultation_id: int) -> bool:
    """True when the client has already sent COMMENTS_PER_HOUR comments within the hour."""
    return cache.get(client_key(request, consultation_id), 0) >= COMMENTS_PER_HOUR


def count_comment(request: HttpRequest, consultation_id: int) -> None:
    key = client_key(request, consultation_id)
    cache.add(key, 0, timeout=60 * 60)
    try:
        cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=60 * 60)
