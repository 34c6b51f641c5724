"""Who a bearer token is, remembered for a moment (``TOKEN_CACHE_SEC``) per process.

Every API request names its token; reading the token row each time cost a thread, a
pooled connection and a round trip per request, most of a light request's work. Only
tokens found valid are remembered (a token minted a moment ago in another process works
at once).

Several web processes (``WEB_WORKERS``, several hosts) each keep their own cache, so a
revocation must reach all of them at once. It does through one Redis key, the token
*generation*: every revocation, once committed, sets it to a new random value, and a
remembered token counts only while the generation it was verified under is still the
current one. Each request reads the key (one Redis GET, a fortieth of the request's
cost); the generation is read *before* the token row, so a revocation committed while
a process was verifying makes that verification stale too. When Redis does not answer,
nothing remembered is trusted: every request reads its token row. A flushed Redis gets a
fresh random generation, never one seen before.
"""

from __future__ import annotations

import asyncio
import logging
import threading
import time
import uuid
import weakref
from typing import TYPE_CHECKING

import redis.asyncio as aioredis
from redis.exceptions import RedisError
from sqlalchemy import event
from sqlmodel import Session

from backend.core.config import get_settings
from backend.core.redis import get_redis, key
from backend.core.security import hash_token

if TYPE_CHECKING:
    from backend.auth.tokens import Principal

__all__ = ["cached_principal", "remember_principal", "forget_principals", "token_generation"]

log = logging.getLogger(__name__)

_MAX_ENTRIES = 10_000
# A request waits at most this long for the generation; past it, the token row is read.
_REDIS_TIMEOUT_SEC = 0.5
_lock = threading.Lock()
# token hash -> (expires at, the generation it was verified under, who it is)
_entries: dict[str, tuple[float, str, Principal]] = {}
# One asyncio client per event loop (a client must not cross loops).
_clients: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, aioredis.Redis] = (
    weakref.WeakKeyDictionary())


def _generation_key() -> str:
    return key("auth", "token-generation")


def _client() -> aioredis.Redis:
    loop = asyncio.get_running_loop()
    client = _clients.get(loop)
    if client is None:
        client = _clients[loop] = aioredis.Redis.from_url(
            get_settings().redis_url, decode_responses=True,
            socket_timeout=_REDIS_TIMEOUT_SEC, socket_connect_timeout=_REDIS_TIMEOUT_SEC)
    return client


async def token_generation() -> str | None:
    """The install's current token generation; None when Redis does not answer (then
    no remembered token is trusted)."""
    client = _client()
    name = _generation_key()
    try:
        value = await client.get(name)
        if value is None:  # never revoked since Redis started, or flushed: a fresh one
            await client.set(name, uuid.uuid4().hex, nx=True)
            value = await client.get(name)
    except (TimeoutError, RedisError, OSError):
        return None
    return str(value) if value is not None else None


def cached_principal(plaintext: str, *, generation: str | None) -> Principal | None:
    """The token's principal if it was verified less than TOKEN_CACHE_SEC ago under
    ``generation`` (the current one, from :func:`token_generation`)."""
    if generation is None:
        return None
    entry = _entries.get(hash_token(plaintext))
    if entry is None or entry[0] <= time.monotonic() or entry[1] != generation:
        return None
    return entry[2]


def remember_principal(plaintext: str, principal: Principal, *, generation: str | None) -> None:
    """Remember a token just verified against the database; ``generation``: the one
    read before the token row was."""
    ttl = get_settings().token_cache_sec
    if ttl <= 0 or generation is None:
        return
    with _lock:
        if len(_entries) >= _MAX_ENTRIES:
            _entries.clear()  # tokens are few; this bounds memory against a flood
        _entries[hash_token(plaintext)] = (time.monotonic() + ttl, generation, principal)


def forget_principals(*, session: Session | None = None) -> None:
    """A token was revoked or a user disabled: every process forgets what it remembers.

    With ``session`` (the revoking transaction), the generation moves once it commits,
    so that no process can verify the token from the old row after the move."""
    _forget_here()
    if session is None:
        _new_generation()
        return
    event.listen(session, "after_commit", _after_commit, once=True)


def _after_commit(_session: Session) -> None:
    _forget_here()
    _new_generation()


def _forget_here() -> None:
    with _lock:
        _entries.clear()


def _new_generation() -> None:
    try:
        get_redis().set(_generation_key(), uuid.uuid4().hex)
    except (RedisError, OSError):
        # Other processes then trust their cache for TOKEN_CACHE_SEC at most (and not at
        # all while Redis stays unreachable, as they cannot read the generation either).
        log.warning("could not publish a token revocation to other processes",
                    exc_info=True)
