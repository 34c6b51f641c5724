"""Who a bearer token is, remembered for a moment (``TOKEN_CACHE_SEC``) per process.

Every API request names its token; reading the token row each time cost a pooled
connection and a round trip per request, most of a light request's database work.
Only tokens found valid are remembered (a token minted a moment ago in another process
works at once), and any revocation in this process forgets them all, so a revoked or
disabled user's token stops here at once and elsewhere within the cache time.
"""

from __future__ import annotations

import threading
import time
from typing import TYPE_CHECKING

from backend.core.config import get_settings
from backend.core.security import hash_token

if TYPE_CHECKING:
    from backend.auth.tokens import Principal

__all__ = ["cached_principal", "remember_principal", "forget_principals"]

_MAX_ENTRIES = 10_000
_lock = threading.Lock()
_entries: dict[str, tuple[float, Principal]] = {}


def cached_principal(plaintext: str) -> Principal | None:
    """The token's principal if it was verified less than TOKEN_CACHE_SEC ago."""
    entry = _entries.get(hash_token(plaintext))
    if entry is None or entry[0] <= time.monotonic():
        return None
    return entry[1]


def remember_principal(plaintext: str, principal: Principal) -> None:
    """Remember a token just verified against the database."""
    ttl = get_settings().token_cache_sec
    if ttl <= 0:
        return
    with _lock:
        if len(_entries) >= _MAX_ENTRIES:
            _entries.clear()  # tokens are few; this bounds memory against a flood
        _entries[hash_token(plaintext)] = (time.monotonic() + ttl, principal)


def forget_principals() -> None:
    """Drop every remembered token (a token was revoked or a user disabled)."""
    with _lock:
        _entries.clear()
