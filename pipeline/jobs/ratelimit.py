"""Per-provider limits shared by every LLM worker on every machine, kept in Redis: a token bucket for calls per
minute and expiring leases for calls in flight. Plain Python (takes a redis client)."""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

_TAKE_TOKEN = """
local now_parts = redis.call('TIME')
local now = tonumber(now_parts[1]) + tonumber(now_parts[2]) / 1000000
local rate = tonumber(ARGV[1])
local capacity = tonumber(ARGV[2])
local state = redis.call('HMGET', KEYS[1], 'tokens', 'ts')
local tokens = tonumber(state[1]) or capacity
local ts = tonumber(state[2]) or now
tokens = math.min(capacity, tokens + math.max(0, now - ts) * rate)
local wait = 0
if tokens >= 1 then
  tokens = tokens - 1
else
  wait = (1 - tokens) / rate
end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'ts', tostring(now))
redis.call('EXPIRE', KEYS[1], 3600)
return tostring(wait)
"""

_TAKE_LEASE = """
local now_parts = redis.call('TIME')
local now = tonumber(now_parts[1]) + tonumber(now_parts[2]) / 1000000
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
if redis.call('ZCARD', KEYS[1]) < tonumber(ARGV[1]) then
  redis.call('ZADD', KEYS[1], now + tonumber(ARGV[2]), ARGV[3])
  redis.call('EXPIRE', KEYS[1], math.ceil(tonumber(ARGV[2])) + 60)
  return 1
end
return 0
"""


class ThrottleTimeout(TimeoutError):
    """No slot within the time allowed; a transient condition (the task retries later)."""


class ProviderThrottle:
    def __init__(self, redis, provider: str, *, per_minute: float, concurrency: int, lease_seconds: float = 900):
        if per_minute <= 0 or concurrency < 1:
            raise ValueError("per_minute must be > 0 and concurrency >= 1")
        self.redis = redis
        self.provider = provider
        self.rate = per_minute / 60.0
        # Up to ten seconds' worth of calls may go at once after a quiet period.
        self.capacity = max(1.0, self.rate * 10)
        self.concurrency = int(concurrency)
        self.lease_seconds = lease_seconds
        self._bucket_key = f"cluebench:llm:{provider}:bucket"
        self._lease_key = f"cluebench:llm:{provider}:leases"
        self._take_token = redis.register_script(_TAKE_TOKEN)
        self._take_lease = redis.register_script(_TAKE_LEASE)

    def try_token(self) -> float:
        """Take one call from the bucket: 0.0 when taken, else the seconds until one is available."""
        return float(self._take_token(keys=[self._bucket_key], args=[self.rate, self.capacity]))

    def try_lease(self, lease_id: str) -> bool:
        return bool(self._take_lease(keys=[self._lease_key], args=[self.concurrency, self.lease_seconds, lease_id]))

    def release(self, lease_id: str) -> None:
        self.redis.zrem(self._lease_key, lease_id)

    @contextmanager
    def slot(self, *, timeout: float = 300.0, sleep=time.sleep) -> Iterator[None]:
        """Wait for a lease (calls in flight) and a token (calls per minute); hold the lease for the block.
        A lease of a worker that died expires after `lease_seconds`."""
        deadline = time.monotonic() + timeout
        lease_id = uuid.uuid4().hex
        while not self.try_lease(lease_id):
            if time.monotonic() >= deadline:
                raise ThrottleTimeout(f"{self.provider}: {self.concurrency} calls already in flight for {timeout:.0f} s")
            sleep(0.25)
        try:
            while (wait := self.try_token()) > 0:
                if time.monotonic() + wait > deadline:
                    raise ThrottleTimeout(f"{self.provider}: rate limit of {self.rate * 60:g} calls/min reached")
                sleep(min(wait, 5.0))
            yield
        finally:
            self.release(lease_id)
