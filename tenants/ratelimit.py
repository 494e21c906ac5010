"""Fixed-window rate limits in Django's cache: a counter per key that expires with its window.

The cache is per process (locmem) unless settings point it at a shared one, so with several web
processes a client gets at most that many times the limit; enough to stop a script filling the table.
"""

from __future__ import annotations

import hashlib

from django.core.cache import cache


def rate_limit_exceeded(*, scope: str, key: str, limit: tuple[int, int]) -> bool:
    """Count one attempt for ``key`` in ``scope``; True once more than ``limit`` = (attempts, seconds)."""
    attempts, seconds = limit
    # Hashed: keys hold e-mail addresses, which do not belong in cache keys (or logs of them) in clear.
    digest = hashlib.sha256(key.strip().lower().encode()).hexdigest()[:32]
    cache_key = f"ratelimit:{scope}:{digest}"
    if cache.add(cache_key, 1, timeout=seconds):
        return attempts < 1
    try:
        count = cache.incr(cache_key)
    except ValueError:  # expired between add and incr: this attempt opens a new window
        cache.add(cache_key, 1, timeout=seconds)
        return attempts < 1
    return count > attempts
