"""Leader lock: one scheduler fires at a time; another takes over within a lock TTL."""

from __future__ import annotations

import uuid

import redis

from backend.core.redis import key

__all__ = ["LeaderLock"]

# Extend only if we still hold it; never extend a lock another instance took over.
_RENEW = """
if redis.call('get', KEYS[1]) == ARGV[1] then
  return redis.call('pexpire', KEYS[1], ARGV[2])
end
return 0
"""
_RELEASE = """
if redis.call('get', KEYS[1]) == ARGV[1] then
  return redis.call('del', KEYS[1])
end
return 0
"""


class LeaderLock:
    def __init__(self, *, client: redis.Redis, ttl_ms: int, name: str = "scheduler") -> None:
        self.client = client
        self.ttl_ms = ttl_ms
        self.key = key("leader", name)
        self.token = uuid.uuid4().hex
        self._renew = client.register_script(_RENEW)
        self._release = client.register_script(_RELEASE)
        self.held = False

    def acquire_or_renew(self) -> bool:
        """True when this instance leads for at least the next TTL."""
        if self.held and self._renew(keys=[self.key], args=[self.token, self.ttl_ms]):
            return True
        self.held = bool(self.client.set(self.key, self.token, nx=True, px=self.ttl_ms))
        return self.held

    def release(self) -> None:
        if self.held:
            self._release(keys=[self.key], args=[self.token])
            self.held = False
