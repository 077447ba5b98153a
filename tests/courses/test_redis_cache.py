"""courses.redis_cache: the cache answers without Redis while it is down, warns without
flooding the log, and uses Redis again when it answers, forgetting what changed meanwhile."""

import logging

import pytest
from django.core.cache import CacheKeyWarning

from courses.redis_cache import Outage, ResilientRedisCache, redacted
from lms.settings import shared_cache
from tests.redis_support import REDIS_URL, RedisSwitch, closed_port, real_redis, unique_prefix

LOGGER = "courses.redis_cache"


def cache_at(url: str, monkeypatch, **options) -> ResilientRedisCache:
    """The cache production configures for ``REDIS_URL=url`` (its own key prefix)."""
    monkeypatch.setenv("REDIS_URL", url)
    configured: dict = {}
    shared_cache.configure(configured)
    params = configured["CACHES"]["default"]
    assert params["BACKEND"] == "courses.redis_cache.ResilientRedisCache"
    return ResilientRedisCache(
        params["LOCATION"],
        {**params, "KEY_PREFIX": unique_prefix(), "OPTIONS": {**params["OPTIONS"], **options}},
    )


def warnings_of(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == LOGGER and r.levelname == "WARNING"]


# The outage's bookkeeping (pure)


def test_an_outage_warns_when_it_starts_then_once_a_minute():
    outage = Outage(retry_after=5, warn_every=60)
    assert not outage.is_down
    assert outage.failed(100.0) is True
    assert outage.is_down
    assert [outage.failed(t) for t in (105.0, 130.0, 159.9)] == [False, False, False]
    assert outage.failed(160.0) is True
    assert outage.failed(161.0) is False


def test_during_an_outage_redis_is_tried_again_only_after_the_retry_interval():
    outage = Outage(retry_after=5, warn_every=60)
    assert outage.should_try(0.0)
    outage.failed(10.0)
    assert not outage.should_try(10.1)
    assert not outage.should_try(14.9)
    assert outage.should_try(15.0)
    outage.failed(15.0)
    assert not outage.should_try(19.0)


def test_recovery_reports_the_outage_and_what_was_forgotten():
    outage = Outage(retry_after=5, warn_every=60)
    outage.failed(10.0)
    outage.missed([("session-1", None), ("outline", 2)])
    outage.should_try(11.0)  # skipped: served without the cache
    keys, clear = outage.to_forget()
    assert keys == {("session-1", None), ("outline", 2)} and not clear

    recovery = outage.recovered(40.0, forgotten=keys, cleared=False)

    assert recovery.seconds == 30.0
    assert recovery.calls_without_cache == 2
    assert recovery.forgotten_keys == 2
    assert not outage.is_down
    assert outage.to_forget() == (frozenset(), False)
    assert outage.recovered(41.0, forgotten=frozenset(), cleared=False) is None  # not down


def test_keys_missed_while_recovering_keep_the_outage_open_until_forgotten():
    outage = Outage(retry_after=5, warn_every=60)
    outage.failed(10.0)
    outage.missed([("a", None)])
    keys, _ = outage.to_forget()
    outage.missed([("b", None)])  # another thread, meanwhile
    assert outage.recovered(20.0, forgotten=keys, cleared=False) is None
    assert outage.to_forget() == (frozenset({("b", None)}), False)
    assert outage.should_try(20.0)  # at once: the rest is forgotten on the next call


def test_too_many_missed_keys_clear_the_whole_cache_instead():
    outage = Outage(retry_after=5, warn_every=60, max_missed_keys=3)
    outage.failed(0.0)
    outage.missed([("a", None), ("b", None), ("c", None)])
    assert outage.to_forget() == (frozenset({("a", None), ("b", None), ("c", None)}), False)
    outage.missed([("d", None)])
    assert outage.to_forget() == (frozenset(), True)
    outage.missed([("e", None)])
    assert outage.to_forget() == (frozenset(), True)
    assert outage.recovered(9.0, forgotten=frozenset(), cleared=True).cleared


def test_logged_addresses_carry_no_password():
    assert redacted("redis://:s3cret@cache.internal:6380/2") == "redis://cache.internal:6380/2"
    assert redacted("rediss://user:pw@a:1/0,redis://b/1") == "rediss://a:1/0, redis://b/1"


# Against a closed port: Django's DummyCache answers, and one warning says so


