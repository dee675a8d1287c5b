"""The per-provider limits live in the real Redis, so every worker on every machine shares them."""

import threading
import uuid

import pytest
import redis
from django.conf import settings

from pipeline.jobs.ratelimit import ProviderThrottle, ThrottleTimeout


@pytest.fixture
def client():
    return redis.Redis.from_url(settings.CELERY_BROKER_URL)


def throttle(client, **kwargs):
    return ProviderThrottle(client, f"test-{uuid.uuid4().hex[:8]}", **kwargs)


def test_bucket_allows_a_burst_then_asks_to_wait(client):
    t = throttle(client, per_minute=6, concurrency=5)  # 0.1 call/s, a burst of one
    assert t.try_token() == 0.0
    wait = t.try_token()
    assert 9.0 < wait <= 10.0


def test_two_throttles_for_the_same_provider_share_the_bucket(client):
    name = f"shared-{uuid.uuid4().hex[:8]}"
    first = ProviderThrottle(client, name, per_minute=6, concurrency=5)
    second = ProviderThrottle(redis.Redis.from_url(settings.CELERY_BROKER_URL), name, per_minute=6, concurrency=5)
    assert first.try_token() == 0.0
    assert second.try_token() > 0


def test_concurrency_leases(client):
    t = throttle(client, per_minute=6000, concurrency=2)
    assert t.try_lease("a") and t.try_lease("b")
    assert not t.try_lease("c")
    t.release("a")
    assert t.try_lease("c")


def test_expired_lease_of_a_dead_worker_frees_its_slot(client):
    t = throttle(client, per_minute=6000, concurrency=1, lease_seconds=0.05)
    assert t.try_lease("dead-worker")
    import time

    time.sleep(0.1)
    assert t.try_lease("alive")


def test_slot_times_out_when_all_are_held(client):
    t = throttle(client, per_minute=6000, concurrency=1)
    held = threading.Event()
    done = threading.Event()

    def hold():
        with t.slot():
            held.set()
            done.wait(5)

    worker = threading.Thread(target=hold)
    worker.start()
    held.wait(5)
    with pytest.raises(ThrottleTimeout, match="in flight"):
        with t.slot(timeout=0.3):
            pass
    done.set()
    worker.join()
    with t.slot(timeout=1):
        pass
