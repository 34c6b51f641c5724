"""Who a bearer token is, remembered for a moment (``TOKEN_CACHE_SEC``) per process.

Every API request names its token; reading the token row each time cost a thread, a
pooled connection and a round trip per request, most of a light request's work. Only
tokens found valid are remembered (a token minted a moment ago in another process works
at once).

Several web processes (``WEB_WORKERS``, several hosts) each keep their own cache, so a
revocation must reach all of them before it is answered. Each process that remembers
tokens follows a Redis channel; a revocation, once committed, is published there and
waits until every process that heard it has forgotten what it remembered (each says
so on a counter; at most ``_ACK_WAIT_SEC``). A process that is not following the
channel (Redis away, the subscription not confirmed yet) trusts nothing it remembers:
every request reads its token row. Nothing is asked of Redis per request (a GET per
request cost a tenth of the request's CPU).

A verification that read the token row before a revocation committed must not be
remembered after it: each one notes the cache's epoch before reading, and is kept only
if no revocation moved the epoch meanwhile.
"""

from __future__ import annotations

import logging
import os
import threading
import time
import uuid
from typing import TYPE_CHECKING

from redis.exceptions import RedisError
from sqlalchemy import event
from sqlmodel import Session

from backend.core.config import get_settings
from backend.core.redis import get_redis, key
from backend.core.security import hash_token

if TYPE_CHECKING:
    from backend.auth.tokens import Principal

__all__ = ["cache_epoch", "cached_principal", "remember_principal", "forget_principals"]

log = logging.getLogger(__name__)

_MAX_ENTRIES = 10_000
_ACK_WAIT_SEC = 2.0  # a process that heard a revocation and never said so: give up then
_LISTEN_POLL_SEC = 0.5  # also how soon the listener notices new settings (tests)
_lock = threading.Lock()
_entries: dict[str, tuple[float, Principal]] = {}  # token hash -> (expires at, who)
_epoch = 0  # moves at every revocation heard
# (pid, channel) this process hears revocations on, once the subscription is confirmed.
_following: tuple[int, str] | None = None
_listener: tuple[int, threading.Thread] | None = None


def _channel() -> str:
    return key("auth", "revoked")


def cache_epoch() -> int | None:
    """The epoch to verify a token under; None while this process does not hear
    revocations (then nothing is remembered or trusted)."""
    if get_settings().token_cache_sec <= 0:
        return None
    _ensure_listener()
    if _following != (os.getpid(), _channel()):
        return None
    return _epoch


def cached_principal(plaintext: str) -> Principal | None:
    """The token's principal if it was verified less than TOKEN_CACHE_SEC ago and no
    revocation came since."""
    if cache_epoch() is None:
        return None
    entry = _entries.get(hash_token(plaintext))
    if entry is None or entry[0] <= time.monotonic():
        return None
    return entry[1]


def remember_principal(plaintext: str, principal: Principal, *, epoch: int | None) -> None:
    """Remember a token just verified against the database; ``epoch``: the one taken
    (:func:`cache_epoch`) before the token row was read."""
    if epoch is None:
        return
    expires = time.monotonic() + get_settings().token_cache_sec
    with _lock:
        if epoch != _epoch:
            return  # a revocation came in while the row was read
        if len(_entries) >= _MAX_ENTRIES:
            _entries.clear()  # tokens are few; this bounds memory against a flood
        _entries[hash_token(plaintext)] = (expires, principal)


def forget_principals(*, session: Session | None = None) -> None:
    """A token was revoked or a user disabled: every process forgets what it remembers.

    With ``session`` (the revoking transaction) the other processes are told once it
    commits, so that none can read the old row after forgetting."""
    _forget_here()
    if session is None:
        _announce()
        return
    event.listen(session, "after_commit", _after_commit, once=True)


def _after_commit(_session: Session) -> None:
    _forget_here()
    _announce()


def _forget_here() -> None:
    global _epoch
    with _lock:
        _entries.clear()
        _epoch += 1


def _announce() -> None:
    """Publish the revocation and wait until every process that heard it forgot."""
    ack = key("auth", "revoked-ack", uuid.uuid4().hex)
    try:
        client = get_redis()
        heard = int(client.publish(_channel(), ack))  # type: ignore[arg-type]
        deadline = time.monotonic() + _ACK_WAIT_SEC
        while heard and int(client.get(ack) or 0) < heard:  # type: ignore[arg-type]
            if time.monotonic() > deadline:
                log.warning("a web process did not confirm a token revocation; it trusts "
                            "its cache for TOKEN_CACHE_SEC at most")
                break
            time.sleep(0.002)
        client.delete(ack)
    except (RedisError, OSError):
        # Processes that cannot reach Redis trust no cache; one that can again
        # resubscribes and forgets everything first.
        log.warning("could not announce a token revocation", exc_info=True)


def _ensure_listener() -> None:
    global _listener
    pid = os.getpid()
    if _listener is not None and _listener[0] == pid and _listener[1].is_alive():
        return
    with _lock:
        if _listener is None or _listener[0] != pid or not _listener[1].is_alive():
            thread = threading.Thread(target=_listen, daemon=True, name="token-revocations")
            _listener = (pid, thread)
            thread.start()


def _listen() -> None:
    """Follow the revocation channel for the life of the process (a daemon thread)."""
    global _following
    while True:
        channel = _channel()
        pubsub = None
        try:
            pubsub = get_redis().pubsub()
            pubsub.subscribe(channel)
            while _channel() == channel:
                message = pubsub.get_message(timeout=_LISTEN_POLL_SEC)
                if message is None:
                    continue
                if message["type"] == "subscribe":
                    _forget_here()  # revocations may have gone by unheard until now
                    _following = (os.getpid(), channel)
                elif message["type"] == "message":
                    _forget_here()
                    _acknowledge(str(message["data"]))
        except Exception:  # noqa: BLE001 - Redis away: trust nothing, try again soon
            log.debug("token revocation channel lost", exc_info=True)
            _following = None
            time.sleep(_LISTEN_POLL_SEC)
        finally:
            _following = None
            if pubsub is not None:
                try:
                    pubsub.close()
                except Exception:  # noqa: BLE001 - closing a broken connection
                    pass


def _acknowledge(ack: str) -> None:
    pipe = get_redis().pipeline(transaction=False)
    pipe.incr(ack)
    pipe.expire(ack, 60)
    pipe.execute()