def test_with_nothing_listening_every_call_answers_as_django_s_dummy_cache(monkeypatch, caplog):
    cache = cache_at(f"redis://127.0.0.1:{closed_port()}/3", monkeypatch)
    caplog.set_level(logging.WARNING, logger=LOGGER)

    assert cache.get("missing", "default") == "default"
    assert cache.set("k", "v", 30) is None
    assert cache.get("k") is None
    assert cache.add("k", 1, 30) is True  # fixed-window rate limits let the request through
    with pytest.raises(ValueError):
        cache.incr("k")
    assert cache.get_many(["k", "l"]) == {}
    assert cache.set_many({"k": 1, "l": 2}) == []
    assert cache.has_key("k") is False
    assert "k" not in cache
    assert cache.touch("k") is False
    assert cache.delete("k") is False
    assert cache.delete_many(["k", "l"]) is None
    assert cache.get_or_set("computed", lambda: 42) == 42
    assert cache.clear() is None

    warnings = warnings_of(caplog)
    assert len(warnings) == 1, warnings  # one for the outage, not one per call
    assert "cannot be reached" in warnings[0]
    assert f":{cache.location.rsplit(':', 1)[1]}" in warnings[0]


def test_keys_are_still_checked_while_redis_is_down(monkeypatch):
    cache = cache_at(f"redis://127.0.0.1:{closed_port()}/3", monkeypatch)
    with pytest.warns(CacheKeyWarning):
        cache.get("a key with spaces")  # memcached-unsafe keys are still reported


def test_production_options_keep_a_dead_server_cheap(monkeypatch):
    monkeypatch.setenv("REDIS_URL", "redis://127.0.0.1:6379/3")
    configured: dict = {}
    shared_cache.configure(configured)
    options = configured["CACHES"]["default"]["OPTIONS"]
    assert options["socket_connect_timeout"] <= 1
    assert options["socket_timeout"] <= 1
    assert options["retry"].get_retries() <= 1
    assert configured["SESSION_ENGINE"] == "django.contrib.sessions.backends.cached_db"


# Against the real Redis


@pytest.fixture
def switch():
    real_redis()
    switch = RedisSwitch()
    switch.on()
    yield switch
    switch.off()


def test_a_working_redis_is_used(monkeypatch):
    client = real_redis()
    cache = cache_at(REDIS_URL, monkeypatch)
    cache.set("greeting", "Xin chào", 30)
    assert cache.get("greeting") == "Xin chào"
    assert client.exists(cache.make_key("greeting"))
    assert cache.add("counter", 1, 30) is True
    assert cache.add("counter", 1, 30) is False
    assert cache.incr("counter") == 2
    cache.delete_many(["greeting", "counter"])


def test_redis_coming_back_is_used_again_without_a_restart(switch, monkeypatch, caplog):
    client = real_redis()
    cache = cache_at(switch.url, monkeypatch, RETRY_AFTER=0)
    caplog.set_level(logging.WARNING, logger=LOGGER)
    cache.set("session", "signed in", 300)
    cache.set("outline", "v1", 300)
    assert client.get(cache.make_key("session")) is not None

    switch.off()
    assert cache.get("session") is None  # no error: the database answers instead
    cache.delete("session")  # signing out: Redis never hears of it
    cache.set("outline", "v2", 300)  # never stored
    assert client.get(cache.make_key("session")) is not None  # still in Redis, stale
    assert len(warnings_of(caplog)) == 1

    switch.on()
    # The stale session does not come back, and the cache works again in the same process.
    assert cache.get("session") is None
    assert cache.get("outline") is None
    assert client.get(cache.make_key("session")) is None
    cache.set("after", "again", 30)
    assert cache.get("after") == "again"
    assert client.exists(cache.make_key("after"))
    warnings = warnings_of(caplog)
    assert len(warnings) == 2 and "answers again" in warnings[1]
    cache.delete("after")


def test_during_an_outage_redis_is_left_alone_until_the_retry_interval(switch, monkeypatch):
    cache = cache_at(switch.url, monkeypatch, RETRY_AFTER=3600)
    cache.set("k", "v", 30)
    switch.off()
    assert cache.get("k") is None  # fails, opens the outage
    switch.on()
    assert cache.get("k") is None  # not tried again yet: an hour to go
    assert cache.outage.is_down


def test_production_s_options_reach_redis_py_s_pool_through_django_redis(monkeypatch):
    """Lower-case options go to redis-py's connection pool, as with Django's own backend;
    ``RETRY_AFTER`` to the outage guard; one redis-py client is kept, not built per call."""
    monkeypatch.setenv("REDIS_TIMEOUT", "0.25")
    # django-redis keeps one pool per address and process: an address no other test uses.
    url = f"{REDIS_URL.rsplit('/', 1)[0]}/9"
    cache = cache_at(url, monkeypatch, RETRY_AFTER=3)
    client = cache.client.get_client(write=True)
    pool = client.connection_pool.connection_kwargs
    assert pool["socket_timeout"] == 0.25
    assert pool["socket_connect_timeout"] == 0.25
    assert pool["health_check_interval"] == 30
    assert cache.outage.retry_after == 3
    assert cache.client.get_client(write=True) is client
